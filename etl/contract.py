"""The data contract with the regions, read from ``expectations/``: kinds, columns, file names.

Adding a kind is adding data: ``expectations/schemas/<jenis>.json`` (columns and types),
``expectations/<jenis>.json`` (the Great Expectations suite) and ``sql/load/<jenis>/``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from etl.settings import PROJECT_ROOT

EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
LOAD_SQL_DIR = PROJECT_ROOT / "sql" / "load"

ARROW_TYPES: dict[str, pa.DataType] = {
    "kode": pa.string(),
    "teks": pa.string(),
    "pilihan": pa.string(),
    "ya_tidak": pa.string(),
    "bilangan": pa.int64(),
    "desimal": pa.float64(),
    "rupiah": pa.int64(),
    "tanggal": pa.date32(),
}
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
FILE_NAME = re.compile(
    r"^(?P<jenis>[a-z][a-z_]*?)_(?P<periode>\d{4}(?:-\d{2})?)(?:_[^/]*)?\.(?P<ext>csv|xlsx|json)$",
    re.IGNORECASE,
)
OUTCOME_MODULES = [
    PROJECT_ROOT / "etl" / name
    for name in ("contract.py", "extract.py", "parsing.py", "rules.py", "validate.py", "load.py")
]
"""The code that decides what a file becomes; part of the rules version (not runners, CLIs)."""
ROW_COLUMN = "_baris"
FILE_COLUMN = "_berkas"
"""In a staging table of a batch: the submission a row came from (with ``_baris``, its key)."""
OFFICE_COLUMN = "_kantor"
"""In a staging table: the region code of the office that sent the row's file."""
OFFICE_REGION_COLUMN = "_awalan_wilayah"
"""The region column cut to the office code's length: equal to ``_kantor`` when the row's region
lies in the sender's area, so one suite checks every file's rows against its own sender."""
"""The row number as the office sees it in its own file (header is row 1 in a plain file)."""


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
        return ARROW_TYPES[self.tipe]

    @property
    def postgres_type(self) -> str:
        return POSTGRES_TYPES[self.tipe]


@dataclass(frozen=True)
class Kind:
    """One submission kind of the contract."""

    jenis: str
    judul: str
    pola_periode: str
    kolom_cakupan: str
    columns: tuple[Column, ...]
    derived: tuple[Column, ...]
    row_key: tuple[str, ...]
    """Columns that identify a row within a file (and within a scope in the warehouse)."""

    @property
    def required(self) -> list[str]:
        return [c.nama for c in self.columns if c.wajib]

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return self.columns + self.derived

    def arrow_schema(self) -> pa.Schema:
        fields = [pa.field(ROW_COLUMN, pa.int32(), nullable=False)]
        fields += [pa.field(c.nama, c.arrow_type) for c in self.all_columns]
        return pa.schema(fields)

    def period_is_valid(self, periode: str) -> bool:
        return re.fullmatch(PERIOD_PATTERNS[self.pola_periode], periode) is not None

    @property
    def suite_path(self) -> Path:
        return EXPECTATIONS_DIR / f"{self.jenis}.json"

    @property
    def wilayah_column(self) -> str | None:
        """The column holding the region a row is about, checked against the sender's office."""
        return next((c.nama for c in self.columns if c.wilayah), None)

    def staging_table(self, batch_id: int) -> str:
        """The transient table in schema ``staging`` of one validation batch (its first file)."""
        return f"{self.jenis}_{batch_id}"

    @property
    def before_change_sql(self) -> list[Path]:
        """Steps run before a submission's kept rows are replaced or withdrawn."""
        path = LOAD_SQL_DIR / self.jenis / "sebelum.sql"
        return [path] if path.is_file() else []

    @property
    def store_sql(self) -> Path:
        """The step that keeps a submission's accepted rows in ``core.baris_<jenis>``."""
        return LOAD_SQL_DIR / self.jenis / "simpan.sql"

    @property
    def after_settle_sql(self) -> list[Path]:
        """Steps run after scope owners change (dimensions built from the facts in force)."""
        return sorted((LOAD_SQL_DIR / self.jenis / "sesudah").glob("*.sql"))

    @property
    def rebuild_sql(self) -> list[Path]:
        """Steps that rebuild what depends on many files (the SCD2 dimension) from the queue
        the loads filled: once after a night's loads, set-based, rather than once per file."""
        return sorted((LOAD_SQL_DIR / self.jenis / "bangun").glob("*.sql"))

    def rules_version(self) -> str:
        """A digest of everything that decides what a file becomes: contract, suite, load SQL.

        A file already processed with the same sha256 under the same rules is skipped.
        """
        digest = hashlib.sha256()
        paths = [EXPECTATIONS_DIR / "schemas" / f"{self.jenis}.json", self.suite_path]
        paths += [*self.before_change_sql, self.store_sql, *self.after_settle_sql]
        paths += self.rebuild_sql
        paths += OUTCOME_MODULES
        for path in filter(Path.is_file, paths):
            digest.update(path.name.encode())
            digest.update(file_digest(path))
        digest.update(_settings_digest().encode())
        return digest.hexdigest()[:16]


def file_digest(path: Path) -> bytes:
    """sha256 of a file's bytes, remembered while its size and modification time stay the same
    (every landed file asks for the rules version; the files behind it rarely change)."""
    st = path.stat()
    return _file_digest(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=1024)
def _file_digest(path: str, _size: int, _mtime_ns: int) -> bytes:
    return hashlib.sha256(Path(path).read_bytes()).digest()


def rules_version_without_kind() -> str:
    """The rules for files that never reach a kind (bad names, unknown kinds): the code."""
    digest = hashlib.sha256()
    for path in filter(Path.is_file, OUTCOME_MODULES):
        digest.update(path.name.encode())
        digest.update(file_digest(path))
    digest.update(" ".join(sorted(kinds())).encode())
    digest.update(_settings_digest().encode())
    return digest.hexdigest()[:16]


def _settings_digest() -> str:
    """Settings and data outside the kind's files that change outcomes: the bad-row threshold,
    the reference lists and the header synonyms."""
    from etl.settings import get_settings

    settings = get_settings()
    digest = hashlib.sha256(repr(settings.max_bad_row_share).encode())
    extra = [EXPECTATIONS_DIR / "sinonim.json"]
    extra += sorted(settings.reference_dir.glob("*.csv")) if settings.reference_dir.is_dir() else []
    for path in extra:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(file_digest(path))
    return digest.hexdigest()


def _column(spec: dict) -> Column:
    return Column(
        spec["nama"],
        spec["tipe"],
        bool(spec.get("wajib", False)),
        bool(spec.get("data_pribadi", False)),
        bool(spec.get("wilayah", False)),
        spec.get("panjang"),
    )


@functools.cache
def kinds() -> dict[str, Kind]:
    """Every kind that has a schema in ``expectations/schemas``."""
    found = {}
    for path in sorted((EXPECTATIONS_DIR / "schemas").glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        found[spec["jenis"]] = Kind(
            jenis=spec["jenis"],
            judul=spec["judul"],
            pola_periode=spec["pola_periode"],
            kolom_cakupan=spec["kolom_cakupan"],
            columns=tuple(_column(c) for c in spec["kolom"]),
            derived=tuple(_column(c) for c in spec.get("kolom_turunan", [])),
            row_key=tuple(spec["kunci_baris"]),
        )
    return found


def get_kind(jenis: str) -> Kind:
    return kinds()[jenis]


@dataclass(frozen=True)
class FileName:
    jenis: str
    periode: str
    ext: str


def parse_file_name(name: str) -> FileName | None:
    """``<jenis>_<periode>[_anything].<csv|xlsx|json>``, or None when it does not follow that."""
    match = FILE_NAME.match(name)
    if match is None:
        return None
    return FileName(match["jenis"].lower(), match["periode"], match["ext"].lower())


def normalise_header(name: object) -> str:
    """Header cell → snake_case: case, spaces and punctuation do not matter."""
    return _normalise_text(str(name or ""))


_NOT_SNAKE = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=65_536)
def _normalise_text(text: str) -> str:
    # cached: the header scan asks about the same few hundred cells of every file many times
    return _NOT_SNAKE.sub("_", text.strip().lower()).strip("_")
