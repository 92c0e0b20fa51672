"""The flow on a real PostgreSQL: loads, re-runs, corrections, backfills and failures."""

from __future__ import annotations

import datetime as dt

import pytest

from etl import flow
from etl.stages import s5_publish as publish
from etl.warehouse import scopes
from tests.conftest import checksums, query

pytestmark = pytest.mark.integration

DAY1, DAY2, DAY3 = dt.date(2024, 3, 4), dt.date(2024, 3, 11), dt.date(2024, 4, 15)


def statuses(url) -> dict[str, str]:
    return dict(query(url, "select path, status from audit.submission"))


def warehouse_content(url) -> dict[str, list[tuple]]:
    """What BI and the dimension hold, keyed by file path rather than by generated ids."""
    return {
        "ikm_per_wilayah": query(url, "select * from mart.ikm_per_wilayah order by 1, 4, 6"),
        "status_pengiriman": query(url, "select * from mart.status_pengiriman order by 1, 2, 3"),
        "fakta": query(
            url,
            "select f.tahun, f.kode_kabkota, f.nib, s.path, f.baris, f.row_hash, f.skala, "
            "f.tenaga_kerja_laki, f.tenaga_kerja_perempuan, f.nilai_investasi "
            "from core.fakta_unit_ikm f join audit.submission s using (submission_id) "
            "order by 1, 2, 3",
        ),
        "dim": query(url, "select * from core.dim_unit_ikm order by nib, berlaku_mulai"),
        "status": sorted(statuses(url).items()),
        "karantina": query(
            url,
            "select s.path, k.baris, k.kolom, k.kode_aturan from audit.karantina k "
            "join audit.submission s using (submission_id) order by 1, 2, 3, 4",
        ),
    }


def test_a_day_loads_with_bad_rows_quarantined(warehouse, sample_manifest):
    summary = flow.run_day(DAY1)
    day1 = [f for f in sample_manifest if f.tanggal_tiba == DAY1]
    assert summary["berkas"] == len(day1)
    found = statuses(warehouse)
    for f in day1:
        expected = "diterima" if f.diharapkan == "digantikan" else f.diharapkan
        assert found[str(f.path)] == expected, f.path
    quarantined = set(
        query(
            warehouse,
            "select s.path, k.baris from audit.karantina k join audit.submission s using "
            "(submission_id) where s.tanggal_tiba = %s",
            (DAY1,),
        )
    )
    assert quarantined == {(str(f.path), n) for f in day1 for n in f.baris_buruk}
    loaded = sum(f.jumlah_baris - len(f.baris_buruk) for f in day1 if f.jenis == "unit_ikm")
    (units,) = query(warehouse, "select sum(jumlah_unit) from mart.ikm_per_wilayah")[0]
    assert units == loaded
    (facts,) = query(warehouse, "select count(*) from core.fakta_unit_ikm")[0]
    assert facts == loaded


def test_running_the_same_day_again_changes_nothing(warehouse):
    flow.run_day(DAY1)
    before = checksums(warehouse)
    assert query(warehouse, "select count(*) from core.fakta_unit_ikm")[0][0] > 0
    flow.run_day(DAY1)
    assert checksums(warehouse) == before


def test_a_correction_supersedes_the_earlier_file(warehouse, sample_manifest):
    for day in (DAY1, DAY2, DAY3):
        flow.run_day(day)
    found = statuses(warehouse)
    units = [
        f for f in sample_manifest if f.jenis == "unit_ikm" and f.tanggal_tiba in (DAY1, DAY2, DAY3)
    ]
    assert {p: s for p, s in found.items() if "/unit_ikm_" in p} == {
        str(f.path): f.diharapkan for f in units
    }
    revision = next(f for f in units if "revisi" in str(f.path))
    rows = query(
        warehouse,
        "select distinct s.path from core.fakta_unit_ikm f join audit.submission s "
        "using (submission_id) where f.kode_kabkota like '32%%'",
    )
    assert rows == [(str(revision.path),)]
    (count,) = query(
        warehouse, "select count(*) from core.fakta_unit_ikm where kode_kabkota like '32%%'"
    )[0]
    assert count == revision.jumlah_baris - len(revision.baris_buruk)


def test_units_changed_by_the_correction_keep_one_current_version(warehouse):
    for day in (DAY1, DAY3):
        flow.run_day(day)
    # The superseded file was never true: history holds only the correction's attributes.
    (stale,) = query(
        warehouse,
        "select count(*) from core.dim_unit_ikm d where not exists (select 1 from "
        "core.fakta_unit_ikm f where f.nib = d.nib and f.row_hash = d.row_hash)",
    )[0]
    assert stale == 0
    (dupes,) = query(
        warehouse,
        "select count(*) from (select nib from core.dim_unit_ikm where is_current "
        "group by nib having count(*) > 1) x",
    )[0]
    assert dupes == 0


def test_reprocessing_the_older_day_leaves_the_correction_in_place(warehouse):
    for day in (DAY1, DAY2, DAY3):
        flow.run_day(day)
    before = warehouse_content(warehouse)
    # Force a real reprocess of day 1 (as after a rules change), not a skip.
    query(
        warehouse,
        "update audit.submission set versi_aturan = 'lama' where tanggal_tiba = %s returning 1",
        (DAY1,),
    )
    flow.run_day(DAY1)
    assert warehouse_content(warehouse) == before


def test_days_in_any_order_give_the_warehouse_of_one_clean_run(
    warehouse, template_db, tmp_path, monkeypatch
):
    for day in (DAY1, DAY2, DAY3):
        flow.run_day(day)
    in_order = warehouse_content(warehouse)
    # Same landing zone, a fresh database, days backfilled newest first.
    import uuid

    from tests.conftest import _admin

    other = template_db.set(database=f"ikm_test_order_{uuid.uuid4().hex[:6]}")
    _admin(other, f'create database "{other.database}" template "{template_db.database}"')
    try:
        monkeypatch.setenv("WAREHOUSE_URL", other.render_as_string(hide_password=False))
        for day in (DAY3, DAY1, DAY2):
            flow.run_day(day)
        assert warehouse_content(other) == in_order
    finally:
        _admin(other, f'drop database if exists "{other.database}" with (force)')


def test_a_failure_mid_load_leaves_the_warehouse_as_before(warehouse, monkeypatch, sample_manifest):
    flow.run_day(DAY1)
    before = checksums(warehouse)
    revision = next(f for f in sample_manifest if "revisi" in str(f.path))

    def crash(*_args, **_kwargs):
        raise RuntimeError("injected failure after the facts were replaced")

    with monkeypatch.context() as patch, pytest.raises(RuntimeError, match="injected"):
        patch.setattr(scopes, "settle_statuses", crash)
        flow.process_file(str(revision.path))
    after = checksums(warehouse)
    for name, digest in before.items():
        if name.startswith(("core.", "mart.ikm")):
            assert after[name] == digest, name
    # The day closes with a terminal status, flagged as a system error...
    summary = publish.publish(DAY3)
    assert summary["gangguan_sistem"] == 1
    assert statuses(warehouse)[str(revision.path)] == "ditolak"
    # ...and the next run completes the file.
    flow.run_day(DAY3)
    assert statuses(warehouse)[str(revision.path)] == "diterima"


def test_links_are_recorded_and_never_followed(warehouse, tmp_path):
    import os

    landing = os.environ["IKM_LANDING_DIR"]
    secret = tmp_path / "rahasia.csv"
    secret.write_text("nib\n1234567890123\n")
    link = f"{landing}/{DAY1.isoformat()}/32/unit_ikm_2023_tautan.csv"
    os.symlink(secret, link)
    flow.run_day(DAY1)
    (row,) = query(
        warehouse,
        "select status, pesan, sha256 from audit.submission where path like %s",
        ("%tautan%",),
    )
    assert row[0] == "ditolak" and "tautan" in row[1] and row[2] is None


def test_feedback_names_every_bad_row_in_indonesian(warehouse, sample_manifest):
    import os
    from pathlib import Path

    flow.run_day(DAY1)
    partly = next(
        f for f in sample_manifest if f.tanggal_tiba == DAY1 and f.diharapkan == "diterima_sebagian"
    )
    folder = Path(os.environ["IKM_FEEDBACK_DIR"]) / DAY1.isoformat() / partly.kode_wilayah
    report = (folder / f"{partly.path.name}.umpan_balik.md").read_text()
    assert "DITERIMA SEBAGIAN" in report
    for number in partly.baris_buruk:
        assert f"| {number} |" in report
    table = (folder / f"{partly.path.name}.baris_ditolak.csv").read_text(encoding="utf-8-sig")
    assert table.splitlines()[0] == "baris;kolom;nilai;alasan"


def _resend_with_bad_rows(sample_manifest, day: dt.date, bad_share: float) -> str:
    """Office 1271 resends its register on ``day`` with a share of rows broken."""
    import csv
    import os
    from pathlib import Path

    landing = Path(os.environ["IKM_LANDING_DIR"])
    original = next(
        f for f in sample_manifest if f.kode_wilayah == "1271" and f.jenis == "unit_ikm"
    )
    with (landing / original.path).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows[: int(len(rows) * bad_share)]:
        row["kbli"] = "46100"  # trade, not manufacturing
    target = landing / day.isoformat() / "1271" / "unit_ikm_2023_revisi.csv"
    target.parent.mkdir(parents=True)
    with target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(target.relative_to(landing))


def test_too_many_bad_rows_reject_the_file_and_keep_what_was_there(warehouse, sample_manifest):
    flow.run_day(DAY1)
    before = query(
        warehouse, "select * from mart.ikm_per_wilayah where kode_kabkota = '1271' order by skala"
    )
    later = dt.date(2024, 5, 2)
    path = _resend_with_bad_rows(sample_manifest, later, 0.3)
    flow.run_day(later)
    (status, rows, bad, pesan) = query(
        warehouse,
        "select status, jumlah_baris, jumlah_baris_ditolak, pesan "
        "from audit.submission where path = %s",
        (path,),
    )[0]
    assert status == "ditolak" and bad == rows and "melebihi batas 20%" in pesan, (
        status,
        rows,
        bad,
        pesan,
    )
    (quarantined,) = query(
        warehouse,
        "select count(*) from audit.karantina k join "
        "audit.submission s using (submission_id) where s.path = %s",
        (path,),
    )[0]
    assert quarantined == int(rows * 0.3)  # every bad row is named for the office
    after = query(
        warehouse, "select * from mart.ikm_per_wilayah where kode_kabkota = '1271' order by skala"
    )
    assert after == before  # a rejected submission supersedes nothing


def test_the_bad_row_threshold_is_a_setting(warehouse, sample_manifest, monkeypatch):
    monkeypatch.setenv("IKM_BATAS_BARIS_BURUK", "0.5")
    later = dt.date(2024, 5, 2)
    path = _resend_with_bad_rows(sample_manifest, later, 0.3)
    flow.run_day(later)
    (status,) = query(warehouse, "select status from audit.submission where path = %s", (path,))[0]
    assert status == "diterima_sebagian"


# -- what the review found: releases, history and offices ------------------------------------


def _write_register(landing, rel: str, rows: list[dict]) -> str:
    import csv

    from tests.support.factories import HEADER

    target = landing / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return rel


def test_a_correction_rejected_on_reprocess_gives_the_scopes_back(warehouse, sample_manifest):
    import os
    from pathlib import Path

    for day in (DAY1, DAY3):
        flow.run_day(day)
    original = next(f for f in sample_manifest if f.diharapkan == "digantikan")
    revision = next(f for f in sample_manifest if f.jenis == "unit_ikm" and "revisi" in str(f.path))
    assert statuses(warehouse)[str(original.path)] == "digantikan"
    # The upload channel replaces the revision with a broken file of the same name.
    (Path(os.environ["IKM_LANDING_DIR"]) / revision.path).write_bytes(b"PK\x03\x04 rusak")
    flow.run_day(DAY3)
    found = statuses(warehouse)
    assert found[str(revision.path)] == "ditolak"
    assert found[str(original.path)] == "diterima"  # in force again
    owners = query(
        warehouse,
        "select distinct s.path from core.fakta_unit_ikm f join "
        "audit.submission s using (submission_id) "
        "where f.kode_kabkota like '32%%'",
    )
    assert owners == [(str(original.path),)]
    (count,) = query(
        warehouse, "select count(*) from core.fakta_unit_ikm where kode_kabkota like '32%%'"
    )[0]
    assert count == original.jumlah_baris
    (orphans,) = query(
        warehouse,
        "select count(*) from core.dim_unit_ikm d where d.nib like %s "
        "and not exists (select 1 from core.fakta_unit_ikm f "
        "where f.nib = d.nib and f.row_hash = d.row_hash)",
        ("%",),
    )[0]
    assert orphans == 0


def test_every_unit_in_force_has_its_version_in_the_dimension(warehouse):
    import os
    from pathlib import Path

    from tests.support.factories import unit_ikm_row

    landing = Path(os.environ["IKM_LANDING_DIR"])
    shared = "3201000000001"
    a = [unit_ikm_row(shared, nama_usaha="UD Lama"), unit_ikm_row("3201000000002")]
    b = [
        unit_ikm_row(shared, kode_kabkota="3202", nama_usaha="UD Cabang"),
        unit_ikm_row("3202000000003", kode_kabkota="3202"),
    ]
    c = [unit_ikm_row(shared, nama_usaha="UD Baru"), unit_ikm_row("3201000000002")]
    d = [unit_ikm_row("3201000000002")]  # the second correction drops the shared unit
    _write_register(landing, "2024-06-03/32/unit_ikm_2023_a.csv", a)
    _write_register(landing, "2024-06-04/32/unit_ikm_2023_b.csv", b)
    _write_register(landing, "2024-06-05/32/unit_ikm_2023_c.csv", c)
    _write_register(landing, "2024-06-06/32/unit_ikm_2023_d.csv", d)
    for day in (3, 4, 5, 6):
        flow.run_day(dt.date(2024, 6, day))
    missing = query(
        warehouse,
        "select f.nib, f.tahun from core.fakta_unit_ikm f where not exists (select 1 from "
        "core.dim_unit_ikm d where d.nib = f.nib and d.berlaku_mulai <= f.tahun and "
        "(d.berlaku_sampai is null or f.tahun < d.berlaku_sampai))",
    )
    assert missing == []
    (name,) = query(
        warehouse,
        "select nama_usaha from core.dim_unit_ikm where nib = %s and is_current",
        (shared,),
    )[0]
    assert name == "UD Cabang"  # the 3202 register is the one in force for it now


def test_an_absurd_worker_count_is_quarantined_not_a_system_error(warehouse):
    import os
    from pathlib import Path

    from tests.support.factories import unit_ikm_row

    landing = Path(os.environ["IKM_LANDING_DIR"])
    rows = [unit_ikm_row(f"320100000000{i}") for i in range(9)]
    rows.append(
        unit_ikm_row(
            "3201000000099",
            tenaga_kerja_laki="3000000000",
            nilai_investasi="2000000000",
            skala="menengah",
        )
    )
    rel = _write_register(landing, "2024-06-03/3201/unit_ikm_2023.csv", rows)
    flow.run_day(dt.date(2024, 6, 3))
    (status, galat) = query(
        warehouse, "select status, galat_sistem from audit.submission where path = %s", (rel,)
    )[0]
    assert (status, galat) == ("diterima_sebagian", False)
    kode = query(
        warehouse,
        "select kode_aturan from audit.karantina k join audit.submission s "
        "using (submission_id) where s.path = %s",
        (rel,),
    )
    assert ("tenaga_kerja_tidak_wajar",) in kode


@pytest.mark.parametrize("office", [".*", "99", "3299x"])
def test_a_file_from_an_unknown_office_folder_is_rejected(warehouse, office):
    import os
    from pathlib import Path

    from tests.support.factories import unit_ikm_row

    landing = Path(os.environ["IKM_LANDING_DIR"])
    rel = _write_register(
        landing,
        f"2024-06-03/{office}/unit_ikm_2023.csv",
        [unit_ikm_row("1101000000001", kode_kabkota="1101")],
    )
    flow.run_day(dt.date(2024, 6, 3))
    (status, pesan) = query(
        warehouse, "select status, pesan from audit.submission where path = %s", (rel,)
    )[0]
    assert status == "ditolak" and "folder kantor" in pesan
    (facts,) = query(
        warehouse, "select count(*) from core.fakta_unit_ikm where kode_kabkota = '1101'"
    )[0]
    assert facts == 0


def test_feedback_neutralises_formulas_and_lists_warnings(warehouse):
    import csv
    import os
    from pathlib import Path

    from tests.support.factories import unit_ikm_row

    landing = Path(os.environ["IKM_LANDING_DIR"])
    rows = [unit_ikm_row(f"320100000000{i}") for i in range(9)]
    rows.append(unit_ikm_row('=HYPERLINK("http://contoh.invalid","klik")'))
    _write_register(landing, "2024-06-03/3201/unit_ikm_2023.csv", rows)
    flow.run_day(dt.date(2024, 6, 3))
    folder = Path(os.environ["IKM_FEEDBACK_DIR"]) / "2024-06-03" / "3201"
    with (folder / "unit_ikm_2023.csv.baris_ditolak.csv").open(encoding="utf-8-sig") as fh:
        cells = [row["nilai"] for row in csv.DictReader(fh, delimiter=";")]
    assert cells and all(not c.startswith(("=", "+", "-", "@")) for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in cells)  # kept, shown as text
