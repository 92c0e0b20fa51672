"""Validate: COPY the staged Parquet into a staging table and run the kind's GX suite on it there.

The suite runs where it is cheap: in PostgreSQL, through Great Expectations' SQL datasource, so a
file is never held whole in memory. Each failed expectation returns the ``_baris`` of every
unexpected row, which becomes a quarantine row with the expectation's reason. The same suite runs
on a pandas frame (``validate_frame``) for tests and debugging.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import logging
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from psycopg import sql

from etl import audit, contract, warehouse
from etl.contract import FILE_COLUMN, OFFICE_COLUMN, OFFICE_REGION_COLUMN, ROW_COLUMN, Kind
from etl.settings import get_settings

log = logging.getLogger(__name__)

SUITE_WORK_MEM = "256MB"
"""PostgreSQL work_mem of the suite's connection (one connection, a few sorts at a time)."""

ROW_REASON_LIMIT = 200_000
"""Quarantine rows kept per file; beyond this the file is rejected whole anyway."""


@dataclass(frozen=True)
class Failure:
    """One quarantined cell: the row as the office sees it, the column, the value, why."""

    baris: int
    kolom: str
    nilai: str | None
    kode_aturan: str
    alasan: str


@dataclass(frozen=True)
class FailedExpectation:
    """A row-level expectation that failed, with how to find every row it flagged.

    GX returns at most a few hundred unexpected rows per expectation; on SQL it also returns
    the query that selects all of them (``unexpected_index_query``), which the pipeline runs
    itself so that no bad row goes unreported. On pandas only the returned rows exist.
    """

    kolom: str
    kode_aturan: str
    alasan: str
    jumlah: int
    rows: tuple[tuple[int, str | None], ...] = ()
    query: str | None = None
    duplicates_of: tuple[str, ...] = ()
    """For a compound-uniqueness expectation, its columns (see :func:`duplicate_rows_query`)."""


@dataclass
class SuiteOutcome:
    """What a suite run says, engine-independent."""

    file_errors: list[str]
    failed: list[FailedExpectation]
    results: list[dict[str, Any]]

    @property
    def failures(self) -> list[Failure]:
        """The flagged cells that GX returned itself (all of them on small frames)."""
        return [
            Failure(baris, f.kolom, nilai, f.kode_aturan, f.alasan)
            for f in self.failed
            for baris, nilai in f.rows
        ]


# -- the suite ------------------------------------------------------------------------------


def load_suite(kind: Kind):
    """The kind's suite from ``expectations/<jenis>.json``, built at run time."""
    from great_expectations.core import ExpectationSuite

    return ExpectationSuite(**json.loads(kind.suite_path.read_text(encoding="utf-8")))


def suite_parameters(conn: psycopg.Connection, periode: str) -> dict[str, Any]:
    """Values the suites refer to as ``$PARAMETER``: reference lists and the batch's period.

    The sender is not a parameter: every staged row carries its office (``_kantor``), so one
    suite run checks the files of many offices, each against its own region.
    """

    def codes(query: str) -> list[str]:
        return [r[0] for r in conn.execute(query)]

    kabkota = codes(
        "select kode_wilayah from core.dim_wilayah where tingkat = 'kabkota' order by 1"
    )
    # KBLI codes of the latest edition only: a code a new edition dropped is refused from then
    # on (rows already loaded keep it); titles of older codes stay in core.dim_kbli for BI.
    kbli = codes(
        "select kode_kbli from core.dim_kbli where tingkat = 'kelompok' and "
        "coalesce(edisi_terakhir, 0) >= (select coalesce(max(edisi_id), 0) "
        "from core.edisi_referensi) order by 1"
    )
    if not kabkota or not kbli:
        raise RuntimeError("reference lists are not loaded; run `python -m etl migrate`")
    year = int(periode[:4])
    if len(periode) == 7:
        month = int(periode[5:7])
        start = dt.date(year, month, 1)
        end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return {
        "kode_kabkota_referensi": kabkota,
        "kode_wilayah_referensi": codes("select kode_wilayah from core.dim_wilayah order by 1"),
        "kbli_kelompok_industri": kbli,
        "kbli_golongan_pokok_industri": codes(
            "select kode_kbli from core.dim_kbli where tingkat = 'golongan_pokok' order by 1"
        ),
        "tahun_periode": year,
        "awal_periode": start.isoformat(),
        "akhir_periode": end.isoformat(),
    }


def unknown_office_message(kode_wilayah: str) -> str:
    return (
        f"folder kantor '{kode_wilayah}' bukan kode provinsi (2 digit) atau kabupaten/kota "
        "(4 digit) Kemendagri; unggah berkas ke folder kode kantor Anda"
    )


def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX narrates its start-up at INFO (dozens of lines per task log); its warnings stay.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _result_format(engine: str) -> dict[str, Any]:
    return {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": (
            [FILE_COLUMN, ROW_COLUMN] if engine == "sql" else [ROW_COLUMN]
        ),
        "return_unexpected_index_query": engine == "sql",
        # pandas returns this many flagged rows; SQL returns a few and the query for the rest
        "partial_unexpected_count": ROW_REASON_LIMIT if engine == "pandas" else 20,
    }


def _summary(payload: dict[str, Any], exception: str | None) -> dict[str, Any]:
    keys = ("element_count", "unexpected_count", "unexpected_percent", "observed_value")
    kept = {k: payload[k] for k in keys if k in payload}
    return kept | ({"galat": exception} if exception else {})


def _outcome(validation) -> SuiteOutcome:
    return _outcome_of(validation.results)


def _expectation_key(kind_of: str, kwargs: dict[str, Any], meta: dict[str, Any]) -> tuple:
    """Names one expectation of a suite whatever its parameters resolved to."""
    return (
        kind_of,
        meta.get("kode"),
        kwargs.get("column"),
        kwargs.get("column_A"),
        kwargs.get("column_B"),
        tuple(kwargs.get("column_list") or ()),
    )


def _outcome_of(validation_results) -> SuiteOutcome:
    file_errors: list[str] = []
    failed: list[FailedExpectation] = []
    results = []
    for result in validation_results:
        config = result.expectation_config
        meta = config.meta or {}
        kwargs = config.kwargs
        column = (
            meta.get("kolom")
            or kwargs.get("column")
            or kwargs.get("column_A")
            or (kwargs.get("column_list") or [""])[0]
        )
        payload = result.result or {}
        exception = (result.exception_info or {}).get("exception_message")
        results.append(
            {
                "expectation": config.type,
                "kode_aturan": meta.get("kode"),
                "kolom": column or None,
                "tingkat": meta.get("tingkat"),
                "sukses": bool(result.success),
                "jumlah_tidak_sesuai": payload.get("unexpected_count"),
                "hasil": _summary(payload, exception),
            }
        )
        if result.success:
            continue
        if exception:
            raise RuntimeError(f"expectation {config.type} on {column} failed to run: {exception}")
        reason = meta.get("pesan", config.type)
        if meta.get("saran"):
            reason = f"{reason}; {meta['saran']}"
        if meta.get("tingkat") == "berkas":
            file_errors.append(reason)
            continue
        rows = tuple(
            (
                int(item[ROW_COLUMN]),
                _reported_value(item, column, kwargs.get("column") or kwargs.get("column_A")),
            )
            for item in payload.get("unexpected_index_list") or []
        )
        query = payload.get("unexpected_index_query")
        failed.append(
            FailedExpectation(
                column,
                meta.get("kode", config.type),
                reason,
                int(payload.get("unexpected_count") or len(rows)),
                rows,
                query if isinstance(query, str) else None,
                tuple(kwargs.get("column_list") or ())
                if config.type == "expect_compound_columns_to_be_unique"
                else (),
            )
        )
    # GX does not keep the suite's order; a stable one keeps audit rows comparable across runs.
    results.sort(key=lambda r: (r["expectation"], r["kolom"] or "", r["kode_aturan"] or ""))
    return SuiteOutcome(file_errors, failed, results)


def _reported_value(item: dict[str, Any], column: str, checked: str | None) -> str | None:
    """The office's own value of a flagged cell, else the value the expectation checked."""
    value = item.get(column, item.get(checked or column))
    return None if value is None else str(value)


def with_row_context(kind: Kind, frame, kantor: str, berkas: int = 0):
    """The columns a staging table adds to every row (file, office, region prefix), on pandas."""
    frame = frame.assign(**{FILE_COLUMN: berkas, OFFICE_COLUMN: kantor})
    region = kind.wilayah_column
    if region and region in frame:
        frame[OFFICE_REGION_COLUMN] = frame[region].astype("string").str.slice(0, len(kantor))
    return frame


def validate_frame(kind: Kind, frame, parameters: dict[str, Any], kantor: str) -> SuiteOutcome:
    """Run the kind's suite on a pandas frame of one file sent by ``kantor`` (tests, debugging)."""
    frame = with_row_context(kind, frame, kantor)
    context = _context()
    batch = (
        context.data_sources.add_pandas("berkas")
        .add_dataframe_asset("baris")
        .add_batch_definition_whole_dataframe("semua")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    return _outcome(
        batch.validate(
            load_suite(kind),
            expectation_parameters=parameters,
            result_format=_result_format("pandas"),
        )
    )


def validate_table(kind: Kind, table: str, parameters: dict[str, Any]) -> SuiteOutcome:
    """Run the kind's suite on ``staging.<table>`` in the warehouse."""
    context = _context()
    # Memory to group and sort a national batch (uniqueness per file) without spilling to disk.
    url = (
        warehouse.warehouse_url()
        .update_query_dict({"options": f"-c work_mem={SUITE_WORK_MEM}"})
        .render_as_string(hide_password=False)
    )
    # The generic SQL datasource, not add_postgres: GX's Postgres DSN check refuses the Unix
    # socket URL of the embedded server; the queries GX runs are the same.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*generic SQLDatasource.*")
        source = context.data_sources.add_sql("gudang", connection_string=url)
    batch = (
        source.add_table_asset("baris", table_name=table, schema_name="staging")
        .add_batch_definition_whole_table("semua")
        .get_batch()
    )
    # Two passes: GX's detailed formats run two more scans per expectation (values and row
    # ids) even when nothing failed, four times the cost of the suite itself on a clean
    # night. The first pass only counts (GX bundles those into one query); the second asks
    # for details, and the query for every flagged row, of the expectations that failed.
    first = batch.validate(
        load_suite(kind),
        expectation_parameters=parameters,
        result_format={"result_format": "BOOLEAN_ONLY"},
    )
    failing = {
        _expectation_key(
            r.expectation_config.type, r.expectation_config.kwargs, r.expectation_config.meta or {}
        )
        for r in first.results
        if not r.success
    }
    if not failing:
        return _outcome(first)
    from great_expectations.core import ExpectationSuite

    spec = json.loads(kind.suite_path.read_text(encoding="utf-8"))
    spec["name"] = f"{spec['name']}_rinci"
    spec["expectations"] = [
        e
        for e in spec["expectations"]
        if _expectation_key(e["type"], e["kwargs"], e.get("meta") or {}) in failing
    ]
    second = batch.validate(
        ExpectationSuite(**spec),
        expectation_parameters=parameters,
        result_format=_result_format("sql"),
    )
    passed = [r for r in first.results if r.success]
    return _outcome_of([*passed, *second.results])


# -- staging --------------------------------------------------------------------------------


def create_staging(conn: psycopg.Connection, kind: Kind, table: str) -> None:
    """An unlogged table for one batch: every staged file's rows (keyed by (file, row) once
    they are all in, see :func:`index_staging`)."""
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


def index_staging(conn: psycopg.Connection, table: str) -> None:
    """The (file, row) key, built once every file is in: far cheaper than upkeep during COPY."""
    ident = sql.Identifier("staging", table)
    conn.execute(
        sql.SQL("alter table {} add primary key ({}, {})").format(
            ident, sql.Identifier(FILE_COLUMN), sql.Identifier(ROW_COLUMN)
        )
    )
    conn.execute(sql.SQL("analyze {}").format(ident))


def copy_to_staging(
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


def read_cells(path: Path) -> list[Failure]:
    """Cell records that extract staged (errors or warnings); none if the file is absent."""
    if not path.exists():
        return []
    return [Failure(**row) for row in pq.read_table(path).to_pylist()]


# -- the stage ------------------------------------------------------------------------------


def decide(total: int, bad_rows: int, file_errors: list[str], max_share: float) -> tuple[str, str]:
    """Status and message of a file by DESIGN.md's rules."""
    if file_errors:
        return "ditolak", "berkas ditolak: " + "; ".join(file_errors)
    if total and bad_rows / total > max_share:
        return "ditolak", (
            f"berkas ditolak: {bad_rows} dari {total} baris ({bad_rows / total:.0%}) bermasalah, "
            f"melebihi batas {max_share:.0%}; perbaiki baris yang disebut lalu kirim ulang"
        )
    if bad_rows:
        return "diterima_sebagian", (
            f"{total - bad_rows} baris diterima, {bad_rows} baris dikarantina; perbaiki baris yang "
            "disebut lalu kirim ulang berkas lengkap"
        )
    return "diterima", f"semua {total} baris diterima"


def validate(submission_id: int) -> dict[str, Any]:
    """Validate one extracted submission alone; return its id, status and counts."""
    return validate_many([submission_id])[0]


def validate_many(submission_ids: list[int]) -> list[dict[str, Any]]:
    """Validate extracted submissions in batches: one suite run per kind and period.

    Great Expectations costs a fixed half second or so per run whatever the rows, so a night of
    552 files validated one by one spends minutes on overhead; in batches it is a few runs over
    one staging table each. Rows keep their file (``_berkas``), so quarantine, the bad-row
    share and the status stay per file. If a batch cannot be validated as a whole (a file-level
    rule failed, or an error that is not transient), each of its files is validated alone, so a
    hostile file never takes the others down with it; a file that still fails stays
    ``diproses`` with the error in its result, and the day's publish closes it as a system error.
    """
    from etl.errors import is_transient

    with warehouse.connect() as conn:
        subs = [audit.get(conn, i) for i in submission_ids]
    batches: dict[tuple[str, str], list[audit.Submission]] = {}
    for sub in subs:
        if sub.status == "diproses" and sub.jenis and sub.periode:
            batches.setdefault((sub.jenis, sub.periode), []).append(sub)
    outcome: dict[int, dict[str, Any]] = {
        s.submission_id: {"submission_id": s.submission_id, "status": s.status} for s in subs
    }
    for (jenis, periode), members in batches.items():
        kind = contract.get_kind(jenis)
        if len(members) > 1:
            try:
                outcome.update(_validate_batch(kind, periode, members))
                continue
            except BatchNeedsSplitting as exc:
                log.warning("batch %s %s validated file by file: %s", jenis, periode, exc)
            except Exception as exc:
                if is_transient(exc):
                    raise
                log.exception("batch %s %s failed; validating its files one by one", jenis, periode)
        for member in members:
            try:
                outcome.update(_validate_batch(kind, periode, [member], split=False))
            except Exception as exc:
                if is_transient(exc):
                    raise
                log.exception("validating submission %s failed", member.submission_id)
                outcome[member.submission_id]["galat"] = f"{type(exc).__name__}: {exc}"
    return [outcome[i] for i in submission_ids]


class BatchNeedsSplitting(RuntimeError):
    """A file-level rule failed on a batch of several files: only one file at a time says which."""


def _validate_batch(
    kind: Kind, periode: str, members: list[audit.Submission], *, split: bool = True
) -> dict[int, dict[str, Any]]:
    settings = get_settings()
    results: dict[int, dict[str, Any]] = {}
    table = kind.staging_table(min(m.submission_id for m in members))
    with warehouse.connect() as conn:
        offices = {
            r[0]
            for r in conn.execute(
                "select kode_wilayah from core.dim_wilayah where kode_wilayah = any(%s)",
                (sorted({m.kode_wilayah for m in members}),),
            )
        }
        staged = settings.staging_dir
        create_staging(conn, kind, table)
        totals: dict[int, int] = {}
        for member in members:
            sid = member.submission_id
            parquet = staged / f"{sid}.parquet"
            if member.kode_wilayah not in offices:
                rows = pq.ParquetFile(parquet).metadata.num_rows
                results[sid] = _reject(conn, sid, unknown_office_message(member.kode_wilayah), rows)
                continue
            totals[sid] = copy_to_staging(conn, kind, table, parquet, sid, member.kode_wilayah)
            audit.update(conn, sid, tabel_staging=table)
        if not totals:
            drop_if_done(conn, table)
            conn.commit()
            return results
        index_staging(conn, table)
        params = suite_parameters(conn, periode)
        conn.commit()  # GX reads the staging table over its own connection
        suite = validate_table(kind, table, params)
        if suite.file_errors and split and len(totals) > 1:
            raise BatchNeedsSplitting("; ".join(suite.file_errors))
        paths = {m.submission_id: m.path for m in members}
        ids = sorted(totals, key=paths.__getitem__)
        bad = _record(conn, table, ids, suite)
        for sid in ids:
            status, message = decide(
                totals[sid], bad[sid], suite.file_errors, settings.max_bad_row_share
            )
            if status == "ditolak":
                results[sid] = _reject(conn, sid, message, totals[sid], bad[sid])
                continue
            audit.update(
                conn,
                sid,
                status_validasi=status,
                pesan=message,
                jumlah_baris=totals[sid],
                jumlah_baris_ditolak=bad[sid],
                jumlah_baris_diterima=totals[sid] - bad[sid],
            )
            results[sid] = {
                "submission_id": sid,
                "status": status,
                "jumlah_baris": totals[sid],
                "jumlah_baris_ditolak": bad[sid],
            }
        drop_if_done(conn, table)
        conn.commit()
    return results


def _reject(
    conn: psycopg.Connection,
    submission_id: int,
    message: str,
    total: int,
    bad: int | None = None,
) -> dict[str, Any]:
    """The whole file is rejected: nothing of it stays loaded."""
    audit.reject(conn, submission_id, message, jumlah_baris=total)
    return {
        "submission_id": submission_id,
        "status": "ditolak",
        "jumlah_baris": total,
        "jumlah_baris_ditolak": total if bad is None else bad,
    }


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


CHECKS_DIR = contract.PROJECT_ROOT / "sql" / "checks"
CHECK_INTO = {"karantina": "audit.karantina", "peringatan": "audit.peringatan"}


def cross_file_checks(jenis: str) -> list[tuple[dict[str, str], str]]:
    """The rules a suite cannot see alone (they need the warehouse), as SQL files with a header:
    ``-- kode:``, ``-- kolom:``, ``-- tingkat: karantina|peringatan``, ``-- pesan:``."""
    checks = []
    for path in sorted((CHECKS_DIR / jenis).glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        header = {}
        for line in text.splitlines():
            key, _, value = line.removeprefix("-- ").partition(":")
            if line.startswith("-- ") and key in ("kode", "kolom", "tingkat", "pesan"):
                header[key] = value.strip()
        checks.append((header, text))
    return checks


def _mark_quarantined(conn: psycopg.Connection, table: str, ids: list[int]) -> None:
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


def _run_checks(conn: psycopg.Connection, table: str, submission_id: int) -> None:
    """Cross-file rules for one file: quarantine rows or flag them, by the checks' own SQL."""
    sub = audit.get(conn, submission_id)
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
            _mark_quarantined(conn, table, [submission_id])


def _results_per_file(conn: psycopg.Connection, ids: list[int], suite: SuiteOutcome) -> list[tuple]:
    """The suite's results as each file sees them: an expectation fails for a file when it
    flagged a row of that file (counted from the quarantine)."""
    flagged = {
        (sid, kode, kolom): n
        for sid, kode, kolom, n in conn.execute(
            "select submission_id, kode_aturan, kolom, count(*) from audit.karantina "
            "where submission_id = any(%s) group by 1, 2, 3",
            (ids,),
        )
    }
    rows = []
    for sid in ids:
        for i, r in enumerate(suite.results):
            if r["tingkat"] == "berkas":
                sukses, count = r["sukses"], r["jumlah_tidak_sesuai"]
            else:
                count = flagged.get((sid, r["kode_aturan"], r["kolom"]), 0)
                sukses = count == 0
            batch = r["hasil"] | ({"berkas_dalam_kelompok": len(ids)} if len(ids) > 1 else {})
            rows.append(
                (
                    sid,
                    i,
                    r["expectation"],
                    r["kode_aturan"],
                    r["kolom"],
                    sukses,
                    count,
                    json.dumps(batch, default=str),
                )
            )
    return rows


def _copy_cells(conn: psycopg.Connection, into: str, ids: list[int], suffix: str) -> None:
    """COPY the cell records extract staged for each file (``<id><suffix>``) into audit."""
    staged = get_settings().staging_dir
    copy = sql.SQL(
        "copy {} (submission_id, baris, kolom, nilai, kode_aturan, alasan) from stdin"
    ).format(sql.Identifier("audit", into))
    with conn.cursor() as cur, cur.copy(copy) as sink:
        for sid in ids:
            for c in read_cells(staged / f"{sid}{suffix}"):
                sink.write_row((sid, c.baris, c.kolom, c.nilai, c.kode_aturan, c.alasan))


def _record(
    conn: psycopg.Connection, table: str, ids: list[int], suite: SuiteOutcome
) -> dict[int, int]:
    """Store every quarantined cell of the batch and each file's suite results; return the
    number of bad rows per file."""
    for audit_table in ("hasil_validasi", "karantina", "peringatan"):
        conn.execute(
            sql.SQL("delete from {} where submission_id = any(%s)").format(
                sql.Identifier("audit", audit_table)
            ),
            (ids,),
        )
    # warnings first: the cross-file checks add their own
    _copy_cells(conn, "peringatan", ids, ".peringatan.parquet")
    _copy_cells(conn, "karantina", ids, ".galat.parquet")
    for failed in suite.failed:
        if failed.duplicates_of:
            query: sql.Composable = duplicate_rows_query(table, failed.duplicates_of)
        elif failed.query is not None:
            query = sql.SQL(executable_query(failed.query).replace("%", "%%"))
        else:
            raise RuntimeError(f"GX returned no query for {failed.kode_aturan} on {failed.kolom}")
        statement = sql.SQL(QUARANTINE_FROM_QUERY).format(
            file=sql.Identifier(FILE_COLUMN),
            row=sql.Identifier(ROW_COLUMN),
            value=sql.Identifier(failed.kolom),
            table=sql.Identifier("staging", table),
            query=query,
        )
        with psycopg.ClientCursor(conn) as cur:
            cur.execute(
                statement,
                {"kolom": failed.kolom, "kode": failed.kode_aturan, "alasan": failed.alasan},
            )
    _mark_quarantined(conn, table, ids)
    for sid in ids:
        _run_checks(conn, table, sid)
    with conn.cursor() as cur:
        cur.executemany(
            "insert into audit.hasil_validasi (submission_id, urutan, expectation, kode_aturan, "
            "kolom, sukses, jumlah_tidak_sesuai, hasil) values (%s, %s, %s, %s, %s, %s, %s, %s)",
            _results_per_file(conn, ids, suite),
        )
    bad = dict.fromkeys(ids, 0)
    for sid, n in conn.execute(
        "select submission_id, count(distinct baris) from audit.karantina "
        "where submission_id = any(%s) group by 1",
        (ids,),
    ):
        bad[sid] = int(n)
    return bad


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("validate", help="validate one extracted submission")
    p.add_argument("submission_id", type=int)
    p.set_defaults(func=lambda a: print(json.dumps(validate(a.submission_id), indent=2)) or 0)
