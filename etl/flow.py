"""The flow: the order of the stages, written once.

``landing → extract → validate → load → publish``, then the marts refreshed together. Every way
of running the pipeline comes here: the nightly DAG's tasks call these functions one per task,
``python -m etl run-day`` and ``make bench`` run :func:`run_day` in one process, and a
reprocess (:mod:`etl.reprocess`) runs :func:`process_files` on the files it chose.

Each function takes and returns ids, paths and counts only, so that an Airflow task can hand
them on through XCom.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import heapq
import json
import logging
import math
import os
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from etl.settings import get_settings
from etl.stages import s1_landing, s2_extract, s3_validate, s4_load, s5_publish
from etl.warehouse import connect, migrations, scopes, submission
from etl.warehouse.day_lock import day_lock
from etl.warehouse.errors import is_transient
from etl.warehouse.staging import staged_paths
from etl.warehouse.submission import parts_of

log = logging.getLogger(__name__)

STEPS = ("prepare", "discover", "extract", "validate", "load", "publish", "check")
"""The steps of one arrival day, in order; the nightly DAG has a task for each (same ids)."""
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")

Step = Callable[[str], contextlib.AbstractContextManager[Any]]
"""Wraps each step of :func:`run_day` by name (``make bench`` times them)."""


@contextlib.contextmanager
def _untimed(_name: str) -> Iterator[None]:
    yield


# -- the steps, one per task of the nightly DAG -------------------------------------------


def arrival_date(logical_date: dt.datetime | None) -> dt.date:
    """The landing partition a run processes: its logical date, as a date in Asia/Jakarta.

    The nightly run at 01:00 on D+1 has logical date D 01:00 (a data interval ending at its
    start), so it processes partition D; ``airflow dags test ... D`` does the same.
    """
    if logical_date is None:
        # A run without a logical date would pick "today" while files are still arriving.
        raise ValueError("this DAG needs a logical date: the arrival day it processes")
    moment = logical_date
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(JAKARTA).date()


def prepare() -> str:
    """Schema, views, kinds and reference lists, before the first file (cheap when unchanged)."""
    return migrations.prepare()


def discover(tanggal: dt.date) -> list[str]:
    """Stage 1: the day's landed files (links are recorded as rejected)."""
    return s1_landing.discover(tanggal)


def batches_of(sizes: dict[str, int], batch_bytes: int, fewest: int) -> list[list[str]]:
    """The files split into batches of about ``batch_bytes`` each, balanced by bytes.

    At least ``fewest`` batches when there are that many files (every executor slot works), and
    otherwise as many as the bytes need: the number of extract tasks grows with the data, not
    with the number of files. Largest file first into the lightest batch; each batch in path
    order, the batches in the order of their first path, so a day always batches the same way.
    """
    if not sizes:
        return []
    wanted = max(fewest, math.ceil(sum(sizes.values()) / max(batch_bytes, 1)))
    bins = [(0, i, []) for i in range(min(len(sizes), wanted))]
    for path in sorted(sizes, key=lambda p: (-sizes[p], p)):
        weight, i, paths = heapq.heappop(bins)
        paths.append(path)
        heapq.heappush(bins, (weight + sizes[path], i, paths))
    return sorted(sorted(paths) for _, _, paths in bins)


def discover_batches(tanggal: dt.date) -> list[list[str]]:
    """Stage 1, as the nightly DAG maps it: the day's landed files in batches for extract
    (``IKM_EKSTRAK_BATCH_MB``, at least ``IKM_EKSTRAK_PARALEL`` batches)."""
    settings = get_settings()
    files = discover(tanggal)
    return batches_of(
        {rel: _size(settings.landing_dir / rel) for rel in files},
        int(settings.ekstrak_batch_mb * 2**20),
        settings.ekstrak_paralel,
    )


def _size(path: os.PathLike) -> int:
    try:
        return os.lstat(path).st_size
    except OSError:
        return 0  # gone since it was listed: extract records why


def extract_file(rel_path: str, force: bool = False) -> s2_extract.ExtractResult:
    """Stage 2 for one file, under its day's shared lock (see :func:`etl.warehouse.day_lock`)."""
    with day_lock(parts_of(rel_path)[0], shared=True):
        return s2_extract.extract(rel_path, force)


class ExtractFailed(RuntimeError):
    """Files of a batch whose extract raised (a bug or the warehouse away, not a bad file: a
    bad file is rejected with its reason). The batch's other files were extracted."""

    def __init__(self, failures: dict[str, BaseException], of: int):
        self.failures = failures
        self.transient = any(is_transient(e) for e in failures.values())
        """A warehouse hiccup among them: a retry (which redoes only these files) may succeed."""
        listed = "; ".join(f"{p}: {type(e).__name__}: {e}" for p, e in failures.items())
        super().__init__(f"{len(failures)} dari {of} berkas gagal diekstrak: {listed}")


def extract_batch(
    rel_paths: list[str], *, force: bool = False, resume: bool = False
) -> dict[str, Any]:
    """Stage 2 for a batch of files, one after another: a file that fails never stops the
    others. Raises :class:`ExtractFailed` naming every file that failed, after the rest.

    ``resume`` (a retry of the batch) skips the files an earlier try already staged, so the
    retry redoes only what failed. Returns counts by status (the XCom of a mapped task).
    """
    counts = {"berkas": len(rel_paths)}
    failures: dict[str, BaseException] = {}
    days = sorted({parts_of(rel)[0] for rel in rel_paths})
    with contextlib.ExitStack() as locks:
        for day in days:  # one day in a night's batch: one shared lock for all its files
            locks.enter_context(day_lock(day, shared=True))
        unchanged = {} if force else s2_extract.unchanged_since_finished(rel_paths)
        for rel in rel_paths:
            if rel in unchanged:
                status = "dilewati"
            elif resume and _still_staged(rel):
                status = "sudah_diekstrak"
            else:
                try:
                    status = s2_extract.extract(rel, force).status
                except Exception as exc:
                    log.exception("GAGAL mengekstrak %s", rel)
                    failures[rel] = exc
                    continue
            counts[status] = counts.get(status, 0) + 1
    if failures:
        raise ExtractFailed(failures, len(rel_paths))
    return counts


def _still_staged(rel_path: str) -> bool:
    """Whether an earlier try of this run staged the file as it is now (same bytes): its row
    waits for validation and its Parquet is there."""
    with connect() as conn:
        row = conn.execute(
            "select submission_id, sha256 from audit.submission where path = %s "
            "and status = 'diproses' and jumlah_baris is not null",
            (rel_path,),
        ).fetchone()
    if row is None or not staged_paths(row[0])[0].is_file():
        return False
    return row[1] == submission.sha256_of(get_settings().landing_dir / rel_path)


def batch_label(rel_paths: list[str], failed: Iterable[str] = ()) -> str:
    """What the UI shows for a mapped extract: its files, and those that failed."""
    failed = sorted(failed)
    if failed:
        more = f" +{len(failed) - 1}" if len(failed) > 1 else ""
        return f"GAGAL {failed[0]}{more} ({len(failed)}/{len(rel_paths)} berkas)"
    if len(rel_paths) == 1:
        return rel_paths[0]
    return f"{rel_paths[0]} … {rel_paths[-1]} ({len(rel_paths)} berkas)"


def staged_for_day(tanggal: dt.date) -> list[int]:
    """Submissions of the arrival day that extract staged and that wait for validation.

    Read from the warehouse rather than from the extract tasks' XComs, so a file whose extract
    failed never keeps the others from being validated.
    """
    with connect() as conn:
        rows = conn.execute(
            "select submission_id from audit.submission where tanggal_tiba = %s "
            "and status = 'diproses' and jenis is not null and periode is not null "
            "order by path",
            (tanggal,),
        ).fetchall()
    return [r[0] for r in rows if staged_paths(r[0])[0].is_file()]


def validate_day(tanggal: dt.date) -> list[dict[str, Any]]:
    """Stage 3: every file of the day extract staged, in batches of one kind and period."""
    return s3_validate.validate_many(staged_for_day(tanggal))


def load_validated(validated: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stage 4: every file validation accepted, each in its own transaction (one connection
    for them all), then the SCD2 dimension rebuilt once for every unit those files touched.

    A transient warehouse error is raised (the task retries; files already loaded are not
    loaded again). Any other error stops only its own file: it stays ``diproses`` with the
    error in its result, and the day's publish closes it as a system error.
    """
    accepted = [
        item["submission_id"]
        for item in validated
        if item["status"] in ("diterima", "diterima_sebagian")
    ]
    loaded = {r["submission_id"]: r for r in s4_load.load_many(accepted, then_rebuild=False)}
    results = []
    for item in validated:
        result = loaded.get(item["submission_id"], item)
        results.append(item | result if "galat" in result else result)
    scopes.rebuild_pending()
    return results


def publish_day(tanggal: dt.date, dag_run_id: str | None = None) -> dict[str, Any]:
    """Stage 5: a terminal status and feedback for every file of the day, the run record."""
    return s5_publish.publish(tanggal, dag_run_id)


def check_day(tanggal: dt.date) -> int:
    """Fail loudly when a file of the day ended in a system error (the run shows red)."""
    return s5_publish.check_day(tanggal)


def refresh_marts() -> dict[str, Any]:
    """What ``ikm_publish`` does after a load: the marts refreshed together."""
    return s5_publish.refresh()


# -- the order, in one process ------------------------------------------------------------


def process_files(
    tanggal: dt.date,
    files: Iterable[str],
    *,
    force: bool = False,
    whole_day: bool = True,
    step: Step = _untimed,
    map_extract: Callable = map,
    dag_run_id: str | None = None,
) -> dict[str, Any]:
    """extract → validate → load → publish for ``files`` of one arrival day.

    ``whole_day`` validates every file of the day extract staged (as the nightly's validate
    task does); otherwise only those extracted here (a reprocess of chosen files).
    ``map_extract`` maps the extract over the files (``make bench``: a process per core, as
    the executor runs the DAG's mapped extract tasks).
    """
    with step("extract"):
        files = list(files)
        unchanged = {} if force else s2_extract.unchanged_since_finished(files)
        todo = [rel for rel in files if rel not in unchanged]
        done = map_extract(functools.partial(s2_extract.extract, force=force), todo)
        by_path = dict(zip(todo, done, strict=True))
        extracted = [
            by_path.get(rel) or s2_extract.ExtractResult(unchanged[rel], rel, "dilewati")
            for rel in files
        ]
    with step("validate"):
        if whole_day:
            validated = validate_day(tanggal)
        else:
            ids = [e.submission_id for e in extracted if e.status == "diekstrak"]
            validated = s3_validate.validate_many(ids)
    with step("load"):
        loaded = load_validated(validated)
    with step("publish"):
        summary = publish_day(tanggal, dag_run_id)
    return {"extracted": extracted, "loaded": loaded, "summary": summary}


def run_day(
    tanggal: dt.date, *, step: Step = _untimed, map_extract: Callable = map
) -> dict[str, Any]:
    """One arrival day end to end in this process: the nightly DAG's tasks, then what
    ``ikm_publish`` does after it (the marts refreshed together).

    The day's lock is held from discovery to publish: a second run of the same day started
    meanwhile waits for it, then skips every file this one finished.
    """
    with step("prepare"):
        prepare()
    with day_lock(tanggal):
        with step("discover"):
            files = discover(tanggal)
        summary = process_files(tanggal, files, step=step, map_extract=map_extract)["summary"]
    with step("refresh_marts"):
        summary["mart"] = refresh_marts()["mart_disegarkan"]
    return summary


def process_file(rel_path: str) -> dict[str, Any]:
    """extract → validate → load for one landed file (by hand); returns its final status."""
    extracted = s2_extract.extract(rel_path)
    if extracted.status != "diekstrak":
        return extracted.as_xcom()
    checked = s3_validate.validate(extracted.submission_id)
    if checked["status"] == "ditolak":
        return checked
    return s4_load.load(extracted.submission_id)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("process", help="extract, validate and load one landed file")
    p.add_argument("path", help="path relative to the landing root: <date>/<office>/<file>")
    p.set_defaults(
        func=lambda a: print(json.dumps(process_file(a.path), indent=2, default=str)) or 0
    )
    p = subparsers.add_parser("run-day", help="one arrival day end to end, without Airflow")
    p.add_argument("tanggal", type=dt.date.fromisoformat)
    p.set_defaults(func=lambda a: print(json.dumps(run_day(a.tanggal), indent=2)) or 0)


__all__ = [
    "STEPS",
    "arrival_date",
    "check_day",
    "discover",
    "extract_file",
    "load_validated",
    "prepare",
    "process_file",
    "process_files",
    "publish_day",
    "refresh_marts",
    "run_day",
    "staged_for_day",
    "validate_day",
]
