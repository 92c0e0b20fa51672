"""The template's rules read from the contract and suite, without a warehouse: values, the
office's own regions, bounds from the period, Excel's text limits, file names."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from etl.contract import get_kind, kinds
from etl.portal.templat import template_file_name
from etl.portal.templat_aturan import column_rules, describe, fit, sentence
from etl.portal.templat_validasi import ERROR_LIMIT

pytestmark = pytest.mark.unit

PARAMS = {
    "kode_kabkota_referensi": ["3201", "3202", "3273", "3578"],
    "kode_wilayah_referensi": ["32", "3201", "3202", "3273", "35", "3578"],
    "kbli_kelompok_industri": ["10792", "13111", "31001"],
    "kbli_golongan_pokok_industri": ["10", "13", "31"],
    "tahun_periode": 2025,
    "awal_periode": "2025-01-01",
    "akhir_periode": "2025-12-31",
}


def rules_of(jenis: str, params: dict, kantor: str | None) -> dict:
    return {r.nama: r for r in column_rules(get_kind(jenis), params, kantor)}


def suite_sets(jenis: str) -> dict[str, list]:
    suite = json.loads(get_kind(jenis).suite_path.read_text(encoding="utf-8"))
    return {
        e["kwargs"]["column"]: e["kwargs"]["value_set"]
        for e in suite["expectations"]
        if e["type"] == "expect_column_values_to_be_in_set"
    }


@pytest.mark.parametrize("jenis", sorted(kinds()))
def test_every_column_the_suite_restricts_to_a_set_gets_its_values(jenis):
    rules = rules_of(jenis, PARAMS, None)
    assert list(rules) == [c.nama for c in get_kind(jenis).columns]
    for column, value_set in suite_sets(jenis).items():
        expected = PARAMS[value_set["$PARAMETER"]] if isinstance(value_set, dict) else value_set
        assert list(rules[column].values) == expected, column
    others = set(rules) - set(suite_sets(jenis))
    assert all(rules[c].values is None for c in others)


@pytest.mark.parametrize(
    ("kantor", "kabkota", "wilayah"),
    [
        ("3201", ["3201"], ["3201"]),
        ("32", ["3201", "3202", "3273"], ["32", "3201", "3202", "3273"]),
    ],
)
def test_the_region_column_offers_only_the_office_area(kantor, kabkota, wilayah):
    unit = rules_of("unit_ikm", PARAMS, kantor)["kode_kabkota"]
    assert list(unit.values) == kabkota and unit.own_region
    program = rules_of("realisasi_program", PARAMS, kantor)["kode_wilayah"]
    assert list(program.values) == wilayah and program.own_region
    assert (
        list(rules_of("unit_ikm", PARAMS, None)["kode_kabkota"].values)
        == PARAMS["kode_kabkota_referensi"]
    )


def test_bounds_are_merged_and_those_of_the_period_need_one():
    rules = rules_of("unit_ikm", PARAMS, "3201")
    assert (rules["tenaga_kerja_laki"].minimum, rules["tenaga_kerja_laki"].maximum) == (0, 100_000)
    assert (rules["tahun_berdiri"].minimum, rules["tahun_berdiri"].maximum) == (1900, 2025)
    tanggal = rules["tanggal_pendataan"]
    assert (tanggal.minimum, tanggal.maximum) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    lists_only = {k: v for k, v in PARAMS.items() if isinstance(v, list)}
    open_ = rules_of("unit_ikm", lists_only, "3201")
    assert (open_["tahun_berdiri"].minimum, open_["tahun_berdiri"].maximum) == (1900, None)
    assert (open_["tanggal_pendataan"].minimum, open_["tanggal_pendataan"].maximum) == (None, None)
    peserta = rules_of("peserta_program", PARAMS, "32")
    assert (peserta["bintang_ovop"].minimum, peserta["bintang_ovop"].maximum) == (1, 5)


def test_descriptions_say_required_type_and_the_suite_advice():
    rules = rules_of("unit_ikm", PARAMS, "3201")
    nib = " ".join(describe(rules["nib"]))
    assert nib.startswith("Wajib diisi.") and "13 digit" in nib and "OSS" in nib
    assert " ".join(describe(rules["kode_sentra"])).startswith("Boleh dikosongkan.")
    assert "ya, tidak" in " ".join(describe(rules["penjualan_online"]))
    assert "Data pribadi" in " ".join(describe(rules["nik_pemilik"]))
    assert sentence("skala harus kecil") == "Skala harus kecil."
    assert sentence("tenaga_kerja_laki tidak boleh negatif").startswith("tenaga_kerja_laki")


def test_texts_are_cut_at_whole_sentences_within_excels_limits():
    sentences = ["Satu dua tiga.", "Empat lima enam.", "x" * 300]
    assert fit(sentences, 40) == "Satu dua tiga. Empat lima enam."
    assert len(fit(["y" * 400], ERROR_LIMIT)) == ERROR_LIMIT


def test_file_names_follow_the_contract():
    from etl.contract import parse_file_name

    assert template_file_name("unit_ikm", "2025") == "unit_ikm_2025.xlsx"
    assert template_file_name("realisasi_program", "2025-03") == "realisasi_program_2025-03.xlsx"
    parsed = parse_file_name(template_file_name("realisasi_program", "2025-03"))
    assert parsed is not None and (parsed.jenis, parsed.periode) == ("realisasi_program", "2025-03")
    assert template_file_name("tenaga_kerja", None) == "templat_tenaga_kerja.xlsx"
    with pytest.raises(ValueError, match="periode"):
        template_file_name("realisasi_program", "2025")
    with pytest.raises(ValueError, match="tidak dikenal"):
        template_file_name("bukan_jenis", "2025")


def test_stored_text_is_written_as_text_never_as_a_formula(tmp_path):
    import openpyxl

    from etl.portal.templat import _write_rows

    rules = column_rules(get_kind("tenaga_kerja"), PARAMS, None)
    wb = openpyxl.Workbook()
    row = ('=HYPERLINK("http://x")', "0\x0710", "kecil", 3, 4, 5)
    _write_rows(wb.active, rules, [row])
    wb.save(tmp_path / "t.xlsx")
    cells = openpyxl.load_workbook(tmp_path / "t.xlsx").active[2]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x")', "010", "kecil", 3, 4, 5]
    assert cells[0].data_type == "s" and cells[0].number_format == "@"
    assert not any(c.protection.locked for c in cells)
