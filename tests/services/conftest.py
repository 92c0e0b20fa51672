"""Airflow running as ``make airflow --executor celery`` runs it, for the backfill tests (UI,
REST API, CLI) and the Celery run.

One session starts the api-server, scheduler, dag-processor, triggerer and a Celery worker
through :class:`etl.ops.airflow_services.AirflowServices` on a free port, with their own metadata
database, a warehouse cloned from the test template, and a landing zone of three consecutive
arrival days plus a later correction. Every task runs on the CeleryExecutor, through the
machine's Redis (``IKM_CELERY_BROKER``, default 127.0.0.1:6379) on a queue of the session's
own, so two sessions on one machine never take each other's tasks. Each test resets the
warehouse and the DAG's runs first, so a test never depends on another's order. The reference
("one clean run") is computed by the ``etl`` package itself, without Airflow, into another
database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import URL

from etl.settings import PROJECT_ROOT
from tests.conftest import SESSION, _admin, _fresh_warehouse, query
from tests.support.webhook import local_webhook

DAG_ID = "ikm_ingest_nightly"
# The warehouse's and the metadata database's password in this session (the test server
# trusts local connections, so any password connects); tests/services/test_secrets.py looks
# for it in every log and XCom of the session.
SECRET = f"IkmRahasia-{SESSION}-uji"  # from SESSION: this module is imported twice
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR", PROJECT_ROOT / "test-artifacts"))

# Sample arrival days moved to three consecutive days (files keep their content); the
# correction of the first day's Jawa Barat register stays later, on 2024-04-15.
DAY_MAP = {
    dt.date(2024, 3, 4): dt.date(2024, 3, 9),
    dt.date(2024, 3, 8): dt.date(2024, 3, 10),
    dt.date(2024, 3, 11): dt.date(2024, 3, 11),
    dt.date(2024, 4, 15): dt.date(2024, 4, 15),
}
BACKFILL_DAYS = [dt.date(2024, 3, 9), dt.date(2024, 3, 10), dt.date(2024, 3, 11)]
CORRECTION_DAY = dt.date(2024, 4, 15)


# Debian's Chromium, as root, with no network of its own (never `playwright install`)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(request):
    """A Chromium page driven by Playwright; a screenshot when the test fails, kept under
    test-artifacts/ (the browser tests of Airflow's UI and of Superset)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.set_default_timeout(60_000)
        yield page
        report = getattr(request.node, "rep_call", None)
        if report is None or report.failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()


def logical_date(day: dt.date) -> dt.datetime:
    """The logical date of the run that processes arrival day ``day``: D 01:00 WIB."""
    from etl.ops.airflow_api import logical_date_of

    return logical_date_of(day)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def backfill_landing(samples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("backfill_landing")
    for old, new in DAY_MAP.items():
        shutil.copytree(samples_dir / old.isoformat(), out / new.isoformat())
    return out


# -- what one clean run gives ---------------------------------------------------------------

# ids, clocks, and the name of the staging table a batch used (named after its first id)
VOLATILE = {"submission_id", "processed_at", "mulai", "selesai", "dimuat_pada", "tabel_staging"}


def warehouse_state(url: URL) -> dict[str, str]:
    """md5 of each mart and fact view and of the audit trail, without ids and timestamps
    (a scheduler runs mapped extracts in any order, so surrogate ids differ between runs)."""
    relations = [
        r[0]
        for r in query(
            url,
            # pg_class, not information_schema: that leaves out materialized views (the marts)
            "select n.nspname || '.' || c.relname from pg_class as c "
            "inner join pg_namespace as n on c.relnamespace = n.oid "
            "where c.relkind in ('v', 'm') and (n.nspname in ('mart', 'publik') or "
            "(n.nspname = 'core' and (c.relname like 'fakta%%' or c.relname like 'dim_%%'))) "
            "order by 1",
        )
    ]
    state = {}
    for name in [*relations, "audit.submission"]:
        schema, table = name.split(".")
        columns = [
            r[0]
            for r in query(
                url,
                "select a.attname from pg_attribute as a where a.attrelid = %s::regclass "
                "and a.attnum > 0 and not a.attisdropped "
                "and format_type(a.atttypid, null) not like 'timestamp%%' order by a.attnum",
                (f'"{schema}"."{table}"',),
            )
            if r[0] not in VOLATILE and not r[0].endswith("_id") and r[0] != "baris"
        ]
        cols = ", ".join(f'"{c}"' for c in columns)
        (digest, rows) = query(
            url,
            # byte order: the same digest whatever collation the server was initialized with
            "select md5(coalesce(string_agg(t::text, '|' order by t::text collate \"C\"), '')), "
            f"count(*) from (select {cols} from {name}) as t",
        )[0]
        state[name] = f"{rows}:{digest}"
    quarantine = query(
        url,
        "select md5(coalesce(string_agg(x, '|' order by x collate \"C\"), '')) from ("
        "select s.path || k.baris || k.kolom || coalesce(k.nilai, '') || k.alasan as x "
        "from audit.karantina as k join audit.submission as s using (submission_id)) as q",
    )[0][0]
    state["audit.karantina"] = quarantine
    return state


@pytest.fixture(scope="session")
def clean_run(template_db: URL, backfill_landing: Path, tmp_path_factory: pytest.TempPathFactory):
    """``clean_run(days)``: the warehouse state after one clean run of those days, in order."""
    cache: dict[tuple[dt.date, ...], dict[str, str]] = {}

    def state_after(days: list[dt.date]) -> dict[str, str]:
        key = tuple(sorted(days))
        if key in cache:
            return cache[key]
        folder = tmp_path_factory.mktemp("bersih")
        with _fresh_warehouse(template_db, backfill_landing, folder) as url:
            from etl import flow

            for day in key:
                flow.run_day(day)
            cache[key] = warehouse_state(url)
        return cache[key]

    return state_after


# -- Airflow itself ----------------------------------------------------------------------------


@dataclass
class Services:
    """The running Airflow, its warehouse, and the calls a test makes on them."""

    url: str
    env: dict[str, str]
    warehouse: URL
    template: URL
    folders: dict[str, Path]
    processes: object
    alerts: list[dict]
    memory_mib: list[float] = field(default_factory=list)
    """RSS of the five components with every process they started (task runs included)."""
    services_mib: list[float] = field(default_factory=list)
    """RSS of the five components alone."""

    @property
    def queue(self) -> str:
        """The Celery queue this session's tasks go to and its worker serves."""
        return self.env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"]

    def meta(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows from Airflow's metadata database (task instances, Celery's results)."""
        dsn = self.env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].replace("+psycopg2", "")
        with psycopg.connect(dsn) as conn:
            return conn.execute(sql, params).fetchall()

    @functools.cached_property
    def client(self):
        from etl.ops.airflow_api import AirflowApi
        from etl.ops.airflow_services import admin_login

        return AirflowApi(self.url, admin_login(self.env))

    def token(self) -> str:
        return self.client.token()

    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        from etl.ops.airflow_api import ApiError

        try:
            return self.client.call(method, path, body)
        except ApiError as exc:
            raise AssertionError(str(exc)) from exc

    def runs(self, dag_id: str = DAG_ID) -> list[dict]:
        return self.api("GET", f"/dags/{dag_id}/dagRuns?limit=100&order_by=logical_date")[
            "dag_runs"
        ]

    def airflow(self, *args: str) -> subprocess.CompletedProcess:
        from etl.ops.airflow_env import airflow_binary

        return subprocess.run(
            [airflow_binary(), *args], env=self.env, capture_output=True, text=True, timeout=300
        )

    def reset(self) -> None:
        """An empty warehouse and no runs of the nightly DAG: as before its first night."""
        self.wait_idle()
        for run in self.runs():
            self.api("DELETE", f"/dags/{DAG_ID}/dagRuns/{run['dag_run_id']}")
        self.reset_warehouse_only()
        self.alerts.clear()

    def reset_warehouse_only(self) -> None:
        """The warehouse, its staged files and its feedback gone (Airflow's runs stay)."""
        _admin(self.warehouse, f'drop database if exists "{self.warehouse.database}" with (force)')
        _admin(
            self.warehouse,
            f'create database "{self.warehouse.database}" template "{self.template.database}"',
        )
        for name in ("staging", "umpan_balik"):
            shutil.rmtree(self.folders[name], ignore_errors=True)

    def wait_for_backfill(self, backfill_id: int, days: list[dt.date], timeout: float = 600):
        """Until the backfill completed; return its runs of ``days`` by day."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            backfill = self.api("GET", f"/backfills/{backfill_id}")
            if backfill.get("completed_at"):
                break
            time.sleep(2)
        else:
            raise AssertionError(f"backfill {backfill_id} not done after {timeout:.0f} s")
        return self.runs_of(days)

    def runs_of(self, days: list[dt.date]) -> dict[dt.date, dict]:
        wanted = {logical_date(d): d for d in days}
        found = {}
        for run in self.runs():
            moment = dt.datetime.fromisoformat(run["logical_date"].replace("Z", "+00:00"))
            if moment in wanted:
                found[wanted[moment]] = run
        return found

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 300) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run = self.api("GET", f"/dags/{dag_id}/dagRuns/{run_id}")
            if run["state"] in ("success", "failed"):
                return run
            time.sleep(2)
        raise AssertionError(f"{dag_id} {run_id} not done after {timeout:.0f} s")

    def wait_published(self, timeout: float = 300) -> None:
        """Until ikm_publish has run after the warehouse's last asset event, then idle: the
        marts are materialized, so they hold the loads only once it refreshed them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            events = self.api("GET", "/assets/events?limit=100&order_by=-timestamp")
            changed = [
                dt.datetime.fromisoformat(e["timestamp"].replace("Z", "+00:00"))
                for e in events["asset_events"]
                if e["uri"] in ("ikm://gudang/core", "ikm://gudang/referensi")
            ]
            done = [
                dt.datetime.fromisoformat(r["queued_at"].replace("Z", "+00:00"))
                for r in self.runs("ikm_publish")
                if r["state"] in ("success", "failed") and r.get("queued_at")
            ]
            if not changed or (done and max(done) >= max(changed)):
                self.wait_idle(max(deadline - time.monotonic(), 1))
                return
            time.sleep(2)
        raise AssertionError("ikm_publish did not follow the warehouse's last change")

    def wait_idle(self, timeout: float = 300) -> None:
        """Until no run of any DAG is queued or running (asset-triggered ones included)."""
        try:
            self.client.wait_idle(timeout, poll=2)
        except TimeoutError as exc:
            raise AssertionError(str(exc)) from exc


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item (the page fixture screenshots failures)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _sample_memory(services: Services, stop: threading.Event) -> None:
    from etl.ops.airflow_services import tree_rss_mib

    while not stop.wait(1.0):
        with contextlib.suppress(Exception):
            pids = services.processes.pids()
            services.memory_mib.append(tree_rss_mib(pids))
            services.services_mib.append(tree_rss_mib(pids, children=False))


@pytest.fixture(scope="session")
def airflow_services(
    server_url: URL,
    template_db: URL,
    backfill_landing: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Services]:
    from etl.ops.airflow_services import AirflowServices, prepare_metadata, service_environment

    state = tmp_path_factory.mktemp("airflow_state")
    meta = server_url.set(drivername="postgresql+psycopg2", database=f"airflow_svc_{SESSION}")
    _admin(meta, f'create database "{meta.database}"')
    warehouse = template_db.set(database=f"ikm_test_{SESSION}_airflow")
    _admin(warehouse, f'create database "{warehouse.database}" template "{template_db.database}"')
    folders = {"staging": state / "staging", "umpan_balik": state / "umpan_balik"}

    alerts = contextlib.ExitStack()
    hook = alerts.enter_context(local_webhook())

    base = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    base.update(
        {
            "IKM_STATE_DIR": str(state),
            "WAREHOUSE_URL": warehouse.set(password=SECRET).render_as_string(hide_password=False),
            "IKM_LANDING_DIR": str(backfill_landing),
            "IKM_STAGING_DIR": str(folders["staging"]),
            "IKM_FEEDBACK_DIR": str(folders["umpan_balik"]),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": meta.set(password=SECRET).render_as_string(
                hide_password=False
            ),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": meta.set(
                drivername="postgresql+psycopg", password=SECRET
            ).render_as_string(hide_password=False),
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            # Alerts go to a local webhook; every backfilled day is "late" after 3 seconds.
            "IKM_PERINGATAN_WEBHOOK": hook.url,
            "IKM_PERINGATAN_TERLAMBAT_MENIT": "0.05",
            # Celery: a queue of this session's own on the shared Redis
            "AIRFLOW__OPERATORS__DEFAULT_QUEUE": f"ikm_test_{SESSION}",
        }
    )
    # built from base alone: its settings, its warehouse, its metadata database
    env = service_environment("127.0.0.1", _free_port(), base=base, executor="celery")
    _check_broker(env["AIRFLOW__CELERY__BROKER_URL"])
    log_dir = ARTIFACTS / "airflow-logs"
    shutil.rmtree(log_dir, ignore_errors=True)
    with (state / "setup.log").open("w") as log:
        prepare_metadata(env, log)
    processes = AirflowServices(env, log_dir)
    processes.start()
    services = Services(
        url=processes.url,
        env=env,
        warehouse=warehouse,
        template=template_db,
        folders=folders,
        processes=processes,
        alerts=hook.received,
    )
    stop = threading.Event()
    try:
        processes.wait_until_healthy(timeout=240)
        threading.Thread(target=_sample_memory, args=(services, stop), daemon=True).start()
        for dag_id in ("ikm_ingest_nightly", "ikm_publish", "ikm_reprocess"):
            _wait_for_dag(services, dag_id)
        yield services
    finally:
        stop.set()
        processes.stop()
        alerts.close()
        _drop_queue(env["AIRFLOW__CELERY__BROKER_URL"], env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"])
        samples = services.memory_mib
        if samples:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / "airflow-memory.json").write_text(
                json.dumps(
                    {
                        "with_task_processes_peak_mib": round(max(samples), 1),
                        "with_task_processes_median_mib": round(_median(samples), 1),
                        "components_peak_mib": round(max(services.services_mib), 1),
                        "components_median_mib": round(_median(services.services_mib), 1),
                        "samples": len(samples),
                    }
                )
            )
        for url in (warehouse, meta):
            _admin(url, f'drop database if exists "{url.database}" with (force)')


def _check_broker(url: str) -> None:
    """Fail at once, and say why, when the Redis the Celery tests need is not there."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        pytest.fail(f"the Celery broker {url} does not answer (IKM_CELERY_BROKER): {exc}")


def _drop_queue(url: str, queue: str) -> None:
    """Remove what this session left in the shared Redis: its queue and kombu's binding."""
    import redis

    with contextlib.suppress(redis.RedisError):
        redis.Redis.from_url(url, socket_connect_timeout=5).delete(queue, f"_kombu.binding.{queue}")


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _wait_for_dag(services: Services, dag_id: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(AssertionError):
            services.api("GET", f"/dags/{dag_id}")
            return
        time.sleep(1)
    raise AssertionError(f"{dag_id} not parsed after {timeout} s")


def pool_usage(services: Services, pool: str = "ikm_gudang") -> tuple[list[str], list[tuple]]:
    """(task instances that ran in ``pool``, pairs of them that ran at the same time)."""
    meta = services.env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].replace("+psycopg2", "")
    with psycopg.connect(meta) as conn:
        rows = conn.execute(
            "select dag_id || '/' || run_id || '/' || task_id, start_date, end_date "
            "from task_instance where pool = %s and start_date is not null order by start_date",
            (pool,),
        ).fetchall()
    never = dt.datetime.max.replace(tzinfo=dt.UTC)
    overlaps = [
        (a[0], b[0]) for i, a in enumerate(rows) for b in rows[i + 1 :] if b[1] < (a[2] or never)
    ]
    return [r[0] for r in rows], overlaps


def runs_overlapped(runs: list[dict]) -> bool:
    """Whether any two of these runs were running at the same time."""
    spans = sorted(
        (dt.datetime.fromisoformat(r["start_date"]), dt.datetime.fromisoformat(r["end_date"]))
        for r in runs
    )
    return any(b[0] < a[1] for a, b in itertools.pairwise(spans))
