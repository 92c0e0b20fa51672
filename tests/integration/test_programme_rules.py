"""Budget reports: the mart's months and ceilings, and the rules that span several files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from etl import flow
from tests.conftest import query
from tests.support.factories import land_csv

pytestmark = pytest.mark.integration

HEADER = [
    "kode_satker",
    "nama_satker",
    "kode_wilayah",
    "mekanisme",
    "fokus",
    "kegiatan",
    "pagu",
    "realisasi",
    "target_output",
    "capaian_output",
    "satuan_output",
]


def activity(
    fokus: str,
    kegiatan: str,
    pagu: int,
    realisasi: int,
    target: str = "10",
    capaian: str = "1",
    satuan: str = "IKM",
    satker: str = "320001",
    wilayah: str = "32",
) -> dict:
    return dict(
        zip(
            HEADER,
            [
                satker,
                "Dinas Perindustrian Jawa Barat",
                wilayah,
                "dekonsentrasi",
                fokus,
                kegiatan,
                pagu,
                realisasi,
                target,
                capaian,
                satuan,
            ],
            strict=True,
        )
    )


def land(day: str, office: str, month: str, rows: list[dict]) -> str:
    return land_csv(f"{day}/{office}/realisasi_program_{month}.csv", HEADER, rows)


def run(*days: str) -> None:
    for day in days:
        flow.run_day(dt.date.fromisoformat(day))


def quarantined(url, rel: str) -> set[tuple[int, str]]:
    return set(
        query(
            url,
            "select k.baris, k.kode_aturan from audit.karantina k join "
            "audit.submission s using (submission_id) where s.path = %s",
            (rel,),
        )
    )


def test_months_without_a_report_count_zero_and_the_ceiling_is_the_last_reported(warehouse):
    land(
        "2024-06-03",
        "32",
        "2024-01",
        [activity("siinas", "Pendataan", 100, 10), activity("ovop", "Kurasi OVOP", 50, 5)],
    )
    # February: the siinas ceiling is revised to 120; nothing for ovop this month
    land("2024-06-04", "32", "2024-02", [activity("siinas", "Pendataan", 120, 20)])
    run("2024-06-03", "2024-06-04")
    rows = {
        (r[0], r[1]): r[2:]
        for r in query(
            warehouse,
            "select fokus, bulan, pagu, realisasi_kumulatif, "
            "persen_serapan from mart.serapan_anggaran",
        )
    }
    assert rows[("siinas", 1)] == (120, 10, Decimal("8.33"))
    assert rows[("siinas", 2)] == (120, 30, 25)
    assert rows[("ovop", 2)] == (50, 5, 10)  # not reported in February: still there, adds 0


def test_a_late_january_that_pushes_the_year_past_the_ceiling_is_quarantined(warehouse):
    feb = land("2024-06-03", "32", "2024-02", [activity("siinas", "Pendataan", 100, 60)])
    jan = land(
        "2024-06-04",
        "32",
        "2024-01",
        [activity("siinas", "Pendataan", 100, 60), activity("ovop", "Kurasi OVOP", 50, 5)],
    )
    run("2024-06-03", "2024-06-04")
    assert quarantined(warehouse, feb) == set()
    assert quarantined(warehouse, jan) == {(2, "realisasi_kumulatif_melebihi_pagu")}
    (total,) = query(
        warehouse, "select sum(realisasi) from core.fakta_realisasi_program where fokus = 'siinas'"
    )[0]
    assert total <= 100


def test_the_output_unit_stays_the_same_in_every_month(warehouse):
    land("2024-06-03", "32", "2024-02", [activity("siinas", "Pendataan", 100, 10, satuan="IKM")])
    jan = land(
        "2024-06-04", "32", "2024-01", [activity("siinas", "Pendataan", 100, 10, satuan="orang")]
    )
    run("2024-06-03", "2024-06-04")
    assert quarantined(warehouse, jan) == {(2, "satuan_output_berubah")}


def test_an_office_cannot_report_a_satker_of_another_region(warehouse):
    land("2024-06-03", "32", "2024-01", [activity("siinas", "Pendataan", 100, 10)])
    hijack = land(
        "2024-06-04", "35", "2024-01", [activity("siinas", "Pendataan", 999, 0, wilayah="35")]
    )
    run("2024-06-03", "2024-06-04")
    assert quarantined(warehouse, hijack) == {(2, "satker_di_luar_wilayah")}
    (pagu,) = query(warehouse, "select pagu from core.fakta_realisasi_program")[0]
    assert pagu == 100  # Jawa Barat's report stays in force
