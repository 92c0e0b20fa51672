"""The worker killed with SIGKILL mid-COPY and mid-merge (issue 7, "Faults").

The stage runs as its own process (``python -m etl process <path>``); the test watches
``pg_stat_activity`` for that process's statement and kills the process at that moment. No hook
in the product: PostgreSQL rolls back the transaction of a client that vanished, and the
file's audit row, committed before, is what shows the attempt.
"""

from __future__ import annotations

import datetime as dt
import os
import signal

import psycopg
import pytest

from etl import flow
from etl.stages import s5_publish as publish
from tests.conftest import dsn, query
from tests.support.faults import (
    backend_gone,
    backend_running,
    checksums_but,
    content,
    etl_process,
    land_big_register,
    other_warehouse,
    poll,
)

pytestmark = pytest.mark.integration

DAY = dt.date(2024, 3, 4)
BIG_DAY = dt.date(2024, 5, 6)
ROWS = 60_000
"""Enough that the COPY into staging lasts a fraction of a second at least."""
BIG = f"{BIG_DAY.isoformat()}/3201/unit_ikm_2023_kab_bogor.csv"


def _kill_when(url, pattern: str, *, holder: psycopg.Connection | None = None) -> None:
    """Start ``process BIG`` and SIGKILL it once its backend runs ``pattern`` (waiting for
    the lock ``holder`` holds, if given: released right after the kill)."""
    proc = etl_process("process", BIG)
    watcher = psycopg.connect(dsn(url), autocommit=True)
    try:

        def caught() -> int | None:
            if proc.poll() is not None:
                return -1  # ended before the fault could be injected
            return backend_running(watcher, url, pattern, waiting_on_lock=holder is not None)

        backend = poll(caught, timeout=90, what=f"a backend running {pattern!r}")
        assert backend != -1, f"the stage ended before the fault: {proc.communicate()}"
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
        if holder is not None:
            # A backend waiting for a lock does not read its socket: it notices the vanished
            # client only once it has the lock and talks to it again (it can never commit).
            holder.rollback()
        # The server notices the vanished client and rolls its transaction back.
        poll(lambda: backend_gone(url, backend), timeout=30, what="the killed backend to end")
    finally:
        watcher.close()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _status(url) -> tuple:
    return query(
        url,
        "select status, galat_sistem, pesan from audit.submission where path = %s",
        (BIG,),
    )[0]


def _kept(url) -> int:
    """The big register's rows kept in ``core``."""
    return query(
        url,
        "select count(*) from core.baris_unit_ikm join audit.submission using (submission_id) "
        "where path = %s",
        (BIG,),
    )[0][0]


def _attempt(url) -> int:
    return query(url, "select submission_id from audit.submission where path = %s", (BIG,))[0][0]


def test_sigkill_mid_copy_and_mid_merge_leaves_the_warehouse_and_the_next_run_completes(
    warehouse, template_db, monkeypatch
):
    flow.run_day(DAY)
    land_big_register(BIG, ROWS)
    before = checksums_but(warehouse, None)

    # 1. killed while validate COPYs the file into its staging table
    _kill_when(warehouse, "copy %staging%from stdin%")
    # every table as before but for the attempt's audit trail (its submission row, and after
    # a validation that committed, its validation results)
    assert checksums_but(warehouse, _attempt(warehouse)) == before
    assert _status(warehouse)[0] == "diproses"  # the attempt: registered, never finished

    # 2. killed in the load transaction, after its rows went into core.baris_unit_ikm, while
    #    it waits to re-elect the scope's owner (the test holds core.cakupan_berlaku)
    with psycopg.connect(dsn(warehouse)) as holder:
        holder.execute("lock table core.cakupan_berlaku in access exclusive mode")
        _kill_when(
            warehouse,
            "select kode_cakupan, submission_id from core.cakupan_berlaku%",
            holder=holder,
        )
    # every table as before but for the attempt's audit trail (its submission row, and after
    # a validation that committed, its validation results)
    assert checksums_but(warehouse, _attempt(warehouse)) == before
    assert _kept(warehouse) == 0

    # The day's publish (terbitkan runs whatever failed) closes the file as a system error...
    summary = publish.publish(BIG_DAY)
    assert summary["gangguan_sistem"] == 1
    status, system_error, message = _status(warehouse)
    assert (status, system_error) == ("ditolak", True)
    assert "gangguan sistem" in message and "tidak perlu mengirim ulang" in message

    # ...and the next run of the day completes it: the warehouse of one clean run.
    flow.run_day(BIG_DAY)
    assert _status(warehouse)[:2] == ("diterima", False)
    assert _kept(warehouse) == ROWS
    # audit.proses_hari keeps the attempt: the publish that closed it counted one system error
    runs = query(
        warehouse,
        "select (ringkasan->>'gangguan_sistem')::int from audit.proses_hari "
        "where tanggal_tiba = %s order by proses_id",
        (BIG_DAY,),
    )
    assert runs == [(1,), (0,)]
    recovered = content(warehouse)
    with other_warehouse(template_db) as clean:
        monkeypatch.setenv("WAREHOUSE_URL", clean.render_as_string(hide_password=False))
        flow.run_day(DAY)
        flow.run_day(BIG_DAY)
        assert content(clean) == recovered
