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
from etl.contract import ROW_COLUMN, Kind
from etl.settings import get_settings

log = logging.getLogger(__name__)

ROW_REASON_LIMIT = 200_000
"""Quarantine rows kept per file; beyond this the file is rejected whole anyway."""


class UnknownOffice(ValueError):
    """The sending office's folder is not a region of the reference list."""


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


def suite_parameters(conn: psycopg.Connection, kode_wilayah: str, periode: str) -> dict[str, Any]:
    """Values the suites refer to as ``$PARAMETER``: reference lists, sender's region, period."""
    kabkota = [
        r[0]
        for r in conn.execute(
            "select kode_wilayah from core.dim_wilayah where tingkat = 'kabkota' order by 1"
        )
    ]
    kbli = [
        r[0]
        for r in conn.execute(
            "select kode_kbli from core.dim_kbli where tingkat = 'kelompok' order by 1"
        )
    ]
    if not kabkota or not kbli:
        raise RuntimeError("reference lists are not loaded; run `python -m etl migrate`")
    year = int(periode[:4])
    if len(periode) == 7:
        month = int(periode[5:7])
        start = dt.date(year, month, 1)
        end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    office = conn.execute(
        "select tingkat from core.dim_wilayah where kode_wilayah = %s", (kode_wilayah,)
    ).fetchone()
    if office is None:
        raise UnknownOffice(
            f"folder kantor '{kode_wilayah}' bukan kode provinsi (2 digit) atau kabupaten/kota "
            "(4 digit) Kemendagri; unggah berkas ke folder kode kantor Anda"
        )
    code = re.escape(kode_wilayah)
    region = f"^{code}[0-9]{{2}}$" if office[0] == "provinsi" else f"^{code}$"
    every_region = [
        r[0] for r in conn.execute("select kode_wilayah from core.dim_wilayah order by 1")
    ]
    divisions = [
        r[0]
        for r in conn.execute(
            "select kode_kbli from core.dim_kbli where tingkat = 'golongan_pokok' order by 1"
        )
    ]
    office_area = f"^{code}(?:[0-9]{{2}})?$" if office[0] == "provinsi" else f"^{code}$"
    return {
        "kode_kabkota_referensi": kabkota,
        "kode_wilayah_referensi": every_region,
        "kbli_kelompok_industri": kbli,
        "kbli_golongan_pokok_industri": divisions,
        "pola_wilayah_pengirim": region,
        "pola_wilayah_kantor": office_area,
        "tahun_periode": year,
        "awal_periode": start.isoformat(),
        "akhir_periode": end.isoformat(),
    }


def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _result_format(engine: str) -> dict[str, Any]:
    return {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": [ROW_COLUMN],
        "return_unexpected_index_query": engine == "sql",
        # pandas returns this many flagged rows; SQL returns a few and the query for the rest
        "partial_unexpected_count": ROW_REASON_LIMIT if engine == "pandas" else 20,
    }


def _summary(payload: dict[str, Any], exception: str | None) -> dict[str, Any]:
    keys = ("element_count", "unexpected_count", "unexpected_percent", "observed_value")
    kept = {k: payload[k] for k in keys if k in payload}
    return kept | ({"galat": exception} if exception else {})


def _outcome(validation) -> SuiteOutcome:
    file_errors: list[str] = []
    failed: list[FailedExpectation] = []
    results = []
    for result in validation.results:
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
            (int(item[ROW_COLUMN]), None if item.get(column) is None else str(item[column]))
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
            )
        )
    # GX does not keep the suite's order; a stable one keeps audit rows comparable across runs.
    results.sort(key=lambda r: (r["expectation"], r["kolom"] or "", r["kode_aturan"] or ""))
    return SuiteOutcome(file_errors, failed, results)


def validate_frame(kind: Kind, frame, parameters: dict[str, Any]) -> SuiteOutcome:
    """Run the kind's suite on a pandas frame (tests, debugging)."""
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
    url = warehouse.warehouse_url().render_as_string(hide_password=False)
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
    return _outcome(
        batch.validate(
            load_suite(kind),
            expectation_parameters=parameters,
            result_format=_result_format("sql"),
        )
    )


# -- staging --------------------------------------------------------------------------------


def staging_table(kind: Kind, submission_id: int) -> str:
    return kind.staging_table(submission_id)


def copy_to_staging(conn: psycopg.Connection, kind: Kind, table: str, parquet: Path) -> int:
    """Create ``staging.<table>`` and stream the Parquet file into it with COPY."""
    ident = sql.Identifier("staging", table)
    columns = [
        sql.SQL("{} {}").format(sql.Identifier(c.nama), sql.SQL(c.postgres_type))
        for c in kind.all_columns
    ]
    conn.execute(sql.SQL("drop table if exists {}").format(ident))
    conn.execute(
        sql.SQL(
            "create unlogged table {} ({} integer primary key, {}, _karantina boolean not null "
            "default false)"
        ).format(ident, sql.Identifier(ROW_COLUMN), sql.SQL(", ").join(columns))
    )
    names = [ROW_COLUMN] + [c.nama for c in kind.all_columns]
    copy = sql.SQL("copy {} ({}) from stdin (format csv)").format(
        ident, sql.SQL(", ").join(map(sql.Identifier, names))
    )
    rows = 0
    options = pacsv.WriteOptions(include_header=False)
    with conn.cursor() as cur, cur.copy(copy) as sink:
        for batch in pq.ParquetFile(parquet).iter_batches(batch_size=50_000, columns=names):
            buffer = io.BytesIO()
            pacsv.write_csv(pa.Table.from_batches([batch]), buffer, options)
            sink.write(buffer.getvalue())
            rows += batch.num_rows
    conn.execute(sql.SQL("analyze {}").format(ident))
    return rows


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
    """Validate one extracted submission; return its id, status and counts."""
    settings = get_settings()
    staged = settings.staging_dir / f"{submission_id}"
    with warehouse.connect() as conn:
        sub = audit.get(conn, submission_id)
        kind = contract.get_kind(sub.jenis or "")
        table = staging_table(kind, submission_id)
        total = copy_to_staging(conn, kind, table, staged.with_suffix(".parquet"))
        try:
            params = suite_parameters(conn, sub.kode_wilayah, sub.periode or "")
        except UnknownOffice as exc:
            return _reject(conn, submission_id, table, str(exc), total)
        conn.commit()  # GX reads the staging table over its own connection
        outcome = validate_table(kind, table, params)
        type_errors = read_cells(staged.with_suffix(".galat.parquet"))
        # warnings first: the cross-file checks that _record runs add their own
        _record_warnings(conn, submission_id, read_cells(staged.with_suffix(".peringatan.parquet")))
        bad = _record(conn, submission_id, table, outcome, type_errors)
        status, message = decide(total, bad, outcome.file_errors, settings.max_bad_row_share)
        if status == "ditolak":
            return _reject(conn, submission_id, table, message, total, bad)
        audit.update(
            conn,
            submission_id,
            status_validasi=status,
            pesan=message,
            jumlah_baris=total,
            jumlah_baris_ditolak=bad,
            jumlah_baris_diterima=total - bad,
        )
        conn.commit()
    return {
        "submission_id": submission_id,
        "status": status,
        "jumlah_baris": total,
        "jumlah_baris_ditolak": bad,
    }


def _reject(
    conn: psycopg.Connection,
    submission_id: int,
    table: str,
    message: str,
    total: int,
    bad: int | None = None,
) -> dict[str, Any]:
    """The whole file is rejected: nothing of it stays loaded, and its staging table goes."""
    audit.reject(conn, submission_id, message, jumlah_baris=total)
    conn.execute(sql.SQL("drop table if exists {}").format(sql.Identifier("staging", table)))
    conn.commit()
    return {
        "submission_id": submission_id,
        "status": "ditolak",
        "jumlah_baris": total,
        "jumlah_baris_ditolak": total if bad is None else bad,
    }


def _record_warnings(
    conn: psycopg.Connection, submission_id: int, warnings_: list[Failure]
) -> None:
    """Values extract changed on the office's behalf (older region codes), for the feedback."""
    conn.execute("delete from audit.peringatan where submission_id = %s", (submission_id,))
    with (
        conn.cursor() as cur,
        cur.copy(
            "copy audit.peringatan (submission_id, baris, kolom, nilai, kode_aturan, alasan) "
            "from stdin"
        ) as sink,
    ):
        for w in warnings_:
            sink.write_row((submission_id, w.baris, w.kolom, w.nilai, w.kode_aturan, w.alasan))


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
select %(id)s, q.{row}, %(kolom)s, q.{value}::text, %(kode)s, %(alasan)s
from ({query}) as q
where not (
    %(kode)s = 'wajib_diisi'
    and exists (
        -- a cell that did not convert is null in the table: its first reason is enough
        select 1 from audit.karantina as k
        where k.submission_id = %(id)s and k.baris = q.{row} and k.kolom = %(kolom)s
            and k.kode_aturan <> 'wajib_diisi'
    )
)
on conflict do nothing
"""


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


def _mark_quarantined(conn: psycopg.Connection, submission_id: int, table: str) -> None:
    """Flag staged rows that have a quarantine reason, so later checks and the load skip them."""
    conn.execute(
        sql.SQL(
            "update {} as t set _karantina = true where not t._karantina and exists "
            "(select 1 from audit.karantina as k where k.submission_id = %s and k.baris = t.{})"
        ).format(sql.Identifier("staging", table), sql.Identifier(ROW_COLUMN)),
        (submission_id,),
    )


def _run_checks(conn: psycopg.Connection, submission_id: int, table: str) -> None:
    """Cross-file rules, in file order: quarantine rows or flag them, by the checks' own SQL."""
    sub = audit.get(conn, submission_id)
    periode = sub.periode or ""
    params = {
        "kantor": sub.kode_wilayah,
        "id": submission_id,
        "tahun": int(periode[:4]),
        "bulan": int(periode[5:7]) if len(periode) == 7 else None,
    }
    for meta, text in cross_file_checks(sub.jenis or ""):
        body = sql.SQL(text).format(staging=sql.Identifier("staging", table))
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
            _mark_quarantined(conn, submission_id, table)


def _record(
    conn: psycopg.Connection,
    submission_id: int,
    table: str,
    outcome: SuiteOutcome,
    type_errors: list[Failure],
) -> int:
    """Store the suite's results and every quarantined cell; return the number of bad rows."""
    conn.execute("delete from audit.hasil_validasi where submission_id = %s", (submission_id,))
    conn.execute("delete from audit.karantina where submission_id = %s", (submission_id,))
    with conn.cursor() as cur:
        cur.executemany(
            "insert into audit.hasil_validasi (submission_id, urutan, expectation, kode_aturan, "
            "kolom, sukses, jumlah_tidak_sesuai, hasil) values (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    submission_id,
                    i,
                    r["expectation"],
                    r["kode_aturan"],
                    r["kolom"],
                    r["sukses"],
                    r["jumlah_tidak_sesuai"],
                    json.dumps(r["hasil"], default=str),
                )
                for i, r in enumerate(outcome.results)
            ],
        )
        with cur.copy(
            "copy audit.karantina (submission_id, baris, kolom, nilai, kode_aturan, "
            "alasan) from stdin"
        ) as sink:
            for f in type_errors:
                sink.write_row((submission_id, f.baris, f.kolom, f.nilai, f.kode_aturan, f.alasan))
    for failed in outcome.failed:
        if failed.query is None:
            raise RuntimeError(f"GX returned no query for {failed.kode_aturan} on {failed.kolom}")
        statement = sql.SQL(QUARANTINE_FROM_QUERY).format(
            row=sql.Identifier(ROW_COLUMN),
            value=sql.Identifier(failed.kolom),
            query=sql.SQL(executable_query(failed.query).replace("%", "%%")),
        )
        with psycopg.ClientCursor(conn) as cur:
            cur.execute(
                statement,
                {
                    "id": submission_id,
                    "kolom": failed.kolom,
                    "kode": failed.kode_aturan,
                    "alasan": failed.alasan,
                },
            )
    _mark_quarantined(conn, submission_id, table)
    _run_checks(conn, submission_id, table)
    (bad,) = conn.execute(
        "select count(distinct baris) from audit.karantina where submission_id = %s",
        (submission_id,),
    ).fetchone()
    return int(bad)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("validate", help="validate one extracted submission")
    p.add_argument("submission_id", type=int)
    p.set_defaults(func=lambda a: print(json.dumps(validate(a.submission_id), indent=2)) or 0)
