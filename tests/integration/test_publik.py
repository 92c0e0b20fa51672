"""The public layer discloses no enterprise, and publishes everything else exactly.

Three warehouses: one built to hold small and dominated cells, the samples, and the national
set at one per mille (4,400 units over 514 kab/kota: most cells small). On each, an intruder
with the public table only (``tests/support/sdc_attack.py``) tries to recover every suppressed
value by subtraction and as a linear system, and must fail for each; the published values must
equal the marts; and ``publik_reader`` is refused everything but schema ``publik``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections import defaultdict
from pathlib import Path

import psycopg
import pytest

from etl import flow
from etl.generators import national
from etl.settings import PUBLIK_READER_ROLE, get_settings, publik_reader_password
from etl.stages import s1_landing as landing
from etl.stages.s5_publish import disclosure, marts, public_layer
from etl.warehouse import connect, migrations
from tests.conftest import dsn, query
from tests.integration.test_bi_reader import FORBIDDEN
from tests.support import sdc_attack
from tests.support.factories import HEADER, land_csv, unit_ikm_row

pytestmark = pytest.mark.integration

DAY = dt.date(2024, 2, 5)
NIB = iter(range(9_100_000_000_000, 9_200_000_000_000))


def unit(
    kabkota: str,
    skala: str = "kecil",
    investasi: int = 50_000_000,
    produksi: int = 100_000_000,
    **kw,
):
    return unit_ikm_row(
        str(next(NIB)),
        kode_kabkota=kabkota,
        skala=skala,
        nilai_investasi=str(investasi),
        nilai_produksi_setahun=str(produksi),
        tanggal_pendataan="2023-06-01",
        **kw,
    )


def menengah(kabkota: str, **kw):
    return unit(
        kabkota,
        "menengah",
        investasi=kw.pop("investasi", 2_000_000_000),
        produksi=kw.pop("produksi", 3_000_000_000),
        **kw,
    )


# kab/kota of Jawa Barat (32) and Jawa Tengah (33), each built for one rule
REGISTER = {
    "32": [
        *(unit("3201", investasi=900_000_000, produksi=2_000_000_000 + i) for i in range(5)),
        menengah("3201", investasi=1_000_000_000, produksi=2_000_000_000),  # one: threshold
        *(unit("3202", produksi=90_000_000) for i in range(4)),
        unit("3202", produksi=9_000_000_000),  # one unit makes almost all production: dominance
        *(unit("3203") for _ in range(6)),
        *(menengah("3203") for _ in range(3)),
        *(unit("3204") for _ in range(2)),  # two units in all: threshold, and its total too
        *(unit("3205") for _ in range(7)),
    ],
    "33": [
        *(unit("3301") for _ in range(8)),
        *(menengah("3301") for _ in range(4)),
        *(unit("3302") for _ in range(3)),
        menengah("3302", investasi=14_000_000_000),
        *(unit("3303") for _ in range(5)),
    ],
}


def public_rows(url) -> list[dict]:
    """The public table as publik_reader reads it."""
    with psycopg.connect(
        dsn(url.set(username=PUBLIK_READER_ROLE, password=publik_reader_password()))
    ) as conn:
        cur = conn.execute("select * from publik.ikm_per_wilayah")
        names = [d.name for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def true_cells(url) -> dict[tuple, dict]:
    """Every cell's values recomputed from the mart (as the owner), at every level."""
    cells: dict[tuple, dict] = defaultdict(
        lambda: dict.fromkeys(("jumlah_unit", *sdc_attack.VALUES), 0)
    )
    columns = ("jumlah_unit", *sdc_attack.VALUES)
    for row in query(
        url,
        f"select tahun, kode_provinsi, kode_kabkota, skala, {', '.join(columns)} "
        "from mart.ikm_per_wilayah",
    ):
        tahun, provinsi, kabkota, skala, *values = row
        for key in ((tahun, "kabkota", kabkota, s) for s in (skala, "semua")):
            for c, v in zip(columns, values, strict=True):
                cells[key][c] += v
        for s in (skala, "semua"):
            for key in ((tahun, "provinsi", provinsi, s), (tahun, "nasional", "", s)):
                for c, v in zip(columns, values, strict=True):
                    cells[key][c] += v
    return dict(cells)


def attack(rows: list[dict], truth: dict) -> dict[str, int]:
    """Try both attacks on every value column; fail the test on any suppressed value found."""
    suppressed = [r for r in rows if r["ditekan"]]
    for column in sdc_attack.VALUES:
        for how in (sdc_attack.by_subtraction, sdc_attack.by_linear_system):
            recovered = how(rows, column)
            assert not recovered, (
                f"{how.__name__} recovers {len(recovered)} suppressed {column} value(s), e.g. "
                f"{sorted(recovered.items())[:3]} (true: "
                f"{[truth[k][column] for k in sorted(recovered)[:3]]})"
            )
    return {"ditekan": len(suppressed)}


def check_published_values(rows: list[dict], truth: dict) -> None:
    assert len(rows) == len(truth)
    for row in rows:
        key = sdc_attack._key(row)
        assert row["jumlah_unit"] == truth[key]["jumlah_unit"], key
        for column in sdc_attack.VALUES:
            expected = None if row["ditekan"] else truth[key][column]
            assert row[column] == expected, (key, column)


@pytest.fixture(scope="module")
def crafted(module_warehouse):
    shutil.rmtree(Path(os.environ["IKM_LANDING_DIR"]))
    for office, rows in REGISTER.items():
        land_csv(f"{DAY}/{office}/unit_ikm_2023.csv", HEADER, rows)
    flow.run_day(DAY)
    assert query(module_warehouse, "select distinct status from audit.submission") == [
        ("diterima",)
    ]
    return module_warehouse


def test_small_and_dominated_cells_are_suppressed_for_their_rule(crafted):
    rows = {sdc_attack._key(r): r for r in public_rows(crafted)}
    reason = {k: r["alasan_penekanan"] for k, r in rows.items()}
    assert reason[(2023, "kabkota", "3201", "menengah")] == "ambang"
    assert reason[(2023, "kabkota", "3202", "kecil")] == "dominasi"
    assert reason[(2023, "kabkota", "3204", "kecil")] == "ambang"
    assert reason[(2023, "kabkota", "3204", "semua")] == "ambang"
    assert reason[(2023, "kabkota", "3302", "menengah")] == "ambang"
    # 3202 has no medium unit: its total is the same dominated units
    assert reason[(2023, "kabkota", "3202", "semua")] == "dominasi"
    # 3201's total less its small units would give its medium unit away: one of them goes
    assert "sekunder" in (reason[(2023, "kabkota", "3201", s)] for s in ("kecil", "semua"))
    # 3203 holds the only other medium units of 32: the province's medium total would give
    # 3201's away, so 3203's go too, and one more cell of its row
    assert reason[(2023, "kabkota", "3203", "menengah")] == "sekunder"
    assert "sekunder" in (reason[(2023, "kabkota", "3203", s)] for s in ("kecil", "semua"))
    # large, even cells are published, and the national totals always
    assert reason[(2023, "kabkota", "3205", "kecil")] is None
    assert reason[(2023, "kabkota", "3301", "semua")] is None
    assert all(reason[(2023, "nasional", "", s)] is None for s in ("kecil", "menengah", "semua"))
    # a suppressed cell shows its count of units and no value
    cell = rows[(2023, "kabkota", "3201", "menengah")]
    assert cell["jumlah_unit"] == 1 and cell["nilai_investasi"] is None and cell["ditekan"]


def test_primary_rules_follow_the_units_themselves(crafted):
    """Recomputed from the loaded units: fewer than 3, or the top two over 85 %."""
    units: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    for kabkota, skala, inv, prod in query(
        crafted,
        "select kode_kabkota, skala, nilai_investasi, nilai_produksi_setahun "
        "from core.fakta_unit_ikm",
    ):
        for s in (skala, "semua"):
            units[("kabkota", kabkota, s)].append((inv, prod))
    rows = {sdc_attack._key(r): r for r in public_rows(crafted)}
    for (level, code, skala), values in units.items():
        expected = None
        if len(values) < 3:
            expected = "ambang"
        else:
            for i in (0, 1):
                ranked = sorted((v[i] for v in values), reverse=True)
                if sum(ranked[:2]) * 100 > 85 * sum(ranked):
                    expected = "dominasi"
        got = rows[(2023, level, code, skala)]["alasan_penekanan"]
        if expected:
            assert got == expected, (code, skala)
        else:
            assert got in (None, "sekunder"), (code, skala)


def test_no_suppressed_value_can_be_recovered(crafted):
    rows = public_rows(crafted)
    assert attack(rows, true_cells(crafted))["ditekan"] >= 6


def test_the_attack_recovers_values_when_secondary_suppression_is_left_out(crafted):
    """The intruder is not toothless: with primary suppression only, it gets the true values."""
    truth = true_cells(crafted)
    with connect() as conn:
        rules = public_layer.rules()
        cells = public_layer.cells_from_warehouse(conn, rules)
    rows = []
    for cell in cells.values():
        cell.reason = disclosure._primary(cell, rules)
        row = dict(zip(public_layer.COLUMNS, public_layer._row(cell), strict=True))
        row["ditekan"] = cell.reason is not None
        rows.append(row)
    for how in (sdc_attack.by_subtraction, sdc_attack.by_linear_system):
        recovered = how(rows, "nilai_produksi")
        assert recovered
        for key, value in recovered.items():
            assert value == truth[key]["nilai_produksi"]
    assert (2023, "kabkota", "3201", "menengah") in sdc_attack.by_subtraction(
        rows, "nilai_investasi"
    )


def test_published_cells_equal_the_marts(crafted):
    check_published_values(public_rows(crafted), true_cells(crafted))


def test_the_rules_are_settings(crafted, monkeypatch):
    monkeypatch.setenv("IKM_SDC_AMBANG_UNIT", "6")
    monkeypatch.setenv("IKM_SDC_DOMINASI_UNIT", "1")
    monkeypatch.setenv("IKM_SDC_DOMINASI_PERSEN", "50")
    try:
        marts.refresh()
        rows = public_rows(crafted)
        reason = {sdc_attack._key(r): r["alasan_penekanan"] for r in rows}
        assert reason[(2023, "kabkota", "3303", "kecil")] == "ambang"  # 5 units < 6
        assert reason[(2023, "kabkota", "3302", "menengah")] == "ambang"
        attack(rows, true_cells(crafted))
        ((ambang, n, persen),) = query(
            crafted,
            "select ambang_unit, dominasi_unit, dominasi_persen from publik.aturan_penekanan",
        )
        assert (ambang, n, float(persen)) == (6, 1, 50.0)
    finally:
        monkeypatch.undo()
        marts.refresh()
    assert query(crafted, "select ambang_unit from core.aturan_penekanan") == [(3,)]


def test_publik_reader_reads_the_public_views(crafted):
    with psycopg.connect(
        dsn(crafted.set(username=PUBLIK_READER_ROLE, password=publik_reader_password()))
    ) as conn:
        for view in ("ikm_per_wilayah", "aturan_penekanan", "ringkasan_penekanan"):
            assert conn.execute(f"select count(*) from publik.{view}").fetchone()[0] > 0


PUBLIK_FORBIDDEN = {
    **FORBIDDEN,
    "read a mart": "select * from mart.ikm_per_wilayah",
    "read the mart of unit values by KBLI": "select * from mart.ikm_per_wilayah_kbli",
    "read the public snapshot's table": "select * from core.sel_publik_ikm",
    "read the loaded units": "select nilai_investasi from core.fakta_unit_ikm",
    "write the public snapshot": "delete from core.sel_publik_ikm",
    "create a view in publik": "create view publik.coba as select 1 as a",
    "drop a public view": "drop view publik.ikm_per_wilayah",
    "replace a public view": "create or replace view publik.aturan_penekanan as select 1 as a",
    "become superuser": "alter role publik_reader superuser",
}


@pytest.mark.parametrize("what", sorted(PUBLIK_FORBIDDEN))
def test_publik_reader_is_refused_everything_else(crafted, what):
    conn = psycopg.connect(
        dsn(crafted.set(username=PUBLIK_READER_ROLE, password=publik_reader_password())),
        autocommit=True,
    )
    with conn:
        # its sessions are read-only by default; lift that, so each refusal is the grants' doing
        conn.execute("set default_transaction_read_only = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(PUBLIK_FORBIDDEN[what])


def test_the_samples_disclose_nothing(warehouse):
    for day in landing.arrival_days():
        flow.run_day(day)
    rows = public_rows(warehouse)
    truth = true_cells(warehouse)
    check_published_values(rows, truth)
    attack(rows, truth)
    # a cell of one or two units never shows a figure of theirs; the samples hold dominated
    # cells, and the cells their totals would give away
    assert all(r["alasan_penekanan"] == "ambang" for r in rows if r["jumlah_unit"] < 3)
    reasons = {r["alasan_penekanan"] for r in rows}
    assert {"dominasi", "sekunder"} <= reasons


def test_the_national_set_discloses_nothing(warehouse):
    root = Path(os.environ["IKM_LANDING_DIR"])
    shutil.rmtree(root)
    day = dt.date(2023, 3, 20)
    national.generate_national(root, get_settings().reference_dir, fraction=0.001, tanggal_tiba=day)
    flow.run_day(day)
    rows = public_rows(warehouse)
    truth = true_cells(warehouse)
    check_published_values(rows, truth)
    result = attack(rows, truth)
    assert result["ditekan"] > 0
    national_total = [r for r in rows if r["tingkat"] == "nasional" and r["skala"] == "semua"]
    assert national_total[0]["jumlah_unit"] == 4_400 and national_total[0]["tenaga_kerja"] == 12_390


def test_migrate_keeps_the_public_snapshot(crafted):
    before = query(crafted, "select count(*), count(alasan_penekanan) from core.sel_publik_ikm")
    migrations.prepare()
    assert (
        query(crafted, "select count(*), count(alasan_penekanan) from core.sel_publik_ikm")
        == before
    )
