"""Load, the fourth stage: keep a validated submission's rows and settle who owns each scope,
in one transaction per file.

A failure part-way leaves ``core`` as it was before that file. The rows go to
``core.baris_<jenis>`` by the kind's own SQL (``sql/jenis/<jenis>/simpan.sql``, with
``sebelum.sql`` before and ``sesudah/`` after the owners change); the election of owners is
:mod:`etl.warehouse.scopes`, which a rejection elsewhere uses too.
"""

from __future__ import annotations

import argparse
import json
import logging
from typing import Any

import psycopg

from etl.contract import Kind, get_kind
from etl.warehouse import connect, scopes, staging, submission
from etl.warehouse.errors import is_transient

log = logging.getLogger(__name__)


def merge(
    conn: psycopg.Connection, kind: Kind, submission_id: int, periode: str, table: str
) -> list[str]:
    """The load transaction's body: keep the rows, settle ownership, run the kind's steps."""
    scopes.lock_kind(conn, kind)
    params = scopes.step_params(submission_id, periode)
    scopes.run_steps(conn, kind.before_change_sql, table, params, submission_id)
    previous = scopes.take_back(conn, kind, submission_id)
    scopes.run_steps(conn, [kind.store_sql], table, params, submission_id)
    covered = scopes.record_coverage(conn, kind, submission_id)
    scopes.settle(conn, kind, periode, previous + covered, submission_id)
    scopes.run_steps(conn, kind.after_settle_sql, None, params, submission_id)
    conn.execute(
        "update audit.submission set status = status_validasi, processed_at = now() "
        "where submission_id = %s",
        (submission_id,),
    )
    scopes.settle_statuses(conn, kind.jenis, periode)
    return sorted(
        r[0]
        for r in conn.execute(
            "select kode_cakupan from core.cakupan_berlaku where submission_id = %s",
            (submission_id,),
        )
    )


def load(submission_id: int, *, then_rebuild: bool = True) -> dict[str, Any]:
    """Merge one validated submission; a failure part-way leaves ``core`` as it was (and is
    raised)."""
    return load_many([submission_id], then_rebuild=then_rebuild, keep_going=False)[0]


def load_many(
    submission_ids: list[int], *, then_rebuild: bool = True, keep_going: bool = True
) -> list[dict[str, Any]]:
    """Merge validated submissions in order over one connection, each in its own transaction.

    A night's 552 files paid a connection each (2 s of a 10 % night's 20 s load); one is
    enough, and every file still commits alone, so a failure part-way leaves ``core`` as it
    was before that file. With ``keep_going`` an error that is not transient stops only its own
    file: it stays ``diproses`` with the error in its result (``galat``), and the day's publish
    closes it as a system error; a transient one is raised (the task retries, and files already
    loaded are not loaded again). With ``then_rebuild`` false the SCD2 rebuild is left queued
    for :func:`etl.warehouse.scopes.rebuild_pending`, which the caller runs after the last file.
    """
    results = []
    with connect() as conn:
        for submission_id in submission_ids:
            try:
                results.append(_load_one(conn, submission_id))
            except Exception as exc:
                conn.rollback()
                if not keep_going or is_transient(exc):
                    raise
                log.exception("loading submission %s failed", submission_id)
                results.append(
                    {
                        "submission_id": submission_id,
                        "status": "diproses",
                        "galat": f"{type(exc).__name__}: {exc}",
                    }
                )
                continue
            staging.remove_staged(submission_id)
    if then_rebuild:
        scopes.rebuild_pending()
    return results


def _load_one(conn: psycopg.Connection, submission_id: int) -> dict[str, Any]:
    sub = submission.get(conn, submission_id)
    if sub.status != "diproses":
        conn.rollback()
        return {"submission_id": submission_id, "status": sub.status, "cakupan": []}
    kind = get_kind(sub.jenis or "")
    if not sub.tabel_staging:
        raise RuntimeError(f"submission {submission_id} has no staging table: validate it first")
    with conn.transaction():
        won = merge(conn, kind, submission_id, sub.periode or "", sub.tabel_staging)
    staging.drop_if_done(conn, sub.tabel_staging)
    status = submission.get(conn, submission_id).status
    conn.commit()
    return {"submission_id": submission_id, "status": status, "cakupan": won}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("load", help="stage 4: merge one validated submission into core")
    p.add_argument("submission_id", type=int)
    p.set_defaults(func=lambda a: print(json.dumps(load(a.submission_id), indent=2)) or 0)
