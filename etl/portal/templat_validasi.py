"""The data validations of a template's columns: drop-down lists (inline, or ranges of the
hidden ``_daftar`` sheet), whole, decimal and date bounds, exact code lengths, and each
column's input message, with the suite's Indonesian messages as their error texts.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from etl.contract.template import LISTS_SHEET
from etl.portal.templat_aturan import TEXT_FORMAT, ColumnRule, clip, describe, fit, sentence

MAX_ROW = 1_048_576
"""Excel's last row: validations and the filter cover every row an office may reach."""
TITLE_LIMIT, PROMPT_LIMIT, ERROR_LIMIT = 32, 255, 225
"""Excel's limits on a validation's titles, input message and error message."""
INLINE_LIMIT = 255
"""Longest list formula Excel takes inline (``"a,b,c"``); longer lists go to ``_daftar``."""
NUMERIC_LOOKING = re.compile(r"[0-9\s.,+-]+")
EXCEL_EPOCH = dt.date(1899, 12, 30)
ANY_WHOLE = 10**15
"""Bounds of a number column the suite leaves open: any number Excel holds exactly."""


class Lists:
    """The hidden ``_daftar`` sheet: one column per distinct list, as text, from row 2."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.refs: dict[tuple[str, ...], str] = {}

    def formula(self, rule: ColumnRule) -> str:
        values = rule.values or ()
        inline = '"' + ",".join(values) + '"'
        if len(inline) <= INLINE_LIMIT and not any(
            NUMERIC_LOOKING.fullmatch(v) or "," in v or '"' in v for v in values
        ):
            return inline
        # codes go to a sheet as text: an inline "3201" may be compared as a number
        if values not in self.refs:
            j = len(self.refs) + 1
            letter = get_column_letter(j)
            self.ws.cell(1, j, f"daftar pilihan {rule.nama}")
            for i, value in enumerate(values, 2):
                self.ws.cell(i, j, value).number_format = TEXT_FORMAT
            self.ws.column_dimensions[letter].width = 16
            self.refs[values] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        return self.refs[values]


def _serial(day: dt.date) -> str:
    return str((day - EXCEL_EPOCH).days)


def _limits(rule: ColumnRule) -> tuple[str | None, str | None, str | None]:
    """Operator and formulas of a number or date column's bounds."""
    show = _serial if rule.column.tipe == "tanggal" else str
    low, high = rule.minimum, rule.maximum
    if low is not None and high is not None:
        return "between", show(low), show(high)
    if low is not None:
        return "greaterThanOrEqual", show(low), None
    if high is not None:
        return "lessThanOrEqual", show(high), None
    if rule.column.tipe == "tanggal":
        return "greaterThanOrEqual", _serial(dt.date(1900, 1, 1)), None
    return "between", str(-ANY_WHOLE), str(ANY_WHOLE)


def _error_title(nama: str) -> str:
    title = f"{nama}: isian ditolak"
    return title if len(title) <= TITLE_LIMIT else "Isian ditolak"


def _error(rule: ColumnRule, *kinds_of_rule: str) -> str:
    """The suite's message and advice for the rules a validation stands for."""
    notes = [n for n in rule.notes if n.rule.endswith(kinds_of_rule)]
    parts = [sentence(n.pesan) for n in notes if n.pesan]
    parts += [sentence(n.saran) for n in notes if n.saran]
    if not parts:
        parts = [f"Isian kolom {rule.nama} tidak sesuai.", *describe(rule)[1:2]]
    return fit(list(dict.fromkeys(parts)), ERROR_LIMIT)


def validation(rule: ColumnRule, letter: str, lists: Lists) -> DataValidation:
    """One validation per column, for rows 2 to the last: its list, number or date rule, or
    just its input message; blank cells are left to the suite's required-column rule."""
    c = rule.column
    common: dict[str, Any] = {
        "allow_blank": True,
        "showInputMessage": True,
        "promptTitle": clip(c.nama, TITLE_LIMIT),
        "prompt": fit(describe(rule), PROMPT_LIMIT),
        "showErrorMessage": True,
        "errorStyle": "stop",
        "errorTitle": _error_title(c.nama),
    }
    if rule.values:
        region = ("_pair_values_to_be_equal",) if rule.own_region else ()
        dv = DataValidation(
            type="list",
            formula1=lists.formula(rule),
            error=_error(rule, "_to_be_in_set", *region),
            **common,
        )
    elif rule.is_numeric or c.tipe == "tanggal":
        operator, low, high = _limits(rule)
        kind = {"tanggal": "date", "desimal": "decimal"}.get(c.tipe, "whole")
        error = _error(rule, "_to_be_between")
        dv = DataValidation(
            type=kind, operator=operator, formula1=low, formula2=high, error=error, **common
        )
    elif c.panjang:
        dv = DataValidation(
            type="textLength",
            operator="equal",
            formula1=str(c.panjang),
            error=_error(rule, "_to_match_regex"),
            **common,
        )
    else:
        common["showErrorMessage"] = False
        dv = DataValidation(**common)  # any value: the input message only
    dv.add(f"{letter}2:{letter}{MAX_ROW}")
    return dv
