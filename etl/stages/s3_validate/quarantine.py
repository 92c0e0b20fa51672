"""Quarantine: every flagged cell of a batch becomes a row of ``audit.karantina`` with its
reason, and its staged row is marked so that the checks and the load skip it.

Cells that did not convert come from extract's staged cell records; rows a suite flagged come
from the query GX returns for them (made runnable here: :func:`executable_query`), or, for
compound uniqueness, from :func:`duplicate_rows_query`.
"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pyarrow.parquet as pq
from psycopg import sql

from etl.contract import FILE_COLUMN, ROW_COLUMN
from etl.settings import get_settings
from etl.stages.s3_validate.outcome import Failure

_PY_DATE = re.compile(r"datetime\.date\((\d{1,4}), (\d{1,2}), (\d{1,2})\)")


def executable_query(query: str) -> str:
    """GX's ``unexpected_index_query`` made runnable on PostgreSQL.

    GX 1.24 renders bound parameters as literals with Python's repr: dates become
    ``datetime.date(2023, 1, 1)`` and strings holding a quote come out in double quotes (an
    identifier in SQL). Dates are rewritten as SQL date literals; a double-quoted literal is
    refused rather than guessed (the suites' parameters are codes, regexes and dates).
    """
    fixed = _PY_DATE.sub(
        lambda m: "DATE '{:04d}-{:02d}-{:02d}'".format(*map(int, m.groups())),
        query.strip().rstrip(";"),
    )
    if '"' in fixed:
        raise ValueError(f"GX query has a double-quoted literal; cannot run it safely: {fixed}")
    return fixed


QUARANTINE_FROM_QUERY = """
insert into audit.karantina (submission_id, baris, kolom, nilai, kode_aturan, alasan)
select t.{file}, t.{row}, %(kolom)s, t.{value}::text, %(kode)s, %(alasan)s
-- GX selects the index columns first (then the checked ones, which may repeat them)
from ({query}) as q (q_berkas, q_baris)
inner join {table} as t on q.q_berkas = t.{file} and q.q_baris = t.{row}
where not (
    %(kode)s = 'wajib_diisi'
    and exists (
        -- a cell that did not convert is null in the table: its first reason is enough
        select 1 from audit.karantina as k
        where k.submission_id = t.{file} and k.baris = t.{row} and k.kolom = %(kolom)s
            and k.kode_aturan <> 'wajib_diisi'
    )
)
on conflict do nothing
"""


def duplicate_rows_query(table: str, columns: tuple[str, ...]) -> sql.Composed:
    """Every row of a failed ``expect_compound_columns_to_be_unique``, as GX counts them.

    GX 1.24's ``unexpected_index_query`` for this expectation lists the table a second time in
    FROM (a cross join), so it cannot be run; this is the same rule: rows that are not
    missing every column and share all their values with another row (nulls compare equal,
    as in GX's GROUP BY).
    """
    ident = sql.Identifier("staging", table)
    cols = [sql.Identifier(c) for c in columns]
    not_all_missing = sql.SQL("not ({})").format(
        sql.SQL(" and ").join(sql.SQL("{} is null").format(c) for c in cols)
    )
    return sql.SQL(
        "select t.{file}, t.{row} from {table} as t inner join ("
        "select {cols} from {table} where {keep} group by {cols} having count(*) > 1"
        ") as d on {same} where {keep_t}"
    ).format(
        file=sql.Identifier(FILE_COLUMN),
        row=sql.Identifier(ROW_COLUMN),
        table=ident,
        cols=sql.SQL(", ").join(cols),
        keep=not_all_missing,
        same=sql.SQL(" and ").join(
            sql.SQL("t.{c} is not distinct from d.{c}").format(c=c) for c in cols
        ),
        keep_t=sql.SQL("not ({})").format(
            sql.SQL(" and ").join(sql.SQL("t.{} is null").format(c) for c in cols)
        ),
    )


def read_cells(path: Path) -> list[Failure]:
    """Cell records that extract staged (errors or warnings); none if the file is absent."""
    if not path.exists():
        return []
    return [Failure(**row) for row in pq.read_table(path).to_pylist()]


def mark_quarantined(conn: psycopg.Connection, table: str, ids: list[int]) -> None:
    """Flag staged rows that have a quarantine reason, so later checks and the load skip them."""
    conn.execute(
        sql.SQL(
            "update {table} as t set _karantina = true where not t._karantina "
            "and t.{file} = any(%s) and exists (select 1 from audit.karantina as k "
            "where k.submission_id = t.{file} and k.baris = t.{row})"
        ).format(
            table=sql.Identifier("staging", table),
            file=sql.Identifier(FILE_COLUMN),
            row=sql.Identifier(ROW_COLUMN),
        ),
        (ids,),
    )


def copy_cells(conn: psycopg.Connection, into: str, ids: list[int], suffix: str) -> None:
    """COPY the cell records extract staged for each file (``<id><suffix>``) into audit."""
    staged = get_settings().staging_dir
    copy = sql.SQL(
        "copy {} (submission_id, baris, kolom, nilai, kode_aturan, alasan) from stdin"
    ).format(sql.Identifier("audit", into))
    with conn.cursor() as cur, cur.copy(copy) as sink:
        for sid in ids:
            for c in read_cells(staged / f"{sid}{suffix}"):
                sink.write_row((sid, c.baris, c.kolom, c.nilai, c.kode_aturan, c.alasan))
