"""The CeleryExecutor for real: one arrival day of ``ikm_ingest_nightly`` goes from the
scheduler through the machine's Redis to the session's Celery worker, and the warehouse ends as
one clean run of that day leaves it."""

from __future__ import annotations

import json
import time

import pytest

from etl.ops.airflow_services import (
    CELERY_WORKER,
    COMPONENTS,
    _command,
    components,
    service_environment,
)
from tests.services.conftest import (
    ARTIFACTS,
    BACKFILL_DAYS,
    DAG_ID,
    logical_date,
    warehouse_state,
)

PUBLISH_DAG = "ikm_publish"


@pytest.mark.unit
def test_executor_choice_sets_celery_and_a_fifth_component(tmp_path, monkeypatch):
    """``--executor celery``: broker, result backend in the metadata database, worker slots,
    and ``airflow celery worker`` on the configured queue; the default stays LocalExecutor."""
    monkeypatch.setenv("IKM_STATE_DIR", str(tmp_path))
    meta = "postgresql+psycopg2://postgres@127.0.0.1:5432/airflow_x"
    base = {
        "IKM_STATE_DIR": str(tmp_path),
        "WAREHOUSE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/ikm_x",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": meta,
        "IKM_CELERY_BROKER": "redis://127.0.0.1:6379/5",
        "AIRFLOW__OPERATORS__DEFAULT_QUEUE": "antrian",
    }
    local = service_environment(base=dict(base))
    assert local["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    assert components(local) == COMPONENTS
    assert "AIRFLOW__CELERY__BROKER_URL" not in local

    env = service_environment(base=dict(base), executor="celery")
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://127.0.0.1:6379/5"
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"] == f"db+{meta}"
    assert env["AIRFLOW__CELERY__WORKER_CONCURRENCY"] == env["AIRFLOW__CORE__PARALLELISM"]
    assert components(env) == (*COMPONENTS, CELERY_WORKER)
    worker = _command(CELERY_WORKER, env)
    assert worker[1:3] == ["celery", "worker"]
    assert worker[worker.index("--queues") + 1] == "antrian"

    default = service_environment(base={**base, "IKM_CELERY_BROKER": ""}, executor="celery")
    assert default["AIRFLOW__CELERY__BROKER_URL"] == "redis://127.0.0.1:6379/0"
    with pytest.raises(ValueError):
        service_environment(base=dict(base), executor="kubernetes")


@pytest.mark.airflow
def test_one_day_runs_through_the_scheduler_and_the_celery_worker(airflow_services, clean_run):
    """Triggered through the REST API for one arrival day: every task instance that ran was
    queued on the session's Celery queue, has a Celery task id that Celery's result backend
    records as SUCCESS and that the worker's log received, and the warehouse equals one clean
    run of the day. Under the LocalExecutor no task would have a Celery id."""
    services = airflow_services
    assert services.env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    services.reset()
    day = BACKFILL_DAYS[0]
    published_before = _run_count(services, PUBLISH_DAG)
    services.api("PATCH", f"/dags/{DAG_ID}", {"is_paused": False})
    started = time.monotonic()
    created = services.api(
        "POST", f"/dags/{DAG_ID}/dagRuns", {"logical_date": logical_date(day).isoformat()}
    )
    run = services.wait_for_run(DAG_ID, created["dag_run_id"])
    elapsed = time.monotonic() - started
    assert run["state"] == "success", run

    tasks = _celery_records(services, run["dag_run_id"])
    ran = [t for t in tasks if t[2] == "success"]
    assert {t[0] for t in ran} >= {"load"}, tasks
    assert all(t[2] in ("success", "skipped") for t in tasks), tasks
    for task_id, map_index, _, queue, celery_id, status in ran:
        where = f"{task_id}[{map_index}]"
        assert queue == services.queue, where
        assert celery_id, f"{where}: no Celery task id (not run by the CeleryExecutor)"
        assert status == "SUCCESS", f"{where}: Celery's result backend says {status}"
    worker_log = services.processes.log_path(CELERY_WORKER).read_text(errors="replace")
    missing = [t[4] for t in ran if f"execute_workload[{t[4]}] received" not in worker_log]
    assert not missing, f"the worker never logged these Celery tasks: {missing}"

    # the publish DAG follows the warehouse's asset event (its tasks go through Celery too)
    deadline = time.monotonic() + 120
    while _run_count(services, PUBLISH_DAG) == published_before and time.monotonic() < deadline:
        time.sleep(2)
    services.wait_published()
    assert warehouse_state(services.warehouse) == clean_run([day])

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "celery-run.json").write_text(
        json.dumps(
            {
                "day": day.isoformat(),
                "run_seconds": round(elapsed, 1),
                "task_instances_run": len(ran),
                "queue": services.queue,
            }
        )
    )


def _celery_records(services, run_id: str, timeout: float = 60) -> list[tuple]:
    """The run's task instances with their Celery task id and the state Celery's result
    backend holds for it. A task instance is marked success (through the execution API) a
    moment before the worker's Celery task returns and records SUCCESS: wait for that."""
    deadline = time.monotonic() + timeout
    while True:
        rows = services.meta(
            "select ti.task_id, ti.map_index, ti.state, ti.queue, ti.external_executor_id, "
            "m.status from task_instance as ti "
            "left join celery_taskmeta as m on m.task_id = ti.external_executor_id "
            "where ti.dag_id = %s and ti.run_id = %s order by ti.task_id, ti.map_index",
            (DAG_ID, run_id),
        )
        pending = [r for r in rows if r[2] == "success" and r[5] in ("PENDING", "STARTED")]
        if not pending or time.monotonic() > deadline:
            return rows
        time.sleep(1)


def _run_count(services, dag_id: str) -> int:
    return services.api("GET", f"/dags/{dag_id}/dagRuns?limit=1")["total_entries"]
