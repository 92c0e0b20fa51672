"""Shared fixtures: a real PostgreSQL per test (cloned from a migrated template) and samples.

``WAREHOUSE_TEST_URL`` names a server to use (CI: the PostgreSQL on 127.0.0.1:5432); unset,
an embedded PostgreSQL is started under a temporary state folder. Each test gets its own
database, created from a template that was migrated and loaded with the reference lists once.

No test leaves a process behind: every process the session starts carries a tag in its
environment, and when the run ends any tagged process still alive (an embedded PostgreSQL, an
Airflow component, Superset, a browser) is named, stopped, and fails the run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import URL, make_url

SESSION = uuid.uuid4().hex[:8]
SESSION_TAG = "PYTEST_SESSION_TAG"
"""Set in this process's environment at start, so every process a test starts inherits it."""


def pytest_sessionstart(session: pytest.Session) -> None:
    os.environ[SESSION_TAG] = SESSION


INTERPRETER_HELPERS = ("multiprocessing.resource_tracker", "multiprocessing.forkserver")
"""Helpers that Python's multiprocessing starts for this very process: they end when it does
(they read a pipe from it), so they are not left behind by a test."""


def _left_behind() -> list:
    """Processes, other than this one and its interpreter's helpers, that carry this session's
    tag."""
    import psutil

    found = []
    for proc in psutil.process_iter(["pid", "ppid", "cmdline"]):
        if proc.pid == os.getpid():
            continue
        command = " ".join(proc.info["cmdline"] or [])
        if proc.info["ppid"] == os.getpid() and any(h in command for h in INTERPRETER_HELPERS):
            continue
        try:
            if proc.environ().get(SESSION_TAG) == SESSION and proc.status() != "zombie":
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test left a process running, after stopping it."""
    import psutil

    left = _left_behind()
    if not left:
        return
    names = [f"{p.pid}: {' '.join(p.info['cmdline'] or [])[:200]}" for p in left]
    for proc in left:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.terminate()
    _, alive = psutil.wait_procs(left, timeout=10)
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(
            f"FAILED: {len(names)} process(es) left behind by the tests (now stopped):",
            red=True,
        )
        for name in names:
            reporter.write_line(f"  {name}", red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _admin_url(state: Path) -> URL:
    configured = os.environ.get("WAREHOUSE_TEST_URL")
    if configured:
        return make_url(configured).set(drivername="postgresql+psycopg", database="postgres")
    os.environ["IKM_STATE_DIR"] = str(state)
    from etl import warehouse

    socket_dir = warehouse.start_embedded()
    return URL.create(
        "postgresql+psycopg",
        username="postgres",
        database="postgres",
        query={"host": str(socket_dir)},
    )


def dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _admin(url: URL, statement: str) -> None:
    with psycopg.connect(dsn(url.set(database="postgres")), autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture(scope="session")
def server_url() -> Iterator[URL]:
    # Not under pytest's temp folders: pytest prunes old ones, even while a server runs there.
    state = Path(tempfile.mkdtemp(prefix="ikm-test-pg-"))
    url = _admin_url(state)
    yield url
    if not os.environ.get("WAREHOUSE_TEST_URL"):
        from etl import warehouse

        warehouse.stop_embedded()
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="session")
def samples_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from etl.generators import samples
    from etl.settings import get_settings

    out = tmp_path_factory.mktemp("landing")
    samples.generate_landing_zone(out, get_settings().reference_dir)
    return out


@pytest.fixture(scope="session")
def sample_manifest(tmp_path_factory: pytest.TempPathFactory):
    from etl.generators import samples
    from etl.settings import get_settings

    out = tmp_path_factory.mktemp("manifest")
    return samples.generate_landing_zone(out, get_settings().reference_dir)


@pytest.fixture(scope="session")
def template_db(server_url: URL) -> Iterator[URL]:
    """A database migrated and loaded with the reference lists, cloned by each test."""
    url = server_url.set(database=f"ikm_test_{SESSION}_tpl")
    _admin(url, f'create database "{url.database}"')
    previous = os.environ.get("WAREHOUSE_URL")
    os.environ["WAREHOUSE_URL"] = url.render_as_string(hide_password=False)
    try:
        from etl.warehouse import migrations

        migrations.prepare()
    finally:
        if previous is None:
            os.environ.pop("WAREHOUSE_URL", None)
        else:
            os.environ["WAREHOUSE_URL"] = previous
    yield url
    _admin(url, f'drop database if exists "{url.database}" with (force)')


@contextlib.contextmanager
def _fresh_warehouse(template_db: URL, samples_dir: Path, folder: Path) -> Iterator[URL]:
    url = template_db.set(database=f"ikm_test_{SESSION}_{uuid.uuid4().hex[:6]}")
    _admin(url, f'create database "{url.database}" template "{template_db.database}"')
    landing = folder / "landing"
    shutil.copytree(samples_dir, landing)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_URL", url.render_as_string(hide_password=False))
        patch.setenv("IKM_LANDING_DIR", str(landing))
        patch.setenv("IKM_STAGING_DIR", str(folder / "staging"))
        patch.setenv("IKM_FEEDBACK_DIR", str(folder / "umpan_balik"))
        yield url
    _admin(url, f'drop database if exists "{url.database}" with (force)')


@pytest.fixture
def warehouse(template_db: URL, samples_dir: Path, tmp_path: Path) -> Iterator[URL]:
    """A fresh warehouse database and fresh folders, wired through the environment."""
    with _fresh_warehouse(template_db, samples_dir, tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def module_warehouse(
    template_db: URL, samples_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[URL]:
    """One warehouse for a module whose tests only read what a shared load produced."""
    with _fresh_warehouse(template_db, samples_dir, tmp_path_factory.mktemp("wh")) as url:
        yield url


def query(url: URL, statement: str, params: tuple | dict | None = None) -> list[tuple]:
    with psycopg.connect(dsn(url)) as conn:
        return conn.execute(statement, params).fetchall()


# logs of when things ran, and the checksums of the materialized marts' SQL files
CHECKSUM_EXCLUDED = {
    "audit.proses_hari",
    "audit.alembic_version",
    "audit.penyegaran_mart",
    "audit.objek_bi",
}


def checksums(url: URL) -> dict[str, str]:
    """md5 of every table's and mart view's content (order-independent), by name."""
    relations = query(
        url,
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in ('core', 'audit', 'mart') "
        "union select schemaname || '.' || matviewname from pg_matviews "
        "where schemaname in ('core', 'audit', 'mart') order by 1",
    )
    result = {}
    for (name,) in relations:
        if name in CHECKSUM_EXCLUDED:
            continue
        (digest,) = query(
            url,
            f"select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from {name} as t",
        )[0]
        result[name] = digest
    return result
