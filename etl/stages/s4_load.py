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
from typing import Any

import psycopg

from etl.contract import Kind, get_kind
from etl.warehouse import connect, scopes, staging, submission


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
    """Merge one validated submission; a failure part-way leaves ``core`` as it was.

    With ``then_rebuild`` false (a night's batch of loads) the SCD2 rebuild is left queued for
    :func:`etl.warehouse.scopes.rebuild_pending`, which the caller runs after the last file.
    """
    with connect() as conn:
        sub = submission.get(conn, submission_id)
        if sub.status != "diproses":
            return {"submission_id": submission_id, "status": sub.status, "cakupan": []}
        kind = get_kind(sub.jenis or "")
        if not sub.tabel_staging:
            raise RuntimeError(
                f"submission {submission_id} has no staging table: validate it first"
            )
        with conn.transaction():
            won = merge(conn, kind, submission_id, sub.periode or "", sub.tabel_staging)
        staging.drop_if_done(conn, sub.tabel_staging)
        status = submission.get(conn, submission_id).status
        conn.commit()
    if then_rebuild:
        scopes.rebuild_pending()
    staging.remove_staged(submission_id)
    return {"submission_id": submission_id, "status": status, "cakupan": won}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("load", help="stage 4: merge one validated submission into core")
    p.add_argument("submission_id", type=int)
    p.set_defaults(func=lambda a: print(json.dumps(load(a.submission_id), indent=2)) or 0)
