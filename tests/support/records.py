"""Submissions made directly in the warehouse, without files: for the tests of the submission
record and of the election of owners, which need accepted files but not the stages."""

from __future__ import annotations

import psycopg
from psycopg import sql

from etl.contract import get_kind
from etl.stages import s4_load
from etl.warehouse import staging, submission

KIND = get_kind("tenaga_kerja")
PERIODE = "2023"


def accepted(conn: psycopg.Connection, path: str, rows: dict[str, int]) -> int:
    """A tenaga_kerja submission of ``path`` accepted with ``rows`` rows per kab/kota and loaded
    by the load stage's own transaction (its rows in a staging table, as validate leaves them);
    committed."""
    sid, _ = submission.register(conn, path)
    submission.update(
        conn, sid, jenis=KIND.jenis, periode=PERIODE, status="diproses", status_validasi="diterima"
    )
    table = KIND.staging_table(sid)
    staging.create_table(conn, KIND, table)
    kantor = submission.parts_of(path)[1]
    kabkota_of_row = [kabkota for kabkota, n in rows.items() for _ in range(n)]
    for baris, kabkota in enumerate(kabkota_of_row, start=2):
        conn.execute(
            sql.SQL(
                "insert into {} (_berkas, _baris, _kantor, kode_kabkota, kbli_golongan_pokok, "
                "skala, jumlah_unit, tenaga_kerja_laki, tenaga_kerja_perempuan) "
                "values (%s, %s, %s, %s, '10', 'kecil', 1, 2, 3)"
            ).format(sql.Identifier("staging", table)),
            (sid, baris, kantor, kabkota),
        )
    with conn.transaction():
        s4_load.merge(conn, KIND, sid, PERIODE, table)
    conn.execute(sql.SQL("drop table {}").format(sql.Identifier("staging", table)))
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
