"""The flow for one file and for one arrival day, outside Airflow (the DAG wires the same calls)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from etl import extract, landing, load, marts, migrate, publish, validate

log = logging.getLogger(__name__)
T = TypeVar("T")


@contextlib.contextmanager
def day_lock(tanggal: dt.date, *, shared: bool = False) -> Iterator[None]:
    """Hold the arrival day's lock while the block runs (a session advisory lock on its own
    autocommit connection, so no transaction stays open meanwhile).

    Why: two runs of the same day at once (the scheduled run and a manual one) would otherwise
    interleave: one run's publish closes as a system error the files the other has extracted
    but not loaded yet, both validate the same files into the same staging table (one
    dropping it under the other), and one re-stages a file's Parquet while the other COPYs it.
    Extracts take the lock shared (a run's own extracts run side by side); validate, load and
    publish take it exclusively, so they never overlap a stage of the other run. A whole
    ``run_day`` holds it exclusively: the second run waits, then finds every file done and
    skips it. The per-kind ``muat:<jenis>`` lock in :mod:`etl.load` still orders loads of
    different days.
    """
    from etl import warehouse

    key = f"hari:{tanggal.isoformat()}"
    take, give = (
        ("pg_advisory_lock_shared", "pg_advisory_unlock_shared")
        if shared
        else ("pg_advisory_lock", "pg_advisory_unlock")
    )
    with warehouse.connect(autocommit=True) as conn:
        conn.execute(f"select {take}(hashtext(%s))", (key,))
        try:
            yield
        finally:
            if not conn.closed:
                conn.execute(f"select {give}(hashtext(%s))", (key,))


def under_day_lock(tanggal: dt.date, step: Callable[..., T], *args: Any, shared: bool = False) -> T:
    """``step(*args)`` under the day's lock: how the DAG's tasks call the stages."""
    with day_lock(tanggal, shared=shared):
        return step(*args)


def extract_file(rel_path: str, force: bool = False) -> extract.ExtractResult:
    """Extract one landed file under its day's shared lock (see :func:`day_lock`)."""
    from etl.audit import parts_of

    with day_lock(parts_of(rel_path)[0], shared=True):
        return extract.extract(rel_path, force)


def process_file(rel_path: str) -> dict[str, Any]:
    """extract → validate → load for one landed file; returns its final status."""
    extracted = extract.extract(rel_path)
    if extracted.status != "diekstrak":
        return extracted.as_xcom()
    checked = validate.validate(extracted.submission_id)
    if checked["status"] == "ditolak":
        return checked
    return load.load(extracted.submission_id)


def run_day(tanggal: dt.date) -> dict[str, Any]:
    """One arrival day end to end in this process: the nightly DAG's tasks, then what
    ``ikm_publikasi`` does after it (the marts refreshed together).

    The day's lock is held from discovery to publish: a second run of the same day started
    meanwhile waits for it, then skips every file this one finished.
    """
    migrate.prepare()
    with day_lock(tanggal):
        for rel_path in landing.discover(tanggal):
            extract.extract(rel_path)
        load_validated(validate_day(tanggal))
        summary = publish.publish(tanggal)
    summary["mart"] = marts.refresh()["mart_disegarkan"]
    return summary


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("process", help="extract, validate and load one landed file")
    p.add_argument("path", help="path relative to the landing root: <date>/<office>/<file>")
    p.set_defaults(
        func=lambda a: print(json.dumps(process_file(a.path), indent=2, default=str)) or 0
    )
    p = subparsers.add_parser("run-day", help="one arrival day end to end, without Airflow")
    p.add_argument("tanggal", type=dt.date.fromisoformat)
    p.set_defaults(func=lambda a: print(json.dumps(run_day(a.tanggal), indent=2)) or 0)


# -- glue for the DAG's tasks: each takes and returns ids, paths and counts only -------------

JAKARTA = "Asia/Jakarta"


def arrival_date(logical_date: dt.datetime | None) -> dt.date:
    """The landing partition a run processes: its logical date, as a date in Asia/Jakarta.

    The nightly run at 01:00 on D+1 has logical date D 01:00 (a data interval ending at its
    start), so it processes partition D; ``airflow dags test ... D`` does the same.
    """
    import zoneinfo

    if logical_date is None:
        # A run without a logical date would pick "today" while files are still arriving.
        raise ValueError("this DAG needs a logical date: the arrival day it processes")
    moment = logical_date
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zoneinfo.ZoneInfo(JAKARTA)).date()


def staged_for_day(tanggal: dt.date) -> list[int]:
    """Submissions of the arrival day that extract staged and that wait for validation.

    Read from the warehouse rather than from the extract tasks' XComs, so a file whose extract
    failed never keeps the others from being validated.
    """
    from etl import warehouse
    from etl.settings import get_settings

    staging = get_settings().staging_dir
    with warehouse.connect() as conn:
        rows = conn.execute(
            "select submission_id from audit.submission where tanggal_tiba = %s "
            "and status = 'diproses' and jenis is not null and periode is not null "
            "order by path",
            (tanggal,),
        ).fetchall()
    return [r[0] for r in rows if (staging / f"{r[0]}.parquet").is_file()]


def validate_day(tanggal: dt.date) -> list[dict[str, Any]]:
    """Validate, in batches of one kind and period, every file of the day extract staged."""
    return validate.validate_many(staged_for_day(tanggal))


def load_validated(validated: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Load every file validation accepted, each in its own transaction, then rebuild the
    SCD2 dimension once for every unit those files touched.

    A transient warehouse error is raised (the task retries; files already loaded are not
    loaded again). Any other error stops only its own file: it stays ``diproses`` with the
    error in its result, and the day's publish closes it as a system error.
    """
    from etl.errors import is_transient

    results = []
    for item in validated:
        if item["status"] not in ("diterima", "diterima_sebagian"):
            results.append(item)
            continue
        try:
            results.append(load.load(item["submission_id"], then_rebuild=False))
        except Exception as exc:
            if is_transient(exc):
                raise
            log.exception("loading submission %s failed", item["submission_id"])
            results.append(item | {"status": "diproses", "galat": f"{type(exc).__name__}: {exc}"})
    load.rebuild_pending()
    return results
