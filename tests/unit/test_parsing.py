"""Indonesian numbers, dates, flags and codes: the documented rules case by case, and properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl import contract
from etl.stages import s2_extract as extract
from etl.stages.s2_extract import cells, columns, headers

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1250000", 1_250_000),
        ("1.250.000", 1_250_000),
        ("Rp 1.250.000,00", 1_250_000),
        ("Rp1.250.000", 1_250_000),
        ("Rp. 50.000,-", 50_000),
        ("IDR 2.500", 2_500),
        ("1 250 000", 1_250_000),
        ("1,250,000", 1_250_000),  # several commas: thousands (English export)
        ("1,250,000.50", Decimal("1250000.50")),
        ("1.250.000,50", Decimal("1250000.50")),
        ("12,5", Decimal("12.5")),
        ("1,250", Decimal("1.250")),  # one comma is the decimal mark (Indonesian rule)
        ("1.250", 1_250),  # one dot + three digits: thousands (Indonesian rule)
        ("12.5", Decimal("12.5")),  # any other single dot: a decimal point
        ("0.125", Decimal("0.125")),
        ("-1.000", -1_000),
        ("Rp -5.000", -5_000),
    ],
)
def test_indonesian_numbers(text: str, value: object) -> None:
    assert cells.parse_angka(text) == value


@pytest.mark.parametrize(
    "text", ["", "abc", "1.5jt", "1.25.000", "1,25E+06", "9.12E+12", "12,", "1..0", "١٢", "1 25"]
)
def test_not_numbers(text: str) -> None:
    assert cells.parse_angka(text) is None


def test_number_cells_are_read_exactly_not_by_the_dot_rule() -> None:
    assert cells.to_desimal("1.125", numeric=True) == 1.125
    assert cells.to_desimal("1.125", numeric=False) == 1125.0
    assert cells.to_bilangan("1e+16", numeric=True) == 10**16


def test_rupiah_must_be_whole() -> None:
    assert cells.to_rupiah("Rp 1.250.000,00", False) == 1_250_000
    assert cells.to_rupiah("1.250.000,50", False) == cells.RUPIAH_PECAHAN
    assert cells.to_bilangan("3,5", False) == cells.BILANGAN_PECAHAN
    assert cells.to_rupiah("9" * 25, False) == cells.TERLALU_BESAR


@pytest.mark.parametrize(
    "text",
    [
        "30/05/2023",
        "30-05-2023",
        "30.05.2023",
        "30/5/2023",
        "30 Mei 2023",
        "30 mei 2023",
        "30-Mei-2023",
        "30 May 2023",
        "Selasa, 30 Mei 2023",
        "2023-05-30",
        "2023/05/30",
        "2023-05-30 00:00:00",
        "45076",
    ],
)
def test_dates(text: str) -> None:
    assert cells.parse_tanggal(text) == dt.date(2023, 5, 30)


@pytest.mark.parametrize(
    ("text", "date"),
    [("1 Agt 2023", dt.date(2023, 8, 1)), ("17 Agustus 1945", dt.date(1945, 8, 17)),
     ("3 Nop 2023", dt.date(2023, 11, 3)), ("1 Peb 2024", dt.date(2024, 2, 1)),
     ("31 Des 2023", dt.date(2023, 12, 31)), ("2 Okt 2023", dt.date(2023, 10, 2))],
)  # fmt: skip
def test_month_names_and_abbreviations(text: str, date: dt.date) -> None:
    assert cells.parse_tanggal(text) == date


@pytest.mark.parametrize(
    "text", ["31/02/2023", "05/30/2023", "30/05/23", "2023", "30 Bulan 2023", "kemarin", "999999"]
)
def test_not_dates(text: str) -> None:
    assert cells.parse_tanggal(text) is None


def test_excel_serials() -> None:
    assert cells.parse_tanggal("45076", numeric=True) == dt.date(2023, 5, 30)
    assert cells.parse_tanggal("45076.75", numeric=True) == dt.date(2023, 5, 30)
    assert cells.parse_tanggal("2023", numeric=True) is None  # a year, not day 2023 of 1905


@pytest.mark.parametrize(
    ("text", "flag"),
    [("Ya", "ya"), ("Y", "ya"), ("1", "ya"), ("TIDAK", "tidak"), ("T", "tidak"), ("0", "tidak"),
     ("tdk", "tidak"), (" ya ", "ya"), ("mungkin", "mungkin")],
)  # fmt: skip
def test_flags(text: str, flag: str) -> None:
    """Unknown values pass through for the suite's value-set rule to report."""
    assert cells.to_ya_tidak(text, False) == flag


@pytest.mark.parametrize(
    ("text", "numeric", "scientific", "panjang"),
    [
        ("9,12E+12", False, False, 13),
        ("9.12E+12", False, False, 13),
        ("1.23457e+12", True, False, 13),
        ("912345678901", True, False, 13),  # lost its leading zero
        ("1234567890123", True, True, 13),  # shown with a scientific number format
        ("3201234567890123", True, False, 16),  # more digits than Excel keeps
        ("3201.5", True, False, 4),
    ],
)
def test_codes_excel_turned_into_numbers_are_errors(text, numeric, scientific, panjang) -> None:
    result = cells.to_kode(text, numeric, panjang, scientific)
    assert isinstance(result, cells.Galat) and result.kode == "kode_jadi_angka"
    assert "Text" in result.alasan


def test_codes_that_are_intact_stay_text() -> None:
    assert cells.to_kode("0123456789012", False, 13) == "0123456789012"
    assert cells.to_kode("1234567890123", True, 13) == "1234567890123"
    assert cells.to_kode("3201", True, 4) == "3201"
    assert cells.to_kode("081234567890", False, None) == "081234567890"


def test_column_conversion_reports_each_bad_cell() -> None:
    text = pa.array(["1.250.000", "12", None, "x", "1.000,50", "7"])
    numeric = pa.array([False, False, False, False, False, True])
    kolom = columns.convert_fast(text, "rupiah", numeric, pa.array([False] * 6))
    assert kolom.values.to_pylist() == [1_250_000, 12, None, None, None, 7]
    assert kolom.kode.to_pylist() == [None, None, None, "tipe_rupiah", "tipe_rupiah", None]


def test_number_cell_text_is_canonical() -> None:
    assert cells.number_cell(1250000.0) == "1250000"
    assert cells.number_cell(12.5) == "12.5"
    assert isinstance(cells.number_cell(1.0, scientific=True), cells.ScientificCell)


def indonesian(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15), st.integers(min_value=0, max_value=99))
def test_indonesian_written_numbers_round_trip(whole: int, cents: int) -> None:
    assert cells.parse_angka(indonesian(whole)) == whole
    assert cells.parse_angka(f"Rp {indonesian(whole)},00") == whole
    assert cells.parse_angka(f"{indonesian(whole)},{cents:02d}") == Decimal(f"{whole}.{cents:02d}")


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2150, 12, 31)))
def test_dates_round_trip_in_every_written_form(date: dt.date) -> None:
    month = next(k for k, v in cells.BULAN.items() if v == date.month)
    for text in (
        date.strftime("%d/%m/%Y"),
        date.strftime("%d-%m-%Y"),
        date.isoformat(),
        f"{date.day} {month} {date.year}",
        str((date - cells.EXCEL_EPOCH).days),
    ):
        assert cells.parse_tanggal(text) == date, text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parsers_never_raise(text: str) -> None:
    for convert in cells.CONVERTERS.values():
        convert(text, False)
    cells.to_kode(text, False, 13)


def test_synonyms_are_data_and_never_ambiguous() -> None:
    for jenis, kind in contract.kinds().items():
        names = {c.nama for c in kind.columns}
        own, common = headers.synonym_sections(kind)
        assert set(own) <= names, jenis
        seen: dict[str, str] = {}
        for section in (own, common):
            for column, alternatives in section.items():
                if column not in names:
                    continue
                for alt in alternatives:
                    key = contract.normalise_header(alt)
                    assert seen.setdefault(key, column) == column, (jenis, alt)
                    assert key not in names or key == column, (jenis, alt)


@pytest.mark.parametrize(
    ("raw", "column"),
    [("Nama Perusahaan", "nama_usaha"), ("NIB OSS", "nib"), ("Jumlah TK Laki-laki",
     "tenaga_kerja_laki"), ("KBLI 2020", "kbli"), ("  NAMA_USAHA ", "nama_usaha")],
)  # fmt: skip
def test_headers_from_the_issue_map_to_the_template(raw: str, column: str) -> None:
    header, _ = extract.map_header(contract.get_kind("unit_ikm"), [raw])
    assert header == [column]
