"""Who owns each scope, and so which kept rows are the facts in force.

DESIGN.md's rule for corrections: for each scope the warehouse holds the rows of the latest
accepted submission covering it, latest by (arrival date, file name, path). Every accepted
submission's rows are kept in ``core.baris_<jenis>`` (by the load stage); each scope it covers
is listed in ``audit.cakupan_submission``; ``core.cakupan_berlaku`` names each scope's owner,
elected from all submissions that cover it; the facts in force are the owners' rows
(``core.fakta_<jenis>``). Keeping a file's rows, or withdrawing them (:func:`release`: a
reprocess rejected the file, or it failed part-way), re-elects the owners of the scopes it
touches, so the outcome depends only on which files are accepted, never on the order in which
they were processed.

Everything here runs inside the caller's transaction, under the kind's lock ``muat:<jenis>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import psycopg
from psycopg import sql

from etl.contract import Kind, kinds
from etl.warehouse.connection import connect
from etl.warehouse.staging import file_rows

ELECT_OWNERS = """
with kandidat as (
    select distinct on (k.kode_cakupan)
        k.kode_cakupan, s.submission_id, s.tanggal_tiba, s.nama_berkas, s.path
    from audit.cakupan_submission as k
    inner join audit.submission as s on k.submission_id = s.submission_id
    where s.jenis = %(jenis)s
        and s.periode = %(periode)s
        and k.kode_cakupan = any(%(scopes)s)
    order by
        k.kode_cakupan, s.tanggal_tiba desc, s.nama_berkas collate "C" desc,
        s.path collate "C" desc
)
select kode_cakupan, submission_id, tanggal_tiba, nama_berkas, path from kandidat
"""


def lock_kind(conn: psycopg.Connection, kind: Kind) -> None:
    """The kind's load lock, to the end of the transaction: one change of owners at a time."""
    conn.execute("select pg_advisory_xact_lock(hashtext(%s))", (f"muat:{kind.jenis}",))


def step_params(submission_id: int, periode: str) -> dict:
    """The parameters every SQL step of a kind may use."""
    return {
        "submission_id": submission_id,
        "periode": periode,
        "tahun": int(periode[:4]),
        "bulan": int(periode[5:7]) if len(periode) == 7 else None,
    }


def run_steps(
    conn: psycopg.Connection,
    paths: Iterable[Path],
    table: str | None,
    params: dict,
    submission_id: int,
) -> None:
    """A kind's SQL steps; ``{staging}`` in a step is the submission's rows of ``table``."""
    # Client-side binding: some steps are `create table ... as`, which takes no server parameters.
    with psycopg.ClientCursor(conn) as cur:
        for path in paths:
            step = sql.SQL(path.read_text(encoding="utf-8")).format(
                staging=file_rows(table or "tidak_ada", submission_id)
            )
            cur.execute(step, params)


def kept_rows(kind: Kind) -> sql.Identifier:
    """``core.baris_<jenis>``: every accepted row of every accepted submission of the kind."""
    return sql.Identifier("core", f"baris_{kind.jenis}")


def take_back(conn: psycopg.Connection, kind: Kind, submission_id: int) -> list[str]:
    """Remove a submission's kept rows and coverage; return the scopes it covered."""
    scopes = [
        r[0]
        for r in conn.execute(
            "delete from audit.cakupan_submission where submission_id = %s returning kode_cakupan",
            (submission_id,),
        )
    ]
    conn.execute(
        sql.SQL("delete from {} where submission_id = %s").format(kept_rows(kind)),
        (submission_id,),
    )
    return scopes


def record_coverage(conn: psycopg.Connection, kind: Kind, submission_id: int) -> list[str]:
    """List the scopes a submission's kept rows cover; return them."""
    return [
        r[0]
        for r in conn.execute(
            sql.SQL(
                "insert into audit.cakupan_submission (submission_id, kode_cakupan, jumlah_baris) "
                "select %s, {scope}, count(*) from {store} where submission_id = %s "
                "group by {scope} returning kode_cakupan"
            ).format(scope=sql.Identifier(kind.kolom_cakupan), store=kept_rows(kind)),
            (submission_id, submission_id),
        ).fetchall()
    ]


def settle(
    conn: psycopg.Connection, kind: Kind, periode: str, scopes: list[str], submission_id: int
) -> int:
    """Re-elect the owners of ``scopes``; fill temp table ``cakupan_berubah``; count changes.

    A scope counts as changed when its owner changed or its owner is ``submission_id`` (whose
    rows were just replaced).
    """
    conn.execute(
        "create temp table cakupan_berubah (kode_cakupan text primary key, pemilik_lama bigint, "
        "pemilik_baru bigint) on commit drop"
    )
    params = {"jenis": kind.jenis, "periode": periode, "scopes": sorted(set(scopes))}
    before = dict(
        conn.execute(
            "select kode_cakupan, submission_id from core.cakupan_berlaku "
            "where jenis = %(jenis)s and periode = %(periode)s and kode_cakupan = any(%(scopes)s)",
            params,
        ).fetchall()
    )
    winners = {r[0]: r for r in conn.execute(ELECT_OWNERS, params).fetchall()}
    conn.execute(
        "delete from core.cakupan_berlaku where jenis = %(jenis)s and periode = %(periode)s "
        "and kode_cakupan = any(%(scopes)s)",
        params,
    )
    with conn.cursor() as cur:
        cur.executemany(
            "insert into core.cakupan_berlaku (jenis, periode, kode_cakupan, submission_id, "
            "tanggal_tiba, nama_berkas, path) values (%s, %s, %s, %s, %s, %s, %s)",
            [(kind.jenis, periode, *row) for row in winners.values()],
        )
        changed = [
            (scope, before.get(scope), winners[scope][1] if scope in winners else None)
            for scope in params["scopes"]
            if before.get(scope) != (winners[scope][1] if scope in winners else None)
            or submission_id in (before.get(scope), winners.get(scope, (None, None))[1])
        ]
        cur.executemany("insert into cakupan_berubah values (%s, %s, %s)", changed)
    return len(changed)


def settle_statuses(conn: psycopg.Connection, jenis: str, periode: str) -> None:
    """An accepted, finished submission that owns no scope any more is 'digantikan'."""
    conn.execute(
        """
        update audit.submission as s set
            status = case
                when exists (select 1 from core.cakupan_berlaku as c
                             where c.submission_id = s.submission_id) then s.status_validasi
                else 'digantikan' end
        where s.jenis = %(jenis)s and s.periode = %(periode)s
            and s.status in ('diterima', 'diterima_sebagian', 'digantikan')
            and s.status is distinct from (
                case when exists (select 1 from core.cakupan_berlaku as c
                                  where c.submission_id = s.submission_id)
                     then s.status_validasi else 'digantikan' end)
        """,
        {"jenis": jenis, "periode": periode},
    )


def release(
    conn: psycopg.Connection, submission_id: int, jenis: str | None, periode: str | None
) -> int:
    """Withdraw a submission from the warehouse (inside the caller's transaction).

    Used when a reprocess rejects a file that was accepted before, or a file fails part-way:
    its kept rows go, and each scope it covered is re-elected, so the runner-up's rows are in
    force again. Returns the number of scopes whose rows changed.
    """
    kind = kinds().get(jenis or "")
    if kind is None or not periode:
        return 0
    lock_kind(conn, kind)
    loaded = conn.execute(
        "select exists (select 1 from audit.cakupan_submission where submission_id = %s)",
        (submission_id,),
    ).fetchone()
    if not (loaded and loaded[0]):
        return 0  # it never loaded anything: nothing to withdraw
    params = step_params(submission_id, periode)
    run_steps(conn, kind.before_change_sql, None, params, submission_id)
    previous = take_back(conn, kind, submission_id)
    changed = settle(conn, kind, periode, previous, submission_id)
    run_steps(conn, kind.after_settle_sql, None, params, submission_id)
    rebuild(conn, kind)
    settle_statuses(conn, kind.jenis, periode)
    return changed


def rebuild(conn: psycopg.Connection, kind: Kind) -> None:
    """Rebuild what the queued loads affect (inside the caller's transaction), under the
    kind's load lock so that no load adds to the queue meanwhile."""
    if not kind.rebuild_sql:
        return
    lock_kind(conn, kind)
    run_steps(conn, kind.rebuild_sql, None, {}, 0)


def rebuild_pending() -> list[str]:
    """Run every kind's rebuild, each in its own transaction; returns the kinds rebuilt.

    Called after a night's loads, and before publishing so that a rebuild a failure left
    pending completes on the next run.
    """
    done = []
    with connect() as conn:
        for kind in kinds().values():
            if not kind.rebuild_sql:
                continue
            with conn.transaction():
                rebuild(conn, kind)  # a few milliseconds when nothing is queued
                done.append(kind.jenis)
        conn.commit()
    return done
