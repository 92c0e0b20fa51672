"""The disclosure decision on small tables written out by hand (no database)."""

from __future__ import annotations

import pytest

from etl.settings import settings_from
from etl.stages.s5_publish import disclosure
from etl.stages.s5_publish.disclosure import Rules

pytestmark = pytest.mark.unit

RULES = Rules(ambang_unit=3, dominasi_unit=2, dominasi_persen=85.0)


def leaf_row(kabkota: str, skala: str, units: int, produksi: int, investasi: int = 0) -> dict:
    row = dict.fromkeys(disclosure.VALUE_COLUMNS, 0)
    row |= {
        "tahun": 2023,
        "kode_provinsi": kabkota[:2],
        "nama_provinsi": f"Provinsi {kabkota[:2]}",
        "kode_kabkota": kabkota,
        "nama_kabkota": f"Kab {kabkota}",
        "skala": skala,
        "jumlah_unit": units,
        "nilai_produksi": produksi,
        "nilai_investasi": investasi or produksi,
        "tenaga_kerja": 5 * units,
        "edisi_referensi": "1",
    }
    return row


def table(rows: list[dict], exact: dict | None = None) -> dict:
    """Cells with each leaf's largest unit an even share of it (or ``exact`` lists)."""
    largest = {}
    for r in rows:
        leaf = (2023, r["kode_kabkota"], r["skala"])
        largest[leaf] = {
            name: (exact or {}).get(leaf)
            or disclosure.bounded(r[name] // r["jumlah_unit"], r[name], r["jumlah_unit"])
            for name in disclosure.DOMINANCE_COLUMNS
        }
    return disclosure.table_cells(rows, largest)


def test_the_largest_unit_bounds_the_second():
    assert disclosure.bounded(7, 7, 1) == [(7, True)]
    assert disclosure.bounded(7, 10, 2) == [(7, True), (3, True)]
    assert disclosure.bounded(7, 10, 5) == [(7, True), (3, False)]
    assert disclosure.bounded(2, 10, 5) == [(2, True), (2, False)]


def test_a_lone_unit_is_suppressed_and_no_sum_gives_it_away():
    rows = [
        leaf_row("3201", "kecil", 10, 1000),
        leaf_row("3201", "menengah", 1, 5000),
        leaf_row("3202", "kecil", 12, 1200),
        leaf_row("3202", "menengah", 6, 6000),
        leaf_row("3203", "kecil", 9, 900),
        leaf_row("3203", "menengah", 5, 5000),
    ]
    cells = disclosure.suppress(table(rows), RULES)
    hidden = {k for k, c in cells.items() if c.reason}
    assert cells[(2023, "kabkota", "3201", "menengah")].reason == "ambang"
    assert len(hidden) >= 4  # its row and its column each need a second unknown
    assert disclosure.determined(hidden, disclosure.equations(cells)) == set()
    # primary suppression alone leaves it determined: the check is not vacuous
    only = {(2023, "kabkota", "3201", "menengah")}
    assert disclosure.determined(only, disclosure.equations(cells)) == only
    assert all(cells[(2023, "nasional", "", s)].reason is None for s in ("kecil", "semua"))


def test_dominance_needs_the_exact_two_largest_only_when_the_bound_cannot_decide():
    rows = [leaf_row("3201", "kecil", 4, 1000), leaf_row("3202", "kecil", 30, 3000)]
    # 4 units, the largest 600 of 1000: the second is at most 400, so 100 %: undecided
    skewed = {(2023, "3201", "kecil"): [(600, True), (400, False)]}
    cells = table(rows, skewed)
    assert disclosure.undecided_leaves(cells, RULES) == {(2023, "3201", "kecil")}
    with pytest.raises(ValueError, match="exact largest units"):
        disclosure.suppress(cells, RULES)
    # read exactly: 600 + 150 = 75 % of the cell, not dominated
    cells = table(rows, {(2023, "3201", "kecil"): [(600, True), (150, True)]})
    assert disclosure.undecided_leaves(cells, RULES) == set()
    assert disclosure._primary(cells[(2023, "kabkota", "3201", "kecil")], RULES) is None
    # 600 + 300 = 90 %: dominated
    cells = table(rows, {(2023, "3201", "kecil"): [(600, True), (300, True)]})
    assert disclosure._primary(cells[(2023, "kabkota", "3201", "kecil")], RULES) == "dominasi"


def test_the_rules_come_from_the_settings_within_their_range():
    settings = settings_from(
        {"IKM_SDC_AMBANG_UNIT": "5", "IKM_SDC_DOMINASI_UNIT": "7", "IKM_SDC_DOMINASI_PERSEN": "150"}
    )
    assert (settings.sdc_ambang_unit, settings.sdc_dominasi_unit) == (5, 2)
    assert settings.sdc_dominasi_persen == 100.0
    default = settings_from({})
    assert (default.sdc_ambang_unit, default.sdc_dominasi_unit, default.sdc_dominasi_persen) == (
        3,
        2,
        85.0,
    )
