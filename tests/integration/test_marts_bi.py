"""The BI marts answer what the loaded data says, and they are documented in the database.

The sample landing zone (every kind, bad rows, a rejected file, late files, a correction) is
loaded once through the ``etl`` package; each expected figure is recomputed here in Python from
the ``core`` and ``audit`` rows, never from the marts' own SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from etl import flow, warehouse
from etl.ops import data_dictionary
from etl.stages import s1_landing as landing
from etl.stages.s5_publish import marts
from etl.warehouse import migrations
from tests.conftest import query

pytestmark = pytest.mark.integration

PERSONAL = ("nama_pemilik", "nik_pemilik", "no_telepon", "alamat")


def pct(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@pytest.fixture(scope="module")
def loaded(module_warehouse):
    for day in landing.arrival_days():
        flow.run_day(day)
    return module_warehouse


def provinces(url) -> dict[str, tuple[str, str]]:
    """kode_kabkota → (kode_provinsi, nama_provinsi), from the reference list loaded."""
    return {
        k: (p, n)
        for k, p, n in query(
            url, "select kode_wilayah, kode_provinsi, nama_provinsi from core.dim_wilayah"
        )
    }


def test_every_mart_is_materialized_with_a_unique_key_except_the_edition_list(loaded):
    kinds = dict(
        query(
            loaded,
            "select c.relname, c.relkind from pg_class as c inner join pg_namespace as n "
            "on c.relnamespace = n.oid where n.nspname = 'mart' and c.relkind in ('v', 'm')",
        )
    )
    assert kinds.pop("edisi_referensi") == "v"
    assert set(kinds.values()) == {"m"}
    assert {
        "ikm_per_wilayah",
        "pangsa_tenaga_kerja",
        "serapan_anggaran",
        "status_pengiriman",
        "ikm_per_kbli",
        "capaian_peserta_program",
        "tingkat_pelaporan",
        "serapan_anggaran_terkini",
        "indikator_ikm",
    } <= set(kinds)
    with warehouse.connect() as conn:
        assert all(unique for _, unique in marts.materialized_marts(conn))  # refreshed concurrently


def test_headline_questions_answer_in_one_query_each(loaded):
    """How many IKM units and workers, and what share of industrial workers, nationally and
    per province; recomputed from the facts."""
    where = provinces(loaded)
    units = query(
        loaded,
        "select tahun, kode_kabkota, tenaga_kerja_laki + tenaga_kerja_perempuan "
        "from core.fakta_unit_ikm",
    )
    latest = max(t for t, _, _ in units)
    per_prov_units: Counter[str] = Counter()
    per_prov_workers: Counter[str] = Counter()
    for tahun, kabkota, workers in units:
        if tahun == latest:
            per_prov_units[where[kabkota][0]] += 1
            per_prov_workers[where[kabkota][0]] += workers
    stats = query(
        loaded,
        "select tahun, kode_kabkota, skala, jumlah_unit, "
        "tenaga_kerja_laki + tenaga_kerja_perempuan from core.fakta_tenaga_kerja where tahun = %s",
        (latest,),
    )
    ikm_workers: Counter[str] = Counter()
    all_workers: Counter[str] = Counter()
    for _, kabkota, skala, _, workers in stats:
        all_workers[where[kabkota][0]] += workers
        if skala != "besar":
            ikm_workers[where[kabkota][0]] += workers
    assert per_prov_units and all_workers, "the samples load registers and workforce data"

    (national,) = query(
        loaded,
        "select tahun, jumlah_unit_ikm, tenaga_kerja_unit_ikm, tenaga_kerja_ikm, "
        "tenaga_kerja_industri, persen_ikm from mart.indikator_ikm "
        "where tingkat = 'nasional' and tahun_terakhir",
    )
    assert national == (
        latest,
        sum(per_prov_units.values()),
        sum(per_prov_workers.values()),
        sum(ikm_workers.values()),
        sum(all_workers.values()),
        pct(sum(ikm_workers.values()), sum(all_workers.values())),
    )
    rows = query(
        loaded,
        "select kode_wilayah, jumlah_unit_ikm, tenaga_kerja_ikm, persen_ikm "
        "from mart.indikator_ikm where tingkat = 'provinsi' and tahun = %s",
        (latest,),
    )
    assert {r[0]: r[1:] for r in rows} == {
        p: (
            per_prov_units.get(p),
            ikm_workers.get(p) if p in all_workers else None,
            pct(ikm_workers[p], all_workers[p]),
        )
        for p in set(per_prov_units) | set(all_workers)
    }
    # the national unit count is the contract view's, to the unit
    (contract,) = query(
        loaded, "select sum(jumlah_unit) from mart.ikm_per_wilayah where tahun = %s", (latest,)
    )
    assert contract[0] == national[1]


def test_budget_absorption_per_work_unit_and_focus(loaded):
    reports = query(
        loaded,
        "select tahun, bulan, kode_satker, mekanisme, fokus, pagu, realisasi "
        "from core.fakta_realisasi_program",
    )
    spent: Counter[tuple] = Counter()
    last_month: dict[tuple, int] = {}
    for tahun, bulan, satker, mekanisme, fokus, _, realisasi in reports:
        key = (tahun, satker, mekanisme, fokus)
        spent[key] += realisasi
        last_month[(tahun, satker)] = max(last_month.get((tahun, satker), 0), bulan)
    ceiling: Counter[tuple] = Counter()
    key_month: dict[tuple, int] = {}
    for tahun, bulan, satker, mekanisme, fokus, _, _ in reports:
        key = (tahun, satker, mekanisme, fokus)
        key_month[key] = max(key_month.get(key, 0), bulan)
    for tahun, bulan, satker, mekanisme, fokus, pagu, _ in reports:
        if bulan == key_month[(tahun, satker, mekanisme, fokus)]:
            ceiling[(tahun, satker, mekanisme, fokus)] += pagu
    rows = query(
        loaded,
        "select tahun_anggaran, kode_satker, mekanisme, fokus, bulan_terakhir, pagu, "
        "realisasi_kumulatif, persen_serapan from mart.serapan_anggaran_terkini",
    )
    assert len(rows) == len(spent) > 0
    for tahun, satker, mekanisme, fokus, bulan, pagu, realisasi, persen in rows:
        key = (tahun, satker, mekanisme, fokus)
        assert bulan == last_month[(tahun, satker)]
        assert (pagu, realisasi, persen) == (
            ceiling[key],
            spent[key],
            pct(spent[key], ceiling[key]),
        )
    # per focus area nationally: one query
    per_focus = dict(
        query(
            loaded,
            "select fokus, round(100.0 * sum(realisasi_kumulatif) / sum(pagu), 2) "
            "from mart.serapan_anggaran_terkini group by fokus",
        )
    )
    for fokus in {k[3] for k in spent}:
        keys = [k for k in spent if k[3] == fokus]
        assert per_focus[fokus] == pct(sum(spent[k] for k in keys), sum(ceiling[k] for k in keys))


def test_ikm_by_kbli_division_adds_up_to_the_registers(loaded):
    where = provinces(loaded)
    expected = Counter(
        (tahun, where[kabkota][0], kbli[:2], skala)
        for tahun, kabkota, kbli, skala in query(
            loaded, "select tahun, kode_kabkota, kbli, skala from core.fakta_unit_ikm"
        )
    )
    rows = query(
        loaded,
        "select tahun, kode_provinsi, kbli_golongan_pokok, skala, jumlah_unit, nama_golongan_pokok "
        "from mart.ikm_per_kbli",
    )
    assert {r[:4]: r[4] for r in rows} == dict(expected)
    titles = dict(
        query(loaded, "select kode_kbli, judul from core.dim_kbli where tingkat = 'golongan_pokok'")
    )
    assert all(r[5] == titles[r[2]] for r in rows)


def test_programme_participants_and_their_outcomes(loaded):
    rows = query(
        loaded,
        "select kode_satker, fokus, nib, nomor_sertifikat, nilai_tkdn_persen, bintang_ovop, tahun "
        "from core.fakta_peserta_program",
    )
    assert rows
    siinas = dict(
        query(
            loaded,
            "select distinct on (nib) nib, terdaftar_siinas from core.fakta_unit_ikm "
            "order by nib, tahun desc",
        )
    )
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for row in rows:
        groups[(row[6], row[0], row[1])].append(row)
    mart_rows = {
        r[:3]: r[3:]
        for r in query(
            loaded,
            "select tahun, kode_satker, fokus, jumlah_peserta, peserta_terdaftar_siinas, "
            "sertifikat_tkdn_ik, ovop_bintang_1, ovop_bintang_2, ovop_bintang_3, ovop_bintang_4, "
            "ovop_bintang_5 from mart.capaian_peserta_program",
        )
    }
    assert set(mart_rows) == set(groups)
    for key, members in groups.items():
        nibs = {m[2] for m in members}
        stars = Counter(m[5] for m in members if m[5] is not None)
        assert mart_rows[key] == (
            len(nibs),
            sum(1 for n in nibs if siinas.get(n)),
            len({m[3] for m in members if m[3] is not None}),
            *(stars.get(s, 0) for s in range(1, 6)),
        )
    # the sample programme lists do carry each outcome
    assert sum(v[2] for v in mart_rows.values()) > 0  # TKDN IK certificates
    assert sum(sum(v[3:]) for v in mart_rows.values()) > 0  # OVOP stars


def test_reporting_rates_per_office_province_and_nation(loaded):
    offices = query(
        loaded,
        "select jenis, periode, kode_wilayah, status, terlambat from mart.status_pengiriman",
    )
    where = provinces(loaded)
    rates = {
        (r[0], r[1], r[2], r[3]): r[4:]
        for r in query(
            loaded,
            "select jenis, periode, tingkat, kode_wilayah, laporan_diharapkan, laporan_diterima, "
            "laporan_tepat_waktu, laporan_terlambat, belum_dikirim, persen_pelaporan, "
            "persen_tepat_waktu from mart.tingkat_pelaporan",
        )
    }

    def expected(members):
        received = [m for m in members if m[3] in ("diterima", "diterima_sebagian")]
        on_time = [m for m in received if not m[4]]
        return (
            len(members),
            len(received),
            len(on_time),
            len(received) - len(on_time),
            sum(1 for m in members if m[3] == "belum_dikirim"),
            pct(len(received), len(members)),
            pct(len(on_time), len(members)),
        )

    levels: dict[tuple, list] = defaultdict(list)
    for office in offices:
        jenis, periode, kode = office[:3]
        levels[(jenis, periode, "kantor", kode)].append(office)
        levels[(jenis, periode, "provinsi", where[kode][0])].append(office)
        levels[(jenis, periode, "nasional", "00")].append(office)
    assert set(rates) == set(levels)
    assert all(rates[k] == expected(v) for k, v in levels.items())
    # the samples hold both on-time and late submissions, and offices that sent nothing
    national = [v for k, v in rates.items() if k[2] == "nasional"]
    assert sum(v[2] for v in national) > 0 and sum(v[3] for v in national) > 0
    assert sum(v[4] for v in national) > 0


def test_deadlines_are_settings(loaded, monkeypatch):
    deadlines = dict(
        query(
            loaded, "select distinct jenis || ' ' || periode, tenggat from mart.tingkat_pelaporan"
        )
    )
    # yearly kinds by 31 March of the next year, monthly ones by the 10th of the next month
    assert deadlines["unit_ikm 2023"] == dt.date(2024, 3, 31)
    monthly = [k for k in deadlines if k.startswith("realisasi_program ")]
    assert monthly
    for key in monthly:
        year, month = map(int, key.split()[1].split("-"))
        nxt = dt.date(year + month // 12, month % 12 + 1, 10)
        assert deadlines[key] == nxt

    def on_time(jenis: str) -> int:
        return query(
            loaded,
            "select sum(laporan_tepat_waktu) from mart.tingkat_pelaporan "
            "where tingkat = 'nasional' and jenis = %s",
            (jenis,),
        )[0][0]

    before = on_time("unit_ikm")
    assert before > 0
    # a deadline of one day after the period starts: every register is late
    monkeypatch.setenv("IKM_TENGGAT_UNIT_IKM", "1 day")
    migrations.prepare()
    marts.refresh()
    try:
        assert on_time("unit_ikm") == 0
        assert query(
            loaded,
            "select distinct tenggat from mart.tingkat_pelaporan "
            "where jenis = 'unit_ikm' and periode = '2023'",
        ) == [(dt.date(2023, 1, 2),)]
    finally:
        monkeypatch.delenv("IKM_TENGGAT_UNIT_IKM")
        migrations.prepare()
        marts.refresh()
    assert on_time("unit_ikm") == before


def test_no_personal_data_reaches_any_mart(loaded):
    columns = query(
        loaded,
        "select c.relname, a.attname, format_type(a.atttypid, a.atttypmod) from pg_attribute as a "
        "inner join pg_class as c on a.attrelid = c.oid inner join pg_namespace as n "
        "on c.relnamespace = n.oid where n.nspname = 'mart' and c.relkind in ('v', 'm') "
        "and a.attnum > 0 and not a.attisdropped",
    )
    assert not [c for c in columns if any(p in c[1] for p in (*PERSONAL, "nik"))]
    personal = {
        v
        for row in query(
            loaded, "select nama_pemilik, nik_pemilik, no_telepon, alamat from core.dim_unit_ikm"
        )
        for v in row
        if v
    }
    assert len(personal) > 100
    for relname, column, kind in columns:
        if kind == "text":
            values = {
                r[0] for r in query(loaded, f'select distinct "{column}" from mart."{relname}"')
            }
            assert not values & personal, f"mart.{relname}.{column} holds personal data"


def test_the_data_dictionary_is_generated_from_the_database_and_current(loaded):
    with warehouse.connect() as conn:
        relations = data_dictionary.describe(conn)
    assert data_dictionary.missing_comments(relations) == []
    assert {r["nama"] for r in relations} >= {"mart.indikator_ikm", "mart.tingkat_pelaporan"}
    committed = Path(data_dictionary.DEFAULT_OUT).read_text(encoding="utf-8")
    stale = "docs/kamus_data.md is stale: python -m etl dictionary"
    assert committed == data_dictionary.render(relations), stale
