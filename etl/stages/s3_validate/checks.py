"""Cross-file rules: what a suite cannot see alone because it needs the warehouse (a budget
report's totals across months, participants outside the unit register). Each rule is an SQL
file of the kind (``sql/jenis/<jenis>/periksa/``) with a header: ``-- kode:``, ``-- kolom:``,
``-- tingkat: karantina|peringatan``, ``-- pesan:``."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from etl.contract import ROW_COLUMN, Kind, get_kind
from etl.stages.s3_validate.outcome import Failure
from etl.stages.s3_validate.quarantine import mark_quarantined
from etl.warehouse import submission
from etl.warehouse.staging import copy_into, create_table, file_rows

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


def dry_run_checks(
    conn: psycopg.Connection,
    kind: Kind,
    parquet: Path,
    kantor: str,
    periode: str,
    bad_rows: set[int],
) -> list[tuple[str, Failure]]:
    """The cross-file rules on one staged file, as (level, flagged cell), writing nothing.

    The rows go into a staging table inside a savepoint that is rolled back, so the rules
    read the warehouse as it is and the warehouse stays as it was (the portal's check before
    sending, the dry run of a reprocess). Rows already bad count as quarantined, as in a run.
    """
    params = {
        "kantor": kantor,
        "id": 0,
        "tahun": int(periode[:4]),
        "bulan": int(periode[5:7]) if len(periode) == 7 else None,
    }
    table = f"uji_{uuid.uuid4().hex[:12]}"
    ident = sql.Identifier("staging", table)
    found: list[tuple[str, Failure]] = []
    try:
        with conn.transaction():
            create_table(conn, kind, table)
            copy_into(conn, kind, table, parquet, 0, kantor)
            quarantined = set(bad_rows)
            for meta, text in cross_file_checks(kind.jenis):
                conn.execute(
                    sql.SQL("update {} set _karantina = true where {} = any(%s)").format(
                        ident, sql.Identifier(ROW_COLUMN)
                    ),
                    (sorted(quarantined),),
                )
                body = sql.SQL(text).format(staging=file_rows(table, 0))
                with psycopg.ClientCursor(conn) as cur:
                    rows = cur.execute(body, params).fetchall()
                for baris, nilai in rows:
                    cell = Failure(
                        int(baris), meta["kolom"], _text(nilai), meta["kode"], meta["pesan"]
                    )
                    found.append((meta["tingkat"], cell))
                    if meta["tingkat"] == "karantina":
                        quarantined.add(int(baris))
            raise _RollBack
    except _RollBack:
        pass
    return found


class _RollBack(Exception):
    """Leaves :func:`dry_run_checks`' savepoint, undoing everything it wrote."""


def _text(value: object) -> str | None:
    return None if value is None else str(value)
