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
from etl.stages.s2_extract.errors import Rejected
from etl.stages.s2_extract.headers import map_header, renamed_columns, unknown_columns
from etl.stages.s2_extract.json_array import read_json
from etl.stages.s2_extract.period import candidate_kinds, date_column, period, period_from_years
from etl.stages.s2_extract.regions import Padanan, load_padanan
from etl.stages.s2_extract.size_limits import check_bytes
from etl.stages.s2_extract.sources import Row, Source
from etl.stages.s2_extract.table import locate_table
from etl.stages.s2_extract.xlsx import read_xlsx
from etl.warehouse.staging import CELL_SCHEMA

CHUNK_ROWS = 50_000
READERS: dict[str, Callable[[Path, list[Kind]], Source]] = {
    "csv": read_csv,
    "xlsx": read_xlsx,
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
    check_bytes(path, ext)
    candidates, named = candidate_kinds(path, name)
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
        periode, period_source = period(kind, path, name, table)
        notes = source.notes + table.notes + unknown_columns(table.raw_header, header)
        notes += renamed_columns(table.raw_header, header)
        padanan = load_padanan(reference_dir)
        written, columnar_used = None, False
        layout, start = source.csv, table.data_start
        if columnar and layout and start and start - 1 in layout.lines_after:
            try:
                written = _write(kind, csv_chunks(kind, header, layout, start, padanan), paths)
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
        periode, period_source = period_from_years(kind, written.years), "kolom tanggal"
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
