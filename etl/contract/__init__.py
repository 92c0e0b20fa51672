"""The data contract with the regions: kinds, columns, file names, the size rule, and the
version of the rules a file is processed under. Read from ``expectations/`` and ``sql/jenis/``;
every stage reads it, none writes it."""

from etl.contract.kind import (
    ARROW_TYPES,
    COMMON_SYNONYMS,
    EXPECTATIONS_DIR,
    FILE_COLUMN,
    KINDS_SQL_DIR,
    OFFICE_COLUMN,
    OFFICE_REGION_COLUMN,
    POSTGRES_TYPES,
    ROW_COLUMN,
    SQL_DIR,
    Column,
    Kind,
    get_kind,
    kinds,
    read_kind,
)
from etl.contract.names import POLA_NAMA, FileName, normalise_header, parse_file_name
from etl.contract.size_class import skala_menurut_aturan
from etl.contract.version import RulesVersionError, file_digest, rules_version

__all__ = [
    "ARROW_TYPES",
    "COMMON_SYNONYMS",
    "EXPECTATIONS_DIR",
    "FILE_COLUMN",
    "KINDS_SQL_DIR",
    "OFFICE_COLUMN",
    "OFFICE_REGION_COLUMN",
    "POLA_NAMA",
    "POSTGRES_TYPES",
    "ROW_COLUMN",
    "SQL_DIR",
    "Column",
    "FileName",
    "Kind",
    "RulesVersionError",
    "file_digest",
    "get_kind",
    "kinds",
    "normalise_header",
    "parse_file_name",
    "read_kind",
    "rules_version",
    "skala_menurut_aturan",
]
