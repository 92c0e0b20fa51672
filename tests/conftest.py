"""Shared fixtures: a real PostgreSQL per test (cloned from a migrated template) and samples.

``WAREHOUSE_TEST_URL`` names a server to use (CI: the PostgreSQL on 127.0.0.1:5432); unset,
an embedded PostgreSQL is started under a temporary state folder. Each test gets its own
database, created from a template that was migrated and loaded with the reference lists once.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import URL, make_url

SESSION = uuid.uuid4().hex[:8]


def _admin_url(tmp_root: Path) -> URL:
    configured = os.environ.get("WAREHOUSE_TEST_URL")
    if configured:
        return make_url(configured).set(drivername="postgresql+psycopg", database="postgres")
    os.environ["IKM_STATE_DIR"] = str(tmp_root / "state")
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
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[URL]:
    yield _admin_url(tmp_path_factory.mktemp("pg"))


@pytest.fixture(scope="session")
def samples_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from etl import samples
    from etl.settings import get_settings

    out = tmp_path_factory.mktemp("landing")
    samples.generate_landing_zone(out, get_settings().reference_dir)
    return out


@pytest.fixture(scope="session")
def sample_manifest(tmp_path_factory: pytest.TempPathFactory):
    from etl import samples
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
        from etl import migrate

        migrate.prepare()
    finally:
        if previous is None:
            os.environ.pop("WAREHOUSE_URL", None)
        else:
            os.environ["WAREHOUSE_URL"] = previous
    yield url
    _admin(url, f'drop database if exists "{url.database}" with (force)')


@pytest.fixture
def warehouse(
    template_db: URL, samples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[URL]:
    """A fresh warehouse database and fresh folders, wired through the environment."""
    url = template_db.set(database=f"ikm_test_{SESSION}_{uuid.uuid4().hex[:6]}")
    _admin(url, f'create database "{url.database}" template "{template_db.database}"')
    landing = tmp_path / "landing"
    shutil.copytree(samples_dir, landing)
    monkeypatch.setenv("WAREHOUSE_URL", url.render_as_string(hide_password=False))
    monkeypatch.setenv("IKM_LANDING_DIR", str(landing))
    monkeypatch.setenv("IKM_STAGING_DIR", str(tmp_path / "staging"))
    monkeypatch.setenv("IKM_FEEDBACK_DIR", str(tmp_path / "umpan_balik"))
    yield url
    _admin(url, f'drop database if exists "{url.database}" with (force)')


def query(url: URL, statement: str, params: tuple | dict | None = None) -> list[tuple]:
    with psycopg.connect(dsn(url)) as conn:
        return conn.execute(statement, params).fetchall()


CHECKSUM_EXCLUDED = {"audit.run", "audit.alembic_version"}


def checksums(url: URL) -> dict[str, str]:
    """md5 of every table's and mart view's content (order-independent), by name."""
    relations = query(
        url,
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in ('core', 'audit', 'mart') order by 1",
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
