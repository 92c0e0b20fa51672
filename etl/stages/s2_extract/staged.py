"""A landed file → typed Parquet, its cell errors and its warnings: the pure part of extract.

No database: the file is read by the reader of its format, its table and kind found, its
header mapped, its period settled, and its rows converted a chunk at a time into
``<id>.parquet``, ``<id>.galat.parquet`` and ``<id>.peringatan.parquet``
(:mod:`etl.warehouse.staging`). Memory is bounded by the chunk, not the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from etl.contract import POLA_NAMA, FileName, Kind
from etl.stages.s2_extract.convert import Converted, chunks, convert_chunk
from etl.stages.s2_extract.csv_columnar import NotColumnar, csv_chunks
from etl.stages.s2_extract.csv_rows import read_csv
from etl.stages.s2_extract.errors import Rejected, Unreadable
from etl.stages.s2_extract.headers import map_header, renamed_columns, unknown_columns
from etl.stages.s2_extract.json_array import read_json
from etl.stages.s2_extract.period import candidate_kinds, date_column, period, period_from_years
from etl.stages.s2_extract.regions import Padanan, load_padanan
from etl.stages.s2_extract.size_limits import check_bytes
from etl.stages.s2_extract.sources import Row, Source
from etl.stages.s2_extract.table import Table, is_empty, locate_table
from etl.stages.s2_extract.template import (
    FROM_METADATA,
    settle,
    template_notes,
    template_table,
)
from etl.stages.s2_extract.xls_ods import read_ods, read_xls
from etl.stages.s2_extract.xlsx import read_xlsx
from etl.warehouse.staging import CELL_SCHEMA

CHUNK_ROWS = 50_000
READERS: dict[str, Callable[[Path, list[Kind]], Source]] = {
    "csv": read_csv,
    "xlsx": read_xlsx,
    "xls": read_xls,
    "ods": read_ods,
    "json": read_json,
}


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
    versi_templat: str | None = None
    """The portal template's version, of a workbook made from one (its ``_metadata``)."""


@dataclass
class _Written:
    rows: int = 0
    errors: int = 0
    warnings: int = 0
    years: set[int] = field(default_factory=set)


def _write(kind: Kind, chunks: Iterator[Converted], paths: tuple[Path, Path, Path]) -> _Written:
    """Stream converted chunks into the three Parquet files."""
    dated = date_column(kind)
    written = _Written()
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    with (
        pq.ParquetWriter(paths[0], kind.arrow_schema()) as writer,
        pq.ParquetWriter(paths[1], CELL_SCHEMA) as error_writer,
        pq.ParquetWriter(paths[2], CELL_SCHEMA) as warning_writer,
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
            if dated:
                years = pc.unique(pc.year(converted.batch.column(dated))).to_pylist()
                written.years |= {y for y in years if y is not None}
    return written


def _row_chunks(
    kind: Kind, header: list[str], rows: Iterator[Row], padanan: Padanan | None, chunk_rows: int
) -> Iterator[Converted]:
    """Any source, row by row: cells gathered in Python, converted a chunk at a time."""
    for chunk in chunks(rows, chunk_rows):
        yield convert_chunk(kind, header, chunk, padanan)


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
    kantor: str | None = None,
) -> StageResult:
    """A landed file → typed Parquet, cell errors and warnings (no database).

    ``kind_hint`` is the parsed conventional file name, or None; without it the kind comes from
    a template's metadata or the headers, and the period from the metadata, the title rows,
    the name or the dates. ``kantor`` is the sending office, when known (a template made for
    another is noted). Raises :class:`Rejected` (and leaves no staged files) when the whole
    file cannot be taken, with what was learnt of it (:class:`Rejected`'s attributes).
    """
    paths = (parquet_path, errors_path, warnings_path)
    try:
        return _stage(path, kind_hint, paths, reference_dir, chunk_rows, columnar, kantor)
    except BaseException:
        for p in paths:
            p.unlink(missing_ok=True)
        raise


@dataclass
class _Seen:
    """What staging learnt of a file so far: a rejection carries it to the file's record."""

    jenis: str | None = None
    periode: str | None = None
    versi_templat: str | None = None
    table: Table | None = None
    """The table found, while its rows are unread (a rejection then counts them)."""
    rows: int | None = None
    """Data rows written, once they all were."""


@dataclass
class _Found:
    kind: Kind
    table: Table
    header: list[str]
    periode: str | None
    period_source: str
    kind_source: str
    notes: list[str]


def _count(table: Table) -> int:
    """Non-empty rows below the header (all of them when no header was found)."""
    below = sum(1 for _, cells in table.rows if not is_empty(cells))
    return below + (1 if table.fit[0] < 0 else 0)


def _annotate(exc: Rejected, seen: _Seen, several_sheets: bool) -> None:
    """Give a rejection what is known of the file, and its data rows when they can be counted."""
    exc.jenis = exc.jenis or seen.jenis
    exc.periode = exc.periode or (seen.periode if exc.jenis == seen.jenis else None)
    exc.versi_templat = exc.versi_templat or seen.versi_templat
    if isinstance(exc, Unreadable) or exc.jumlah_baris is not None:
        return
    table = exc.header_table or seen.table
    if table is None:
        exc.jumlah_baris = seen.rows
        if seen.rows:
            exc.append(f"Berkas berisi {seen.rows} baris data, tidak satu pun dimuat")
        return
    try:
        rows = _count(table)
    except Rejected:  # the rest of the file is unreadable too: the first reason stands
        return
    exc.jumlah_baris = rows
    where = f" lembar '{table.sheet}'" if several_sheets and table.sheet else ""
    if table.fit[0] < 0:
        exc.append(
            f"Berkas berisi {rows} baris terisi{where}; tidak satu pun dikenali sebagai judul "
            "kolom, dan tidak satu pun dimuat"
        )
    else:
        exc.append(
            f"Berkas berisi {rows} baris data di bawah judul kolom (baris {table.header_row}"
            f"{where}), tidak satu pun dimuat"
        )


def _find(
    source: Source,
    path: Path,
    name: FileName | None,
    candidates: list[Kind],
    named: bool,
    kantor: str | None,
    seen: _Seen,
) -> _Found:
    """The file's table, its kind, mapped header and period (None: from the dates later)."""
    notes = list(source.notes)
    if source.metadata is not None:
        seen.versi_templat = source.metadata.get("versi_templat")
        kind, periode, period_source = settle(name, source.metadata)
        seen.jenis, seen.periode = kind.jenis, periode
        table = seen.table = template_table(source, kind)
        notes += template_notes(source.metadata, kind, kantor)
        kind_source = "nama berkas" if name else FROM_METADATA
    else:
        table = seen.table = locate_table(source, candidates)
        kind = table.kind
        if kind is None:  # pragma: no cover - locate_table rejects a table without a kind
            raise Rejected("jenis berkas tidak dikenali")
        seen.jenis, periode, period_source = kind.jenis, None, ""
        kind_source = "nama berkas" if named else "judul kolom"
    header, missing = map_header(kind, table.raw_header)
    if missing:
        raise Rejected(
            "kolom wajib tidak ada: " + ", ".join(missing) + ". Gunakan judul kolom sesuai templat."
        )
    if periode is None:
        periode, period_source = period(kind, path, name, table)
    seen.periode = periode
    notes += table.notes + unknown_columns(table.raw_header, header)
    notes += renamed_columns(table.raw_header, header)
    return _Found(kind, table, header, periode, period_source, kind_source, notes)


def _stage(
    path: Path,
    name: FileName | None,
    paths: tuple[Path, Path, Path],
    reference_dir: Path | None,
    chunk_rows: int,
    columnar: bool = True,
    kantor: str | None = None,
) -> StageResult:
    ext = name.ext if name else path.suffix.lower().lstrip(".")
    reader = READERS.get(ext)
    if reader is None:
        raise Rejected(f"format .{ext} tidak didukung; kirim .csv, .xlsx, .xls, .ods atau .json")
    check_bytes(path, ext)
    candidates, named = candidate_kinds(path, name)
    source = reader(path, candidates)
    seen = _Seen()
    try:
        found = _find(source, path, name, candidates, named, kantor, seen)
        kind, periode, period_source = found.kind, found.periode, found.period_source
        padanan = load_padanan(reference_dir)
        seen.table = None  # its rows are being read: a rejection now cannot count them
        written, columnar_used = None, False
        layout, start = source.csv, found.table.data_start
        if columnar and layout and start and start - 1 in layout.lines_after:
            try:
                written = _write(
                    kind, csv_chunks(kind, found.header, layout, start, padanan), paths
                )
                columnar_used = True
            except (NotColumnar, pa.ArrowInvalid):
                written = None  # ragged rows: the row reader below numbers them as it always has
        if written is None:
            rows = _row_chunks(kind, found.header, found.table.rows, padanan, chunk_rows)
            written = _write(kind, rows, paths)
        seen.rows = written.rows
        if written.rows == 0:
            raise Rejected("berkas hanya berisi judul kolom, tanpa baris data")
        if periode is None:
            periode, period_source = period_from_years(kind, written.years), "kolom tanggal"
    except Rejected as exc:
        _annotate(exc, seen, len(source.sheets) > 1)
        raise
    finally:
        source.close()
    notes = found.notes
    inferred = not (found.kind_source == "nama berkas" and period_source == "nama berkas")
    if inferred:
        how = "dibaca" if found.kind_source == FROM_METADATA else "disimpulkan"
        notes.append(
            f"nama berkas tidak sesuai pola {POLA_NAMA}: jenis '{kind.jenis}' {how} dari "
            f"{found.kind_source} dan periode '{periode}' dari {period_source}"
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
        seen.versi_templat,
    )
