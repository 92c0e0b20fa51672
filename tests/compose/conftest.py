"""The compose tier: the committed ``docker-compose.yml`` brought up for real, on podman, with
the stand-in images of ``docker/standins`` (no Docker engine and no image registry here).

One session builds the images (skipped when their inputs are unchanged), writes an env file
from ``.env.example`` with new secrets, and starts the stack under a project name of its own
from the project folder itself. The landing zone holds two arrival days of the sample files:
4 March 2024 (a register with bad rows, one later corrected, plus a file refused whole because
a required column is missing) and 15 April 2024 (the correction, bad rows, programme files).
"One clean run" of those days is computed by the ``etl`` package without Airflow, into a
database of the test server, and compared with the same digest the services tests use.

The figures of the tier (build, start-up, each night, peak memory of all containers) go to
``test-artifacts/compose.json``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import URL

from etl.ops.airflow_api import AirflowApi
from etl.ops.processes import Login
from tests.conftest import SESSION, _fresh_warehouse
from tests.services.conftest import ARTIFACTS, page, pytest_runtest_makereport, warehouse_state
from tests.support.compose_stack import Stack, build_images, write_env

__all__ = ["page", "pytest_runtest_makereport"]

DAYS = [dt.date(2024, 3, 4), dt.date(2024, 4, 15)]
# refused whole (required column kbli missing); sent on the first day here
REJECTED = Path("2024-03-11/3372/unit_ikm_2023.csv")
SERVICES = [
    "postgres",
    "redis",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "portal",
    "superset",
]
PORTS = (8080, 8088, 8090)
AIRFLOW_UID = 50000
FIGURES: dict[str, object] = {}


@pytest.fixture(scope="session")
def compose_folder() -> Iterator[Path]:
    """Host folders the containers mount: readable by the containers' users (pytest's own
    temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix=f"ikm-compose-{SESSION}-", dir="/var/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def compose_landing(samples_dir: Path, compose_folder: Path) -> Path:
    landing = compose_folder / "landing"
    for day in DAYS:
        shutil.copytree(samples_dir / day.isoformat(), landing / day.isoformat())
    moved = landing / DAYS[0].isoformat() / REJECTED.relative_to(REJECTED.parts[0])
    moved.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(samples_dir / REJECTED, moved)
    for path in [landing, *landing.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return landing


@pytest.fixture(scope="session")
def compose_clean_run(template_db: URL, compose_landing: Path, tmp_path_factory):
    """``compose_clean_run(n)``: the warehouse state after one clean run of the first n days."""
    cache: dict[int, dict[str, str]] = {}

    def state_after(n: int) -> dict[str, str]:
        if n not in cache:
            folder = tmp_path_factory.mktemp("bersih_compose")
            with _fresh_warehouse(template_db, compose_landing, folder) as url:
                from etl import flow

                for day in DAYS[:n]:
                    flow.run_day(day)
                cache[n] = warehouse_state(url)
        return cache[n]

    return state_after


@dataclass
class ComposeRun:
    """The running stack and the calls a test makes on it."""

    stack: Stack
    secrets: dict[str, str]
    folders: dict[str, Path]
    api: AirflowApi
    volumes_before: set[str]
    memory_mib: list[float] = field(default_factory=list)

    def warehouse(self) -> URL:
        """The warehouse in the postgres container, reached at the container's address."""
        return URL.create(
            "postgresql+psycopg",
            username="postgres",
            password=self.secrets["POSTGRES_PASSWORD"],
            host=self.stack.ip("postgres"),
            port=5432,
            database="ikm",
        )

    def meta(self, sql: str, params: tuple = ()) -> list[tuple]:
        """A query on Airflow's metadata database, as its own role."""
        dsn = (
            f"host={self.stack.ip('postgres')} port=5432 dbname=airflow user=airflow "
            f"password={self.secrets['AIRFLOW_DB_PASSWORD']}"
        )
        with psycopg.connect(dsn) as conn:
            return conn.execute(sql, params).fetchall()

    def wait_published(self, timeout: float = 600) -> None:
        """Until ikm_publish ran after the warehouse's last asset event, then idle."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            events = self.api.call("GET", "/assets/events?limit=100&order_by=-timestamp")
            changed = [
                e["timestamp"]
                for e in events["asset_events"]
                if e["uri"] in ("ikm://gudang/core", "ikm://gudang/referensi")
            ]
            runs = self.api.call("GET", "/dags/ikm_publish/dagRuns?limit=100")["dag_runs"]
            done = [
                r["queued_at"]
                for r in runs
                if r["state"] in ("success", "failed") and r["queued_at"]
            ]
            if not changed or (
                done and _when(max(done, key=_when)) >= _when(max(changed, key=_when))
            ):
                self.api.wait_idle(max(deadline - time.monotonic(), 1), poll=2)
                return
            time.sleep(2)
        raise AssertionError("ikm_publish did not follow the warehouse's last change")


def _when(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _sample_memory(run: ComposeRun, stop: threading.Event) -> None:
    while not stop.wait(5):
        # a missed sample is not a failure of the stack
        with contextlib.suppress(Exception):
            run.memory_mib.append(sum(run.stack.memory_mib().values()))


@pytest.fixture(scope="session")
def compose(compose_folder: Path, compose_landing: Path) -> Iterator[ComposeRun]:
    if os.geteuid() != 0:
        pytest.fail("the compose tier runs podman as root (make test-compose does, as CI does)")
    tier_start = time.monotonic()
    started = time.monotonic()
    FIGURES["build_report"] = build_images().strip().splitlines()
    FIGURES["build_seconds"] = round(time.monotonic() - started, 1)
    taken = [p for p in PORTS if not _port_free(p)]
    assert not taken, f"ports {taken} are taken: docker-compose.yml publishes 8080, 8088, 8090"

    from etl.settings import get_settings

    feedback = compose_folder / "umpan_balik"
    feedback.mkdir()
    os.chown(feedback, AIRFLOW_UID, 0)
    env_file = compose_folder / "compose.env"
    secrets = write_env(
        env_file,
        IKM_LANDING_HOST_DIR=str(compose_landing),
        IKM_FEEDBACK_HOST_DIR=str(feedback),
        IKM_REFERENCE_HOST_DIR=str(get_settings().reference_dir),
    )
    stack = Stack(env_file=env_file, name=f"ikmuji{SESSION}")
    volumes_before = stack.volumes()
    stack.start_podman()
    stop = threading.Event()
    try:
        started = time.monotonic()
        stack.compose("up", "-d")
        stack.wait_healthy(SERVICES)
        FIGURES["up_seconds"] = round(time.monotonic() - started, 1)
        api = AirflowApi(
            "http://127.0.0.1:8080",
            Login(username="admin", password=secrets["AIRFLOW_ADMIN_PASSWORD"]),
        )
        run = ComposeRun(
            stack,
            secrets,
            {"landing": compose_landing, "umpan_balik": feedback, "env": env_file},
            api,
            volumes_before,
        )
        sampler = threading.Thread(target=_sample_memory, args=(run, stop), daemon=True)
        sampler.start()
        yield run
    finally:
        stop.set()
        try:
            stack.compose("down", "-v", "--remove-orphans", check=False, timeout=600)
        finally:
            stack.stop_podman()
            if "run" in locals() and run.memory_mib:
                FIGURES["peak_memory_mib_all_containers"] = round(max(run.memory_mib))
            FIGURES["tier_seconds"] = round(time.monotonic() - tier_start, 1)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / "compose.json").write_text(json.dumps(FIGURES, indent=2))
