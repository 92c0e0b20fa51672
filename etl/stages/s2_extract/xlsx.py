"""XLSX read with openpyxl's read-only mode, row by row, every sheet.

A workbook that would inflate past ``IKM_BATAS_XLSX_MB`` is refused before openpyxl opens it.
Cells the workbook stores as numbers are marked (:class:`.cells.NumberCell`), so that a code
Excel turned into a number is reported, never repaired.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path

from etl.contract import Kind
from etl.stages.s2_extract.cells import number_cell
from etl.stages.s2_extract.errors import Rejected, library_guard
from etl.stages.s2_extract.size_limits import MIB, limits
from etl.stages.s2_extract.sources import Row, Sheet, Source


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
        return number_cell(value, scientific="E+" in fmt or "E-" in fmt)
    return str(value)


def _check_zip(path: Path) -> None:
    """Refuse a workbook that would inflate past the limit, before openpyxl opens it."""
    limit = limits()["xlsx"]
    corrupt = "berkas XLSX rusak atau bukan berkas Excel (.xlsx) yang sah"
    with library_guard(corrupt), zipfile.ZipFile(path) as archive:
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
    with library_guard(corrupt):
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        worksheets = list(workbook.worksheets)

    def rows(ws) -> Iterator[Row]:
        with library_guard(corrupt + f" (lembar '{ws.title}' tidak dapat dibaca)"):
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
