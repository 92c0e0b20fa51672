"""CSV read by Arrow's columnar reader: parsed in C++, streamed in blocks, no Python per row.

It takes over below the header that the row reader found (:mod:`.csv_rows`), for a clean CSV
whose every data row has the header's width; anything ragged raises :class:`NotColumnar` and
the file is read row by row instead. Both readers stage identical Parquet (tested).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.contract import Kind
from etl.stages.s2_extract.convert import Cells, Converted, convert_columns
from etl.stages.s2_extract.regions import Padanan
from etl.stages.s2_extract.size_limits import MIB
from etl.stages.s2_extract.sources import CsvLayout

CSV_BLOCK_BYTES = 8 * MIB
"""Bytes of CSV the columnar reader parses at a time (memory stays bounded by a few blocks)."""


class NotColumnar(ValueError):
    """The CSV's data rows do not all have the header's width; the row reader takes it."""


def csv_chunks(
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
