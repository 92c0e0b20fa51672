"""Cross-file rules: what a suite cannot see alone because it needs the warehouse (a budget
report's totals across months, participants outside the unit register). Each rule is an SQL
file of the kind (``sql/jenis/<jenis>/periksa/``) with a header: ``-- kode:``, ``-- kolom:``,
``-- tingkat: karantina|peringatan``, ``-- pesan:``."""

from __future__ import annotations

import psycopg
from psycopg import sql

from etl.contract import get_kind
from etl.stages.s3_validate.quarantine import mark_quarantined
from etl.warehouse import submission
from etl.warehouse.staging import file_rows

CHECK_INTO = {"karantina": "audit.karantina", "peringatan": "audit.peringatan"}


def cross_file_checks(jenis: str) -> list[tuple[dict[str, str], str]]:
    """The kind's rules with their headers, in the order of their file names."""
    checks = []
    for path in get_kind(jenis).check_sql:
        text = path.read_text(encoding="utf-8")
        header = {}
        for line in text.splitlines():
            key, _, value = line.removeprefix("-- ").partition(":")
            if line.startswith("-- ") and key in ("kode", "kolom", "tingkat", "pesan"):
                header[key] = value.strip()
        checks.append((header, text))
    return checks


def run_checks(conn: psycopg.Connection, table: str, submission_id: int) -> None:
    """Cross-file rules for one file: quarantine rows or flag them, by the checks' own SQL."""
    sub = submission.get(conn, submission_id)
    periode = sub.periode or ""
    params = {
        "kantor": sub.kode_wilayah,
        "id": submission_id,
        "tahun": int(periode[:4]),
        "bulan": int(periode[5:7]) if len(periode) == 7 else None,
    }
    for meta, text in cross_file_checks(sub.jenis or ""):
        body = sql.SQL(text).format(staging=file_rows(table, submission_id))
        statement = sql.SQL(
            "insert into {into} (submission_id, baris, kolom, nilai, kode_aturan, alasan) "
            "select %(id)s, q._baris, %(kolom)s, q.nilai, %(kode)s, %(pesan)s "
            "from ({body}) as q on conflict do nothing"
        ).format(into=sql.SQL(CHECK_INTO[meta["tingkat"]]), body=body)
        with psycopg.ClientCursor(conn) as cur:
            cur.execute(
                statement,
                params | {"kolom": meta["kolom"], "kode": meta["kode"], "pesan": meta["pesan"]},
            )
        if meta["tingkat"] == "karantina":
            mark_quarantined(conn, table, [submission_id])
