"""Extract, the second stage: one landed file → a typed Arrow table staged as Parquet, its cell
errors and its warnings.

Readers stream: CSV with Arrow's columnar reader (:mod:`.csv_columnar`) or row by row
(:mod:`.csv_rows`), XLSX with openpyxl's read-only mode (:mod:`.xlsx`), so memory is bounded
by the chunk size, not the file; XLS and ODS (:mod:`.xls_ods`, with calamine) and JSON
(:mod:`.json_array`) are read whole, under the size limits (:mod:`.size_limits`), each
workbook's grid measured first (:mod:`.ole2`). What a file really is, when its name says
otherwise (a web page saved as ``.xls``), is told from its bytes (:mod:`.sniff`); a workbook
made from the portal's template is read by its layout (:mod:`.template`). Every cell is read
as text first (cells the source stored as
numbers are marked: :class:`.cells.NumberCell`), the table and its header row are found
(:mod:`.table`) and
mapped to the contract's columns (:mod:`.headers`), the kind and period settled
(:mod:`.period`), then each column is converted (:mod:`.convert`, :mod:`.columns`,
:mod:`.cells`); a value that does not convert becomes null in the table and an error row (row,
column, value, rule, reason) that the validate stage quarantines. Old Kemendagri region codes
are translated with a warning row in the same shape (:mod:`.regions`).

Row numbers are those the office sees in its own file: the Excel row; for CSV the record number
(a quoted field with line breaks is one record); for JSON the object's 1-based index + 1, as if
row 1 were a header row.

:func:`stage_file` is the pure part (file → Parquet, no database, :mod:`.staged`);
:func:`extract` registers the file in ``audit.submission`` and calls it (:mod:`.stage`).
"""

from etl.stages.s2_extract.convert import convert_chunk, to_batch
from etl.stages.s2_extract.errors import Rejected, Unreadable
from etl.stages.s2_extract.headers import map_header
from etl.stages.s2_extract.size_limits import limits
from etl.stages.s2_extract.stage import (
    ExtractResult,
    extract,
    kind_hint,
    name_of,
    open_landed,
    register,
    unchanged_since_finished,
)
from etl.stages.s2_extract.staged import StageResult, stage_file

__all__ = [
    "ExtractResult",
    "Rejected",
    "StageResult",
    "Unreadable",
    "convert_chunk",
    "extract",
    "kind_hint",
    "limits",
    "map_header",
    "name_of",
    "open_landed",
    "register",
    "stage_file",
    "to_batch",
    "unchanged_since_finished",
]
