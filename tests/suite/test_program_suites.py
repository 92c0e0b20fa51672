"""The suites of tenaga_kerja, realisasi_program and peserta_program on pandas frames.

As for unit_ikm: a clean frame passes every expectation, and every expectation is seen
failing on the one row built to break it.
"""

from __future__ import annotations

import json

import pytest

from etl import contract
from etl.stages import s2_extract as extract
from etl.stages import s3_validate as validate

pytestmark = pytest.mark.suite

PARAMS = {
    "kode_kabkota_referensi": ["3201", "3202", "3273"],
    "kode_wilayah_referensi": ["32", "3201", "3202", "3273", "35"],
    "kbli_kelompok_industri": ["10792"],
    "kbli_golongan_pokok_industri": ["10", "13", "31"],
    "tahun_periode": 2024,
    "awal_periode": "2024-01-01",
    "akhir_periode": "2024-12-31",
}

CLEAN = {
    "tenaga_kerja": [
        {
            "kode_kabkota": "3201",
            "kbli_golongan_pokok": g,
            "skala": s,
            "jumlah_unit": "10",
            "tenaga_kerja_laki": "30",
            "tenaga_kerja_perempuan": "25",
        }
        for g in ("10", "13")
        for s in ("kecil", "menengah", "besar")
    ],
    "realisasi_program": [
        {
            "kode_satker": "320001",
            "nama_satker": "Dinas Perindustrian Jawa Barat",
            "kode_wilayah": "32",
            "mekanisme": "tugas_pembantuan",
            "fokus": f,
            "kegiatan": f"Kegiatan {i}",
            "pagu": "500000000",
            "realisasi": "40000000",
            "target_output": "100",
            "capaian_output": "8",
            "satuan_output": "IKM",
        }
        for i, f in enumerate(("siinas", "tkdn_ik", "ovop", "kemiskinan_ekstrem"))
    ],
    "peserta_program": [
        {
            "kode_satker": "320001",
            "fokus": "tkdn_ik",
            "kegiatan": "Fasilitasi TKDN IK",
            "nib": f"320100000000{i}",
            "tanggal": "2024-05-02",
            "hasil": "sertifikat terbit",
            "nomor_sertifikat": f"TKDN-{i}",
            "nilai_tkdn_persen": "45.5",
            "bintang_ovop": "3",
        }
        for i in range(5)
    ],
}

BAD_VALUE = {
    "wajib_diisi": None,
    "kabkota_tidak_dikenal": "3299",
    "kabkota_di_luar_wilayah": "3578",
    "golongan_pokok_bukan_industri": "46",
    "skala_tidak_dikenal": "sedang",
    "tidak_boleh_negatif": "-1",
    "satker_format": "32001",
    "wilayah_tidak_dikenal": "39",
    "wilayah_di_luar_kantor": "35",
    "mekanisme_tidak_dikenal": "hibah",
    "fokus_tidak_dikenal": "umkm",
    "nib_format": "12345",
    "tanggal_di_luar_periode": "2023-12-31",
    "tkdn_di_luar_rentang": "120",
    "bintang_ovop_di_luar_rentang": "7",
}

CASES = [
    (jenis, i)
    for jenis in CLEAN
    for i in range(len(json.loads(contract.get_kind(jenis).suite_path.read_text())["expectations"]))
]


def _frame(kind, rows, drop=None):
    header = [c.nama for c in kind.columns]
    cells = [[r.get(h) or None for h in header] for r in rows]
    batch, _ = extract.to_batch(kind, header, list(enumerate(cells, start=2)))
    df = batch.to_pandas()
    return df.drop(columns=[drop]) if drop else df


@pytest.mark.parametrize("jenis", list(CLEAN))
def test_clean_frames_pass(jenis):
    kind = contract.get_kind(jenis)
    outcome = validate.validate_frame(kind, _frame(kind, CLEAN[jenis]), PARAMS, "32")
    assert outcome.file_errors == [] and outcome.failures == []


def _break(jenis: str, expectation: dict) -> tuple[list[dict], str | None, str]:
    """Rows with row 3 broken for this expectation; a column to drop; the column to blame."""
    rows = [dict(r) for r in CLEAN[jenis]]
    kode, kwargs = expectation["meta"]["kode"], expectation["kwargs"]
    if kode == "kolom_wajib":
        return rows, kwargs["column_set"][0], ""
    if kode == "baris_ganda":
        rows[1] = dict(rows[2])  # row 3 repeats row 4
        return rows, None, expectation["meta"]["kolom"]
    if kode == "realisasi_melebihi_pagu":
        rows[1]["realisasi"] = "600000000"
        return rows, None, "realisasi"
    column = expectation["meta"].get("kolom") or kwargs["column"]
    rows[1][column] = BAD_VALUE[kode]
    return rows, None, column


@pytest.mark.parametrize(("jenis", "index"), CASES, ids=[f"{j}-{i}" for j, i in CASES])
def test_each_expectation_fails_on_the_row_that_breaks_it(jenis, index):
    kind = contract.get_kind(jenis)
    expectation = json.loads(kind.suite_path.read_text())["expectations"][index]
    rows, drop, column = _break(jenis, expectation)
    outcome = validate.validate_frame(kind, _frame(kind, rows, drop), PARAMS, "32")
    kode = expectation["meta"]["kode"]
    if expectation["meta"]["tingkat"] == "berkas":
        assert outcome.file_errors
        return
    flagged = {f.baris for f in outcome.failures if f.kode_aturan == kode and f.kolom == column}
    assert 3 in flagged, (kode, column, outcome.failures)
