"""No secret in the logs or the XCom of a session of real runs (scheduler, Celery worker).

The session's warehouse URL and Airflow's metadata URL carry a password (``SECRET``; the test
server trusts local connections). After the backfills and runs of the other tests, no
component log, task log or XCom value may contain it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.services.conftest import ARTIFACTS, DAG_ID, SECRET, logical_date

pytestmark = pytest.mark.airflow


def _log_files(services) -> list[Path]:
    roots = [Path(services.env["AIRFLOW_HOME"]) / "logs", ARTIFACTS / "airflow-logs"]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def test_no_password_in_any_log_or_xcom_of_the_session(airflow_services):
    services = airflow_services
    if not services.runs():  # run alone: one day of the nightly first
        day = dt.date(2024, 3, 9)
        services.api("PATCH", f"/dags/{DAG_ID}", {"is_paused": False})
        run = services.api(
            "POST", f"/dags/{DAG_ID}/dagRuns", {"logical_date": logical_date(day).isoformat()}
        )
        assert services.wait_for_run(DAG_ID, run["dag_run_id"])["state"] == "success"
        services.wait_published()
    files = _log_files(services)
    task_logs = [p for p in files if "dag_id=" in p.as_posix()]
    assert task_logs, "no task log was written"
    leaking = [str(p) for p in files if SECRET.encode() in p.read_bytes()]
    assert leaking == []
    xcoms = services.meta("select value::text from xcom")
    assert xcoms, "no XCom was stored"
    assert [v for (v,) in xcoms if v and SECRET in v] == []
    # the runs did use the password-carrying URLs
    assert SECRET in services.env["WAREHOUSE_URL"]
    assert SECRET in services.env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
