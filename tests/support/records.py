"""Submissions made directly in the warehouse, without files: for the tests of the submission
record and of the election of owners, which need accepted files but not the stages."""

from __future__ import annotations

import psycopg

from etl.contract import get_kind
from etl.warehouse import scopes, submission

KIND = get_kind("tenaga_kerja")
PERIODE = "2023"


def accepted(conn: psycopg.Connection, path: str, rows: dict[str, int]) -> int:
    """A tenaga_kerja submission of ``path`` accepted with ``rows`` rows per kab/kota, its rows
    kept and the owners of its scopes settled, as a load leaves it; committed."""
    sid, _ = submission.register(conn, path)
    submission.update(
        conn, sid, jenis=KIND.jenis, periode=PERIODE, status="diproses", status_validasi="diterima"
    )
    baris = 2
    for kabkota, n in rows.items():
        for _ in range(n):
            conn.execute(
                "insert into core.baris_tenaga_kerja values (%s, %s, 2023, %s, '10', 'kecil', "
                "1, 2, 3)",
                (sid, baris, kabkota),
            )
            baris += 1
    covered = scopes.record_coverage(conn, KIND, sid)
    scopes.settle(conn, KIND, PERIODE, covered, sid)
    conn.execute(
        "update audit.submission set status = status_validasi where submission_id = %s", (sid,)
    )
    scopes.settle_statuses(conn, KIND.jenis, PERIODE)
    conn.commit()
    return sid


def owners(conn: psycopg.Connection) -> dict[str, str]:
    """Scope → the path of the submission that owns it."""
    return dict(
        conn.execute(
            "select kode_cakupan, path from core.cakupan_berlaku where jenis = %s and periode = %s",
            (KIND.jenis, PERIODE),
        ).fetchall()
    )


def statuses(conn: psycopg.Connection) -> dict[str, str]:
    return dict(conn.execute("select path, status from audit.submission").fetchall())
