"""Excel 97-2003 (``.xls``) and LibreOffice Calc (``.ods``) workbooks read with calamine into
the sheets of numbered text rows the XLSX reader makes, so everything after reading is shared:
numbers marked (:func:`.cells.number_cell`, so a code Excel turned into a number is reported,
never repaired), dates as ISO dates, booleans ya/tidak, and a template's ``Data`` sheet alone
(:mod:`.template`).

calamine builds each sheet whole in memory, as a grid from its first to its last cell: a 6 KB
file with cells in A1 and IV65536 would take a gigabyte. So the grid each sheet spans is
measured before it is built (:mod:`.ole2` for XLS, :func:`ods_grid` for ODS) and a sheet of more
than :func:`max_cells` cells is refused. calamine does not expose number formats: a number shown
in scientific notation reads as the number it holds (XLSX reports it: :mod:`.xlsx`).
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from etl.contract import Kind
from etl.stages.s2_extract import ole2
from etl.stages.s2_extract.cells import workbook_cell
from etl.stages.s2_extract.errors import Rejected, library_guard
from etl.stages.s2_extract.size_limits import CORRUPT, check_zip, limits
from etl.stages.s2_extract.sources import Row, Sheet, Source
from etl.stages.s2_extract.template import template_sheets

CELL_BYTES = 40
"""XML bytes of a real XLSX cell (44 in a unit_ikm register): the grid may hold as many cells as
an XLSX within the inflated-size limit would, ``IKM_BATAS_XLSX_MB`` / 40 (5.2 million at 200)."""
ENCRYPTED = (
    "berkas dilindungi kata sandi (terenkripsi); buka kata sandinya, simpan ulang tanpa kata "
    "sandi sebagai .xlsx, lalu kirim ulang"
)


def max_cells() -> int:
    return limits()["xlsx"] // CELL_BYTES


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _check_grid(sheet: str | None, rows: int, cols: int) -> None:
    if rows * cols > max_cells():
        where = f"lembar '{sheet}'" if sheet else "salah satu lembar"
        raise Rejected(
            f"{where} terlalu besar: {_thousands(rows)} baris × {_thousands(cols)} kolom "
            f"({_thousands(rows * cols)} sel, batasnya {_thousands(max_cells())}); hapus isi di "
            "luar tabel, pecah menjadi beberapa berkas, atau kirim sebagai CSV"
        )


def _cell(value: object) -> str | None:
    """A calamine value as text, as :func:`.xlsx._xlsx_cell` makes an openpyxl one (calamine
    gives no number formats, so no number is marked as shown in exponent form)."""
    if isinstance(value, str):
        return value or None
    return workbook_cell(value)


# -- the grids sheets span, measured before calamine builds them --------------------------------

_TAG = re.compile(
    rb"<(?:table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])"
    rb"((?:[^<>\"']++|\"[^\"<]*+\"|'[^'<]*+')*+)>"  # possessive: no backtracking on bad XML
    rb"|/table:(table-row|table)>)"
)
_REPEAT = re.compile(rb"number-(?:rows|columns)-repeated\s*=\s*[\"']\s*([0-9]+)")
_NAME = re.compile(rb"table:name\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def ods_grid(content: IO[bytes], chunk: int = 1 << 22) -> tuple[str | None, int, int]:
    """The largest grid a table of ``content.xml`` spans: (its name, rows, columns).

    Read a chunk at a time, as calamine reads it: tables named ``table:``, rows and cells
    repeated by ``number-*-repeated``; a trailing run of empty rows or cells (LibreOffice writes
    one up to the sheet's last row) spans nothing. From row and column 1, so never less than
    calamine's grid. About 2.5 s for 100,000 rows of 20 cells.
    """
    largest: tuple[str | None, int, int] = (None, 0, 0)
    name, depth, row, rows, cols = None, 0, 0, 0, 0
    repeat, col, filled = 1, 0, False
    carry = b""
    while True:
        block = content.read(chunk)
        data, carry = carry + block, b""
        cut = data.rfind(b"<") if block else -1
        if cut >= 0:  # a tag may run on into the next chunk ("<" is never inside one)
            data, carry = data[:cut], data[cut:]
        for opened, attrs, closed in _TAG.findall(data):
            if closed == b"table":
                depth -= 1
                if depth == 0 and rows * cols > largest[1] * largest[2]:
                    largest = (name, rows, cols)
            elif closed:  # a row ends
                rows = row + repeat if filled else rows
                row += repeat
            elif opened == b"table":
                depth += 1
                if depth == 1:
                    found = _NAME.search(attrs)
                    name = html.unescape((found[1] or found[2]).decode()) if found else None
                    row, rows, cols = 0, 0, 0
            else:
                times = _REPEAT.search(attrs)
                n = int(times[1]) if times else 1
                if opened != b"table-row":  # a cell
                    if not attrs.endswith(b"/") or b"office:value-type" in attrs:
                        filled = True
                        cols = max(cols, col + n)
                    col += n
                elif attrs.endswith(b"/"):  # an empty row, written as one tag
                    row += n
                else:
                    repeat, col, filled = n, 0, False
        if not block:
            return largest


def _check_xls(path: Path) -> None:
    corrupt = CORRUPT["xls"]
    with path.open("rb") as fh, library_guard(corrupt):
        compound = ole2.Compound(fh)
        held = ole2.what_is(compound)
        if held == "terenkripsi":
            raise Rejected(ENCRYPTED)
        stream = ole2.workbook_stream(compound)
        if stream is None:
            raise Rejected(corrupt + " (tidak ada lembar kerja di dalamnya)")
        facts = ole2.workbook_facts(stream)
    if facts.encrypted:
        raise Rejected(ENCRYPTED)
    _check_grid(facts.grid_sheet, *facts.grid_shape)


def _check_ods(path: Path) -> None:
    check_zip(path, "ods")
    with (
        library_guard(CORRUPT["ods"]),
        zipfile.ZipFile(path) as archive,
        archive.open("content.xml") as content,
    ):
        name, rows, cols = ods_grid(content)
    _check_grid(name, rows, cols)


# -- reading ---------------------------------------------------------------------------------


def _read(path: Path, ext: str) -> Source:
    import python_calamine

    corrupt = CORRUPT[ext]
    with library_guard(corrupt):
        try:
            workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        except python_calamine.PasswordError as exc:
            raise Rejected(ENCRYPTED) from exc
        names = [
            m.name
            for m in workbook.sheets_metadata
            if m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]

    def rows(name: str) -> Iterator[Row]:
        with library_guard(corrupt + f" (lembar '{name}' tidak dapat dibaca)"):
            try:
                sheet = workbook.get_sheet_by_name(name)
            except python_calamine.PasswordError as exc:
                raise Rejected(ENCRYPTED) from exc
            _check_grid(name, sheet.height, sheet.width)
            # calamine yields rows from the sheet's first row, columns from its first used one
            for number, values in enumerate(sheet.iter_rows(), start=1):
                cells = [_cell(v) for v in values]
                if any(c is not None and "\x00" in c for c in cells):
                    raise Rejected(
                        f"baris {number} lembar '{name}' berisi karakter NUL; hapus karakter "
                        "itu lalu kirim ulang"
                    )
                yield number, cells

    try:
        names, metadata = template_sheets(names, rows)
    except BaseException:
        workbook.close()
        raise
    sheets = [Sheet(name, rows(name)) for name in names]

    def close() -> None:
        for sheet in sheets:
            sheet.rows.close()
        workbook.close()

    if not sheets:
        close()
        raise Rejected(f"berkas {ext.upper()} tidak berisi lembar kerja")
    return Source(sheets, [], close, metadata=metadata)


def read_xls(path: Path, candidates: list[Kind]) -> Source:
    """An Excel 97-2003 workbook (BIFF8 in an OLE2 compound file)."""
    _check_xls(path)
    return _read(path, "xls")


def read_ods(path: Path, candidates: list[Kind]) -> Source:
    """A LibreOffice Calc (OpenDocument) workbook."""
    _check_ods(path)
    return _read(path, "ods")
