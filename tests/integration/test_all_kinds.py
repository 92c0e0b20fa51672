"""Every sample day of all four kinds, in order: statuses, quarantine, flags, warnings, marts."""

from __future__ import annotations

import pytest

from etl import flow
from etl.stages import s1_landing as landing
from tests.conftest import query

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def loaded(module_warehouse):
    for day in landing.arrival_days():
        flow.run_day(day)
    return module_warehouse


def test_every_file_ends_as_expected(loaded, sample_manifest):
    found = dict(query(loaded, "select path, status from audit.submission"))
    assert found == {str(f.path): f.diharapkan for f in sample_manifest}


def test_every_bad_row_is_quarantined_and_no_other(loaded, sample_manifest):
    rejected_whole = {str(f.path) for f in sample_manifest if f.diharapkan == "ditolak"}
    quarantined = {
        row
        for row in query(
            loaded,
            "select s.path, k.baris from audit.karantina k "
            "join audit.submission s using (submission_id)",
        )
        if row[0] not in rejected_whole
    }
    assert quarantined == {
        (str(f.path), n)
        for f in sample_manifest
        if f.diharapkan != "ditolak"
        for n in f.baris_buruk
    }


def test_participants_outside_the_register_are_loaded_and_flagged(loaded, sample_manifest):
    flagged = {(str(f.path), n) for f in sample_manifest for n in f.nib_tidak_terdaftar}
    assert flagged, "the samples include participants outside the register"
    warned = set(
        query(
            loaded,
            "select s.path, p.baris from audit.peringatan p join "
            "audit.submission s using (submission_id) "
            "where p.kode_aturan = 'nib_tidak_terdaftar'",
        )
    )
    assert warned == flagged
    rows = query(
        loaded,
        "select s.path, f.baris, f.nib_terdaftar from core.fakta_peserta_program "
        "f join audit.submission s using (submission_id)",
    )
    assert {(p, b) for p, b, known in rows if not known} == flagged


def test_older_region_codes_are_translated_with_a_warning(loaded, sample_manifest):
    expected = {(str(f.path), n) for f in sample_manifest for n in f.peringatan}
    assert expected, "the samples include an older Kemendagri code"
    warned = set(
        query(
            loaded,
            "select s.path, p.baris from audit.peringatan p join "
            "audit.submission s using (submission_id) "
            "where p.kode_aturan = 'kode_wilayah_lama'",
        )
    )
    assert warned == expected
    (old,) = query(loaded, "select count(*) from core.fakta_unit_ikm where kode_kabkota = '9271'")[
        0
    ]
    assert old == 0
    for path, row in expected:
        (code,) = query(
            loaded,
            "select f.kode_kabkota from core.fakta_unit_ikm f join audit.submission s "
            "using (submission_id) where s.path = %s and f.baris = %s",
            (path, row),
        )[0]
        assert code == "9671"


def test_ikm_share_of_industrial_workers_per_province(loaded):
    rows = query(
        loaded,
        "select tahun, kode_provinsi, tenaga_kerja_ikm, tenaga_kerja_industri, "
        "persen_ikm from mart.pangsa_tenaga_kerja order by 2",
    )
    assert rows
    for tahun, _prov, ikm, industri, persen in rows:
        assert tahun == 2023 and 0 < ikm <= industri
        assert float(persen) == round(100 * ikm / industri, 2)
    # the same figures straight from the facts in force
    (ikm, industri) = query(
        loaded,
        "select sum(tenaga_kerja_laki + tenaga_kerja_perempuan) "
        "filter (where skala <> 'besar'), sum(tenaga_kerja_laki + "
        "tenaga_kerja_perempuan) from core.fakta_tenaga_kerja",
    )[0]
    assert sum(r[2] for r in rows) == ikm and sum(r[3] for r in rows) == industri


def test_budget_absorption_accumulates_from_january(loaded):
    rows = query(
        loaded,
        "select tahun_anggaran, bulan, kode_satker, mekanisme, fokus, realisasi_kumulatif, pagu, "
        "persen_serapan from mart.serapan_anggaran",
    )
    assert rows
    for tahun, bulan, satker, mekanisme, fokus, cumulative, pagu, persen in rows:
        (spent,) = query(
            loaded,
            "select coalesce(sum(realisasi), 0) from core.fakta_realisasi_program where tahun = "
            "%s and bulan <= %s and kode_satker = %s and mekanisme = %s and fokus = %s",
            (tahun, bulan, satker, mekanisme, fokus),
        )[0]
        assert cumulative == spent
        assert float(persen) == round(100 * float(spent) / float(pagu), 2)


def test_status_of_every_office_for_every_kind(loaded):
    kinds = {r[0] for r in query(loaded, "select distinct jenis from mart.status_pengiriman")}
    assert kinds == {"unit_ikm", "tenaga_kerja", "realisasi_program", "peserta_program"}
    (offices,) = query(loaded, "select count(*) from core.dim_wilayah")[0]
    per_period = query(
        loaded, "select jenis, periode, count(*) from mart.status_pengiriman group by 1, 2"
    )
    assert all(count == offices for _, _, count in per_period)
    late = query(
        loaded,
        "select kode_wilayah from mart.status_pengiriman where jenis = "
        "'realisasi_program' and periode = '2024-03' and status <> "
        "'belum_dikirim' and terlambat",
    )
    assert ("32",) in late  # arrived 15 April, after the 10th


def test_feedback_lists_the_translated_codes_for_the_office(loaded, sample_manifest):
    import os
    from pathlib import Path

    sent = next(f for f in sample_manifest if f.peringatan)
    report = (
        Path(os.environ["IKM_FEEDBACK_DIR"])
        / sent.tanggal_tiba.isoformat()
        / sent.kode_wilayah
        / f"{sent.path.name}.umpan_balik.md"
    ).read_text(encoding="utf-8")
    assert "## Peringatan (baris tetap dimuat)" in report
    for row in sent.peringatan:
        assert f"| {row} | kode_kabkota |" in report
