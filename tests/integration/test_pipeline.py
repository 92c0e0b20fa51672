"""The flow on a real PostgreSQL: loads, re-runs, corrections, backfills and failures."""

from __future__ import annotations

import datetime as dt

import pytest

from etl import load, pipeline, publish
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
    summary = pipeline.run_day(DAY1)
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
    loaded = sum(f.jumlah_baris - len(f.baris_buruk) for f in day1)
    (units,) = query(warehouse, "select sum(jumlah_unit) from mart.ikm_per_wilayah")[0]
    assert units == loaded
    (facts,) = query(warehouse, "select count(*) from core.fakta_unit_ikm")[0]
    assert facts == loaded


def test_running_the_same_day_again_changes_nothing(warehouse):
    pipeline.run_day(DAY1)
    before = checksums(warehouse)
    assert query(warehouse, "select count(*) from core.fakta_unit_ikm")[0][0] > 0
    pipeline.run_day(DAY1)
    assert checksums(warehouse) == before


def test_a_correction_supersedes_the_earlier_file(warehouse, sample_manifest):
    for day in (DAY1, DAY2, DAY3):
        pipeline.run_day(day)
    found = statuses(warehouse)
    assert found == {str(f.path): f.diharapkan for f in sample_manifest}
    revision = next(f for f in sample_manifest if "revisi" in str(f.path))
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
        pipeline.run_day(day)
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
        pipeline.run_day(day)
    before = warehouse_content(warehouse)
    # Force a real reprocess of day 1 (as after a rules change), not a skip.
    query(
        warehouse,
        "update audit.submission set versi_aturan = 'lama' where tanggal_tiba = %s returning 1",
        (DAY1,),
    )
    pipeline.run_day(DAY1)
    assert warehouse_content(warehouse) == before


def test_days_in_any_order_give_the_warehouse_of_one_clean_run(
    warehouse, template_db, tmp_path, monkeypatch
):
    for day in (DAY1, DAY2, DAY3):
        pipeline.run_day(day)
    in_order = warehouse_content(warehouse)
    # Same landing zone, a fresh database, days backfilled newest first.
    import uuid

    from tests.conftest import _admin

    other = template_db.set(database=f"ikm_test_order_{uuid.uuid4().hex[:6]}")
    _admin(other, f'create database "{other.database}" template "{template_db.database}"')
    try:
        monkeypatch.setenv("WAREHOUSE_URL", other.render_as_string(hide_password=False))
        for day in (DAY3, DAY1, DAY2):
            pipeline.run_day(day)
        assert warehouse_content(other) == in_order
    finally:
        _admin(other, f'drop database if exists "{other.database}" with (force)')


def test_a_failure_mid_load_leaves_the_warehouse_as_before(warehouse, monkeypatch, sample_manifest):
    pipeline.run_day(DAY1)
    before = checksums(warehouse)
    revision = next(f for f in sample_manifest if "revisi" in str(f.path))

    def crash(*_args, **_kwargs):
        raise RuntimeError("injected failure after the facts were replaced")

    with monkeypatch.context() as patch, pytest.raises(RuntimeError, match="injected"):
        patch.setattr(load, "_settle_statuses", crash)
        pipeline.process_file(str(revision.path))
    after = checksums(warehouse)
    for name, digest in before.items():
        if name.startswith(("core.", "mart.ikm")):
            assert after[name] == digest, name
    # The day closes with a terminal status, flagged as a system error...
    summary = publish.publish(DAY3)
    assert summary["gangguan_sistem"] == 1
    assert statuses(warehouse)[str(revision.path)] == "ditolak"
    # ...and the next run completes the file.
    pipeline.run_day(DAY3)
    assert statuses(warehouse)[str(revision.path)] == "diterima"


def test_links_are_recorded_and_never_followed(warehouse, tmp_path):
    import os

    landing = os.environ["IKM_LANDING_DIR"]
    secret = tmp_path / "rahasia.csv"
    secret.write_text("nib\n1234567890123\n")
    link = f"{landing}/{DAY1.isoformat()}/32/unit_ikm_2023_tautan.csv"
    os.symlink(secret, link)
    pipeline.run_day(DAY1)
    (row,) = query(
        warehouse,
        "select status, pesan, sha256 from audit.submission where path like %s",
        ("%tautan%",),
    )
    assert row[0] == "ditolak" and "tautan" in row[1] and row[2] is None


def test_feedback_names_every_bad_row_in_indonesian(warehouse, sample_manifest):
    import os
    from pathlib import Path

    pipeline.run_day(DAY1)
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
    original = next(f for f in sample_manifest if f.kode_wilayah == "1271")
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
    pipeline.run_day(DAY1)
    before = query(
        warehouse, "select * from mart.ikm_per_wilayah where kode_kabkota = '1271' order by skala"
    )
    later = dt.date(2024, 5, 2)
    path = _resend_with_bad_rows(sample_manifest, later, 0.3)
    pipeline.run_day(later)
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
    pipeline.run_day(later)
    (status,) = query(warehouse, "select status from audit.submission where path = %s", (path,))[0]
    assert status == "diterima_sebagian"
