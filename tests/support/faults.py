"""Helpers for the fault tests: stages run as real processes, watched and killed from outside.

The faults are injected from the test side only (a signal, a lock held in the database, a
server restart), so production code carries no hooks for them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import URL

from tests.conftest import _admin, dsn, query
from tests.support.factories import HEADER, land_csv, unit_ikm_row

CONTENT_EXCLUDED = {
    "audit.proses_hari",
    "audit.alembic_version",
    "audit.penyegaran_mart",
    "audit.objek_bi",
}
"""Logs of when things ran (as in ``tests.conftest.checksums``)."""


def poll(condition: Callable[[], object], timeout: float, what: str, every: float = 0.005):
    """Wait until ``condition()`` is truthy and return it; fail naming ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def etl_process(*args: str) -> subprocess.Popen:
    """``python -m etl <args>`` as its own process, with this test's environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "etl", *args],
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def backend_running(
    conn: psycopg.Connection, url: URL, pattern: str, *, waiting_on_lock: bool = False
) -> int | None:
    """The pid of a backend of ``url``'s database running a statement matching ``pattern``,
    asked on one open ``conn`` (a connection per poll would load the server)."""
    rows = conn.execute(
        "select pid from pg_stat_activity where datname = %s and pid <> pg_backend_pid() "
        "and state = 'active' and query ilike %s "
        "and (not %s or wait_event_type = 'Lock')",
        (url.database, pattern, waiting_on_lock),
    ).fetchall()
    return rows[0][0] if rows else None


def backend_gone(url: URL, pid: int) -> bool:
    return not query(url, "select 1 from pg_stat_activity where pid = %s", (pid,))


def content(url: URL) -> dict[str, str]:
    """md5 of every core/audit/mart relation's rows, without its timestamp columns.

    Comparable across two databases that processed the same files in the same order (the
    submission ids are then the same): only *when* things happened may differ.
    """
    relations = query(
        url,
        "select n.nspname || '.' || c.relname, "
        "array_agg(quote_ident(a.attname) order by a.attnum) "
        "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped "
        "where n.nspname in ('core', 'audit', 'mart') and c.relkind in ('r', 'v', 'm', 'p') "
        "and format_type(a.atttypid, a.atttypmod) not like 'timestamp%%' "
        "group by 1 order by 1",
    )
    result = {}
    for name, columns in relations:
        if name in CONTENT_EXCLUDED:
            continue
        row = f"({', '.join(columns)})::text"
        ((digest,),) = query(
            url,
            f"select md5(coalesce(string_agg({row}, '|' order by {row}), '')) from {name}",
        )
        result[name] = digest
    return result


def checksums_but(url: URL, submission_id: int | None) -> dict[str, str]:
    """``tests.conftest.checksums``, without one submission's rows in ``audit``: its trail.

    Two snapshots equal under it differ at most in what that submission's attempt recorded in
    the audit trail; ``core`` and ``mart`` are compared whole.
    """
    relations = query(
        url,
        "select n.nspname || '.' || c.relname, "
        "n.nspname = 'audit' and bool_or(a.attname = 'submission_id') "
        "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped "
        "where n.nspname in ('core', 'audit', 'mart') and c.relkind in ('r', 'v', 'm', 'p') "
        "group by 1, n.nspname order by 1",
    )
    result = {}
    for name, keyed in relations:
        if name in CONTENT_EXCLUDED:
            continue
        where = "where t.submission_id is distinct from %s" if keyed else "where %s::int is null"
        ((digest,),) = query(
            url,
            f"select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) "
            f"from {name} as t {where}",
            (submission_id if keyed else None,),
        )
        result[name] = digest
    return result


def land_big_register(rel_path: str, rows: int) -> str:
    """A clean unit_ikm register of ``rows`` distinct units, big enough that its COPY into
    staging lasts long enough to be caught in ``pg_stat_activity``."""
    office = Path(rel_path).parts[1]
    return land_csv(
        rel_path,
        HEADER,
        [unit_ikm_row(nib=f"9{i:012d}", kode_kabkota=office) for i in range(rows)],
    )


@contextmanager
def other_warehouse(template_db: URL) -> Iterator[URL]:
    """A second fresh warehouse from the template, for a clean run to compare with."""
    url = template_db.set(database=f"ikm_test_clean_{uuid.uuid4().hex[:6]}")
    _admin(url, f'create database "{url.database}" template "{template_db.database}"')
    try:
        yield url
    finally:
        _admin(url, f'drop database if exists "{url.database}" with (force)')


__all__ = ["dsn", "psycopg"]
