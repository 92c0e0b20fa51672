"""Validation in batches: many offices' files in one suite run, each judged as if alone.

One staging table holds every unit_ikm file of a day and period; these tests check that what a
file gets (its quarantined rows, its status, its suite results) does not depend on the other
files of its batch.
"""

from __future__ import annotations

import datetime as dt

import pytest

from etl import flow
from tests.conftest import query
from tests.support.factories import HEADER, land_csv, unit_ikm_row

pytestmark = pytest.mark.integration

DAY = "2024-07-01"


def land(office: str, name: str, rows: list[dict]) -> str:
    return land_csv(f"{DAY}/{office}/{name}", HEADER, rows)


def nibs(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i:03d}" for i in range(n)]


def outcome(url, rel: str) -> tuple[str, set[tuple[int, str, str | None]]]:
    (status, sid) = query(
        url, "select status, submission_id from audit.submission where path = %s", (rel,)
    )[0]
    rows = query(
        url,
        "select baris, kode_aturan, nilai from audit.karantina where submission_id = %s",
        (sid,),
    )
    return status, {tuple(r) for r in rows}


def test_each_file_in_a_batch_is_judged_on_its_own(warehouse):
    # West Java's kab. Bogor (3201) sends a unit in Surabaya (3578): outside its region.
    bogor = [unit_ikm_row(n) for n in nibs("3201000000", 9)]
    bogor[4] = unit_ikm_row("3201000000999", kode_kabkota="3578")
    # East Java province (35) sends Surabaya units: inside its region, the same NIB as one of
    # Bogor's (a NIB in two files is not a duplicate), and a NIB twice within its own file.
    surabaya = [unit_ikm_row(n, kode_kabkota="3578") for n in nibs("3578000000", 12)]
    surabaya[0] = unit_ikm_row("3201000000001", kode_kabkota="3578")
    surabaya[7] = unit_ikm_row("3578000000003", kode_kabkota="3578")
    # A clean file from a third office in the same batch.
    bandung = [unit_ikm_row(n, kode_kabkota="3273") for n in nibs("3273000000", 5)]
    rel_bogor = land("3201", "unit_ikm_2023.csv", bogor)
    rel_surabaya = land("35", "unit_ikm_2023.csv", surabaya)
    rel_bandung = land("32", "unit_ikm_2023.csv", bandung)

    flow.run_day(dt.date.fromisoformat(DAY))

    # Excel row numbers: header is row 1, list index i is row i + 2.
    assert outcome(warehouse, rel_bogor) == (
        "diterima_sebagian",
        {(6, "kabkota_di_luar_wilayah", "3578")},
    )
    assert outcome(warehouse, rel_surabaya) == (
        "diterima_sebagian",
        {(5, "nib_ganda", "3578000000003"), (9, "nib_ganda", "3578000000003")},
    )
    assert outcome(warehouse, rel_bandung) == ("diterima", set())
    # One staging table served all three, and it is gone once they were loaded.
    tables = query(
        warehouse,
        "select distinct tabel_staging from audit.submission where path = any(%s)",
        ([rel_bogor, rel_surabaya, rel_bandung],),
    )
    assert len(tables) == 1
    assert query(warehouse, "select count(*) from pg_tables where schemaname = 'staging'") == [(0,)]
    # Each file's suite results are its own: Bandung's show no failure at all.
    failed = query(
        warehouse,
        "select s.path, h.kode_aturan, h.jumlah_tidak_sesuai from audit.hasil_validasi as h "
        "join audit.submission as s using (submission_id) "
        "where not h.sukses and s.path = any(%s) order by 1, 2",
        ([rel_bogor, rel_surabaya, rel_bandung],),
    )
    assert sorted(failed) == sorted(
        [(rel_surabaya, "nib_ganda", 2), (rel_bogor, "kabkota_di_luar_wilayah", 1)]
    )
    (loaded,) = query(
        warehouse,
        "select count(*) from core.fakta_unit_ikm as f join audit.submission as s "
        "using (submission_id) where s.path = any(%s)",
        ([rel_bogor, rel_surabaya, rel_bandung],),
    )[0]
    assert loaded == 8 + 10 + 5


def test_a_file_rejected_in_a_batch_leaves_the_others_accepted(warehouse):
    clean = [unit_ikm_row(n) for n in nibs("3201000000", 5)]
    hopeless = [
        unit_ikm_row(n, kbli="46100", kode_kabkota="3273") for n in nibs("3273000000", 5)
    ]  # all trade
    rel_clean = land("3201", "unit_ikm_2023.csv", clean)
    rel_bad = land("3273", "unit_ikm_2023.csv", hopeless)

    flow.run_day(dt.date.fromisoformat(DAY))

    assert outcome(warehouse, rel_clean) == ("diterima", set())
    status, flagged = outcome(warehouse, rel_bad)
    assert status == "ditolak" and {k for _, k, _ in flagged} == {"kbli_bukan_industri"}
    assert len(flagged) == 5
