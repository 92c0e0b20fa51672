"""The XLSX template an office downloads, made from the contract (openpyxl).

Sheets (names in :mod:`etl.contract.template`): ``Data``, the contract's headers on a locked
row 1 and every other cell open for typing; ``Petunjuk``, the instructions; ``_daftar``
(hidden), the drop-down lists too long for a validation formula; ``_metadata`` (very hidden),
what the template was made for and from, which extract records.

Formats, protection and validations are set on whole columns (``<col>`` styles and validation
ranges to Excel's last row) rather than cell by cell: the file stays a few tens of KiB however
many rows an office types, and a row the office inserts or pastes below gets them too.

Filled (``filled=True``): the same workbook with the office's rows in force for the period
(:func:`etl.portal.templat_gudang.rows_in_force`), so it corrects its register and sends it
back instead of retyping it.
"""

from __future__ import annotations

import argparse
import decimal
import io
import sys
from pathlib import Path
from typing import Any

import psycopg
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.worksheet import Worksheet

from etl.contract import Kind, kinds
from etl.contract.template import (
    DATA_SHEET,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    METADATA_KEYS,
    METADATA_SHEET,
    template_version,
)
from etl.portal import templat_gudang as gudang
from etl.portal.templat_aturan import (
    TEXT_FORMAT,
    ColumnRule,
    column_rules,
    describe,
)
from etl.portal.templat_petunjuk import (
    OPTIONAL_FILL,
    REQUIRED_FILL,
    Context,
    write_instructions,
)
from etl.portal.templat_validasi import MAX_ROW, Lists, validation

MAX_COLUMN = 16_384
UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)
HEADER_FONT = Font(bold=True)
HEADER_BORDER = Border(bottom=Side(style="thin"))
AUTHOR = "Kemenperin"


def template_file_name(jenis: str, periode: str | None) -> str:
    """The contract's name (``unit_ikm_2025.xlsx``); ``templat_<jenis>.xlsx`` without a period
    (the office renames it; extract still knows the kind by the name and the period by the
    dates, and the instructions say what to rename it to)."""
    kind = _kind(jenis)
    if periode is None:
        return f"templat_{kind.jenis}.xlsx"
    _check_period(kind, periode)
    return f"{kind.jenis}_{periode}.xlsx"


def _kind(jenis: str) -> Kind:
    try:
        return kinds()[jenis]
    except KeyError:
        known = ", ".join(sorted(kinds()))
        raise ValueError(f"jenis '{jenis}' tidak dikenal; pilihan: {known}") from None


def _check_period(kind: Kind, periode: str) -> None:
    if not kind.period_is_valid(periode):
        pattern = "TTTT-BB" if kind.pola_periode == "bulanan" else "TTTT"
        raise ValueError(f"periode '{periode}' tidak sesuai untuk {kind.jenis} ({pattern})")


def template_workbook(
    conn: psycopg.Connection,
    jenis: str,
    kantor: str | None,
    periode: str | None = None,
    *,
    filled: bool = False,
) -> bytes:
    """The template of ``jenis`` for office ``kantor`` (None: the ministry, every region), as
    XLSX bytes; ``filled``: with the office's rows in force for ``periode`` (required then)."""
    kind = _kind(jenis)
    if periode is not None:
        _check_period(kind, periode)
    if filled and periode is None:
        raise ValueError("templat berisi data memerlukan periode")
    office = gudang.office(conn, kantor)
    rules = column_rules(kind, gudang.parameters(conn, periode), office.kode)
    rows = gudang.rows_in_force(conn, kind, periode, office.kode) if filled and periode else None
    if rows is not None and len(rows) >= MAX_ROW:
        raise ValueError(
            f"{len(rows)} baris tidak muat dalam satu lembar Excel; unduh per kantor wilayah"
        )
    edition = gudang.edition(conn)

    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET
    lists = wb.create_sheet(LISTS_SHEET)
    _data_sheet(data, rules, Lists(lists))
    if rows is not None:
        _write_rows(data, rules, rows)
    instructions = wb.create_sheet(INSTRUCTIONS_SHEET, 1)
    context = Context(
        kind=kind,
        rules=rules,
        office=office,
        periode=periode,
        deadline=gudang.deadline(conn, kind, periode),
        edition=edition,
        file_name=template_file_name(jenis, periode),
        version=template_version(kind),
        filled_rows=len(rows) if rows is not None else None,
        names=_code_names(conn, rules),
    )
    write_instructions(instructions, context)
    _hide(lists, "hidden")
    metadata = {
        "jenis": kind.jenis,
        "periode": periode,
        "kode_wilayah": office.kode,
        "versi_templat": context.version,
        "edisi_referensi": str(edition.edisi_id) if edition else None,
    }
    _metadata_sheet(wb.create_sheet(METADATA_SHEET), metadata)
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -- the Data sheet ---------------------------------------------------------------------------


def _width(rule: ColumnRule) -> float:
    by_type = {"teks": 28, "tanggal": 13, "rupiah": 17, "desimal": 12}
    typical = by_type.get(rule.column.tipe, 12)
    if rule.column.panjang:
        typical = rule.column.panjang + 4
    return min(40, max(len(rule.nama) + 4, typical, 10))


def _data_sheet(ws: Worksheet, rules: list[ColumnRule], lists: Lists) -> None:
    """Headers locked on row 1, every other cell open; each column formatted and checked."""
    for j, rule in enumerate(rules, 1):
        letter = get_column_letter(j)
        cell = ws.cell(1, j, rule.nama)
        cell.font = HEADER_FONT
        cell.border = HEADER_BORDER
        cell.protection = LOCKED
        colour = REQUIRED_FILL if rule.column.wajib else OPTIONAL_FILL
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.alignment = Alignment(vertical="center")
        text = "\n".join([rule.nama, *describe(rule)])
        cell.comment = Comment(text, AUTHOR, height=40 + 16 * len(text) // 45, width=300)
        column = ws.column_dimensions[letter]
        column.width = _width(rule)
        column.number_format = rule.number_format
        column.protection = UNLOCKED
        ws.add_data_validation(validation(rule, letter, lists))
    # every column right of the headers open too, so whole rows can be inserted and deleted
    first = len(rules) + 1
    rest = ColumnDimension(ws, index=get_column_letter(first), min=first, max=MAX_COLUMN)
    rest.protection = UNLOCKED
    ws.column_dimensions[rest.index] = rest
    ws.row_dimensions[1].protection = LOCKED  # row 1 right of the headers stays locked
    ws.row_dimensions[1].font = HEADER_FONT
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(rules))}{MAX_ROW}"
    p = ws.protection
    p.sheet = True  # no password: a guard against slips, not a secret
    p.formatColumns = p.formatRows = False  # widths and heights
    p.insertRows = p.deleteRows = False
    p.sort = p.autoFilter = False
    p.selectLockedCells = p.selectUnlockedCells = False
    # still protected: formatting cells (the Text format), inserting/deleting columns


def _cell_value(rule: ColumnRule, value: Any) -> Any:
    """A stored value as the office would type it: flags as ya/tidak, codes as text."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if rule.is_text:
        return ILLEGAL_CHARACTERS_RE.sub("", str(value))  # control characters XML cannot hold
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _write_rows(ws: Worksheet, rules: list[ColumnRule], rows: list[tuple]) -> None:
    """The rows in force from row 2, each cell unlocked and in its column's format (a cell
    written carries its own style, not its column's)."""
    for r, row in enumerate(rows, 2):
        for j, (rule, value) in enumerate(zip(rules, row, strict=True), 1):
            if value is not None:
                value = _cell_value(rule, value)
                cell = ws.cell(r, j, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text an office typed, never a formula to run
                cell.number_format = rule.number_format
                cell.protection = UNLOCKED


# -- the hidden sheets ------------------------------------------------------------------------


def _hide(ws: Worksheet, state: str) -> None:
    ws.sheet_state = state
    ws.protection.sheet = True


def _metadata_sheet(ws: Worksheet, values: dict[str, str | None]) -> None:
    """Key in column A, value in column B, from row 1, every value as text."""
    for i, key in enumerate(METADATA_KEYS, 1):
        ws.cell(i, 1, key)
        if values.get(key):
            ws.cell(i, 2, values[key]).number_format = TEXT_FORMAT
    _hide(ws, "veryHidden")  # not even Unhide shows it: nothing an office needs to see


def _code_names(conn: psycopg.Connection, rules: list[ColumnRule]) -> dict[str, dict[str, str]]:
    """Names of the codes each code list offers (regions, KBLI titles), for the instructions."""
    return {
        r.nama: gudang.names(conn, list(r.values), r.column.wilayah)
        for r in rules
        if r.values and r.column.tipe == "kode"
    }


# -- python -m etl templat ----------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction) -> None:
    """``python -m etl templat <jenis> [--kantor K] [--periode P] [--isi] [--out F]``."""
    p = subparsers.add_parser(
        "templat", help="write a kind's XLSX template for an office (or its data in force)"
    )
    p.add_argument("jenis", choices=sorted(kinds()))
    p.add_argument("--kantor", help="office code, 2 or 4 digits (omitted: the ministry)")
    p.add_argument("--periode", help="period, YYYY or YYYY-MM (omitted: the office chooses)")
    p.add_argument("--isi", action="store_true", help="fill in the office's rows in force")
    p.add_argument("--out", type=Path, help="file to write (default: the template's file name)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from etl.warehouse import connect

    try:
        out = args.out or Path(template_file_name(args.jenis, args.periode))
        with connect() as conn:
            data = template_workbook(conn, args.jenis, args.kantor, args.periode, filled=args.isi)
    except ValueError as exc:
        print(f"templat: {exc}", file=sys.stderr)
        return 2
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out}\t{len(data)} bytes")
    return 0
