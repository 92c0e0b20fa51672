"""Extract: one landed file → a typed Arrow table staged as Parquet, plus its cell-level errors.

Readers stream: CSV with the ``csv`` module, XLSX with openpyxl's read-only mode, so memory is
bounded by the chunk size, not the file. Every cell is read as text first, then converted column
by column with Arrow compute; a value that does not convert becomes null in the table and an
error row (row, column, value, reason) that the validate stage quarantines.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl import audit, contract, rules
from etl.contract import ROW_COLUMN, Kind
from etl.settings import get_settings

CHUNK_ROWS = 50_000
MAX_FILE_BYTES = 512 * 1024 * 1024
ERROR_SCHEMA = pa.schema(
    [
        ("baris", pa.int32()),
        ("kolom", pa.string()),
        ("nilai", pa.string()),
        ("kode_aturan", pa.string()),
        ("alasan", pa.string()),
    ]
)
TYPE_ERRORS = {
    "desimal": "bukan angka yang sah; isi dengan angka, gunakan koma atau titik untuk desimal",
    "bilangan": "bukan bilangan bulat; isi dengan angka saja, tanpa titik, koma atau huruf",
    "rupiah": "bukan nilai rupiah yang sah; isi dengan angka rupiah bulat tanpa titik atau 'Rp'",
    "tanggal": "bukan tanggal yang sah; gunakan format TTTT-BB-HH, misalnya 2023-05-30",
}


class Rejected(Exception):
    """The whole file is rejected; the message is for the office, in Indonesian."""


@dataclass
class RawRows:
    header: list[str]
    rows: Iterator[tuple[int, list[str | None]]]
    sheet: str | None = None


@dataclass
class ExtractResult:
    submission_id: int
    path: str
    status: str  # "diekstrak", "dilewati" (unchanged and already done) or "ditolak"
    jumlah_baris: int = 0
    parquet: str | None = None
    errors: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_xcom(self) -> dict:
        """Ids, paths and counts only: what Airflow passes between tasks."""
        return {k: v for k, v in self.__dict__.items()}


# -- readers ----------------------------------------------------------------------------------


def _cell_text(value: object) -> str | None:
    """A spreadsheet cell as the text the office typed (integral floats lose their '.0')."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def read_csv(path: Path) -> RawRows:
    fh = path.open("r", encoding="utf-8-sig", newline="")
    try:
        sample = fh.read(64 * 1024)
        fh.seek(0)
    except UnicodeDecodeError as exc:
        fh.close()
        raise Rejected(
            "berkas CSV tidak dapat dibaca sebagai teks UTF-8; simpan ulang sebagai 'CSV UTF-8'"
        ) from exc
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        fh.close()
        raise Rejected("berkas kosong: tidak ada baris judul kolom maupun data") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        fh.close()
        raise Rejected(f"berkas CSV tidak dapat dibaca: {exc}") from exc

    def rows() -> Iterator[tuple[int, list[str | None]]]:
        try:
            for number, cells in enumerate(reader, start=2):
                yield number, [c if c != "" else None for c in cells]
        except (csv.Error, UnicodeDecodeError) as exc:
            raise Rejected(f"berkas CSV rusak sekitar baris {reader.line_num}: {exc}") from exc
        finally:
            fh.close()

    return RawRows(header, rows())


def read_xlsx(path: Path) -> RawRows:
    import zipfile

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise Rejected("berkas XLSX rusak atau bukan berkas Excel (.xlsx) yang sah") from exc
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header: list[str] | None = None
    number = 0
    for number, row in enumerate(cells, start=1):  # noqa: B007 - number is used after the loop
        if any(v not in (None, "") for v in row):
            header = [_cell_text(v) or "" for v in row]
            break
    if header is None:
        workbook.close()
        raise Rejected("berkas kosong: lembar pertama tidak berisi data")
    header_row = number

    def rows() -> Iterator[tuple[int, list[str | None]]]:
        try:
            for n, row in enumerate(cells, start=header_row + 1):
                yield n, [_cell_text(v) for v in row]
        finally:
            workbook.close()

    return RawRows(header, rows(), sheet=sheet.title)


READERS = {"csv": read_csv, "xlsx": read_xlsx}


# -- typing -----------------------------------------------------------------------------------


def _blank_to_null(arr: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _convert(text: pa.Array, tipe: str) -> tuple[pa.Array, pa.Array]:
    """Text column → (typed column, mask of cells that had a value that did not convert)."""
    if tipe in ("kode", "teks"):
        return text, pa.array([False] * len(text))
    if tipe in ("pilihan", "ya_tidak"):
        return pc.utf8_lower(text), pa.array([False] * len(text))
    if tipe in ("bilangan", "rupiah"):
        ok = pc.match_substring_regex(text, r"^-?[0-9]{1,18}$")
        value = pc.cast(pc.if_else(ok, text, pa.scalar(None, pa.string())), pa.int64())
    elif tipe == "desimal":
        ok = pc.match_substring_regex(text, r"^-?[0-9]{1,15}(\.[0-9]{1,6})?$")
        value = pc.cast(pc.if_else(ok, text, pa.scalar(None, pa.string())), pa.float64())
    elif tipe == "tanggal":
        ok = pc.match_substring_regex(text, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        parsed = pc.strptime(
            pc.if_else(ok, text, pa.scalar(None, pa.string())),
            format="%Y-%m-%d",
            unit="s",
            error_is_null=True,
        )
        value = pc.cast(parsed, pa.date32())
    else:  # pragma: no cover - the schema files are checked by tests
        raise ValueError(f"unknown column type {tipe}")
    bad = pc.and_(pc.is_valid(text), pc.is_null(value))
    return value, pc.fill_null(bad, False)


def to_batch(
    kind: Kind, header: list[str], chunk: list[tuple[int, list[str | None]]]
) -> tuple[pa.RecordBatch, pa.Table]:
    """Rows of text cells → a typed batch of the kind's columns, and the cells that failed."""
    position = {name: i for i, name in enumerate(header) if name}
    numbers = pa.array([n for n, _ in chunk], pa.int32())
    arrays: dict[str, pa.Array] = {ROW_COLUMN: numbers}
    errors: list[pa.Table] = []
    for column in kind.columns:
        i = position.get(column.nama)
        raw = [cells[i] if i is not None and i < len(cells) else None for _, cells in chunk]
        text = _blank_to_null(pa.array(raw, pa.string()))
        value, bad = _convert(text, column.tipe)
        arrays[column.nama] = value
        if pc.any(bad).as_py():
            idx = pc.indices_nonzero(bad)
            count = len(idx)
            errors.append(
                pa.table(
                    {
                        "baris": pc.take(numbers, idx),
                        "kolom": pa.array([column.nama] * count),
                        "nilai": pc.take(text, idx),
                        "kode_aturan": pa.array([f"tipe_{column.tipe}"] * count),
                        "alasan": pa.array([TYPE_ERRORS[column.tipe]] * count),
                    },
                    schema=ERROR_SCHEMA,
                )
            )
    if "skala_menurut_aturan" in {c.nama for c in kind.derived}:
        arrays["skala_menurut_aturan"] = rules.skala_menurut_aturan(
            arrays["tenaga_kerja_laki"], arrays["tenaga_kerja_perempuan"], arrays["nilai_investasi"]
        )
    batch = pa.RecordBatch.from_pydict(arrays, schema=kind.arrow_schema())
    error_table = pa.concat_tables(errors) if errors else ERROR_SCHEMA.empty_table()
    return batch, error_table


def map_header(kind: Kind, raw_header: list[str]) -> tuple[list[str], list[str]]:
    """Normalised header, and the columns it lacks that the contract requires."""
    header = [contract.normalise_header(h) for h in raw_header]
    missing = [c for c in kind.required if c not in header]
    return header, missing


def _chunks(
    rows: Iterator[tuple[int, list[str | None]]], size: int
) -> Iterator[list[tuple[int, list[str | None]]]]:
    chunk: list[tuple[int, list[str | None]]] = []
    for number, cells in rows:
        if all(c is None or not str(c).strip() for c in cells):
            continue  # an empty row is not data; numbering of the next rows stays the office's
        chunk.append((number, cells))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def write_staged(
    kind: Kind, raw: RawRows, parquet_path: Path, errors_path: Path, chunk_rows: int = CHUNK_ROWS
) -> tuple[int, list[str]]:
    """Stream ``raw`` into Parquet; return (data rows, notes for the feedback)."""
    header, missing = map_header(kind, raw.header)
    if missing:
        raise Rejected(
            "kolom wajib tidak ada: " + ", ".join(missing) + ". Gunakan judul kolom sesuai templat."
        )
    known = {c.nama for c in kind.columns}
    notes = [
        f"kolom '{h}' tidak dikenal dan diabaikan"
        for h, n in zip(raw.header, header, strict=True)
        if n and n not in known
    ]
    if raw.sheet:
        notes.insert(0, f"data dibaca dari lembar '{raw.sheet}'")
    parquet_path.parent.mkdir(parents=True, exist_ok=True)
    total = 0
    with (
        pq.ParquetWriter(parquet_path, kind.arrow_schema()) as writer,
        pq.ParquetWriter(errors_path, ERROR_SCHEMA) as error_writer,
    ):
        for chunk in _chunks(raw.rows, chunk_rows):
            batch, errors = to_batch(kind, header, chunk)
            writer.write_batch(batch)
            if errors.num_rows:
                error_writer.write_table(errors)
            total += batch.num_rows
    if total == 0:
        raise Rejected("berkas hanya berisi judul kolom, tanpa baris data")
    return total, notes


# -- the stage --------------------------------------------------------------------------------


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
    mode = os.lstat(candidate).st_mode
    if not stat.S_ISREG(mode):
        raise Rejected("bukan berkas biasa")
    return candidate


def staged_paths(submission_id: int) -> tuple[Path, Path]:
    base = get_settings().staging_dir
    return base / f"{submission_id}.parquet", base / f"{submission_id}.galat.parquet"


def extract(rel_path: str) -> ExtractResult:
    """Register the landed file and stage it as Parquet (or reject it, with the reason)."""
    from etl import warehouse

    settings = get_settings()
    with warehouse.connect() as conn:
        submission_id, _ = audit.register(conn, rel_path)
        conn.commit()
        try:
            result = _extract(conn, settings.landing_dir, rel_path, submission_id)
        except Rejected as exc:
            audit.reject(conn, submission_id, str(exc))
            result = ExtractResult(submission_id, rel_path, "ditolak")
        conn.commit()
    return result


def _extract(conn, landing_dir: Path, rel_path: str, submission_id: int) -> ExtractResult:
    path = open_landed(landing_dir, rel_path)
    size = path.stat().st_size
    sha = audit.sha256_of(path)
    name = contract.parse_file_name(path.name)
    kind = contract.kinds().get(name.jenis) if name else None
    rules_version = kind.rules_version() if kind else contract.rules_version_without_kind()
    previous = conn.execute(
        "select sha256, versi_aturan, status, galat_sistem from audit.submission "
        "where submission_id = %s",
        (submission_id,),
    ).fetchone()
    # Same bytes, same rules, finished without a system error: the outcome cannot differ.
    if (
        previous
        and previous[:2] == (sha, rules_version)
        and previous[2] in audit.TERMINAL
        and not previous[3]
    ):
        return ExtractResult(submission_id, rel_path, "dilewati")
    audit.update(
        conn,
        submission_id,
        sha256=sha,
        ukuran_byte=size,
        jenis=name.jenis if name else None,
        periode=name.periode if name else None,
        status="diproses",
        versi_aturan=rules_version,
        galat_sistem=False,
    )
    if name is None:
        raise Rejected(
            "nama berkas tidak sesuai pola <jenis>_<periode>.<csv|xlsx|json>, "
            "misalnya unit_ikm_2023.xlsx"
        )
    if kind is None:
        raise Rejected(
            f"jenis '{name.jenis}' tidak dikenal; jenis yang diterima: "
            + ", ".join(sorted(contract.kinds()))
        )
    if not kind.period_is_valid(name.periode):
        raise Rejected(
            f"periode '{name.periode}' tidak sesuai untuk {kind.jenis} "
            f"({'TTTT' if kind.pola_periode == 'tahunan' else 'TTTT-BB'})"
        )
    if size > MAX_FILE_BYTES:
        raise Rejected(
            f"berkas terlalu besar ({size // (1024 * 1024)} MiB); "
            f"batasnya {MAX_FILE_BYTES // (1024 * 1024)} MiB"
        )
    reader = READERS.get(name.ext)
    if reader is None:
        raise Rejected(f"format .{name.ext} belum didukung untuk {kind.jenis}")
    parquet_path, errors_path = staged_paths(submission_id)
    rows, notes = write_staged(kind, reader(path), parquet_path, errors_path)
    audit.update(conn, submission_id, jumlah_baris=rows, catatan=notes)
    return ExtractResult(
        submission_id, rel_path, "diekstrak", rows, str(parquet_path), str(errors_path), notes
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("extract", help="stage one landed file as Parquet")
    p.add_argument("path", help="path relative to the landing root: <date>/<office>/<file>")

    def run(args: argparse.Namespace) -> int:
        print(json.dumps(extract(args.path).as_xcom(), indent=2))
        return 0

    p.set_defaults(func=run)
