"""The submission kinds of the contract, each read from its two folders.

A kind is ``expectations/<jenis>/`` (``kontrak.json``: columns, types, scope, deadline;
``suite.json``: the Great Expectations suite; ``sinonim.json``: header synonyms) and
``sql/jenis/<jenis>/`` (its tables and views, the load's steps and the cross-file checks; see
``sql/README.md``). Adding a kind is adding those two folders: nothing in the code names one.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from etl.settings import PROJECT_ROOT

if TYPE_CHECKING:
    import pyarrow as pa

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SQL_DIR = PROJECT_ROOT / "sql"
KINDS_SQL_DIR = SQL_DIR / "jenis"
COMMON_SYNONYMS = EXPECTATIONS_DIR / "sinonim_umum.json"
"""Header synonyms of columns that several kinds share (``kode_kabkota``, ``nib``, ...)."""

ARROW_TYPES = {
    "kode": "string",
    "teks": "string",
    "pilihan": "string",
    "ya_tidak": "string",
    "bilangan": "int64",
    "desimal": "float64",
    "rupiah": "int64",
    "tanggal": "date32",
}
"""Each column type's Arrow type, by the name of its pyarrow factory: the contract is read
without importing pyarrow (the reprocess DAG lists the kinds when Airflow parses it)."""
POSTGRES_TYPES = {
    "kode": "text",
    "teks": "text",
    "pilihan": "text",
    "ya_tidak": "text",
    "bilangan": "bigint",
    "rupiah": "bigint",
    "desimal": "numeric",
    "tanggal": "date",
}
PERIOD_PATTERNS = {"tahunan": r"\d{4}", "bulanan": r"\d{4}-(?:0[1-9]|1[0-2])"}

ROW_COLUMN = "_baris"
"""The row number as the office sees it in its own file (header is row 1 in a plain file)."""
FILE_COLUMN = "_berkas"
"""In a staging table of a batch: the submission a row came from (with ``_baris``, its key)."""
OFFICE_COLUMN = "_kantor"
"""In a staging table: the region code of the office that sent the row's file."""
OFFICE_REGION_COLUMN = "_awalan_wilayah"
"""The region column cut to the office code's length: equal to ``_kantor`` when the row's region
lies in the sender's area, so one suite checks every file's rows against its own sender."""


@dataclass(frozen=True)
class Column:
    nama: str
    tipe: str
    wajib: bool
    data_pribadi: bool = False
    wilayah: bool = False
    """A region code (Kemendagri): older editions are translated, BPS codes refused."""
    panjang: int | None = None
    """Exact number of digits of a code column (a NIB has 13)."""

    @property
    def arrow_type(self) -> pa.DataType:
        import pyarrow as pa

        return getattr(pa, ARROW_TYPES[self.tipe])()

    @property
    def postgres_type(self) -> str:
        return POSTGRES_TYPES[self.tipe]


@dataclass(frozen=True)
class Kind:
    """One submission kind of the contract, with the two folders it is made of."""

    jenis: str
    judul: str
    pola_periode: str
    kolom_cakupan: str
    columns: tuple[Column, ...]
    derived: tuple[Column, ...]
    row_key: tuple[str, ...]
    """Columns that identify a row within a file (and within a scope in the warehouse)."""
    tenggat: str
    """Deadline: a PostgreSQL interval after the period starts (``IKM_TENGGAT_<JENIS>`` wins)."""
    folder: Path
    """``expectations/<jenis>/``: contract, suite, synonyms."""
    sql_folder: Path
    """``sql/jenis/<jenis>/``: tables, views, load steps, cross-file checks."""

    @property
    def required(self) -> list[str]:
        return [c.nama for c in self.columns if c.wajib]

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.columns + self.derived

    def arrow_schema(self) -> pa.Schema:
        import pyarrow as pa

        fields = [pa.field(ROW_COLUMN, pa.int32(), nullable=False)]
        fields += [pa.field(c.nama, c.arrow_type) for c in self.all_columns]
        return pa.schema(fields)

    def period_is_valid(self, periode: str) -> bool:
        return re.fullmatch(PERIOD_PATTERNS[self.pola_periode], periode) is not None

    @property
    def wilayah_column(self) -> str | None:
        """The column holding the region a row is about, checked against the sender's office."""
        return next((c.nama for c in self.columns if c.wilayah), None)

    def staging_table(self, batch_id: int) -> str:
        """The transient table in schema ``staging`` of one validation batch (its first file)."""
        return f"{self.jenis}_{batch_id}"

    # -- expectations/<jenis>/ ---------------------------------------------------------------

    @property
    def contract_path(self) -> Path:
        return self.folder / "kontrak.json"

    @property
    def suite_path(self) -> Path:
        return self.folder / "suite.json"

    @property
    def synonyms_path(self) -> Path:
        """Header synonyms of this kind's own columns (optional)."""
        return self.folder / "sinonim.json"

    # -- sql/jenis/<jenis>/ -------------------------------------------------------------------

    @property
    def table_sql(self) -> Path:
        """The kind's tables (``core.baris_<jenis>`` and any it needs), created if missing."""
        return self.sql_folder / "tabel.sql"

    @property
    def view_sql(self) -> list[Path]:
        """The kind's views (``core.fakta_<jenis>``: the facts in force; dimensions)."""
        return sorted((self.sql_folder / "tampilan").glob("*.sql"))

    @property
    def before_change_sql(self) -> list[Path]:
        """Steps run before a submission's kept rows are replaced or withdrawn."""
        path = self.sql_folder / "sebelum.sql"
        return [path] if path.is_file() else []

    @property
    def store_sql(self) -> Path:
        """The step that keeps a submission's accepted rows in ``core.baris_<jenis>``."""
        return self.sql_folder / "simpan.sql"

    @property
    def after_settle_sql(self) -> list[Path]:
        """Steps run after scope owners change (dimensions built from the facts in force)."""
        return sorted((self.sql_folder / "sesudah").glob("*.sql"))

    @property
    def rebuild_sql(self) -> list[Path]:
        """Steps that rebuild what depends on many files (the SCD2 dimension) from the queue
        the loads filled: once after a night's loads, set-based, rather than once per file."""
        return sorted((self.sql_folder / "bangun").glob("*.sql"))

    @property
    def check_sql(self) -> list[Path]:
        """Cross-file rules that need the warehouse (quarantine or warning), run by validate."""
        return sorted((self.sql_folder / "periksa").glob("*.sql"))


def _column(spec: dict) -> Column:
    return Column(
        spec["nama"],
        spec["tipe"],
        bool(spec.get("wajib", False)),
        bool(spec.get("data_pribadi", False)),
        bool(spec.get("wilayah", False)),
        spec.get("panjang"),
    )


def read_kind(folder: Path, sql_folder: Path) -> Kind:
    """The kind whose contract is ``folder/kontrak.json``."""
    spec = json.loads((folder / "kontrak.json").read_text(encoding="utf-8"))
    if spec["jenis"] != folder.name:
        raise ValueError(f"{folder / 'kontrak.json'}: jenis {spec['jenis']!r} is not its folder's")
    return Kind(
        jenis=spec["jenis"],
        judul=spec["judul"],
        pola_periode=spec["pola_periode"],
        kolom_cakupan=spec["kolom_cakupan"],
        columns=tuple(_column(c) for c in spec["kolom"]),
        derived=tuple(_column(c) for c in spec.get("kolom_turunan", [])),
        row_key=tuple(spec["kunci_baris"]),
        tenggat=spec["tenggat_setelah_awal_periode"],
        folder=folder,
        sql_folder=sql_folder,
    )


@functools.cache
def kinds() -> dict[str, Kind]:
    """Every kind: each folder of ``expectations/`` that holds a ``kontrak.json``."""
    return {
        folder.name: read_kind(folder, KINDS_SQL_DIR / folder.name)
        for folder in sorted(EXPECTATIONS_DIR.iterdir())
        if (folder / "kontrak.json").is_file()
    }


def get_kind(jenis: str) -> Kind:
    return kinds()[jenis]
