"""What a template checks in each column, read from the kind's contract and suite.

Nothing here names a kind: allowed values come from the suite's ``..._to_be_in_set`` rules
(literal sets, or the reference lists its ``$PARAMETER`` names), bounds from its
``..._to_be_between`` rules, and the Indonesian messages and advice from each rule's ``meta``,
so a template says what validation will say, in the same words.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from etl.contract import ARROW_TYPES, Column, Kind

TEXT_FORMAT = "@"
"""Excel's Text format: what is typed stays as typed (leading zeros, 16-digit NIKs)."""
DATE_FORMAT = "yyyy-mm-dd"
NUMBER_FORMATS = {"bilangan": "0", "rupiah": "#,##0", "desimal": "General", "tanggal": DATE_FORMAT}
TYPE_TEXT = {
    "kode": "kode, diketik sebagai teks (angka 0 di depan tetap)",
    "teks": "teks",
    "pilihan": "pilih dari daftar",
    "ya_tidak": "ya atau tidak",
    "bilangan": "bilangan bulat",
    "rupiah": "rupiah, bilangan bulat tanpa Rp, titik atau koma",
    "desimal": "angka, boleh pecahan (desimal)",
    "tanggal": "tanggal, diketik TTTT-BB-HH (misalnya 2025-03-31)",
}
"""Each column type of the contract as an office reads it."""
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
NOT_NULL = "expect_column_values_to_not_be_null"
"""Said by the contract's ``wajib``; its advice ("isi kolom x") adds nothing."""


@dataclass(frozen=True)
class Note:
    """One suite rule about a column: its expectation type and Indonesian message and advice."""

    rule: str
    pesan: str
    saran: str


@dataclass(frozen=True)
class ColumnRule:
    """A column of the template with what the suite allows in it."""

    column: Column
    values: tuple[str, ...] | None = None
    """The allowed values (the office's own regions only, for the region column)."""
    minimum: int | float | dt.date | None = None
    maximum: int | float | dt.date | None = None
    notes: tuple[Note, ...] = ()
    own_region: bool = False
    """The values are the regions of the office's area, not the whole list."""

    @property
    def nama(self) -> str:
        return self.column.nama

    @property
    def is_text(self) -> bool:
        """Typed as text in Excel: every column the contract reads as a string."""
        return ARROW_TYPES[self.column.tipe] == "string"

    @property
    def number_format(self) -> str:
        return TEXT_FORMAT if self.is_text else NUMBER_FORMATS.get(self.column.tipe, "General")

    @property
    def is_numeric(self) -> bool:
        return self.column.tipe in ("bilangan", "rupiah", "desimal")

    def messages(self, *rules: str) -> list[str]:
        """The suite's messages of the given rule types (a suffix of the expectation type)."""
        return _unique(n.pesan for n in self.notes if n.rule.endswith(rules) and n.pesan)

    def advice(self) -> list[str]:
        return _unique(n.saran for n in self.notes if n.saran)


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def load_suite(kind: Kind) -> list[dict[str, Any]]:
    return json.loads(kind.suite_path.read_text(encoding="utf-8"))["expectations"]


def _resolve(value: Any, params: dict[str, Any]) -> Any:
    """A suite argument with its ``$PARAMETER`` filled in (None when the template has no
    period, so a bound that depends on it is left out)."""
    if isinstance(value, dict) and "$PARAMETER" in value:
        return params.get(value["$PARAMETER"])
    return value


def _about(expectation: dict[str, Any]) -> list[str]:
    """The office's columns a rule speaks about (``meta.kolom`` wins: a rule on a derived or
    internal column names the column the office typed)."""
    kwargs, meta = expectation.get("kwargs", {}), expectation.get("meta", {})
    if meta.get("kolom"):
        return [meta["kolom"]]
    return [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]


def _bound(value: Any, column: Column) -> int | float | dt.date | None:
    if value is None:
        return None
    if column.tipe == "tanggal":
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return value


def column_rules(kind: Kind, params: dict[str, Any], kantor: str | None) -> list[ColumnRule]:
    """Each column the office fills, in the contract's order, with the suite's rules on it.

    ``params`` are the suite's parameters (reference lists; period bounds when the template
    has a period). The region column's values are cut to the office's area: the codes whose
    first digits are the office's code (a kab/kota office: itself; a province: its own).
    """
    suite = load_suite(kind)
    rules = []
    for column in kind.columns:
        values: list[str] | None = None
        low: list[Any] = []
        high: list[Any] = []
        notes = []
        for e in suite:
            if column.nama not in _about(e):
                continue
            kwargs, meta = e.get("kwargs", {}), e.get("meta", {})
            if e["type"] != NOT_NULL:
                notes.append(Note(e["type"], meta.get("pesan", ""), meta.get("saran", "")))
            if kwargs.get("column") != column.nama:
                continue
            if e["type"].endswith("_to_be_in_set"):
                allowed = _resolve(kwargs.get("value_set"), params)
                if allowed is not None:
                    found = [str(v) for v in allowed]
                    values = found if values is None else [v for v in values if v in found]
            elif e["type"].endswith("_to_be_between"):
                low.append(_bound(_resolve(kwargs.get("min_value"), params), column))
                high.append(_bound(_resolve(kwargs.get("max_value"), params), column))
        own = bool(column.wilayah and kantor and values is not None)
        if own:
            values = [v for v in values or [] if v[: len(kantor or "")] == kantor]
        rules.append(
            ColumnRule(
                column,
                tuple(values) if values is not None else None,
                max((v for v in low if v is not None), default=None),
                min((v for v in high if v is not None), default=None),
                tuple(notes),
                own,
            )
        )
    return rules


# -- how a rule reads to an office ------------------------------------------------------------


def angka(value: int | float) -> str:
    """A number as Indonesians write it: 100.000; 2,5; a year-sized number as 2025."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,}".replace(",", "_").replace(".", ",").replace("_", ".")
    if abs(value) < 10_000:
        return str(int(value))
    return f"{int(value):,}".replace(",", ".")


def tanggal(value: dt.date) -> str:
    """31 Maret 2026."""
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def bounds_text(rule: ColumnRule) -> str | None:
    """``antara 0 dan 100``, ``paling kecil 0``, ``paling besar 2025``; None without bounds."""

    def show(v: Any) -> str:
        return v.isoformat() if isinstance(v, dt.date) else angka(v)

    low, high = rule.minimum, rule.maximum
    if low is not None and high is not None:
        return f"antara {show(low)} dan {show(high)}"
    if low is not None:
        return f"paling kecil {show(low)}"
    if high is not None:
        return f"paling besar {show(high)}"
    return None


LIST_SHOWN = 8
"""Allowed values listed in a column's description; a longer list is in the instructions."""


def values_text(rule: ColumnRule) -> str | None:
    if rule.values is None:
        return None
    if rule.own_region:
        shown = ", ".join(rule.values[:LIST_SHOWN])
        more = "" if len(rule.values) <= LIST_SHOWN else f", … ({len(rule.values)} kode)"
        return f"hanya kode wilayah kantor Anda: {shown}{more}"
    if len(rule.values) <= LIST_SHOWN:
        return "pilihan: " + ", ".join(rule.values)
    return f"pilih dari daftar ({len(rule.values)} kode, lihat lembar Petunjuk)"


def sentence(text: str) -> str:
    """A clause as a sentence; a column name that starts it keeps its case."""
    text = text.strip()
    if not text:
        return text
    if "_" not in text.split(" ", 1)[0]:
        text = text[0].upper() + text[1:]
    return text + ("" if text.endswith((".", "!", "?", "…")) else ".")


def describe(rule: ColumnRule) -> list[str]:
    """What goes in a column, as sentences: required or not, type, digits, values, bounds,
    personal data, then the suite's advice."""
    c = rule.column
    lines = ["Wajib diisi." if c.wajib else "Boleh dikosongkan."]
    lines.append(sentence(f"isian: {TYPE_TEXT.get(c.tipe, c.tipe)}"))
    if c.panjang:
        lines.append(f"Tepat {c.panjang} digit.")
    for extra in (values_text(rule), bounds_text(rule)):
        if extra:
            lines.append(sentence(extra))
    if c.data_pribadi:
        lines.append("Data pribadi (UU 27/2022): disimpan, tidak ditampilkan di dasbor BI.")
    lines += [sentence(s) for s in rule.advice()]
    return _unique(lines)


def fit(sentences: list[str], limit: int) -> str:
    """As many whole sentences as fit in ``limit`` characters (Excel's limits on validation
    texts), the first one clipped if it alone is too long."""
    kept: list[str] = []
    for s in sentences:
        if len(" ".join([*kept, s])) > limit:
            break
        kept.append(s)
    return " ".join(kept) if kept else clip(sentences[0] if sentences else "", limit)


def clip(text: str, limit: int) -> str:
    """Excel refuses longer validation texts (titles 32, messages 255 characters)."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
