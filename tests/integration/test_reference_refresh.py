"""A new edition of the reference lists: a kab/kota moves province, a code appears, one goes.

Older facts keep the province of their time, later ones follow the new edition, and the marts
say which edition each row used. The reference folder is a copy in the test's own folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from etl import contract, flow
from etl import warehouse as gudang
from etl.settings import get_settings
from etl.warehouse import migrations, reference
from tests.conftest import query
from tests.support.factories import HEADER, land_csv, unit_ikm_row

pytestmark = pytest.mark.integration

MOVED, NEW, DROPPED = "3201", "3679", "3202"  # Bogor to Banten (36), a new kota, Sukabumi gone
DAY_OLD, DAY_NEW = dt.date(2024, 6, 3), dt.date(2025, 3, 3)
EDITION_DATE = dt.date(2025, 1, 1)
TK_HEADER = [c.nama for c in contract.get_kind("tenaga_kerja").columns]


@pytest.fixture
def refdir(warehouse, tmp_path, monkeypatch) -> Path:
    """A copy of the reference lists the warehouse was loaded from, as IKM_REFERENCE_DIR."""
    target = tmp_path / "referensi"
    shutil.copytree(get_settings().reference_dir, target)
    monkeypatch.setenv("IKM_REFERENCE_DIR", str(target))
    return target


@pytest.fixture
def engine(warehouse) -> Iterator[sa.Engine]:
    eng = gudang.engine()
    yield eng
    eng.dispose()


def rewrite(path: Path, change) -> None:
    """Apply ``change(rows) -> rows`` to a reference CSV, keeping its header."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    rows = change(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def next_edition(refdir: Path) -> None:
    """MOVED goes to province 36, NEW appears in 36, DROPPED leaves the list."""

    def kabkota(rows):
        for r in rows:
            if r["kode_kabkota"] == MOVED:
                r["kode_provinsi"] = "36"
        rows.append(
            {
                "kode_kabkota": NEW,
                "kode_provinsi": "36",
                "nama_kabkota": "Kota Uji Baru",
                "jenis": "kota",
            }
        )
        return [r for r in rows if r["kode_kabkota"] != DROPPED]

    rewrite(refdir / "wilayah_kabkota.csv", kabkota)


def land_units(day: dt.date, office: str, year: int, nib_prefix: str, count: int = 2) -> str:
    rows = [
        unit_ikm_row(
            nib=f"{nib_prefix}{i:04d}",
            kode_kabkota=office,
            tanggal_pendataan=f"{year}-05-30",
        )
        for i in range(count)
    ]
    return land_csv(f"{day}/{office}/unit_ikm_{year}.csv", HEADER, rows)


def land_workers(day: dt.date, office: str, year: int) -> str:
    rows = [
        {
            "kode_kabkota": office,
            "kbli_golongan_pokok": "10",
            "skala": "kecil",
            "jumlah_unit": "10",
            "tenaga_kerja_laki": "30",
            "tenaga_kerja_perempuan": "20",
        },
        {
            "kode_kabkota": office,
            "kbli_golongan_pokok": "10",
            "skala": "besar",
            "jumlah_unit": "1",
            "tenaga_kerja_laki": "300",
            "tenaga_kerja_perempuan": "150",
        },
    ]
    return land_csv(f"{day}/{office}/tenaga_kerja_{year}.csv", TK_HEADER, rows)


def status(url, path: str) -> str:
    return query(url, "select status from audit.submission where path = %s", (path,))[0][0]


def test_a_new_edition_keeps_older_facts_in_the_province_of_their_time(warehouse, refdir, engine):
    # The first edition was installed today; it applied long before (the facts are of 2023).
    first = query(warehouse, "select edisi_id from core.edisi_referensi")
    assert len(first) == 1
    (first_id,) = first[0]
    reference.redate(engine, first_id, dt.date(2020, 1, 1))

    old_paths = [
        land_units(DAY_OLD, MOVED, 2023, "910000000"),
        land_units(DAY_OLD, DROPPED, 2023, "920000000"),
        land_workers(DAY_OLD, MOVED, 2023),
    ]
    too_early = land_units(DAY_OLD, NEW, 2023, "930000000")
    flow.run_day(DAY_OLD)
    assert [status(warehouse, p) for p in old_paths] == ["diterima"] * 3, query(
        warehouse, "select kolom, alasan from audit.karantina"
    )
    assert status(warehouse, too_early) == "ditolak"  # not an office in the first edition
    before = query(warehouse, "select * from core.riwayat_wilayah order by 1, 2")

    next_edition(refdir)
    loaded = reference.load(engine, refdir, berlaku_mulai=EDITION_DATE, label="edisi uji 2025")
    assert loaded.edisi_baru and loaded.edisi_id > first_id
    assert (loaded.wilayah_baru, loaded.wilayah_berubah, loaded.wilayah_ditutup) == (1, 1, 1)
    second_id = loaded.edisi_id

    new_paths = [
        land_units(DAY_NEW, MOVED, 2025, "940000000"),
        land_units(DAY_NEW, NEW, 2025, "950000000"),
        land_workers(DAY_NEW, MOVED, 2025),
    ]
    gone = land_units(DAY_NEW, DROPPED, 2025, "960000000")
    flow.run_day(DAY_NEW)
    assert [status(warehouse, p) for p in new_paths] == ["diterima"] * 3
    assert status(warehouse, gone) == "ditolak"  # no longer in the latest edition

    per_region = {
        (tahun, kabkota): (prov, edisi)
        for tahun, kabkota, prov, edisi in query(
            warehouse,
            "select distinct tahun, kode_kabkota, kode_provinsi, edisi_referensi "
            "from mart.ikm_per_wilayah",
        )
    }
    assert per_region == {
        (2023, MOVED): ("32", first_id),
        (2023, DROPPED): ("32", first_id),  # dropped later, its facts keep their place
        (2025, MOVED): ("36", second_id),
        (2025, NEW): ("36", second_id),
    }
    share = query(
        warehouse,
        "select tahun, kode_provinsi, nama_provinsi, tenaga_kerja_ikm, tenaga_kerja_industri, "
        "edisi_referensi from mart.pangsa_tenaga_kerja order by 1",
    )
    assert share == [
        (2023, "32", "Jawa Barat", 50, 500, first_id),
        (2025, "36", "Banten", 50, 500, second_id),
    ]

    # The offices expected: those of the edition in force at the period's start.
    offices = dict(
        query(
            warehouse,
            "select periode, count(*) from mart.status_pengiriman where jenis = 'unit_ikm' "
            "and edisi_referensi = %s group by 1",
            (second_id,),
        )
    )
    assert offices["2025"] == 552  # 552 + NEW - DROPPED
    row_2023_new = query(
        warehouse,
        "select status, edisi_referensi from mart.status_pengiriman where jenis = 'unit_ikm' "
        "and periode = '2023' and kode_wilayah = %s",
        (NEW,),
    )
    assert row_2023_new == [("ditolak", second_id)]  # it sent before it existed: shown
    assert query(
        warehouse,
        "select count(*) from mart.status_pengiriman where jenis = 'unit_ikm' and periode = "
        "'2025' and kode_wilayah = %s",
        (DROPPED,),
    ) == [(1,)]  # it sent for 2025 (and was refused): shown, though no longer expected

    # Nothing lost: every version of the first edition is still there, closed or open.
    after = {(r[0], r[1]): r for r in query(warehouse, "select * from core.riwayat_wilayah")}
    assert {(r[0], r[1]) for r in before} <= set(after)
    assert len(after) == len(before) + 2  # MOVED's new version and NEW
    moved = query(
        warehouse,
        "select edisi_id, berlaku_mulai, berlaku_sampai, kode_provinsi from core.riwayat_wilayah "
        "where kode_wilayah = %s order by berlaku_mulai",
        (MOVED,),
    )
    assert moved == [
        (first_id, dt.date(2020, 1, 1), EDITION_DATE, "32"),
        (second_id, EDITION_DATE, None, "36"),
    ]
    assert query(
        warehouse,
        "select berlaku_sampai, edisi_sampai from core.riwayat_wilayah where kode_wilayah = %s",
        (DROPPED,),
    ) == [(EDITION_DATE, second_id)]
    current = {r[0] for r in query(warehouse, "select kode_wilayah from core.dim_wilayah")}
    assert NEW in current and DROPPED not in current and len(current) == 552

    editions = query(
        warehouse,
        "select edisi_id, label, berlaku_mulai, berlaku_sampai, terkini, jumlah_wilayah_baru, "
        "jumlah_wilayah_berubah, jumlah_wilayah_ditutup from mart.edisi_referensi order by 1",
    )
    assert editions == [
        (first_id, "edisi 2020-01-01", dt.date(2020, 1, 1), EDITION_DATE, False, 552, 0, 0),
        (second_id, "edisi uji 2025", EDITION_DATE, None, True, 1, 1, 1),
    ]
    (kbli,) = query(
        warehouse, "select count(*) from core.dim_kbli where edisi_terakhir = %s", (second_id,)
    )[0]
    assert kbli == 748

    # The same folder again: no new edition, nothing changes (the nightly's prepare included).
    again = reference.load(engine, refdir)
    assert not again.edisi_baru and again.edisi_id == second_id
    migrations.prepare()
    assert query(warehouse, "select count(*) from core.edisi_referensi") == [(2,)]
    assert query(warehouse, "select count(*) from core.riwayat_wilayah") == [(len(after),)]


def test_the_nightly_loads_a_changed_folder_and_the_refresh_dates_it(warehouse, refdir, engine):
    """prepare() dates a changed folder the day it ran; the same folder with a date re-dates
    that edition instead of adding one; a date before the previous edition is refused."""
    (first_id,) = query(warehouse, "select edisi_id from core.edisi_referensi")[0]
    reference.redate(engine, first_id, dt.date(2020, 1, 1))
    next_edition(refdir)
    migrations.prepare()
    ((second_id, label, day),) = query(
        warehouse,
        "select edisi_id, label, berlaku_mulai from core.edisi_referensi where edisi_id > %s",
        (first_id,),
    )
    assert day == reference.today() and label == f"edisi {day}"

    with pytest.raises(reference.ReferenceError):
        reference.load(engine, refdir, berlaku_mulai=dt.date(2019, 12, 31))
    redated = reference.load(engine, refdir, berlaku_mulai=EDITION_DATE)
    assert redated.edisi_id == second_id and redated.tanggal_diubah and not redated.edisi_baru
    assert query(warehouse, "select count(*) from core.edisi_referensi") == [(2,)]
    assert query(
        warehouse,
        "select label, berlaku_mulai from core.edisi_referensi where edisi_id = %s",
        (second_id,),
    ) == [(f"edisi {EDITION_DATE}", EDITION_DATE)]
    assert query(
        warehouse,
        "select edisi_id, berlaku_mulai, berlaku_sampai from core.riwayat_wilayah "
        "where kode_wilayah = %s order by 1",
        (MOVED,),
    ) == [(first_id, dt.date(2020, 1, 1), EDITION_DATE), (second_id, EDITION_DATE, None)]
    # a further edition may not start before the one it follows
    rewrite(refdir / "wilayah_provinsi.csv", lambda rows: rows[::-1])
    with pytest.raises(reference.ReferenceError, match="editions follow one another"):
        reference.load(engine, refdir, berlaku_mulai=dt.date(2024, 12, 31))


def test_cli_lists_the_editions(warehouse, capsys):
    from etl.__main__ import main

    assert main(["reference", "load"]) == 0  # the folder the warehouse has: nothing new
    assert '"edisi_baru": false' in capsys.readouterr().out
    assert main(["reference", "editions"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("*") and "wilayah baru 552" in out


def test_a_kbli_code_dropped_by_a_new_edition_is_refused_from_then_on(warehouse, refdir, engine):
    """Rows already loaded keep their code; a file validated after the edition is told the
    code is no longer a manufacturing KBLI of the list."""
    dropped = "10710"
    ((first_id,),) = query(warehouse, "select edisi_id from core.edisi_referensi")
    reference.redate(engine, first_id, dt.date(2020, 1, 1))
    before = land_csv(
        f"{DAY_OLD}/3273/unit_ikm_2023.csv",
        HEADER,
        [unit_ikm_row(nib="9700000000001", kode_kabkota="3273", kbli=dropped)]
        + [unit_ikm_row(nib=f"97000000001{i:02d}", kode_kabkota="3273") for i in range(9)],
    )
    flow.run_day(DAY_OLD)
    assert status(warehouse, before) == "diterima"

    rewrite(
        refdir / "kbli_industri.csv", lambda rows: [r for r in rows if r["kode_kbli"] != dropped]
    )
    assert reference.load(engine, refdir, berlaku_mulai=EDITION_DATE).edisi_baru
    after = land_csv(
        f"{DAY_NEW}/3273/unit_ikm_2024.csv",
        HEADER,
        [unit_ikm_row(nib="9800000000001", kode_kabkota="3273", kbli=dropped,
                      tanggal_pendataan="2024-05-30")]
        + [unit_ikm_row(nib=f"98000000001{i:02d}", kode_kabkota="3273",
                        tanggal_pendataan="2024-05-30") for i in range(9)],
    )  # fmt: skip
    flow.run_day(DAY_NEW)
    assert status(warehouse, after) == "diterima_sebagian"
    assert query(
        warehouse,
        "select k.baris, k.kolom, k.nilai from audit.karantina as k "
        "join audit.submission as s using (submission_id) where s.path = %s",
        (after,),
    ) == [(2, "kbli", dropped)]
    assert query(
        warehouse, "select count(*) from core.fakta_unit_ikm where kbli = %s", (dropped,)
    ) == [(1,)]  # the 2023 register keeps its row
