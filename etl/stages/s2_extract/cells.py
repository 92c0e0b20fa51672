"""Cell values as Indonesian offices write them → typed values, or a reason the office can act on.

Every converter takes one cell's text and whether the source stored it as a number (an XLSX
numeric cell, a JSON number), and returns the typed value, or a :class:`Galat`: a rule code and an
Indonesian reason (:mod:`.columns` applies them to Arrow columns). Nothing is guessed:
a value that can be read two ways is read by the one documented rule below, and a code that Excel
has mangled is an error, never repaired.

Numbers (``bilangan``, ``rupiah``, ``desimal``) follow the Indonesian convention: ``.`` groups
thousands and ``,`` marks decimals ("1.250.000", "Rp 1.250.000,00", "12,5"). The rule for the
ambiguous cases, in order:

1. An optional "Rp"/"Rp."/"IDR" prefix, a minus sign, and a trailing ",-" (rupiah written
   "50.000,-") are dropped; spaces are allowed only as thousands groups ("1 250 000").
2. Both ``.`` and ``,`` present: the one that comes last is the decimal mark, the other groups
   thousands and must group by three ("1.250.000,50" and "1,250,000.50" are both 1250000.5).
3. Only commas: one comma is the decimal mark ("12,5" = 12.5; so "1,250" = 1.25), several must be
   thousands groups ("1,250,000").
4. Only dots: several must be thousands groups ("1.250.000"); one dot followed by exactly three
   digits after a first group of 1–3 digits not starting with 0 is a thousands mark ("1.250" =
   1250, the Indonesian reading); any other single dot is a decimal point ("12.5", "0.125").
5. Scientific notation in text ("1,25E+06") is refused: digits were lost when it was written.

Numbers that the source stored as numbers are read exactly, without rule 4.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


class NumberCell(str):
    """The text of a cell that the source stored as a number (XLSX numeric cell, JSON number).

    Its text is canonical: digits for whole numbers, Python's ``repr`` for other floats.
    """


class ScientificCell(NumberCell):
    """A numeric XLSX cell whose number format shows it in exponent form (e.g. ``0.00E+00``)."""


def number_cell(value: int | float, scientific: bool = False) -> NumberCell:
    """A spreadsheet or JSON number as a :class:`NumberCell` (integral floats lose their '.0')."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        text = str(int(value))
    else:
        text = repr(value) if isinstance(value, float) else str(value)
    return ScientificCell(text) if scientific else NumberCell(text)


def workbook_cell(value: object, scientific: bool = False) -> str | None:
    """A workbook cell's typed value (openpyxl's or calamine's) as text: booleans ya/tidak,
    dates ISO, numbers as :class:`NumberCell` (``scientific``: shown in exponent form)."""
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
        return number_cell(value, scientific)
    return str(value)


@dataclass(frozen=True)
class Galat:
    """Why one cell did not convert: a rule code and the reason, in Indonesian."""

    kode: str
    alasan: str


INT64_MAX = 2**63 - 1
MAX_TEXT = 64
EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (10_000, 100_000)
"""Excel serial numbers accepted as dates: 1927-05-18 to 2173-10-14 (so "2023" is not a date)."""
MAX_SIGNIFICANT_DIGITS = 15
"""Excel keeps 15 significant digits: a longer code stored as a number has lost its tail."""

TIPE_GALAT = {
    "bilangan": Galat(
        "tipe_bilangan",
        "bukan bilangan bulat; isi dengan angka saja, misalnya 12 atau 1.250",
    ),
    "rupiah": Galat(
        "tipe_rupiah",
        "bukan nilai rupiah yang sah; isi dengan angka rupiah bulat, misalnya 1250000 atau "
        "Rp 1.250.000",
    ),
    "desimal": Galat(
        "tipe_desimal",
        "bukan angka yang sah; isi dengan angka, gunakan koma untuk desimal, misalnya 12,5",
    ),
    "tanggal": Galat(
        "tipe_tanggal",
        "bukan tanggal yang sah; gunakan format HH/BB/TTTT (30/05/2023), TTTT-BB-HH (2023-05-30) "
        "atau 30 Mei 2023",
    ),
}
RUPIAH_PECAHAN = Galat(
    "tipe_rupiah",
    "nilai rupiah harus bulat (tanpa sen); ',00' di belakang boleh, pecahan lain tidak",
)
BILANGAN_PECAHAN = Galat("tipe_bilangan", "harus bilangan bulat, tanpa pecahan desimal")
TERLALU_BESAR = Galat("tipe_bilangan", "angka terlalu besar untuk disimpan")
CARA_TEKS = (
    "Di Excel, pilih kolom itu, Format Cells > Number > Text (atau awali isian dengan tanda '), "
    "lalu ketik ulang kodenya dari sumber aslinya dan simpan ulang; jangan dibuka lalu disimpan "
    "ulang dari CSV, karena Excel mengubahnya lagi menjadi angka."
)


def kode_jadi_angka(what: str) -> Galat:
    """The reason for a code that Excel turned into a number; ``what`` says what happened."""
    return Galat("kode_jadi_angka", f"{what}; kode tidak ditebak. {CARA_TEKS}")


# -- numbers ----------------------------------------------------------------------------------

_PREFIX = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]+")
_SPACE_GROUPS = re.compile(r"[1-9][0-9]{0,2}(?: [0-9]{3})+")
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+")


def _grouped(text: str, sep: str) -> bool:
    """``text`` is digits grouped by three with ``sep``, first group 1–3 digits, not 0-led."""
    return re.fullmatch(rf"[1-9][0-9]{{0,2}}(?:{re.escape(sep)}[0-9]{{3}})+", text) is not None


def _plain(integer: str, fraction: str | None = None) -> Decimal | None:
    if not _DIGITS.fullmatch(integer) or (fraction is not None and not _DIGITS.fullmatch(fraction)):
        return None
    return Decimal(f"{integer}.{fraction}" if fraction is not None else integer)


def _body(text: str) -> Decimal | None:
    """An unsigned number by rules 2–4 of the module docstring."""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        decimal_mark = "." if text.rfind(".") > text.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        integer, fraction = text.rsplit(decimal_mark, 1)
        if thousands in integer:
            if not _grouped(integer, thousands):
                return None
            integer = integer.replace(thousands, "")
        return _plain(integer, fraction)
    if commas == 1:
        return _plain(*text.split(","))
    if commas:
        return _plain(text.replace(",", "")) if _grouped(text, ",") else None
    if dots > 1:
        return _plain(text.replace(".", "")) if _grouped(text, ".") else None
    if dots == 1:
        if _grouped(text, "."):
            return _plain(text.replace(".", ""))
        return _plain(*text.split("."))
    return _plain(text)


def parse_angka(text: str) -> Decimal | None:
    """A number written the Indonesian way (see the module docstring), or None."""
    s = text.strip().replace("\u00a0", " ")
    if not s or len(s) > MAX_TEXT or _SCIENTIFIC.fullmatch(s):
        return None
    negative = s.startswith("-")
    s = _PREFIX.sub("", s.lstrip("-").strip())
    if s.startswith("-") and not negative:
        negative, s = True, s[1:].strip()
    s = re.sub(r"[.,]-$", "", s)
    if " " in s:
        if not _SPACE_GROUPS.fullmatch(s):
            return None
        s = s.replace(" ", "")
    value = _body(s)
    return -value if value is not None and negative else value


def _exact(text: str) -> Decimal | None:
    """A number the source stored as a number (canonical text, exponent allowed)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _number(text: str, numeric: bool) -> Decimal | None:
    return _exact(text) if numeric else parse_angka(text)


def _whole(text: str, numeric: bool, unreadable: Galat, fraction: Galat) -> int | Galat:
    """A whole number (a count, or whole rupiah), with the kind's own reasons when it is not."""
    value = _number(text, numeric)
    if value is None:
        return unreadable
    if value != value.to_integral_value():
        return fraction
    return int(value) if abs(value) <= INT64_MAX else TERLALU_BESAR


def to_bilangan(text: str, numeric: bool) -> int | Galat:
    return _whole(text, numeric, TIPE_GALAT["bilangan"], BILANGAN_PECAHAN)


def to_rupiah(text: str, numeric: bool) -> int | Galat:
    return _whole(text, numeric, TIPE_GALAT["rupiah"], RUPIAH_PECAHAN)


def to_desimal(text: str, numeric: bool) -> float | Galat:
    value = _number(text, numeric)
    if value is None or abs(value) >= Decimal("1e15"):
        return TIPE_GALAT["desimal"]
    return float(value)


# -- dates ------------------------------------------------------------------------------------

BULAN = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
"""Indonesian month names and the abbreviations offices use (and Excel's English ones)."""

_TIME = r"(?:[ T][0-9]{1,2}[:.][0-9]{2}(?:[:.][0-9]{2}(?:\.[0-9]+)?)?)?"
_ISO = re.compile(rf"([0-9]{{4}})[-/]([0-9]{{1,2}})[-/]([0-9]{{1,2}}){_TIME}")
_DMY = re.compile(rf"([0-9]{{1,2}})[-/.]([0-9]{{1,2}})[-/.]([0-9]{{4}}){_TIME}")
_NAMED = re.compile(
    rf"(?:[a-z']+,\s*)?([0-9]{{1,2}})[\s\-/.]*([a-z]+)\.?[\s\-/.,]*([0-9]{{4}}){_TIME}"
)
_SERIAL = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def from_serial(serial: float) -> dt.date | None:
    """An Excel serial day number (1900 date system) → date, when plausibly a date."""
    if not SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_tanggal(text: str, numeric: bool = False) -> dt.date | None:
    """A date as offices write it, day before month; None when it is not one.

    ISO (2023-05-30), 30/05/2023, 30-05-2023, 30.05.2023, "30 Mei 2023", "Selasa, 30 Mei 2023",
    and Excel serial numbers (45076). Two-digit years are refused: the century would be a guess.
    """
    s = text.strip().lower()
    if numeric or _SERIAL.fullmatch(s):
        value = _exact(s)
        return from_serial(float(value)) if value is not None else None
    if match := _ISO.fullmatch(s):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DMY.fullmatch(s):
        return _date(int(match[3]), int(match[2]), int(match[1]))
    if (match := _NAMED.fullmatch(s)) and match[2] in BULAN:
        return _date(int(match[3]), BULAN[match[2]], int(match[1]))
    return None


def to_tanggal(text: str, numeric: bool) -> dt.date | Galat:
    value = parse_tanggal(text, numeric)
    return TIPE_GALAT["tanggal"] if value is None else value


# -- flags and codes --------------------------------------------------------------------------

YA_TIDAK = {
    **dict.fromkeys(["ya", "y", "iya", "yes", "1", "benar", "true", "ada", "sudah"], "ya"),
    **dict.fromkeys(
        ["tidak", "t", "tdk", "tidak ada", "no", "n", "0", "salah", "false", "belum"], "tidak"
    ),
}


def to_ya_tidak(text: str, numeric: bool) -> str:
    """A flag → "ya"/"tidak"; anything else stays (lower-cased) for the suite's value-set rule
    (``pilihan_ya_tidak``) to report, so the office gets one reason, not two."""
    folded = text.strip().lower()
    return YA_TIDAK.get(folded, folded)


def to_kode(text: str, numeric: bool, panjang: int | None, scientific: bool = False) -> str | Galat:
    """A code as text; a code Excel turned into a number is an error, never repaired."""
    s = text.strip()
    if _SCIENTIFIC.fullmatch(s) or scientific:
        return kode_jadi_angka(
            f"kode tertulis dalam bentuk ilmiah ('{s}'): Excel mengubah kode ini menjadi angka "
            "dan menampilkannya dengan E+, sehingga digit aslinya hilang atau tidak terlihat"
        )
    if not numeric:
        return s
    digits = s.lstrip("-")
    if not _DIGITS.fullmatch(digits):
        return kode_jadi_angka(
            f"kode tersimpan sebagai angka pecahan ('{s}') di Excel, bukan sebagai teks"
        )
    if len(digits.rstrip("0")) > MAX_SIGNIFICANT_DIGITS or len(digits) > MAX_SIGNIFICANT_DIGITS:
        return kode_jadi_angka(
            f"kode {len(digits)} digit tersimpan sebagai angka di Excel; Excel hanya menyimpan "
            "15 digit, sehingga digit terakhirnya sudah berubah"
        )
    if panjang and len(digits) < panjang:
        return kode_jadi_angka(
            f"kode seharusnya {panjang} digit tetapi tersimpan sebagai angka {len(digits)} digit "
            f"('{s}'): Excel membuang angka 0 di depannya"
        )
    return s


Converter = Callable[[str, bool], object]
CONVERTERS: dict[str, Converter] = {
    "bilangan": to_bilangan,
    "rupiah": to_rupiah,
    "desimal": to_desimal,
    "tanggal": to_tanggal,
    "ya_tidak": to_ya_tidak,
}
