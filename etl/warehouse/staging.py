"""Where extract, validate and load meet: staged Parquet files and staging tables.

Extract writes, per submission, ``<staging>/<id>.parquet`` (the typed rows),
``<id>.galat.parquet`` (cells that did not convert) and ``<id>.peringatan.parquet`` (cells
changed with a warning), the last two in :data:`CELL_SCHEMA`. Validate COPYs a batch's
Parquet into one unlogged ``staging.<jenis>_<first id>`` table, whose rows carry their file
(``_berkas``) and office (``_kantor``), and marks quarantined rows there; load reads one
file's rows of it through :func:`file_rows`. The table is dropped once none of its files
waits to be loaded.
"""

from __future__ import annotations

import io
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from psycopg import sql

from etl.contract import FILE_COLUMN, OFFICE_COLUMN, OFFICE_REGION_COLUMN, ROW_COLUMN, Kind
from etl.settings import get_settings

CELL_SCHEMA = pa.schema(
    [
        ("baris", pa.int32()),
        ("kolom", pa.string()),
        ("nilai", pa.string()),
        ("kode_aturan", pa.string()),
        ("alasan", pa.string()),
    ]
)
"""Cell errors (``<id>.galat.parquet``) and warnings (``<id>.peringatan.parquet``)."""
SUFFIXES = (".parquet", ".galat.parquet", ".peringatan.parquet")


def staged_paths(submission_id: int) -> tuple[Path, Path, Path]:
    """``<staging>/<id>.parquet``, ``<id>.galat.parquet`` (errors), ``<id>.peringatan.parquet``."""
    base = get_settings().staging_dir
    rows, errors, warnings = (base / f"{submission_id}{suffix}" for suffix in SUFFIXES)
    return rows, errors, warnings


def remove_staged(submission_id: int) -> None:
    """The staged files of a submission, once it is loaded (or cannot be)."""
    for path in staged_paths(submission_id):
        path.unlink(missing_ok=True)


def create_table(conn: psycopg.Connection, kind: Kind, table: str) -> None:
    """An unlogged table for one batch: every staged file's rows (keyed by (file, row) once
    they are all in, see :func:`index_table`)."""
    ident = sql.Identifier("staging", table)
    columns = [
        sql.SQL("{} {}").format(sql.Identifier(c.nama), sql.SQL(c.postgres_type))
        for c in kind.all_columns
    ]
    region = kind.wilayah_column
    if region:
        # the region cut to the office code's length, for the suite's sender check (a
        # regex with back-references did the same at a tenth of the speed)
        columns.append(
            sql.SQL("{} text generated always as (left({}, length({}))) stored").format(
                sql.Identifier(OFFICE_REGION_COLUMN),
                sql.Identifier(region),
                sql.Identifier(OFFICE_COLUMN),
            )
        )
    conn.execute(sql.SQL("drop table if exists {}").format(ident))
    conn.execute(
        sql.SQL(
            "create unlogged table {} ({} bigint not null, {} integer not null, {} text not null, "
            "{}, _karantina boolean not null default false)"
        ).format(
            ident,
            sql.Identifier(FILE_COLUMN),
            sql.Identifier(ROW_COLUMN),
            sql.Identifier(OFFICE_COLUMN),
            sql.SQL(", ").join(columns),
        )
    )


def index_table(conn: psycopg.Connection, table: str) -> None:
    """The (file, row) key, built once every file is in: far cheaper than upkeep during COPY."""
    ident = sql.Identifier("staging", table)
    conn.execute(
        sql.SQL("alter table {} add primary key ({}, {})").format(
            ident, sql.Identifier(FILE_COLUMN), sql.Identifier(ROW_COLUMN)
        )
    )
    conn.execute(sql.SQL("analyze {}").format(ident))


def copy_into(
    conn: psycopg.Connection, kind: Kind, table: str, parquet: Path, submission_id: int, kantor: str
) -> int:
    """Stream one file's staged Parquet into the batch table with COPY; return its rows."""
    names = [ROW_COLUMN] + [c.nama for c in kind.all_columns]
    copy = sql.SQL("copy {} ({}) from stdin (format csv)").format(
        sql.Identifier("staging", table),
        sql.SQL(", ").join(map(sql.Identifier, [FILE_COLUMN, OFFICE_COLUMN, *names])),
    )
    rows = 0
    options = pacsv.WriteOptions(include_header=False)
    with conn.cursor() as cur, cur.copy(copy) as sink:
        for batch in pq.ParquetFile(parquet).iter_batches(batch_size=50_000, columns=names):
            n = batch.num_rows
            data = pa.Table.from_batches([batch])
            data = data.add_column(0, OFFICE_COLUMN, pa.array([kantor] * n, pa.string()))
            data = data.add_column(0, FILE_COLUMN, pa.array([submission_id] * n, pa.int64()))
            buffer = io.BytesIO()
            pacsv.write_csv(data, buffer, options)
            sink.write(buffer.getvalue())
            rows += n
    return rows


def file_rows(table: str, submission_id: int) -> sql.Composed:
    """One file's rows of a batch table, as a subquery the load and check SQL read as a table."""
    return sql.SQL("(select * from {} where {} = {})").format(
        sql.Identifier("staging", table), sql.Identifier(FILE_COLUMN), sql.Literal(submission_id)
    )


def drop_if_done(conn: psycopg.Connection, table: str | None) -> None:
    """Drop a batch table once none of its files still waits to be loaded."""
    if not table:
        return
    waiting = conn.execute(
        "select exists (select 1 from audit.submission where tabel_staging = %s "
        "and status = 'diproses' and status_validasi in ('diterima', 'diterima_sebagian'))",
        (table,),
    ).fetchone()
    if not (waiting and waiting[0]):
        conn.execute(sql.SQL("drop table if exists {}").format(sql.Identifier("staging", table)))
