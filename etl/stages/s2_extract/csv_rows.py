"""CSV read row by row (Python's ``csv``): any CSV an office's spreadsheet writes.

The encoding is UTF-8 (with or without BOM) or Windows-1252, checked over the whole file; the
delimiter is the one under which some row reads best as a header. Records are numbered as the
office counts them (a quoted line break does not start a new one), and the layout of the first
records is kept so that the columnar reader (:mod:`.csv_columnar`) can take over below the
header.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path

from etl.contract import Kind
from etl.stages.s2_extract.errors import Rejected
from etl.stages.s2_extract.headers import fit
from etl.stages.s2_extract.size_limits import MIB
from etl.stages.s2_extract.sources import (
    HEADER_SCAN_ROWS,
    CsvLayout,
    Row,
    Sheet,
    Source,
    text_cells,
)


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
        fits = [fit(k, text_cells(r)) for r in records for k in candidates]
        first_lines = "\n".join(sample.splitlines()[:5])
        return max(fits, default=(0.0, 0)), first_lines.count(delimiter)

    return max([",", ";", "\t"], key=score)


CELL_LIMIT = 131_072
"""The longest CSV cell read, in characters (Python's own default): a longer one is almost
always an unclosed quote swallowing the rest of the file. Set at each read, because the limit
is the whole process's and libraries change it on import (frictionless raises it to 20 MB), and
an Airflow worker runs many kinds of task in one process."""


def read_csv(path: Path, candidates: list[Kind]) -> Source:
    encoding = _csv_encoding(path)
    with path.open("r", encoding=encoding, newline="") as fh:
        sample = fh.read(64 * 1024)
    delimiter = _sniff_delimiter(sample, candidates)
    layout = CsvLayout(path, encoding, delimiter)

    def rows() -> Iterator[Row]:
        with path.open("r", encoding=encoding, newline="") as fh:
            csv.field_size_limit(CELL_LIMIT)
            reader = csv.reader(fh, delimiter=delimiter)
            try:
                for number, cells in enumerate(reader, start=1):
                    if number <= HEADER_SCAN_ROWS + 2:
                        layout.lines_after[number] = reader.line_num
                    yield number, text_cells(cells)
            except csv.Error as exc:
                if "field limit" in str(exc):
                    raise Rejected(
                        f"berkas CSV: sel di sekitar baris {reader.line_num} lebih panjang dari "
                        f'{CELL_LIMIT} karakter; periksa tanda kutip (") yang '
                        "tidak ditutup"
                    ) from exc
                raise Rejected(f"berkas CSV rusak sekitar baris {reader.line_num}: {exc}") from exc

    sheet = Sheet(None, rows())
    notes = ["berkas CSV dibaca dengan pengodean Windows-1252"] if encoding == "cp1252" else []
    return Source([sheet], notes, sheet.rows.close, layout)
