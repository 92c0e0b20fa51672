"""The landing disk misbehaving: files that vanish or change shape after discovery, read errors,
and a landing root that is not there. Each gives a clear status, never a crash, and the file is
processed when it is back, ending with exactly one terminal row in ``audit.submission``."""

from __future__ import annotations

import datetime as dt
import errno
import logging
import shutil
from pathlib import Path

import pytest

from etl import flow
from etl.stages import s1_landing as landing
from etl.stages import s2_extract as extract
from etl.stages import s5_publish as publish
from etl.warehouse import submission
from tests.conftest import query
from tests.support.factories import HEADER, unit_ikm_row

pytestmark = pytest.mark.integration

DAY = dt.date(2024, 6, 3)
REL = f"{DAY.isoformat()}/3201/unit_ikm_2023.csv"
ROWS = 5


@pytest.fixture
def own_landing(warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A landing zone holding one clean register (fast: not the whole sample set)."""
    import csv

    root = tmp_path / "landing_sendiri"
    target = root / REL
    target.parent.mkdir(parents=True)
    with target.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(unit_ikm_row(f"320100000010{i}") for i in range(ROWS))
    monkeypatch.setenv("IKM_LANDING_DIR", str(root))
    return root


def _row(url) -> list[tuple]:
    return query(
        url,
        "select status, galat_sistem, pesan from audit.submission where path = %s",
        (REL,),
    )


def _facts(url) -> int:
    return query(url, "select count(*) from core.fakta_unit_ikm where kode_kabkota = '3201'")[0][0]


def _during_extract(monkeypatch: pytest.MonkeyPatch, fault) -> None:
    """Run ``fault(path)`` after discovery listed the file, just before extract opens it."""
    real = extract.extract

    def faulty(rel_path: str, force: bool = False):
        if rel_path == REL:
            fault(Path(landing.get_settings().landing_dir) / rel_path)
        return real(rel_path, force)

    monkeypatch.setattr(extract, "extract", faulty)


def _assert_retried_and_loaded(url, monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """The run after the file came back: accepted, one row for the path, the run not red."""
    monkeypatch.undo()  # the fault goes away
    monkeypatch.setenv("IKM_LANDING_DIR", str(root))
    flow.run_day(DAY)
    rows = _row(url)
    assert len(rows) == 1
    assert rows[0][:2] == ("diterima", False)
    assert _facts(url) == ROWS
    assert publish.check_day(DAY) == 0


def _move_away(aside: Path):
    def fault(path: Path) -> None:
        shutil.move(path, aside)

    return fault


def test_a_file_removed_after_discovery_is_a_system_error_then_retried(
    warehouse, own_landing, tmp_path, monkeypatch, caplog
):
    aside = tmp_path / "disisihkan.csv"
    _during_extract(monkeypatch, _move_away(aside))
    with caplog.at_level(logging.WARNING):
        summary = flow.run_day(DAY)  # no crash
    (status, galat, pesan), *_ = _row(warehouse)
    assert (status, galat) == ("ditolak", True)
    assert "tidak ditemukan lagi" in pesan and "diproses ulang" in pesan
    assert summary["status"] == {"ditolak": 1}
    assert any("TIDAK TERBACA" in r.getMessage() and REL in r.getMessage() for r in caplog.records)
    report = Path(landing.get_settings().feedback_dir) / DAY.isoformat() / "3201"
    assert "diproses ulang" in (report / "unit_ikm_2023.csv.umpan_balik.md").read_text()
    with pytest.raises(RuntimeError, match="gangguan sistem"):
        publish.check_day(DAY)  # the day's run shows red
    shutil.move(aside, own_landing / REL)
    _assert_retried_and_loaded(warehouse, monkeypatch, own_landing)


def test_a_file_replaced_by_a_folder_is_a_system_error_then_retried(
    warehouse, own_landing, tmp_path, monkeypatch
):
    aside = tmp_path / "disisihkan.csv"

    def to_folder(path: Path) -> None:
        shutil.move(path, aside)
        path.mkdir()

    _during_extract(monkeypatch, to_folder)
    flow.run_day(DAY)
    (status, galat, pesan), *_ = _row(warehouse)
    assert (status, galat) == ("ditolak", True) and "folder" in pesan
    (own_landing / REL).rmdir()
    shutil.move(aside, own_landing / REL)
    _assert_retried_and_loaded(warehouse, monkeypatch, own_landing)


def test_a_read_error_of_the_disk_is_a_system_error_then_retried(
    warehouse, own_landing, monkeypatch
):
    def broken(_path: Path) -> str:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(submission, "sha256_of", broken)
    flow.run_day(DAY)
    (status, galat, pesan), *_ = _row(warehouse)
    assert (status, galat) == ("ditolak", True) and "Input/output error" in pesan
    _assert_retried_and_loaded(warehouse, monkeypatch, own_landing)


def test_a_loaded_file_that_vanishes_on_a_rerun_keeps_its_data(
    warehouse, own_landing, tmp_path, monkeypatch
):
    flow.run_day(DAY)
    assert _row(warehouse)[0][:2] == ("diterima", False) and _facts(warehouse) == ROWS
    aside = tmp_path / "disisihkan.csv"
    outcomes = []
    real_check, real_extract = extract.unchanged_since_finished, extract.extract

    def vanish_then_check(rel_paths: list[str]) -> dict[str, int]:
        for rel_path in rel_paths:  # the disk goes away after discovery
            shutil.move(own_landing / rel_path, aside)
        return real_check(rel_paths)

    def recorded(rel_path: str, force: bool = False):
        outcomes.append(real_extract(rel_path, force=force))
        return outcomes[-1]

    monkeypatch.setattr(extract, "unchanged_since_finished", vanish_then_check)
    monkeypatch.setattr(extract, "extract", recorded)
    flow.run_day(DAY)
    assert outcomes[0].status == "tidak_terbaca" and "tetap berlaku" in outcomes[0].notes[0]
    assert _row(warehouse)[0][:2] == ("diterima", False)  # a disk hiccup withdraws nothing
    assert _facts(warehouse) == ROWS


@pytest.mark.parametrize("shape", ["hilang", "berkas"])
def test_a_missing_landing_root_fails_loudly_and_the_day_runs_when_it_is_back(
    warehouse, own_landing, tmp_path, monkeypatch, shape
):
    mounted = tmp_path / "terpasang"
    own_landing.rename(mounted)  # the share is unmounted: its mount point is gone
    if shape == "berkas":
        own_landing.write_text("bukan folder")  # or something else sits at the path
    with pytest.raises(
        landing.LandingUnavailable, match=r"zona pendaratan .* (tidak tersedia|bukan folder)"
    ):
        flow.run_day(DAY)
    assert query(warehouse, "select count(*) from audit.submission")[0][0] == 0
    assert query(warehouse, "select count(*) from audit.proses_hari")[0][0] == 0  # no "empty" run
    own_landing.unlink(missing_ok=True)
    mounted.rename(own_landing)
    _assert_retried_and_loaded(warehouse, monkeypatch, own_landing)


def test_a_day_without_a_folder_is_simply_empty(warehouse, own_landing) -> None:
    """The root is there but nothing arrived that day: not an error."""
    assert landing.discover(dt.date(2024, 6, 4)) == []
