"""Load: merge a validated submission into ``core`` in one transaction.

Scope ownership decides what loads (DESIGN.md, corrections): for each scope the warehouse
holds the rows of the latest accepted submission covering it, latest by (arrival date, file
name, path). A submission claims each scope it covers unless a later one holds it; for the
scopes it wins, the kind's SQL steps in ``sql/load/<jenis>/`` replace the rows. Because the
outcome depends only on that order, days can be loaded, re-run or backfilled in any order.
"""

from __future__ import annotations

import argparse
import json
import logging
from typing import Any

import psycopg
from psycopg import sql

from etl import audit, contract, warehouse
from etl.contract import Kind
from etl.settings import get_settings
from etl.validate import staging_table

log = logging.getLogger(__name__)


def _claim_scopes(
    conn: psycopg.Connection, kind: Kind, submission_id: int, table: str
) -> list[str]:
    """Record what the submission covers; claim every scope no later submission holds."""
    conn.execute("delete from audit.cakupan_submission where submission_id = %s", (submission_id,))
    conn.execute(
        sql.SQL(
            "insert into audit.cakupan_submission (submission_id, kode_cakupan, jumlah_baris) "
            "select %s, {scope}, count(*) from {table} where not _karantina group by {scope}"
        ).format(scope=sql.Identifier(kind.kolom_cakupan), table=sql.Identifier("staging", table)),
        (submission_id,),
    )
    rows = conn.execute(
        """
        insert into core.cakupan_berlaku as c
            (jenis, periode, kode_cakupan, submission_id, tanggal_tiba, nama_berkas, path)
        select s.jenis, s.periode, k.kode_cakupan, s.submission_id, s.tanggal_tiba,
               s.nama_berkas, s.path
        from audit.cakupan_submission as k
        join audit.submission as s using (submission_id)
        where k.submission_id = %s
        on conflict (jenis, periode, kode_cakupan) do update set
            submission_id = excluded.submission_id, tanggal_tiba = excluded.tanggal_tiba,
            nama_berkas = excluded.nama_berkas, path = excluded.path
        where (excluded.tanggal_tiba, excluded.nama_berkas collate "C", excluded.path collate "C")
           >= (c.tanggal_tiba, c.nama_berkas collate "C", c.path collate "C")
        returning c.kode_cakupan
        """,
        (submission_id,),
    ).fetchall()
    return sorted(r[0] for r in rows)


def _settle_statuses(
    conn: psycopg.Connection, jenis: str, periode: str, submission_id: int
) -> None:
    """An accepted submission that holds no scope any more is 'digantikan'."""
    conn.execute(
        """
        update audit.submission as s set
            status = case
                when exists (select 1 from core.cakupan_berlaku as c
                             where c.submission_id = s.submission_id) then s.status_validasi
                else 'digantikan' end,
            processed_at = case when s.submission_id = %(id)s then now() else s.processed_at end
        where s.jenis = %(jenis)s and s.periode = %(periode)s
            and s.status_validasi in ('diterima', 'diterima_sebagian')
            and (s.status <> 'diproses' or s.submission_id = %(id)s)
        """,
        {"id": submission_id, "jenis": jenis, "periode": periode},
    )


def merge(conn: psycopg.Connection, kind: Kind, submission_id: int, periode: str) -> list[str]:
    """The transaction's body: claim scopes, run the kind's steps, settle statuses."""
    table = staging_table(kind, submission_id)
    conn.execute("select pg_advisory_xact_lock(hashtext(%s))", (f"muat:{kind.jenis}",))
    won = _claim_scopes(conn, kind, submission_id, table)
    conn.execute("create temp table cakupan_menang (kode_cakupan text primary key) on commit drop")
    with conn.cursor() as cur:
        cur.executemany("insert into cakupan_menang values (%s)", [(s,) for s in won])
    params = {"submission_id": submission_id, "periode": periode, "tahun": int(periode[:4])}
    # Client-side binding: some steps are `create table ... as`, which takes no server parameters.
    with psycopg.ClientCursor(conn) as cur:
        for path in kind.load_sql_files:
            step = sql.SQL(path.read_text(encoding="utf-8")).format(
                staging=sql.Identifier("staging", table)
            )
            cur.execute(step, params)
    _settle_statuses(conn, kind.jenis, periode, submission_id)
    return won


def load(submission_id: int) -> dict[str, Any]:
    """Merge one validated submission; a failure part-way leaves ``core`` as it was."""
    with warehouse.connect() as conn:
        sub = audit.get(conn, submission_id)
        if sub.status != "diproses":
            return {"submission_id": submission_id, "status": sub.status, "cakupan": []}
        kind = contract.get_kind(sub.jenis or "")
        with conn.transaction():
            won = merge(conn, kind, submission_id, sub.periode or "")
        conn.execute(
            sql.SQL("drop table if exists {}").format(
                sql.Identifier("staging", staging_table(kind, submission_id))
            )
        )
        status = audit.get(conn, submission_id).status
        conn.commit()
    for suffix in (".parquet", ".galat.parquet"):
        (get_settings().staging_dir / f"{submission_id}{suffix}").unlink(missing_ok=True)
    return {"submission_id": submission_id, "status": status, "cakupan": won}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("load", help="merge one validated submission into core")
    p.add_argument("submission_id", type=int)
    p.set_defaults(func=lambda a: print(json.dumps(load(a.submission_id), indent=2)) or 0)
