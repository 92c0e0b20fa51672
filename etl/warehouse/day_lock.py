"""The arrival day's lock: two runs of the same day never interleave their stages."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from etl.warehouse.connection import connect

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
    skips it. The per-kind ``muat:<jenis>`` lock of :mod:`etl.warehouse.scopes` still orders
    loads of different days.
    """
    key = f"hari:{tanggal.isoformat()}"
    take, give = (
        ("pg_advisory_lock_shared", "pg_advisory_unlock_shared")
        if shared
        else ("pg_advisory_lock", "pg_advisory_unlock")
    )
    with connect(autocommit=True) as conn:
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
