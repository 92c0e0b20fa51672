"""The XLSX template (etl.portal.templat) against a real warehouse loaded with every sample day:
filled in as a clerk would and sent, it loads as written; its drop-downs are the warehouse's
reference lists and the suite's sets; its formats, protection and metadata are what extract and
Excel need; and the office's data in force comes back in it and, sent back, loads unchanged."""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import io
import json
import os
import re
from pathlib import Path

import openpyxl
import psycopg
import pytest

from etl import flow
from etl.contract import Kind, get_kind, kinds
from etl.contract.template import (
    DATA_SHEET,
    INSTRUCTIONS_SHEET,
    LISTS_SHEET,
    METADATA_KEYS,
    METADATA_SHEET,
    template_version,
)
from etl.portal import templat
from etl.portal.templat import template_file_name, template_workbook
from etl.stages import s1_landing as landing
from etl.stages.s2_extract.headers import qualifies
from etl.stages.s2_extract.table import locate_table
from etl.stages.s2_extract.xlsx import read_xlsx
from tests.conftest import dsn, query

pytestmark = pytest.mark.integration

JENIS = sorted(kinds())
GUESSED = ("dibaca sebagai", "tidak dikenal", "dipakai sebagai judul", "disimpulkan", "dua baris")
"""Extract's notes when it had to guess at a header, a column or the period."""

# Valid rows of each kind, as a clerk types them: codes as text, numbers as numbers, dates as
# dates. Periods and work units the samples never use, so each file owns its scopes.
VALID: dict[str, tuple[str, str, list[dict]]] = {
    "unit_ikm": ("3201", "2025", [
        {"nib": "0812345678901", "nama_usaha": "UD Roti Maju", "nama_pemilik": "Siti Aminah",
         "nik_pemilik": "3201014506800001", "no_telepon": "081234567890",
         "alamat": "Jl. Raya Cibinong No. 5", "kode_kabkota": "3201", "kbli": "10792",
         "produk_utama": "roti", "skala": "kecil", "tenaga_kerja_laki": 3,
         "tenaga_kerja_perempuan": 2, "nilai_investasi": 50_000_000,
         "nilai_produksi_setahun": 120_000_000, "tahun_berdiri": 2010, "terdaftar_siinas": "ya",
         "sertifikat_tkdn_ik": "tidak", "penjualan_online": "ya", "kode_sentra": None,
         "tanggal_pendataan": dt.date(2025, 5, 30)},
        {"nib": "9123456789012", "nama_usaha": "CV Mebel Jati", "nama_pemilik": None,
         "nik_pemilik": None, "no_telepon": "+62 251 123456", "alamat": "Jl. Pahlawan 12",
         "kode_kabkota": "3201", "kbli": "31001", "produk_utama": "kursi", "skala": "menengah",
         "tenaga_kerja_laki": 18, "tenaga_kerja_perempuan": 7, "nilai_investasi": 2_500_000_000,
         "nilai_produksi_setahun": 6_000_000_000, "tahun_berdiri": 1998,
         "terdaftar_siinas": "ya", "sertifikat_tkdn_ik": "ya", "penjualan_online": "tidak",
         "kode_sentra": "0012", "tanggal_pendataan": dt.date(2025, 2, 3)},
    ]),
    "tenaga_kerja": ("3201", "2025", [
        {"kode_kabkota": "3201", "kbli_golongan_pokok": "10", "skala": "kecil",
         "jumlah_unit": 120, "tenaga_kerja_laki": 300, "tenaga_kerja_perempuan": 250},
        {"kode_kabkota": "3201", "kbli_golongan_pokok": "31", "skala": "besar",
         "jumlah_unit": 2, "tenaga_kerja_laki": 800, "tenaga_kerja_perempuan": 150},
    ]),
    "realisasi_program": ("32", "2025-01", [
        {"kode_satker": "029901", "nama_satker": "Dinas Perindustrian Provinsi Jawa Barat",
         "kode_wilayah": "32", "mekanisme": "dekonsentrasi", "fokus": "siinas",
         "kegiatan": "Pendataan IKM ke SIINas", "pagu": 450_000_000, "realisasi": 30_000_000,
         "target_output": 140, "capaian_output": 12.5, "satuan_output": "IKM"},
        {"kode_satker": "029902", "nama_satker": "Dinas Perindustrian Kabupaten Bogor",
         "kode_wilayah": "3201", "mekanisme": "tugas_pembantuan", "fokus": "ovop",
         "kegiatan": "Kurasi produk OVOP", "pagu": 200_000_000, "realisasi": 0,
         "target_output": 10, "capaian_output": 0, "satuan_output": "IKM"},
    ]),
    "peserta_program": ("32", "2025", [
        {"kode_satker": "029901", "fokus": "tkdn_ik", "kegiatan": "Fasilitasi sertifikasi TKDN IK",
         "nib": "0812345678901", "tanggal": dt.date(2025, 6, 1), "hasil": "bersertifikat",
         "nomor_sertifikat": "0042/TKDN-IK/2025", "nilai_tkdn_persen": 42.5,
         "bintang_ovop": None},
        {"kode_satker": "029901", "fokus": "ovop", "kegiatan": "Kurasi produk OVOP",
         "nib": "9123456789012", "tanggal": dt.date(2025, 7, 15), "hasil": "kurasi",
         "nomor_sertifikat": None, "nilai_tkdn_persen": None, "bintang_ovop": 3},
    ]),
}  # fmt: skip
PARAMETER_SQL = {
    "kode_kabkota_referensi": "select kode_wilayah from core.dim_wilayah where tingkat = 'kabkota'",
    "kode_wilayah_referensi": "select kode_wilayah from core.dim_wilayah",
    "kbli_kelompok_industri": "select kode_kbli from core.dim_kbli where tingkat = 'kelompok'",
    "kbli_golongan_pokok_industri": "select kode_kbli from core.dim_kbli "
    "where tingkat = 'golongan_pokok'",
}
"""Each reference list a suite names, as the warehouse holds it (a new one fails here)."""


@pytest.fixture(scope="module")
def loaded(module_warehouse):
    for day in landing.arrival_days():
        flow.run_day(day)
    return module_warehouse


def make(url, jenis: str, kantor: str | None, periode: str | None = None, **kw) -> bytes:
    with psycopg.connect(dsn(url)) as conn:
        return template_workbook(conn, jenis, kantor, periode, **kw)


def book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def fill(data: bytes, kind: Kind, rows: list[dict]) -> bytes:
    """Type rows into the Data sheet from row 2, as a clerk would (and save)."""
    wb = book(data)
    ws = wb[DATA_SHEET]
    header = [c.value for c in ws[1]]
    for i, row in enumerate(rows, 2):
        for j, name in enumerate(header, 1):
            if row.get(name) is not None:
                ws.cell(i, j, row[name])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def land(day: dt.date, kantor: str, name: str, data: bytes) -> str:
    rel = f"{day:%Y-%m-%d}/{kantor}/{name}"
    target = Path(os.environ["IKM_LANDING_DIR"]) / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return rel


def norm(value):
    """A cell or stored value compared as the office means it."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int | float | decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def stored(url, kind: Kind, where: str, params: tuple) -> list[tuple]:
    columns = ", ".join(f"b.{c.nama}" for c in kind.columns)
    rows = query(
        url,
        f"select {columns} from core.fakta_{kind.jenis} f "
        f"join core.baris_{kind.jenis} b using (submission_id, baris) "
        f"join audit.submission s on s.submission_id = f.submission_id where {where}",
        params,
    )
    return sorted(tuple(norm(v) for v in r) for r in rows)


def data_rows(data: bytes) -> list[tuple]:
    ws = book(data)[DATA_SHEET]
    return sorted(tuple(norm(v) for v in r) for r in ws.iter_rows(min_row=2, values_only=True))


# -- sent as a clerk fills it, it loads as written ---------------------------------------------


@pytest.fixture(scope="module")
def round_trips(loaded):
    """Each kind's template filled with valid rows, landed on its own day, and run."""
    landed = {}
    for i, jenis in enumerate(JENIS):
        kantor, periode, rows = VALID[jenis]
        data = fill(make(loaded, jenis, kantor, periode), get_kind(jenis), rows)
        day = dt.date(2026, 2, 2) + dt.timedelta(days=i)
        landed[jenis] = land(day, kantor, template_file_name(jenis, periode), data)
        flow.run_day(day)
    return landed


@pytest.mark.parametrize("jenis", JENIS)
def test_a_filled_template_loads_accepted_as_written(loaded, round_trips, jenis):
    kind = get_kind(jenis)
    _, periode, rows = VALID[jenis]
    (status, accepted, notes, found) = query(
        loaded,
        "select status, jumlah_baris_diterima, catatan, periode from audit.submission "
        "where path = %s",
        (round_trips[jenis],),
    )[0]
    assert (status, accepted, found) == ("diterima", len(rows), periode), notes
    assert not [n for n in notes if any(g in n for g in GUESSED)]
    expected = sorted(tuple(norm(r[c.nama]) for c in kind.columns) for r in rows)
    assert stored(loaded, kind, "s.path = %s", (round_trips[jenis],)) == expected


@pytest.mark.parametrize("jenis", JENIS)
def test_the_submission_records_the_template_version(loaded, round_trips, jenis):
    """Needs extract to read the _metadata sheet (audit.submission.versi_templat)."""
    (version,) = query(
        loaded, "select versi_templat from audit.submission where path = %s", (round_trips[jenis],)
    )[0]
    assert version == template_version(get_kind(jenis))


@pytest.mark.parametrize("jenis", JENIS)
def test_extract_finds_the_header_on_row_one_of_the_data_sheet_and_nowhere_else(
    loaded, tmp_path, jenis
):
    kind = get_kind(jenis)
    kantor, periode, rows = VALID[jenis]
    path = tmp_path / template_file_name(jenis, periode)
    path.write_bytes(fill(make(loaded, jenis, kantor, periode), kind, rows))
    source = read_xlsx(path, [kind])
    try:
        table = locate_table(source, [kind])
        assert (table.sheet, table.header_row, table.titles) == (DATA_SHEET, 1, [])
        assert table.raw_header == [c.nama for c in kind.columns]
    finally:
        source.close()
    wb = openpyxl.load_workbook(path, read_only=True)
    for name in (INSTRUCTIONS_SHEET, LISTS_SHEET, METADATA_SHEET):
        for cells in wb[name].iter_rows(values_only=True):
            texts = [str(c) if c is not None else None for c in cells]
            assert not any(qualifies(k, texts) for k in kinds().values()), (name, texts)
    wb.close()


# -- drop-downs, formats, protection, metadata -------------------------------------------------


def validations(wb: openpyxl.Workbook) -> dict[str, object]:
    """Header → its column's data validation."""
    ws = wb[DATA_SHEET]
    header = {c.column_letter: c.value for c in ws[1]}
    found = {}
    for dv in ws.data_validations.dataValidation:
        (ref,) = str(dv.sqref).split()
        start, end = ref.split(":")
        letter = re.match(r"[A-Z]+", start)[0]
        assert (start, end) == (f"{letter}2", f"{letter}1048576")
        found[header[letter]] = dv
    return found


def listed(wb: openpyxl.Workbook, formula: str) -> list[str]:
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, col, first, last = re.fullmatch(
        r"'(.+)'!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)", formula
    ).groups()
    ws = wb[sheet]
    cells = [ws[f"{col}{r}"] for r in range(int(first), int(last) + 1)]
    assert all(isinstance(c.value, str) and c.number_format == "@" for c in cells)
    return [c.value for c in cells]


def suite_sets(kind: Kind) -> dict[str, object]:
    suite = json.loads(kind.suite_path.read_text(encoding="utf-8"))["expectations"]
    return {
        e["kwargs"]["column"]: e["kwargs"]["value_set"]
        for e in suite
        if e["type"] == "expect_column_values_to_be_in_set"
    }


@pytest.mark.parametrize("kantor", ["3201", "32", None])
@pytest.mark.parametrize("jenis", JENIS)
def test_every_drop_down_is_the_reference_list_or_the_suite_set(loaded, jenis, kantor):
    kind = get_kind(jenis)
    wb = book(make(loaded, jenis, kantor))
    found = validations(wb)
    sets = suite_sets(kind)
    assert {n for n, dv in found.items() if dv.type == "list"} == set(sets)
    for column, value_set in sets.items():
        dv = found[column]
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop") and dv.error
        offered = listed(wb, dv.formula1)
        if isinstance(value_set, list):
            assert offered == value_set, column
            continue
        expected = sorted(r[0] for r in query(loaded, PARAMETER_SQL[value_set["$PARAMETER"]]))
        if column == kind.wilayah_column and kantor:
            # a kab/kota office: itself; a province: its own regions (and, where the suite
            # takes province codes too, the province)
            expected = [c for c in expected if c[: len(kantor)] == kantor]
            assert offered and all(c.startswith(kantor) for c in offered)
        assert sorted(offered) == expected, column
    if kind.wilayah_column and kantor == "3201":
        assert listed(wb, found[kind.wilayah_column].formula1) == ["3201"]


@pytest.mark.parametrize("jenis", JENIS)
def test_numbers_and_dates_are_checked_by_the_suite_bounds(loaded, jenis):
    kind = get_kind(jenis)
    periode = VALID[jenis][1]
    found = validations(book(make(loaded, jenis, "32", periode)))
    for c in kind.columns:
        dv = found[c.nama]
        assert len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255 and dv.showInputMessage
        assert dv.error is None or (len(dv.error) <= 225 and len(dv.errorTitle) <= 32)
        if c.tipe in ("bilangan", "rupiah"):
            assert dv.type == "whole" and dv.error
        elif c.tipe == "desimal":
            assert dv.type == "decimal"
        elif c.tipe == "tanggal":
            start = dt.date(int(periode[:4]), int(periode[5:] or 1), 1)
            assert dv.type == "date" and dv.operator == "between"
            assert int(dv.formula1) == (start - dt.date(1899, 12, 30)).days
    if jenis == "unit_ikm":
        assert (found["tenaga_kerja_laki"].formula1, found["tenaga_kerja_laki"].formula2) == (
            "0",
            "100000",
        )
        assert (found["tahun_berdiri"].formula1, found["tahun_berdiri"].formula2) == (
            "1900",
            "2025",
        )
        assert (found["nib"].type, found["nib"].formula1) == ("textLength", "13")


@pytest.mark.parametrize("jenis", JENIS)
def test_codes_are_text_and_only_row_one_is_locked(loaded, jenis):
    kind = get_kind(jenis)
    wb = book(make(loaded, jenis, "3201"))
    ws = wb[DATA_SHEET]
    assert [c.value for c in ws[1]] == [c.nama for c in kind.columns]
    assert ws.freeze_panes == "A2"
    for j, c in enumerate(kind.columns, 1):
        header = ws.cell(1, j)
        assert header.font.b and header.protection.locked and header.comment is not None
        assert header.comment.text.startswith(c.nama)
        assert ("Wajib diisi." if c.wajib else "Boleh dikosongkan.") in header.comment.text
        column = ws.column_dimensions[header.column_letter]
        assert column.protection.locked is False, c.nama
        text = c.tipe in ("kode", "teks", "pilihan", "ya_tidak")
        assert (column.number_format == "@") is text, c.nama
        if c.tipe == "tanggal":
            assert column.number_format == "yyyy-mm-dd"
        assert column.width >= len(c.nama)
    if jenis == "unit_ikm":
        for name in ("nib", "nik_pemilik", "no_telepon", "kode_kabkota", "kbli", "kode_sentra"):
            letter = ws.cell(1, [c.nama for c in kind.columns].index(name) + 1).column_letter
            assert ws.column_dimensions[letter].number_format == "@", name
    rest = [d for d in ws.column_dimensions.values() if d.min == len(kind.columns) + 1]
    assert rest and rest[0].max == 16384 and rest[0].protection.locked is False
    assert ws.row_dimensions[1].protection.locked
    p = ws.protection
    assert p.sheet and not (p.sort or p.autoFilter or p.insertRows or p.deleteRows)
    assert p.formatCells and p.insertColumns and p.deleteColumns
    assert ws.auto_filter.ref.startswith("A1:")


@pytest.mark.parametrize(("kantor", "periode"), [("3201", "2025"), ("32", None), (None, None)])
def test_the_metadata_sheet_is_hidden_and_says_what_the_template_is(loaded, kantor, periode):
    for jenis in JENIS:
        periode_kind = periode and VALID[jenis][1]
        wb = book(make(loaded, jenis, kantor, periode_kind))
        assert wb.sheetnames == [DATA_SHEET, INSTRUCTIONS_SHEET, LISTS_SHEET, METADATA_SHEET]
        assert wb[METADATA_SHEET].sheet_state == "veryHidden"
        assert wb[LISTS_SHEET].sheet_state == "hidden"
        assert wb.active.title == DATA_SHEET
        rows = list(wb[METADATA_SHEET].iter_rows(values_only=True))
        assert [r[0] for r in rows] == list(METADATA_KEYS)
        ((edition,),) = query(loaded, "select max(edisi_id)::text from core.edisi_referensi")
        assert dict(rows) == {
            "jenis": jenis,
            "periode": periode_kind,
            "kode_wilayah": kantor,
            "versi_templat": template_version(get_kind(jenis)),
            "edisi_referensi": edition,
        }


def test_the_instructions_name_the_file_the_deadline_and_every_column(loaded):
    kind = get_kind("unit_ikm")
    wb = book(make(loaded, "unit_ikm", "3201", "2025"))
    text = "\n".join(
        " ".join(str(v) for v in r if v is not None)
        for r in wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True)
    )
    assert kind.judul in text and "unit_ikm_2025.xlsx" in text
    assert "31 Maret 2026" in text and "Portal Kantor" in text and "baris 1" in text.lower()
    for c in kind.columns:
        assert re.search(rf"^{c.nama} (Wajib diisi|Boleh dikosongkan)\.", text, re.M), c.nama
    assert re.search(r"^3201 Kabupaten Bogor$", text, re.M)  # the office's region, named
    assert re.search(r"^10792 \S", text, re.M)  # KBLI codes with their titles
    undated = book(make(loaded, "realisasi_program", "32"))[INSTRUCTIONS_SHEET]
    text = " ".join(str(v) for r in undated.iter_rows(values_only=True) for v in r if v)
    assert "realisasi_program_<periode>.xlsx" in text and "TTTT-BB" in text
    assert re.search(r"untuk periode \d{4}-\d{2}: \d{1,2} \w+ \d{4}", text)


def test_an_unknown_office_or_period_is_refused(loaded):
    with pytest.raises(ValueError, match="kode kantor"):
        make(loaded, "unit_ikm", "3299")
    with pytest.raises(ValueError, match="periode"):
        make(loaded, "realisasi_program", "32", "2025")
    with pytest.raises(ValueError, match="periode"):
        make(loaded, "unit_ikm", "32", filled=True)


# -- the office's data in force -----------------------------------------------------------------


def largest_office(url, jenis: str) -> tuple[str, str]:
    """The (period, office) of the samples with the most rows in force."""
    return query(
        url,
        f"select s.periode, s.kode_wilayah from core.fakta_{jenis} f join audit.submission s "
        "using (submission_id) group by 1, 2 order by count(*) desc, 1, 2 limit 1",
    )[0]


@pytest.mark.parametrize("jenis", JENIS)
def test_the_filled_template_holds_exactly_the_office_rows_in_force(loaded, jenis):
    kind = get_kind(jenis)
    periode, kantor = largest_office(loaded, jenis)
    data = make(loaded, jenis, kantor, periode, filled=True)
    rows = data_rows(data)
    expected = stored(loaded, kind, "s.kode_wilayah = %s and s.periode = %s", (kantor, periode))
    assert rows == expected and len(rows) > 5
    ws = book(data)[DATA_SHEET]
    for cells in ws.iter_rows(min_row=2):
        for c, cell in zip(kind.columns, cells, strict=True):
            if cell.value is not None:
                assert cell.protection.locked is False
                if c.tipe in ("kode", "teks", "pilihan", "ya_tidak"):
                    assert isinstance(cell.value, str) and cell.number_format == "@"
    everything = data_rows(make(loaded, jenis, None, periode, filled=True))
    assert everything == stored(loaded, kind, "s.periode = %s", (periode,))


def test_a_province_download_leaves_out_what_its_kab_kota_sent(loaded):
    """A kab/kota office that sends its own register owns that scope: its province's download
    no longer holds those rows (sent back, it would override the kab/kota's data)."""
    kind = get_kind("unit_ikm")
    filled = book(make(loaded, "unit_ikm", "32", "2023", filled=True))[DATA_SHEET]
    province = sorted(filled.iter_rows(min_row=2, values_only=True))
    position = [c.nama for c in kind.columns].index("kode_kabkota")
    scope = province[0][position]
    own = [r for r in province if r[position] == scope][:3]
    assert data_rows(make(loaded, "unit_ikm", scope, "2023", filled=True)) == []
    wb = book(make(loaded, "unit_ikm", scope, "2023"))
    ws = wb[DATA_SHEET]
    for i, row in enumerate(own, 2):
        for j, value in enumerate(row, 1):
            ws.cell(i, j, value)
    out = io.BytesIO()
    wb.save(out)
    day = dt.date(2026, 3, 2)
    rel = land(day, scope, "unit_ikm_2023.xlsx", out.getvalue())
    flow.run_day(day)
    assert query(loaded, "select status from audit.submission where path = %s", (rel,)) == [
        ("diterima",)
    ]
    after = book(make(loaded, "unit_ikm", "32", "2023", filled=True))[DATA_SHEET]
    assert sorted(after.iter_rows(min_row=2, values_only=True)) == [
        r for r in province if r[position] != scope
    ]
    mine = book(make(loaded, "unit_ikm", scope, "2023", filled=True))[DATA_SHEET]
    assert sorted(mine.iter_rows(min_row=2, values_only=True)) == own


@pytest.mark.parametrize("jenis", JENIS)
def test_the_filled_template_sent_back_unchanged_loads_the_same_rows(loaded, jenis):
    kind = get_kind(jenis)
    periode, kantor = largest_office(loaded, jenis)
    data = make(loaded, jenis, kantor, periode, filled=True)
    before = data_rows(data)
    day = dt.date(2026, 4, 1) + dt.timedelta(days=JENIS.index(jenis))
    rel = land(day, kantor, template_file_name(jenis, periode), data)
    flow.run_day(day)
    status, accepted, notes = query(
        loaded,
        "select status, jumlah_baris_diterima, catatan from audit.submission where path = %s",
        (rel,),
    )[0]
    assert (status, accepted) == ("diterima", len(before)), notes
    assert stored(loaded, kind, "s.path = %s", (rel,)) == before
    after = stored(loaded, kind, "s.kode_wilayah = %s and s.periode = %s", (kantor, periode))
    assert after == before


# -- python -m etl templat ---------------------------------------------------------------------


def test_the_command_writes_the_template(loaded, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    templat.register(parser.add_subparsers())
    out = tmp_path / "unduhan" / "unit_ikm_2023.xlsx"
    args = parser.parse_args(["templat", "unit_ikm", "--kantor", "32", "--periode", "2023"])
    args.out, args.isi = out, True
    assert args.func(args) == 0
    assert data_rows(out.read_bytes()) == data_rows(
        make(loaded, "unit_ikm", "32", "2023", filled=True)
    )
    assert str(out) in capsys.readouterr().out
    args = parser.parse_args(["templat", "unit_ikm", "--kantor", "32", "--isi"])
    assert args.func(args) == 2
    assert "periode" in capsys.readouterr().err
