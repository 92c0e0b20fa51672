"""Extract: one landed file → a typed Arrow table staged as Parquet, its cell errors and warnings.

Readers stream: CSV with the ``csv`` module, XLSX with openpyxl's read-only mode, so memory is
bounded by the chunk size, not the file (JSON is parsed whole, under its own size limit). Every
cell is read as text first (cells the source stored as numbers are marked, see
``etl.parsing.NumberCell``), the header row is found and mapped to the contract's columns
(synonyms in ``expectations/sinonim.json``), then each column is converted with
``etl.parsing``; a value that does not convert becomes null in the table and an error row
(row, column, value, rule, reason) that the validate stage quarantines. Old Kemendagri region
codes are translated with a warning row in the same shape.

Row numbers are those the office sees in its own file: the Excel row; for CSV the record number
(a quoted field with line breaks is one record); for JSON the object's 1-based index + 1, as if
row 1 were a header row.

:func:`stage_file` is the pure part (file → Parquet, no database); :func:`extract` registers the
file in ``audit.submission`` and calls it.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import datetime as dt
import functools
import hashlib
import io
import itertools
import json
import logging
import math
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from etl import audit, contract, parsing, rules
from etl.contract import ROW_COLUMN, FileName, Kind
from etl.parsing import Kolom, NumberCell, ScientificCell
from etl.settings import get_settings

CHUNK_ROWS = 50_000
HEADER_SCAN_ROWS = 30
"""Rows searched for the header (title rows above it are common in XLSX)."""
MIB = 1024 * 1024
SINONIM_PATH = contract.EXPECTATIONS_DIR / "sinonim.json"
PADANAN_FILE = "wilayah_padanan_kode.csv"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ERROR_SCHEMA = pa.schema(
    [
        ("baris", pa.int32()),
        ("kolom", pa.string()),
        ("nilai", pa.string()),
        ("kode_aturan", pa.string()),
        ("alasan", pa.string()),
    ]
)
"""Cell errors (``<id>.galat.parquet``) and warnings (``<id>.peringatan.parquet``)."""
TYPE_ERRORS = {k: g.alasan for k, g in parsing.TIPE_GALAT.items()}
POLA_NAMA = "<jenis>_<periode>.<csv|xlsx|json>, misalnya unit_ikm_2023.xlsx"

Row = tuple[int, list[str | None]]
UNREADABLE_SUFFIX = (
    "; berkas akan diproses ulang otomatis saat tersedia kembali, Anda tidak perlu mengirim ulang"
)

log = logging.getLogger(__name__)


class Rejected(Exception):
    """The whole file is rejected; the message is for the office, in Indonesian."""


class Unreadable(Rejected):
    """The landed file cannot be read now (removed or replaced after discovery, the disk gone).

    Not the office's fault: :func:`extract` records it as a system error (``galat_sistem``),
    which the next run of the day retries, and never withdraws what an earlier run loaded from
    it. A subclass of :class:`Rejected` so that callers that only plan (``etl.reprocess``)
    report it like any other file that cannot be taken.
    """


@dataclass
class ExtractResult:
    submission_id: int
    path: str
    status: str
    """"diekstrak", "dilewati" (unchanged and already done), "ditolak", or "tidak_terbaca" (the
    file cannot be read now and an earlier run's outcome stands)."""
    jumlah_baris: int = 0
    parquet: str | None = None
    errors: str | None = None
    notes: list[str] = field(default_factory=list)
    warnings: str | None = None
    """``<staging>/<id>.peringatan.parquet``: ERROR_SCHEMA rows that did not stop a cell."""

    def as_xcom(self) -> dict:
        """Ids, paths and counts only: what Airflow passes between tasks."""
        return {k: v for k, v in self.__dict__.items()}


@dataclass
class StageResult:
    """What :func:`stage_file` made of one file."""

    jenis: str
    periode: str
    jumlah_baris: int
    notes: list[str]
    jumlah_galat: int = 0
    jumlah_peringatan: int = 0
    disimpulkan: bool = False
    """Kind or period came from the content, not from a conventional file name."""
    kolumnar: bool = False
    """Data rows were read by Arrow's columnar CSV reader (else row by row in Python)."""


# -- limits -----------------------------------------------------------------------------------


def _limit_mb(name: str, default: int) -> int:
    """A size limit in MiB from the environment (a setting the ministry may raise)."""
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


def limits() -> dict[str, int]:
    """File size, inflated XLSX size and JSON size limits, in bytes."""
    return {
        "berkas": _limit_mb("IKM_BATAS_BERKAS_MB", 512) * MIB,
        "xlsx": _limit_mb("IKM_BATAS_XLSX_MB", 200) * MIB,
        "json": _limit_mb("IKM_BATAS_JSON_MB", 100) * MIB,
    }


@contextlib.contextmanager
def _library_guard(message: str) -> Iterator[None]:
    """Turn any failure of a third-party parser on hostile bytes into a rejection.

    zipfile and openpyxl fail on corrupt input with many exception types (KeyError, ValueError,
    XML errors, ...); only their calls are wrapped, never this module's own logic.
    """
    try:
        yield
    except Rejected:
        raise
    except OSError as exc:
        if exc.errno is None:  # a library's own "not a valid file", not the disk
            raise Rejected(message) from exc
        raise Unreadable(f"berkas tidak dapat dibaca dari disk ({exc.strerror})") from exc
    except Exception as exc:  # see docstring
        raise Rejected(message) from exc


# -- headers ----------------------------------------------------------------------------------


@functools.cache
def _synonyms() -> dict[str, dict[str, list[str]]]:
    data = json.loads(SINONIM_PATH.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, dict)}


@functools.cache
def header_lookup(jenis: str) -> dict[str, str]:
    """Normalised header → column of ``jenis``: the column names, then its synonyms."""
    names = [c.nama for c in contract.get_kind(jenis).columns]
    lookup = {n: n for n in names}
    for section in (jenis, "umum"):
        for column, alternatives in _synonyms().get(section, {}).items():
            if column in names:
                for alt in alternatives:
                    lookup.setdefault(contract.normalise_header(alt), column)
    return lookup


def _mapped(kind: Kind, cells: list[str | None]) -> set[str]:
    lookup = header_lookup(kind.jenis)
    return {lookup[n] for c in cells if c and (n := contract.normalise_header(c)) in lookup}


def _fit(kind: Kind, cells: list[str | None]) -> tuple[float, int]:
    """How well a row fits a kind as its header: (share of required columns, columns matched)."""
    found = _mapped(kind, cells)
    required = set(kind.required)
    return len(found & required) / len(required), len(found)


def _qualifies(kind: Kind, cells: list[str | None]) -> bool:
    found = _mapped(kind, cells) & set(kind.required)
    return len(found) >= max(2, math.ceil(len(kind.required) / 2))


def _renamed_columns(raw_header: list[str | None], header: list[str]) -> list[str]:
    """Columns read through a synonym, so the office can match the feedback's column names."""
    return [
        f"kolom '{raw}' dibaca sebagai {name}"
        for raw, name in zip(raw_header, header, strict=True)
        if name and contract.normalise_header(raw) != name
    ]


def map_header(kind: Kind, raw_header: list[str | None]) -> tuple[list[str], list[str]]:
    """Header cells → contract column names ("" when unknown), and the required ones missing."""
    lookup = header_lookup(kind.jenis)
    header = [lookup.get(contract.normalise_header(h), "") for h in raw_header]
    seen: dict[str, str] = {}
    for raw, name in zip(raw_header, header, strict=True):
        if name and name in seen:
            raise Rejected(
                f"kolom {name} muncul dua kali ('{seen[name]}' dan '{raw}'); hapus salah satunya"
            )
        if name:
            seen[name] = str(raw)
    return header, [c for c in kind.required if c not in header]


# -- sources: every format as rows of text cells ----------------------------------------------


@dataclass
class Sheet:
    name: str | None
    rows: Iterator[Row]


@dataclass
class CsvLayout:
    """What the columnar reader needs to read a CSV's data rows without Python per row.

    ``lines_after`` maps each of the first records to the physical lines read up to its end
    (a quoted line break makes a record longer than one line), so the reader can skip the
    title and header rows exactly.
    """

    path: Path
    encoding: str
    delimiter: str
    lines_after: dict[int, int] = field(default_factory=dict)


@dataclass
class Source:
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)
    close: Callable[[], None] = lambda: None
    csv: CsvLayout | None = None


def _text_cells(cells: list[str]) -> list[str | None]:
    return [c if c.strip() else None for c in cells]


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; checked over the whole file, streaming."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise Rejected("berkas CSV tersimpan sebagai UTF-16; simpan ulang sebagai 'CSV UTF-8'")
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as fh:
                for block in iter(lambda fh=fh: fh.read(MIB), b""):
                    if b"\x00" in block:
                        raise Rejected(
                            "berkas berisi data biner, bukan teks CSV; simpan ulang dari Excel "
                            "sebagai 'CSV UTF-8'"
                        )
                    decoder.decode(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise Rejected(
        "berkas CSV tidak dapat dibaca sebagai teks UTF-8 atau Windows-1252; "
        "simpan ulang sebagai 'CSV UTF-8'"
    )


def _sniff_delimiter(sample: str, candidates: list[Kind]) -> str:
    """The delimiter under which some row of the sample reads best as a header of a kind."""

    def score(delimiter: str) -> tuple[tuple[float, int], int]:
        try:
            records = list(
                itertools.islice(csv.reader(io.StringIO(sample), delimiter=delimiter), 40)
            )
        except csv.Error:
            records = []
        fits = [_fit(k, _text_cells(r)) for r in records for k in candidates]
        first_lines = "\n".join(sample.splitlines()[:5])
        return max(fits, default=(0.0, 0)), first_lines.count(delimiter)

    return max([",", ";", "\t"], key=score)


def read_csv(path: Path, candidates: list[Kind]) -> Source:
    encoding = _csv_encoding(path)
    with path.open("r", encoding=encoding, newline="") as fh:
        sample = fh.read(64 * 1024)
    delimiter = _sniff_delimiter(sample, candidates)
    layout = CsvLayout(path, encoding, delimiter)

    def rows() -> Iterator[Row]:
        with path.open("r", encoding=encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            try:
                for number, cells in enumerate(reader, start=1):
                    if number <= HEADER_SCAN_ROWS + 2:
                        layout.lines_after[number] = reader.line_num
                    yield number, _text_cells(cells)
            except csv.Error as exc:
                if "field limit" in str(exc):
                    raise Rejected(
                        f"berkas CSV: sel di sekitar baris {reader.line_num} lebih panjang dari "
                        f'{csv.field_size_limit()} karakter; periksa tanda kutip (") yang '
                        "tidak ditutup"
                    ) from exc
                raise Rejected(f"berkas CSV rusak sekitar baris {reader.line_num}: {exc}") from exc

    sheet = Sheet(None, rows())
    notes = ["berkas CSV dibaca dengan pengodean Windows-1252"] if encoding == "cp1252" else []
    return Source([sheet], notes, sheet.rows.close, layout)


def _xlsx_cell(cell: object) -> str | None:
    """An openpyxl read-only cell as text; numbers become :class:`NumberCell`."""
    value = getattr(cell, "value", None)
    if value is None:
        return None
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        fmt = str(getattr(cell, "number_format", "") or "").upper()
        return parsing.number_cell(value, scientific="E+" in fmt or "E-" in fmt)
    return str(value)


def _check_zip(path: Path) -> None:
    """Refuse a workbook that would inflate past the limit, before openpyxl opens it."""
    limit = limits()["xlsx"]
    corrupt = "berkas XLSX rusak atau bukan berkas Excel (.xlsx) yang sah"
    with _library_guard(corrupt), zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    if any(info.flag_bits & 0x1 for info in infos):
        raise Rejected("berkas Excel dilindungi kata sandi; simpan ulang tanpa kata sandi")
    total = sum(info.file_size for info in infos)
    if total > limit or len(infos) > 10_000:
        raise Rejected(
            f"berkas XLSX terlalu besar setelah dibuka ({total / MIB:.1f} MiB, batasnya "
            f"{limit // MIB} MiB); pecah menjadi beberapa berkas atau kirim sebagai CSV"
        )


def read_xlsx(path: Path, candidates: list[Kind]) -> Source:
    import openpyxl

    _check_zip(path)
    corrupt = "berkas XLSX rusak atau bukan berkas Excel (.xlsx) yang sah"
    with _library_guard(corrupt):
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        worksheets = list(workbook.worksheets)

    def rows(ws) -> Iterator[Row]:
        with _library_guard(corrupt + f" (lembar '{ws.title}' tidak dapat dibaca)"):
            ws.reset_dimensions()
            number = 0
            for cells in ws.iter_rows():
                number = next((c.row for c in cells if getattr(c, "row", None)), number + 1)
                yield number, [_xlsx_cell(c) for c in cells]

    sheets = [Sheet(ws.title, rows(ws)) for ws in worksheets]

    def close() -> None:
        for sheet in sheets:
            sheet.rows.close()
        workbook.close()

    if not sheets:
        close()
        raise Rejected("berkas XLSX tidak berisi lembar kerja")
    return Source(sheets, [], close)


def _json_cell(value: object, number: int, key: str) -> str | None:
    if isinstance(value, str) and "\x00" in value:
        # PostgreSQL text cannot hold NUL; a CSV with NUL is refused as binary the same way
        raise Rejected(
            f"objek ke-{number - 1}: nilai '{key}' berisi karakter NUL (\\u0000); hapus "
            "karakter itu lalu kirim ulang"
        )
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int | float):
        return parsing.number_cell(value)
    raise Rejected(
        f"objek ke-{number - 1}: nilai '{key}' berupa daftar atau objek bersarang; setiap nilai "
        "harus teks, angka, true/false atau null"
    )


def read_json(path: Path, candidates: list[Kind]) -> Source:
    """An array of flat objects; row 1 is the (virtual) header, object i is row i + 1."""
    if path.stat().st_size > limits()["json"]:
        raise Rejected(
            f"berkas JSON melebihi batas {limits()['json'] // MIB} MiB; kirim sebagai CSV"
        )
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise Rejected("berkas JSON harus ber-pengodean UTF-8") from exc
    except RecursionError as exc:
        raise Rejected("berkas JSON bersarang terlalu dalam; kirim larik objek datar") from exc
    except ValueError as exc:
        if "integer string conversion" in str(exc):
            raise Rejected(
                "berkas JSON berisi angka yang terlalu panjang (lebih dari 4.300 digit); "
                "tulis kode dan angka sebagai teks yang wajar"
            ) from exc
        raise Rejected(f"berkas JSON tidak sah: {exc}") from exc
    if not isinstance(data, list):
        raise Rejected(
            "berkas JSON harus berupa larik (array) objek, satu objek per baris, dengan kunci "
            "sesuai nama kolom templat"
        )
    if not data:
        raise Rejected("berkas kosong: larik JSON tidak berisi objek")
    keys: dict[str, None] = {}
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise Rejected(f"elemen ke-{i} larik JSON bukan objek; setiap elemen harus objek")
        keys.update(dict.fromkeys(item))
    header = list(keys)

    def rows() -> Iterator[Row]:
        yield 1, list(header)
        for i, item in enumerate(data, start=2):
            yield i, [_json_cell(item.get(k), i, k) for k in header]

    return Source([Sheet(None, rows())])


READERS: dict[str, Callable[[Path, list[Kind]], Source]] = {
    "csv": read_csv,
    "xlsx": read_xlsx,
    "json": read_json,
}


def _check_bytes(path: Path, ext: str) -> None:
    """Refuse, by size and first bytes, what no reader should open."""
    size = path.stat().st_size
    limit = limits()["berkas"]
    if size > limit:
        raise Rejected(
            f"berkas terlalu besar ({size / MIB:.1f} MiB); batasnya {limit // MIB} MiB. "
            "Pecah menjadi beberapa berkas"
        )
    if size == 0:
        raise Rejected("berkas kosong: tidak ada baris judul kolom maupun data")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE2_MAGIC):
        raise Rejected(
            "berkas Excel dilindungi kata sandi (terenkripsi) atau berformat Excel lama (.xls); "
            "buka kata sandinya lalu simpan ulang sebagai .xlsx"
        )
    if ext == "xlsx" and not head.startswith(b"PK"):
        raise Rejected("berkas XLSX rusak atau bukan berkas Excel (.xlsx) yang sah")
    if ext != "xlsx" and head.startswith(b"PK\x03\x04"):
        raise Rejected(f"berkas ini berformat Excel/ZIP, bukan .{ext}; kirim dengan akhiran .xlsx")


# -- finding the table ------------------------------------------------------------------------


@dataclass
class Table:
    """The data table found in a sheet: its kind, header and the rows below it."""

    kind: Kind | None
    raw_header: list[str | None]
    header_row: int
    titles: list[str]
    rows: Iterator[Row]
    sheet: str | None
    fit: tuple[float, int]
    notes: list[str] = field(default_factory=list)
    data_start: int | None = None
    """Record number of the first row below the header (title and header rows above it)."""


def _is_empty(cells: list[str | None]) -> bool:
    return all(c is None or not str(c).strip() for c in cells)


def _header_kind(cells: list[str | None], candidates: list[Kind]) -> Kind | None:
    """The kind whose header this row is (enough required columns), or None; a tie rejects."""
    fits = sorted((_fit(k, cells), k.jenis) for k in candidates if _qualifies(k, cells))
    if len(fits) > 1 and fits[-1][0] == fits[-2][0]:
        raise Rejected(
            "jenis berkas tidak dapat dipastikan: judul kolomnya cocok sama baiknya dengan "
            f"{fits[-1][1]} dan {fits[-2][1]}; beri nama berkas sesuai pola {POLA_NAMA}"
        )
    return contract.get_kind(fits[-1][1]) if fits else None


def _combine(top: list[str | None], sub: list[str | None]) -> list[str | None]:
    """A two-row header of merged cells: "Tenaga Kerja" over "Laki-laki" → one header."""
    out: list[str | None] = []
    parent: str | None = None
    for j in range(max(len(top), len(sub))):
        upper = top[j] if j < len(top) else None
        lower = sub[j] if j < len(sub) else None
        if upper:
            parent = upper
        out.append(f"{parent} {lower}" if lower and parent else lower or upper)
    return out


_NUMBERING = re.compile(r"\(?[0-9]{1,2}\)?")


def _is_numbering(cells: list[str | None], header: list[str | None]) -> bool:
    """The "(1) (2) (3)" row that government forms put under the header."""
    filled = [str(c).strip() for c in cells if c and str(c).strip()]
    named = sum(1 for h in header if h)
    return len(filled) >= max(2, named // 2) and all(_NUMBERING.fullmatch(c) for c in filled)


def _scan(sheet: Sheet, candidates: list[Kind]) -> Table | None:
    """Find the header in the first rows: the first that maps enough columns of a kind."""
    buffer = list(itertools.islice(sheet.rows, HEADER_SCAN_ROWS + 2))
    filled = [(i, n, c) for i, (n, c) in enumerate(buffer) if not _is_empty(c)]
    if not filled:
        return None
    chosen = next(
        (
            (i, n, c, kind)
            for i, n, c in filled[:HEADER_SCAN_ROWS]
            if (kind := _header_kind(c, candidates))
        ),
        None,
    )
    if chosen is None:  # no header found: the first row, so the rejection names what is missing
        i, n, cells = filled[0]
        kind = candidates[0] if len(candidates) == 1 else None
        fit = _fit(kind, cells) if kind else (0.0, 0)
        rest = itertools.chain(buffer[i + 1 :], sheet.rows)
        return Table(kind, cells, n, [], rest, sheet.name, (-1.0, fit[1]))
    i, n, header, kind = chosen
    titles = [str(c) for _, cells in buffer[:i] for c in cells if c]
    skip, notes = 1, []
    below = buffer[i + 1][1] if i + 1 < len(buffer) else []
    combined = _combine(header, below)
    if below and _fit(kind, combined)[1] > _fit(kind, header)[1]:
        header, skip = combined, 2
        notes.append(f"judul kolom dibaca dari dua baris (baris {n} dan {n + 1}, sel bergabung)")
    elif below and _is_numbering(below, header):
        skip = 2
        notes.append(f"baris {n + 1} berisi nomor kolom dan dilewati")
    rest = itertools.chain(buffer[i + skip :], sheet.rows)
    return Table(kind, header, n, titles, rest, sheet.name, _fit(kind, header), notes, n + skip)


def locate_table(source: Source, candidates: list[Kind]) -> Table:
    """The table of the best-matching sheet (several sheets: the one that fits a kind)."""
    tables = [t for s in source.sheets if (t := _scan(s, candidates)) is not None]
    if not tables:
        raise Rejected("berkas kosong: tidak ada baris judul kolom maupun data")
    best = max(tables, key=lambda t: t.fit)
    if best.kind is None:
        raise Rejected(
            f"nama berkas tidak sesuai pola {POLA_NAMA}, dan jenisnya tidak dapat dikenali dari "
            "judul kolom; gunakan judul kolom templat"
        )
    alike = [  # sheets with a real header of this kind (fit -1 means no header was found)
        t.sheet
        for t in tables
        if t.kind is not None and t.kind.jenis == best.kind.jenis and t.fit[0] >= 0
    ]
    if len(alike) > 1:
        # Which sheet is the period of the file? Guessing could load January as March.
        raise Rejected(
            f"berkas berisi {len(alike)} lembar data {best.kind.jenis} ("
            + ", ".join(f"'{name}'" for name in alike)
            + "); kirim satu lembar data per berkas, satu berkas per periode"
        )
    if best.sheet is not None:
        others = [s.name for s in source.sheets if s.name != best.sheet]
        note = f"data dibaca dari lembar '{best.sheet}'"
        if others:
            note += " (lembar lain diabaikan: " + ", ".join(f"'{o}'" for o in others) + ")"
        best.notes.insert(0, note)
    if best.titles:
        best.notes.append(f"baris {best.header_row} dipakai sebagai judul kolom")
    return best


# -- region codes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Padanan:
    """The Kemendagri crosswalk: current codes, older editions' codes, BPS codes."""

    current: frozenset[str]
    old: dict[str, tuple[str, str]]
    """old code (not current, one meaning) → (current code, edition)."""
    bps: dict[str, str]
    """BPS code that is neither a current nor an old Kemendagri code → current code."""
    names: dict[str, str]


@functools.cache
def _load_padanan(path: Path, mtime: float) -> Padanan | None:
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    current = frozenset(r["kode_kemendagri"] for r in records)
    names = {r["kode_kemendagri"]: r["nama"] for r in records}
    old_meanings: dict[str, set[tuple[str, str]]] = {}
    for r in records:
        for edition in ("2023", "2022"):
            code = r.get(f"kode_kemendagri_{edition}") or ""
            if code and code not in current:
                old_meanings.setdefault(code, set()).add((r["kode_kemendagri"], edition))
    old = {}
    for code, meanings in old_meanings.items():
        targets = {m[0] for m in meanings}
        if len(targets) == 1:  # the same unit in both editions, or only in one
            old[code] = (targets.pop(), "/".join(sorted({m[1] for m in meanings})))
    bps = {
        r["kode_bps"]: r["kode_kemendagri"]
        for r in records
        if r["kode_bps"] and r["kode_bps"] not in current and r["kode_bps"] not in old_meanings
    }
    return Padanan(current, old, bps, names)


def load_padanan(reference_dir: Path | None = None) -> Padanan | None:
    """The crosswalk from ``<reference_dir>/wilayah_padanan_kode.csv`` (None when absent)."""
    path = (reference_dir or get_settings().reference_dir) / PADANAN_FILE
    return _load_padanan(path, path.stat().st_mtime if path.exists() else 0.0)


def _region(code: str, padanan: Padanan) -> tuple[str | None, parsing.Galat | None, bool]:
    """(value to keep, error or warning, translated?) for a code that is not a current one."""
    if code in padanan.old:
        new, edition = padanan.old[code]
        reason = (
            f"kode {code} adalah kode Kemendagri edisi {edition} untuk {padanan.names[new]}; "
            f"sejak penataan wilayah kodenya {new}. Nilai diganti otomatis menjadi {new}; "
            "gunakan kode baru pada kiriman berikutnya"
        )
        return new, parsing.Galat("kode_wilayah_lama", reason), True
    if code in padanan.bps:
        kemendagri = padanan.bps[code]
        name = padanan.names[kemendagri]
        reason = (
            f"{code} bukan kode wilayah Kemendagri yang berlaku, tetapi sama dengan kode BPS "
            f"untuk {name}, yang kode Kemendagri-nya {kemendagri}. Kode BPS tidak diterjemahkan "
            f"otomatis; isi {kemendagri} bila memang wilayah itu yang dimaksud"
        )
        return None, parsing.Galat("kode_bps", reason), False
    return code, None, False


def translate_regions(values: pa.Array, padanan: Padanan | None) -> tuple[pa.Array, Kolom, Kolom]:
    """Region codes → (values, errors, warnings): old codes translated, BPS codes refused."""
    none = pa.nulls(len(values), pa.string())
    empty = Kolom(none, none, none)
    if padanan is None:
        return values, empty, empty
    todo = pc.fill_null(
        pc.invert(pc.is_in(values, value_set=pa.array(sorted(padanan.current)))), False
    )
    if not pc.any(todo).as_py():
        return values, empty, empty
    idx = pc.indices_nonzero(todo)
    results = [_region(v, padanan) for v in pc.take(values, idx).to_pylist()]
    kept = pc.replace_with_mask(values, todo, pa.array([r[0] for r in results], pa.string()))

    def kolom(translated: bool) -> Kolom:
        galat = [r[1] if r[1] and r[2] == translated else None for r in results]
        return Kolom(
            none,
            pc.replace_with_mask(none, todo, pa.array([g and g.kode for g in galat], pa.string())),
            pc.replace_with_mask(
                none, todo, pa.array([g and g.alasan for g in galat], pa.string())
            ),
        )

    return kept, kolom(False), kolom(True)


# -- typing -----------------------------------------------------------------------------------


def _blank_to_null(arr: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _cell_rows(numbers: pa.Array, column: str, text: pa.Array, kolom: Kolom) -> pa.Table | None:
    bad = pc.is_valid(kolom.kode)
    if not pc.any(bad).as_py():
        return None
    idx = pc.indices_nonzero(bad)
    return pa.table(
        {
            "baris": pc.take(numbers, idx),
            "kolom": pa.array([column] * len(idx), pa.string()),
            "nilai": pc.take(text, idx),
            "kode_aturan": pc.take(kolom.kode, idx),
            "alasan": pc.take(kolom.alasan, idx),
        },
        schema=ERROR_SCHEMA,
    )


@dataclass
class Converted:
    batch: pa.RecordBatch
    errors: pa.Table
    warnings: pa.Table


Cells = tuple[pa.Array, pa.Array, pa.Array]
"""One column of a chunk: its text, and which cells the source stored as numbers / exponents."""


def convert_chunk(
    kind: Kind, header: list[str], chunk: list[Row], padanan: Padanan | None = None
) -> Converted:
    """Rows of text cells → a typed batch of the kind's columns, its bad cells and warnings."""
    numbers = pa.array([n for n, _ in chunk], pa.int32())

    def column(i: int) -> Cells:
        raw = [cells[i] if i < len(cells) else None for _, cells in chunk]
        return (
            pa.array(raw, pa.string()),
            pa.array([isinstance(c, NumberCell) for c in raw], pa.bool_()),
            pa.array([isinstance(c, ScientificCell) for c in raw], pa.bool_()),
        )

    return convert_columns(kind, header, numbers, column, padanan)


def convert_columns(
    kind: Kind,
    header: list[str],
    numbers: pa.Array,
    column: Callable[[int], Cells],
    padanan: Padanan | None = None,
) -> Converted:
    """Columns of text cells (``column(i)`` for header position i) → a typed batch of the
    kind's columns, its bad cells and warnings."""
    position = {name: i for i, name in enumerate(header) if name}
    n = len(numbers)
    absent: Cells = (
        pa.nulls(n, pa.string()),
        pa.array(np.zeros(n, dtype=bool)),
        pa.array(np.zeros(n, dtype=bool)),
    )
    arrays: dict[str, pa.Array] = {ROW_COLUMN: numbers}
    errors: list[pa.Table] = []
    warnings: list[pa.Table] = []
    for spec in kind.columns:
        i = position.get(spec.nama)
        raw, numeric, scientific = absent if i is None else column(i)
        text = _blank_to_null(raw)
        kolom = parsing.convert_fast(text, spec.tipe, numeric, scientific, spec.panjang)
        value = kolom.values
        found = [_cell_rows(numbers, spec.nama, text, kolom)]
        if spec.wilayah:
            value, bad, warned = translate_regions(value, padanan)
            found.append(_cell_rows(numbers, spec.nama, text, bad))
            warnings += [t for t in [_cell_rows(numbers, spec.nama, text, warned)] if t]
        errors += [t for t in found if t]
        arrays[spec.nama] = value
    if "skala_menurut_aturan" in {c.nama for c in kind.derived}:
        arrays["skala_menurut_aturan"] = rules.skala_menurut_aturan(
            arrays["tenaga_kerja_laki"], arrays["tenaga_kerja_perempuan"], arrays["nilai_investasi"]
        )
    batch = pa.RecordBatch.from_pydict(arrays, schema=kind.arrow_schema())

    def table(parts: list[pa.Table]) -> pa.Table:
        return pa.concat_tables(parts) if parts else ERROR_SCHEMA.empty_table()

    return Converted(batch, table(errors), table(warnings))


def to_batch(kind: Kind, header: list[str], chunk: list[Row]) -> tuple[pa.RecordBatch, pa.Table]:
    """Rows of text cells → a typed batch and the cells that failed (no region crosswalk)."""
    converted = convert_chunk(kind, header, chunk)
    return converted.batch, converted.errors


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for number, cells in rows:
        if _is_empty(cells):
            continue  # an empty row is not data; numbering of the next rows stays the office's
        chunk.append((number, cells))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- kind and period --------------------------------------------------------------------------


def _candidates(path: Path, name: FileName | None) -> tuple[list[Kind], bool]:
    """Kinds the file may be, and whether the file name settled it."""
    all_kinds = contract.kinds()
    if name and name.jenis in all_kinds:
        return [all_kinds[name.jenis]], True
    stem = contract.normalise_header(path.stem)
    named = [k for j, k in all_kinds.items() if j in stem]
    return (named or list(all_kinds.values())), False


def _periods_in(text: str, kind: Kind) -> set[str]:
    """Periods a title or file name mentions ("TAHUN 2023", "Mei 2024", "2024-05")."""
    text = text.lower()
    if kind.pola_periode == "bulanan":
        found = {f"{y}-{m}" for y, m in re.findall(r"\b(20[0-9]{2})[-_/.](0[1-9]|1[0-2])\b", text)}
        found |= {f"{y}-{m}" for m, y in re.findall(r"\b(0[1-9]|1[0-2])[-_/.](20[0-9]{2})\b", text)}
        for month, year in re.findall(r"([a-z]+)[\s_-]+(20[0-9]{2})\b", text):
            if month in parsing.BULAN:
                found.add(f"{year}-{parsing.BULAN[month]:02d}")
        return found
    tahun = set(re.findall(r"tahun(?:\s+anggaran)?[\s_:]*((?:19|20)[0-9]{2})\b", text))
    return tahun or set(re.findall(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])", text))


def _date_column(kind: Kind) -> str | None:
    return next((c.nama for c in kind.columns if c.tipe == "tanggal" and c.wajib), None)


def _period(kind: Kind, path: Path, name: FileName | None, table: Table) -> tuple[str | None, str]:
    """The period from the file name, else the title rows, else a loose name; and its source."""
    if name and name.jenis == kind.jenis:
        if not kind.period_is_valid(name.periode):
            raise Rejected(
                f"periode '{name.periode}' tidak sesuai untuk {kind.jenis} "
                f"({'TTTT' if kind.pola_periode == 'tahunan' else 'TTTT-BB'})"
            )
        return name.periode, "nama berkas"
    for source, text in (("baris judul", " ".join(table.titles)), ("nama berkas", path.stem)):
        found = _periods_in(text, kind)
        if len(found) > 1:
            raise Rejected(
                f"periode tidak dapat dipastikan: {source} menyebut beberapa periode "
                f"({', '.join(sorted(found))}); beri nama berkas sesuai pola {POLA_NAMA}"
            )
        if found:
            return found.pop(), source
    return None, ""


def _period_from_years(kind: Kind, years: set[int]) -> str:
    column = _date_column(kind)
    if kind.pola_periode == "tahunan" and column and len(years) == 1:
        return str(years.pop())
    listed = ", ".join(map(str, sorted(years)))
    why = (
        f"tanggal pada kolom {column} mencakup beberapa tahun ({listed})"
        if column and len(years) > 1
        else "tidak ada baris judul atau kolom tanggal yang menyebut periodenya"
    )
    raise Rejected(
        f"periode berkas tidak dapat dipastikan: nama berkas tidak sesuai pola {POLA_NAMA} dan "
        f"{why}"
    )


# -- staging ----------------------------------------------------------------------------------


@dataclass
class _Written:
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    years: set[int] = field(default_factory=set)


def _write(kind: Kind, chunks: Iterator[Converted], paths: tuple[Path, Path, Path]) -> _Written:
    """Stream converted chunks into the three Parquet files."""
    date_column = _date_column(kind)
    written = _Written()
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    with (
        pq.ParquetWriter(paths[0], kind.arrow_schema()) as writer,
        pq.ParquetWriter(paths[1], ERROR_SCHEMA) as error_writer,
        pq.ParquetWriter(paths[2], ERROR_SCHEMA) as warning_writer,
    ):
        for converted in chunks:
            writer.write_batch(converted.batch)
            if converted.errors.num_rows:
                error_writer.write_table(converted.errors)
            if converted.warnings.num_rows:
                warning_writer.write_table(converted.warnings)
            written.rows += converted.batch.num_rows
            written.errors += converted.errors.num_rows
            written.warnings += converted.warnings.num_rows
            if date_column:
                years = pc.unique(pc.year(converted.batch.column(date_column))).to_pylist()
                written.years |= {y for y in years if y is not None}
    return written


def _row_chunks(
    kind: Kind, header: list[str], rows: Iterator[Row], padanan: Padanan | None, chunk_rows: int
) -> Iterator[Converted]:
    """Any source, row by row: cells gathered in Python, converted a chunk at a time."""
    for chunk in _chunks(rows, chunk_rows):
        yield convert_chunk(kind, header, chunk, padanan)


CSV_BLOCK_BYTES = 8 * MIB
"""Bytes of CSV the columnar reader parses at a time (memory stays bounded by a few blocks)."""


class NotColumnar(ValueError):
    """The CSV's data rows do not all have the header's width; the row reader takes it."""


def _csv_chunks(
    kind: Kind,
    header: list[str],
    layout: CsvLayout,
    data_start: int,
    padanan: Padanan | None,
) -> Iterator[Converted]:
    """The data rows of a CSV through Arrow's reader: parsed in C++, streamed by blocks.

    Row numbers are the office's: records counted from the file's start, blank lines and
    quoted line breaks included, exactly as the row reader counts them. Ragged rows raise
    :class:`NotColumnar` (or Arrow's own error), and the caller reads the file row by row.
    """
    width = len(header)
    read = pacsv.ReadOptions(
        encoding="utf8" if layout.encoding.startswith("utf-8") else layout.encoding,
        skip_rows=layout.lines_after[data_start - 1],
        autogenerate_column_names=True,
        block_size=CSV_BLOCK_BYTES,
    )
    parse = pacsv.ParseOptions(
        delimiter=layout.delimiter, newlines_in_values=True, ignore_empty_lines=False
    )
    convert = pacsv.ConvertOptions(
        column_types={f"f{i}": pa.string() for i in range(width)},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    number = data_start
    with pacsv.open_csv(
        layout.path, read_options=read, parse_options=parse, convert_options=convert
    ) as reader:
        for batch in reader:
            if batch.num_columns != width:
                raise NotColumnar(f"{batch.num_columns} columns, header has {width}")
            n = batch.num_rows
            numbers = pa.array(np.arange(number, number + n, dtype=np.int32))
            number += n
            empty = pc.equal(pc.utf8_trim_whitespace(batch.column(0)), "")
            for col in batch.columns[1:]:
                empty = pc.and_(empty, pc.equal(pc.utf8_trim_whitespace(col), ""))
            if pc.any(empty).as_py():  # an empty row is not data; the numbering goes on
                keep = pc.invert(empty)
                batch, numbers = batch.filter(keep), numbers.filter(keep)
            if batch.num_rows == 0:
                continue
            plain = pa.array(np.zeros(batch.num_rows, dtype=bool))

            def column(i: int, batch: pa.RecordBatch = batch, plain: pa.Array = plain) -> Cells:
                return batch.column(i), plain, plain

            yield convert_columns(kind, header, numbers, column, padanan)


def stage_file(
    path: Path,
    kind_hint: FileName | None,
    parquet_path: Path,
    errors_path: Path,
    warnings_path: Path,
    *,
    reference_dir: Path | None = None,
    chunk_rows: int = CHUNK_ROWS,
    columnar: bool = True,
) -> StageResult:
    """A landed file → typed Parquet, cell errors and warnings (no database).

    ``kind_hint`` is the parsed conventional file name, or None; without it the kind comes from
    the headers and the period from the title rows, the name or the dates. Raises
    :class:`Rejected` (and leaves no staged files) when the whole file cannot be taken.
    """
    paths = (parquet_path, errors_path, warnings_path)
    try:
        return _stage(path, kind_hint, paths, reference_dir, chunk_rows, columnar)
    except BaseException:
        for p in paths:
            p.unlink(missing_ok=True)
        raise


def _stage(
    path: Path,
    name: FileName | None,
    paths: tuple[Path, Path, Path],
    reference_dir: Path | None,
    chunk_rows: int,
    columnar: bool = True,
) -> StageResult:
    ext = name.ext if name else path.suffix.lower().lstrip(".")
    reader = READERS.get(ext)
    if reader is None:
        raise Rejected(f"format .{ext} tidak didukung; kirim .csv, .xlsx atau .json")
    _check_bytes(path, ext)
    candidates, named = _candidates(path, name)
    source = reader(path, candidates)
    try:
        table = locate_table(source, candidates)
        kind = table.kind
        if kind is None:  # pragma: no cover - locate_table rejects a table without a kind
            raise Rejected("jenis berkas tidak dikenali")
        header, missing = map_header(kind, table.raw_header)
        if missing:
            raise Rejected(
                "kolom wajib tidak ada: " + ", ".join(missing) + ". Gunakan judul kolom sesuai "
                "templat."
            )
        periode, period_source = _period(kind, path, name, table)
        notes = source.notes + table.notes + _unknown_columns(table.raw_header, header)
        notes += _renamed_columns(table.raw_header, header)
        padanan = load_padanan(reference_dir)
        written, columnar_used = None, False
        layout, start = source.csv, table.data_start
        if columnar and layout and start and start - 1 in layout.lines_after:
            try:
                written = _write(kind, _csv_chunks(kind, header, layout, start, padanan), paths)
                columnar_used = True
            except (NotColumnar, pa.ArrowInvalid):
                written = None  # ragged rows: the row reader below numbers them as it always has
        if written is None:
            written = _write(
                kind, _row_chunks(kind, header, table.rows, padanan, chunk_rows), paths
            )
    finally:
        source.close()
    if written.rows == 0:
        raise Rejected("berkas hanya berisi judul kolom, tanpa baris data")
    if periode is None:
        periode, period_source = _period_from_years(kind, written.years), "kolom tanggal"
    inferred = not (named and period_source == "nama berkas")
    if inferred:
        notes.append(
            f"nama berkas tidak sesuai pola {POLA_NAMA}: jenis '{kind.jenis}' disimpulkan dari "
            f"{'nama berkas' if named else 'judul kolom'} dan periode '{periode}' dari "
            f"{period_source}"
        )
    if written.warnings:
        notes.append(f"{written.warnings} kode wilayah lama diganti dengan kode yang berlaku")
    return StageResult(
        kind.jenis,
        periode,
        written.rows,
        notes,
        written.errors,
        written.warnings,
        inferred,
        columnar_used,
    )


def _unknown_columns(raw_header: list[str | None], header: list[str]) -> list[str]:
    return [
        f"kolom '{raw}' tidak dikenal dan diabaikan"
        for raw, name in zip(raw_header, header, strict=True)
        if raw and str(raw).strip() and not name
    ]


# -- the stage --------------------------------------------------------------------------------


def kind_hint(file_name: str) -> FileName | None:
    """The conventional file name, parsed, when it names a known kind; else None (inferred)."""
    name = contract.parse_file_name(file_name)
    return name if name and name.jenis in contract.kinds() else None


def open_landed(landing_dir: Path, rel_path: str) -> Path:
    """The landed file for ``rel_path``, refusing links and anything outside the landing tree."""
    root = landing_dir.resolve()
    candidate = root / rel_path
    if ".." in Path(rel_path).parts or Path(rel_path).is_absolute():
        raise Rejected("lokasi berkas di luar zona pendaratan")
    for parent in [candidate, *candidate.parents]:
        if parent == root:
            break
        if parent.is_symlink():
            raise Rejected("tautan simbolik tidak diproses; kirim berkas aslinya")
    if not candidate.resolve().is_relative_to(root):
        raise Rejected("lokasi berkas di luar zona pendaratan")
    try:
        mode = os.lstat(candidate).st_mode
    except FileNotFoundError as exc:
        raise Unreadable(
            "berkas tidak ditemukan lagi di zona pendaratan (dihapus atau dipindahkan setelah "
            "didaftar)"
        ) from exc
    except OSError as exc:
        reason = f"berkas tidak dapat dibaca dari zona pendaratan ({exc.strerror})"
        raise Unreadable(reason) from exc
    if stat.S_ISDIR(mode):
        raise Unreadable("berkas diganti dengan sebuah folder setelah didaftar")
    if not stat.S_ISREG(mode):
        raise Rejected("bukan berkas biasa")
    return candidate


def staged_paths(submission_id: int) -> tuple[Path, Path, Path]:
    """``<staging>/<id>.parquet``, ``<id>.galat.parquet`` (errors), ``<id>.peringatan.parquet``."""
    base = get_settings().staging_dir
    return (
        base / f"{submission_id}.parquet",
        base / f"{submission_id}.galat.parquet",
        base / f"{submission_id}.peringatan.parquet",
    )


def rules_version(kind: Kind | None) -> str:
    """The contract's rules version plus what extract reads besides it: parsing, synonyms, and
    the region crosswalk (a file re-extracts when any of them changes)."""
    digest = hashlib.sha256(
        (kind.rules_version() if kind else contract.rules_version_without_kind()).encode()
    )
    padanan = get_settings().reference_dir / PADANAN_FILE
    for path in (Path(parsing.__file__), SINONIM_PATH, padanan):
        digest.update(contract.file_digest(path) if path.exists() else b"-")
    return digest.hexdigest()[:16]


def extract(rel_path: str, force: bool = False) -> ExtractResult:
    """Register the landed file and stage it as Parquet (or reject it, with the reason).

    ``force`` stages it again even when the same bytes were finished under the same rules
    (a reprocess the data engineer asked for, e.g. after a fix outside the rules).
    """
    from etl import warehouse

    settings = get_settings()
    with warehouse.connect() as conn:
        submission_id, _ = audit.register(conn, rel_path)
        conn.commit()
        try:
            result = _extract(conn, settings.landing_dir, rel_path, submission_id, force)
        except Unreadable as exc:
            result = _unreadable(conn, submission_id, rel_path, str(exc))
        except Rejected as exc:
            audit.reject(conn, submission_id, str(exc))
            result = ExtractResult(submission_id, rel_path, "ditolak")
        except OSError as exc:
            if exc.errno is None:
                raise
            reason = f"berkas tidak dapat dibaca dari disk ({exc.strerror})"
            result = _unreadable(conn, submission_id, rel_path, reason)
        conn.commit()
    return result


def _unreadable(conn, submission_id: int, rel_path: str, reason: str) -> ExtractResult:
    """A file that cannot be read now: a system error the next run retries.

    A file an earlier run finished keeps its row and what it loaded (a disk that is briefly
    away must not withdraw a region's data); any other gets a ``galat_sistem`` rejection, so
    the day's run shows red (``publish.check_day``) and its re-run processes the file when it
    is back. Its staged files, if any were half written, are removed.
    """
    conn.rollback()  # whatever this attempt wrote to its row
    for p in staged_paths(submission_id):
        p.unlink(missing_ok=True)
    row = conn.execute(
        "select status, galat_sistem from audit.submission where submission_id = %s",
        (submission_id,),
    ).fetchone()
    log.warning("TIDAK TERBACA %s: %s", rel_path, reason)
    if row and row[0] in audit.TERMINAL and not row[1]:
        note = f"{reason}; hasil proses sebelumnya ({row[0]}) tetap berlaku"
        return ExtractResult(submission_id, rel_path, "tidak_terbaca", notes=[note])
    audit.reject(conn, submission_id, reason + UNREADABLE_SUFFIX, system=True)
    return ExtractResult(submission_id, rel_path, "ditolak", notes=[reason])


def _extract(
    conn, landing_dir: Path, rel_path: str, submission_id: int, force: bool = False
) -> ExtractResult:
    path = open_landed(landing_dir, rel_path)
    size = path.stat().st_size
    sha = audit.sha256_of(path)
    name = contract.parse_file_name(path.name)
    kind = contract.kinds().get(name.jenis) if name else None
    version = rules_version(kind)
    previous = conn.execute(
        "select sha256, versi_aturan, status, galat_sistem from audit.submission "
        "where submission_id = %s",
        (submission_id,),
    ).fetchone()
    # Same bytes, same rules, finished without a system error: the outcome cannot differ.
    if (
        not force
        and previous
        and previous[:2] == (sha, version)
        and previous[2] in audit.TERMINAL
        and not previous[3]
    ):
        return ExtractResult(submission_id, rel_path, "dilewati")
    audit.update(
        conn,
        submission_id,
        sha256=sha,
        ukuran_byte=size,
        jenis=kind.jenis if kind else None,
        periode=name.periode if kind and name else None,
        status="diproses",
        versi_aturan=version,
        galat_sistem=False,
    )
    parquet_path, errors_path, warnings_path = staged_paths(submission_id)
    staged = stage_file(
        path,
        kind_hint(path.name),
        parquet_path,
        errors_path,
        warnings_path,
        reference_dir=get_settings().reference_dir,
    )
    audit.update(
        conn,
        submission_id,
        jenis=staged.jenis,
        periode=staged.periode,
        jumlah_baris=staged.jumlah_baris,
        catatan=staged.notes,
    )
    return ExtractResult(
        submission_id,
        rel_path,
        "diekstrak",
        staged.jumlah_baris,
        str(parquet_path),
        str(errors_path),
        staged.notes,
        str(warnings_path),
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("extract", help="stage one landed file as Parquet")
    p.add_argument("path", help="path relative to the landing root: <date>/<office>/<file>")

    def run(args: argparse.Namespace) -> int:
        print(json.dumps(extract(args.path).as_xcom(), indent=2))
        return 0

    p.set_defaults(func=run)
