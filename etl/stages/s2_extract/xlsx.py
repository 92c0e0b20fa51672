"""XLSX read with openpyxl's read-only mode, row by row, every sheet (only ``Data`` of a
workbook made from the portal's template: :mod:`.template`).

A workbook that would inflate past ``IKM_BATAS_XLSX_MB`` is refused before openpyxl opens it.
Cells the workbook stores as numbers are marked (:class:`.cells.NumberCell`), so that a code
Excel turned into a number is reported, never repaired; the number format is read too, so a
number shown in scientific notation (``1,23E+12``) is reported as such.

openpyxl, not calamine (which reads ``.xls`` and ``.ods``: :mod:`.xls_ods`), although calamine
reads every cell of a 100,000-row register in 1.1 s where openpyxl takes 26 s: calamine builds
each sheet whole in memory (177 MiB for that file, growing with it, against openpyxl's bounded
46 MiB) and does not expose number formats, so it cannot tell a code shown as ``1,23E+12``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from etl.contract import Kind
from etl.stages.s2_extract.cells import workbook_cell
from etl.stages.s2_extract.errors import Rejected, library_guard
from etl.stages.s2_extract.size_limits import CORRUPT, check_zip
from etl.stages.s2_extract.sources import Row, Sheet, Source
from etl.stages.s2_extract.template import template_sheets


def _xlsx_cell(cell: object) -> str | None:
    """An openpyxl read-only cell as text; numbers become :class:`NumberCell`, marked when
    their number format shows them in exponent form."""
    value = getattr(cell, "value", None)
    fmt = str(getattr(cell, "number_format", "") or "").upper() if value is not None else ""
    return workbook_cell(value, scientific="E+" in fmt or "E-" in fmt)


def read_xlsx(path: Path, candidates: list[Kind]) -> Source:
    import openpyxl

    check_zip(path, "xlsx")
    corrupt = CORRUPT["xlsx"]
    with library_guard(corrupt):
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        worksheets = {ws.title: ws for ws in workbook.worksheets}

    def rows(ws) -> Iterator[Row]:
        with library_guard(corrupt + f" (lembar '{ws.title}' tidak dapat dibaca)"):
            ws.reset_dimensions()
            number = 0
            for cells in ws.iter_rows():
                number = next((c.row for c in cells if getattr(c, "row", None)), number + 1)
                yield number, [_xlsx_cell(c) for c in cells]

    try:
        names, metadata = template_sheets(list(worksheets), lambda n: rows(worksheets[n]))
    except BaseException:
        workbook.close()
        raise
    sheets = [Sheet(name, rows(worksheets[name])) for name in names]

    def close() -> None:
        for sheet in sheets:
            sheet.rows.close()
        workbook.close()

    if not sheets:
        close()
        raise Rejected("berkas XLSX tidak berisi lembar kerja")
    return Source(sheets, [], close, metadata=metadata)
