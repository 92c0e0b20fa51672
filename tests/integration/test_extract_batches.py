"""A batch of files in one extract task: a file that crashes never stops the others of its
batch, the failure names the file, and a retry redoes only what failed."""

from __future__ import annotations

import datetime as dt
import logging

import psycopg
import pytest

from etl import flow
from etl.stages.s2_extract import stage as extract_stage
from etl.warehouse.errors import is_transient
from tests.conftest import query

pytestmark = pytest.mark.integration

DAY = dt.date(2024, 3, 4)
REAL_EXTRACT = extract_stage._extract


@pytest.fixture
def day_files(warehouse) -> list[str]:
    files = flow.discover(DAY)
    assert len(files) >= 3
    return files


def _counting(monkeypatch, fail_on: dict[str, BaseException]) -> list[str]:
    """Record every file extract reads; raise the given error for the given files."""
    seen: list[str] = []
    real = REAL_EXTRACT

    def wrapped(conn, landing_dir, rel_path, submission_id, *rest):
        seen.append(rel_path)
        if rel_path in fail_on:
            raise fail_on[rel_path]
        return real(conn, landing_dir, rel_path, submission_id, *rest)

    monkeypatch.setattr(extract_stage, "_extract", wrapped)
    return seen


def test_a_crash_in_one_file_leaves_the_rest_of_the_batch_extracted(
    warehouse, day_files, monkeypatch, caplog
):
    broken = day_files[1]
    _counting(monkeypatch, {broken: RuntimeError("injected crash")})
    with caplog.at_level(logging.ERROR), pytest.raises(flow.ExtractFailed) as failed:
        flow.extract_batch(day_files)
    assert list(failed.value.failures) == [broken]
    assert broken in str(failed.value) and "injected crash" in str(failed.value)
    assert not is_transient(failed.value)  # a bug: no retry
    assert any(broken in r.getMessage() for r in caplog.records)  # the task log names it
    staged = dict(query(warehouse, "select path, status from audit.submission"))
    others = [p for p in day_files if p != broken]
    assert all(staged[p] in ("diproses", "ditolak") for p in others)
    assert staged[broken] == "diproses"  # no outcome yet: publish closes it as a system error
    # the day's validation takes every other file
    ids = {r[0] for r in query(warehouse, "select path from audit.submission")}
    assert set(others) <= ids


def test_a_retry_redoes_only_the_file_that_failed(
    warehouse, day_files, sample_manifest, monkeypatch
):
    broken = next(
        str(f.path) for f in sample_manifest if f.tanggal_tiba == DAY and f.diharapkan == "diterima"
    )
    seen = _counting(
        monkeypatch, {broken: psycopg.OperationalError("server closed the connection")}
    )
    with pytest.raises(flow.ExtractFailed) as failed:
        flow.extract_batch(day_files)
    assert is_transient(failed.value)  # the warehouse away: Airflow retries the task
    assert sorted(seen) == sorted(day_files)
    rejected = {
        p for (p,) in query(warehouse, "select path from audit.submission where status = 'ditolak'")
    }

    seen = _counting(monkeypatch, {})
    counts = flow.extract_batch(day_files, resume=True)
    # the staged files are not read again; a file extract rejected is only hashed (with the
    # batch's others, in one query) and skipped
    assert seen == [broken]
    assert counts == {
        "berkas": len(day_files),
        "diekstrak": 1,
        "sudah_diekstrak": len(day_files) - 1 - len(rejected),
        **({"dilewati": len(rejected)} if rejected else {}),
    }


def test_a_file_changed_since_the_failed_try_is_extracted_again(warehouse, day_files, monkeypatch):
    from etl.settings import get_settings

    flow.extract_batch(day_files)
    staged = next(
        p
        for (p,) in query(
            warehouse, "select path from audit.submission where status = 'diproses' order by path"
        )
    )
    path = get_settings().landing_dir / staged
    path.write_bytes(path.read_bytes() + b"\n")  # the office replaced it meanwhile
    seen = _counting(monkeypatch, {})
    flow.extract_batch(day_files, resume=True)
    assert staged in seen


def test_an_unchanged_rerun_extracts_only_the_file_the_office_replaced(
    warehouse, day_files, monkeypatch
):
    from etl.settings import get_settings

    flow.run_day(DAY)
    finished = dict(query(warehouse, "select path, submission_id from audit.submission"))
    assert extract_stage.unchanged_since_finished(day_files) == {p: finished[p] for p in day_files}
    replaced = day_files[0]
    path = get_settings().landing_dir / replaced
    path.write_bytes(path.read_bytes() + b"\n")  # the office sent it again, changed
    seen = _counting(monkeypatch, {})
    counts = flow.extract_batch(day_files)
    assert seen == [replaced]  # the others are hashed and skipped, none read again
    assert counts["dilewati"] == len(day_files) - 1
    assert query(warehouse, "select status from audit.submission where path = %s", (replaced,)) in (
        [("diproses",)],
        [("ditolak",)],
    )
