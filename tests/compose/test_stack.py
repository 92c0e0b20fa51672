"""``docker compose up`` as a ministry engineer meets it on a server, in the order a deployment
lives: the stack comes up healthy, two nights run through the Celery worker (one with the worker
killed mid-load), the dashboard shows the warehouse's count as bi_reader, no secret reaches a
log, a restart keeps the data, and ``down -v`` leaves nothing behind. The tests share one stack
(tests/compose/conftest.py) and run in this file's order.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time

import pytest
from sqlalchemy.engine import make_url

from etl.ops.airflow_api import logical_date_of
from tests.compose.conftest import DAYS, FIGURES, SERVICES, ComposeRun
from tests.conftest import query
from tests.services.conftest import ARTIFACTS, warehouse_state

pytestmark = pytest.mark.compose

DAG_ID = "ikm_ingest_nightly"


def _trigger(compose: ComposeRun, index: int) -> str:
    created = compose.api.trigger(DAG_ID, logical_date_of(DAYS[index]))
    return created["dag_run_id"]


def _celery_records(compose: ComposeRun, run_id: str, timeout: float = 60) -> list[tuple]:
    """(task, map index, state, try, hostname, Celery id, Celery's status, end) of each task
    instance; waits for Celery's result backend to record what the execution API marked."""
    deadline = time.monotonic() + timeout
    while True:
        rows = compose.meta(
            "select ti.task_id, ti.map_index, ti.state, ti.try_number, ti.hostname, "
            "ti.external_executor_id, m.status, ti.end_date from task_instance as ti "
            "left join celery_taskmeta as m on m.task_id = ti.external_executor_id "
            "where ti.dag_id = %s and ti.run_id = %s order by ti.task_id, ti.map_index",
            (DAG_ID, run_id),
        )
        pending = [r for r in rows if r[2] == "success" and r[6] in (None, "PENDING", "STARTED")]
        if not pending or time.monotonic() > deadline:
            return rows
        time.sleep(1)


def _assert_ran_on_the_worker(
    compose: ComposeRun, run_id: str, killed_at: dt.datetime | None = None
) -> list[tuple]:
    """Every task instance that succeeded ran in the worker container with a Celery task id
    that Celery's result backend records as SUCCESS. A task that had finished for Airflow
    when the worker was killed, but whose Celery task had not yet returned, stays STARTED."""
    worker_host = compose.stack.inspect("airflow-worker")["Config"]["Hostname"]
    rows = _celery_records(compose, run_id)
    ran = [r for r in rows if r[2] == "success"]
    assert {r[0] for r in ran} >= {"extract", "validate", "load"}, rows
    for task, index, _, _, host, celery_id, status, ended in ran:
        where = f"{task}[{index}]"
        assert host == worker_host, f"{where} ran on {host}, not the worker container"
        assert celery_id, f"{where}: no Celery task id (not run by the CeleryExecutor)"
        interrupted = killed_at is not None and status == "STARTED" and ended <= killed_at
        assert status == "SUCCESS" or interrupted, f"{where}: Celery's result backend says {status}"
    return rows


def test_the_stack_comes_up_healthy_from_the_committed_file(compose: ComposeRun):
    """Every long-running service healthy, the one-shot airflow-init exited 0, and the
    migrations it ran made the warehouse's schemas and role bi_reader."""
    states = compose.stack.health()
    assert {s: states.get(s) for s in SERVICES} == dict.fromkeys(SERVICES, "healthy"), states
    assert states["airflow-init"] == "exited(0)", states
    schemas = {r[0] for r in query(compose.warehouse(), "select nspname from pg_namespace")}
    assert {"core", "mart", "audit", "portal"} <= schemas
    assert query(compose.warehouse(), "select 1 from pg_roles where rolname = 'bi_reader'")
    # the healthchecks name their own container: a job alive on another host is not this one's
    other = subprocess.run(
        ["podman", "exec", compose.stack.container("airflow-dag-processor"), "airflow", "jobs",
         "check", "--job-type", "DagProcessorJob", "--hostname", "not-this-container"],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert other.returncode != 0, other.stdout


def test_two_nights_run_on_the_celery_worker_and_survive_its_death(
    compose: ComposeRun, compose_clean_run
):
    """Day 1 through the REST API: every task ran on the worker container through Celery, and
    the warehouse, marts included, equals one clean run of that day. Day 2: the worker's
    container is killed while ``load`` runs; compose's restart policy brings it back, the
    scheduler fails the orphaned try and the retry completes the run; the warehouse equals one
    clean run of both days (the correction replaced the first day's register)."""
    api = compose.api
    api.wait_for_dag(DAG_ID, timeout=300)
    api.call("PATCH", f"/dags/{DAG_ID}", {"is_paused": False})
    api.wait_idle(timeout=300, poll=2)  # the run the schedule makes at unpause, if any

    started = time.monotonic()
    first = _trigger(compose, 0)
    run = api.wait_for_run(DAG_ID, first, timeout=900, poll=2)
    FIGURES["night_1_seconds"] = round(time.monotonic() - started, 1)
    assert run["state"] == "success", run
    _assert_ran_on_the_worker(compose, first)
    compose.wait_published()
    assert warehouse_state(compose.warehouse()) == compose_clean_run(1)
    statuses = {r[0] for r in query(compose.warehouse(), "select status from audit.submission")}
    assert {"ditolak", "diterima_sebagian", "diterima"} <= statuses, statuses

    worker = compose.stack.inspect("airflow-worker")
    started = time.monotonic()
    second = _trigger(compose, 1)
    deadline = time.monotonic() + 600
    while True:
        state = compose.meta(
            "select state from task_instance where dag_id = %s and run_id = %s "
            "and task_id = 'load'",
            (DAG_ID, second),
        )
        if state and state[0][0] == "running":
            break
        assert not state or state[0][0] in (None, "scheduled", "queued"), state
        assert time.monotonic() < deadline, "load never started"
        time.sleep(0.2)
    # what an out-of-memory kill does: the container's first process dies at once
    killed_at = dt.datetime.now(dt.UTC)
    subprocess.run(["kill", "-9", str(worker["State"]["Pid"])], check=True)
    deadline = time.monotonic() + 120
    while True:
        now = compose.stack.inspect("airflow-worker")
        if now["State"]["Status"] == "running" and now["State"]["Pid"] != worker["State"]["Pid"]:
            break
        assert time.monotonic() < deadline, "compose's restart policy did not restart the worker"
        time.sleep(1)
    assert now["Id"] == worker["Id"]  # the same container, restarted: not a new one
    run = api.wait_for_run(DAG_ID, second, timeout=1200, poll=2)
    FIGURES["night_2_with_worker_killed_seconds"] = round(time.monotonic() - started, 1)
    assert run["state"] == "success", run
    rows = _assert_ran_on_the_worker(compose, second, killed_at)
    assert [r[3] for r in rows if r[0] == "load"] == [2], rows  # the killed try, then the retry
    compose.wait_published()
    assert warehouse_state(compose.warehouse()) == compose_clean_run(2)
    statuses = {r[0] for r in query(compose.warehouse(), "select status from audit.submission")}
    assert "digantikan" in statuses, statuses
    # the offices' feedback was written to the host folder, by the containers' user
    reports = list(compose.folders["umpan_balik"].rglob("*.umpan_balik.md"))
    assert reports, "no feedback report reached the host's feedback folder"


def test_superset_in_the_container_shows_the_national_count_as_bi_reader(compose: ComposeRun, page):
    """Logged in through the form in Chromium: the dashboard's Big Number is the warehouse's
    national IKM count, and Superset's database connection is bi_reader on the warehouse."""
    from playwright.sync_api import expect

    (units,) = query(
        compose.warehouse(),
        "select sum(jumlah_unit) from mart.ikm_per_wilayah "
        "where tahun = (select max(tahun) from mart.ikm_per_wilayah)",
    )[0]
    assert units, "the warehouse holds no units: the nights above did not load"
    url = "http://127.0.0.1:8088"
    page.goto(f"{url}/login/")
    # the form is React's: filled before it has rendered, the fields come back empty
    page.wait_for_load_state("networkidle")
    password = compose.secrets["SUPERSET_ADMIN_PASSWORD"]
    page.fill("#username", "admin")
    page.fill("#password", password)
    expect(page.locator("#username")).to_have_value("admin")
    expect(page.locator("#password")).to_have_value(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/superset/welcome/.*"))
    page.goto(f"{url}/superset/dashboard/ikm-ringkasan/")
    expect(page.get_by_text("IKM – Ringkasan nasional").first).to_be_visible()
    expect(page.locator(".dashboard-chart .header-line")).to_have_text(f"{int(units):,}")
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Data error").count() == 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "compose-superset-dashboard.png"), full_page=True)

    found = page.request.get(f"{url}/api/v1/database/").json()["result"]
    (database,) = [d for d in found if d["database_name"] == "Gudang IKM"]
    connection = page.request.get(f"{url}/api/v1/database/{database['id']}/connection")
    uri = make_url(connection.json()["result"]["sqlalchemy_uri"])
    assert (uri.username, uri.host, uri.database) == ("bi_reader", "postgres", "ikm")


def test_no_secret_from_the_env_file_reaches_a_log(compose: ComposeRun):
    """Every container's log (airflow-init's included) and every task log in the logs volume
    hold none of the generated secrets."""
    containers = compose.stack.containers()
    assert len(containers) == len(SERVICES) + 1, containers
    for name in containers:
        result = subprocess.run(["podman", "logs", name], capture_output=True, text=True)
        log = result.stdout + result.stderr
        assert log.strip(), f"{name}: an empty log proves nothing"
        leaked = [key for key, value in compose.secrets.items() if value in log]
        assert not leaked, f"{name}'s log shows {leaked}"
    task_logs = compose.stack.exec(
        "airflow-apiserver", "find", "/opt/airflow/logs", "-type", "f", "-name", "*.log"
    ).split()
    assert task_logs, "no task log in the logs volume"
    patterns = [arg for value in compose.secrets.values() for arg in ("-e", value)]
    found = subprocess.run(
        ["podman", "exec", compose.stack.container("airflow-apiserver"), "grep", "-rlF",
         *patterns, "/opt/airflow/logs"],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert found.returncode == 1, f"secrets in task logs: {found.stdout}{found.stderr}"


def test_down_and_up_keeps_the_warehouse_and_airflows_history(compose: ComposeRun):
    """``down`` removes the containers, not the named volumes: after ``up`` the warehouse and
    Airflow's record of both nights are as they were."""
    before = warehouse_state(compose.warehouse())
    runs_before = compose.api.call("GET", f"/dags/{DAG_ID}/dagRuns?state=success")["total_entries"]
    assert runs_before >= 2
    compose.stack.compose("down")
    assert compose.stack.containers() == []
    started = time.monotonic()
    compose.stack.compose("up", "-d")
    compose.stack.wait_healthy(SERVICES)
    FIGURES["up_again_seconds"] = round(time.monotonic() - started, 1)
    compose.api._token = None  # a new api-server: log in again
    assert warehouse_state(compose.warehouse()) == before
    after = compose.api.call("GET", f"/dags/{DAG_ID}/dagRuns?state=success")["total_entries"]
    assert after == runs_before


def test_down_v_leaves_no_container_network_or_volume(compose: ComposeRun):
    """Nothing of the project is left, named or anonymous (the down/up above included)."""
    FIGURES["memory_now_mib"] = compose.stack.memory_mib()
    compose.stack.compose("down", "-v", "--remove-orphans")
    label = f"label=com.docker.compose.project={compose.stack.name}"
    for kind, name in (("ps --all", "{{.Names}}"), ("network ls", "{{.Name}}"),
                       ("volume ls", "{{.Name}}")):  # fmt: skip
        out = subprocess.run(
            ["podman", *kind.split(), "--filter", label, "--format", name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert out == [], f"podman {kind}: {out} left behind"
    left = compose.stack.volumes() - compose.volumes_before
    assert not left, f"volumes made by the stack and left behind: {left}"
