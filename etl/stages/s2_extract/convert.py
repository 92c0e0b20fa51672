"""Cell conversion: a chunk of text cells → a typed Arrow batch of the kind's columns, and the
cells that did not convert (quarantined by validate) or converted with a warning.

Each column converts by its type (:mod:`.columns`, by the rules of :mod:`.cells`); region
codes go through the crosswalk (:mod:`.regions`); derived columns (the size class by
Permenperin 64/2016) are computed here, so the suites see them as columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.contract import ROW_COLUMN, Kind, skala_menurut_aturan
from etl.stages.s2_extract.cells import NumberCell, ScientificCell
from etl.stages.s2_extract.columns import Kolom, convert_fast
from etl.stages.s2_extract.regions import Padanan, translate_regions
from etl.stages.s2_extract.sources import Row
from etl.stages.s2_extract.table import is_empty
from etl.warehouse.staging import CELL_SCHEMA


def blank_to_null(arr: pa.Array) -> pa.Array:
    trimmed = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def cell_rows(numbers: pa.Array, column: str, text: pa.Array, kolom: Kolom) -> pa.Table | None:
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
        schema=CELL_SCHEMA,
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
        text = blank_to_null(raw)
        kolom = convert_fast(text, spec.tipe, numeric, scientific, spec.panjang)
        value = kolom.values
        found = [cell_rows(numbers, spec.nama, text, kolom)]
        if spec.wilayah:
            value, bad, warned = translate_regions(value, padanan)
            found.append(cell_rows(numbers, spec.nama, text, bad))
            warnings += [t for t in [cell_rows(numbers, spec.nama, text, warned)] if t]
        errors += [t for t in found if t]
        arrays[spec.nama] = value
    if "skala_menurut_aturan" in {c.nama for c in kind.derived}:
        arrays["skala_menurut_aturan"] = skala_menurut_aturan(
            arrays["tenaga_kerja_laki"], arrays["tenaga_kerja_perempuan"], arrays["nilai_investasi"]
        )
    batch = pa.RecordBatch.from_pydict(arrays, schema=kind.arrow_schema())

    def table(parts: list[pa.Table]) -> pa.Table:
        return pa.concat_tables(parts) if parts else CELL_SCHEMA.empty_table()

    return Converted(batch, table(errors), table(warnings))


def to_batch(kind: Kind, header: list[str], chunk: list[Row]) -> tuple[pa.RecordBatch, pa.Table]:
    """Rows of text cells → a typed batch and the cells that failed (no region crosswalk)."""
    converted = convert_chunk(kind, header, chunk)
    return converted.batch, converted.errors


def chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for number, cells in rows:
        if is_empty(cells):
            continue  # an empty row is not data; numbering of the next rows stays the office's
        chunk.append((number, cells))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
