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


@dataclass(frozen=True)
class Failure:
    baris: int
    kolom: str
    nilai: str | None
    kode_aturan: str
    alasan: str


@dataclass
class SuiteOutcome:
    """What a suite run says, engine-independent."""

    file_errors: list[str]
    failures: list[Failure]
    results: list[dict[str, Any]]


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
    region = f"^{kode_wilayah}[0-9]{{2}}$" if len(kode_wilayah) == 2 else f"^{kode_wilayah}$"
    return {
        "kode_kabkota_referensi": kabkota,
        "kbli_kelompok_industri": kbli,
        "pola_wilayah_pengirim": region,
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


RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [ROW_COLUMN],
    "return_unexpected_index_query": False,
}


def _outcome(validation, row_limit: int = ROW_REASON_LIMIT) -> SuiteOutcome:
    file_errors: list[str] = []
    failures: list[Failure] = []
    results = []
    for result in validation.results:
        config = result.expectation_config
        meta = config.meta or {}
        kwargs = config.kwargs
        column = kwargs.get("column") or kwargs.get("column_A") or ""
        payload = result.result or {}
        exception = (result.exception_info or {}).get("exception_message")
        results.append(
            {
                "expectation": config.type,
                "kode_aturan": meta.get("kode"),
                "kolom": column or None,
                "sukses": bool(result.success),
                "jumlah_tidak_sesuai": payload.get("unexpected_count"),
                "hasil": {
                    k: payload[k]
                    for k in (
                        "element_count",
                        "unexpected_count",
                        "unexpected_percent",
                        "observed_value",
                    )
                    if k in payload
                }
                | ({"galat": exception} if exception else {}),
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
        for item in (payload.get("unexpected_index_list") or [])[:row_limit]:
            value = item.get(column)
            failures.append(
                Failure(
                    int(item[ROW_COLUMN]),
                    column,
                    None if value is None else str(value),
                    meta.get("kode", config.type),
                    reason,
                )
            )
    # GX does not keep the suite's order; a stable one keeps audit rows comparable across runs.
    results.sort(key=lambda r: (r["expectation"], r["kolom"] or "", r["kode_aturan"] or ""))
    return SuiteOutcome(file_errors, failures, results)


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
            load_suite(kind), expectation_parameters=parameters, result_format=RESULT_FORMAT
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
            load_suite(kind), expectation_parameters=parameters, result_format=RESULT_FORMAT
        )
    )


# -- staging --------------------------------------------------------------------------------


def staging_table(kind: Kind, submission_id: int) -> str:
    return f"{kind.jenis}_{submission_id}"


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


def read_type_errors(path: Path) -> list[Failure]:
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
    with warehouse.connect() as conn:
        sub = audit.get(conn, submission_id)
        kind = contract.get_kind(sub.jenis or "")
        table = staging_table(kind, submission_id)
        parquet = settings.staging_dir / f"{submission_id}.parquet"
        total = copy_to_staging(conn, kind, table, parquet)
        params = suite_parameters(conn, sub.kode_wilayah, sub.periode or "")
        conn.commit()
        outcome = validate_table(kind, table, params)
        failures = read_type_errors(settings.staging_dir / f"{submission_id}.galat.parquet")
        failures += outcome.failures
        bad = sorted({f.baris for f in failures})
        status, message = decide(total, len(bad), outcome.file_errors, settings.max_bad_row_share)
        _record(conn, submission_id, outcome, failures)
        conn.execute(
            sql.SQL("update {} set _karantina = true where {} = any(%s)").format(
                sql.Identifier("staging", table), sql.Identifier(ROW_COLUMN)
            ),
            (bad,),
        )
        fields = dict(
            status_validasi=status,
            pesan=message,
            jumlah_baris=total,
            jumlah_baris_ditolak=len(bad) if status != "ditolak" else total,
            jumlah_baris_diterima=total - len(bad) if status != "ditolak" else 0,
        )
        if status == "ditolak":
            fields |= dict(status="ditolak", processed_at=audit.now())
            conn.execute(sql.SQL("drop table {}").format(sql.Identifier("staging", table)))
        audit.update(conn, submission_id, **fields)
        conn.commit()
    return {
        "submission_id": submission_id,
        "status": status,
        "jumlah_baris": total,
        "jumlah_baris_ditolak": len(bad),
    }


def _record(
    conn: psycopg.Connection, submission_id: int, outcome: SuiteOutcome, failures: list[Failure]
) -> None:
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
            unreadable = {(f.baris, f.kolom) for f in failures if f.kode_aturan.startswith("tipe_")}
            seen = set()
            for f in failures:
                key = (f.baris, f.kolom, f.kode_aturan)
                # A cell that failed to convert is null in the table and fails not-null too;
                # the office needs only the first reason.
                if f.kode_aturan == "wajib_diisi" and (f.baris, f.kolom) in unreadable:
                    continue
                if key not in seen:
                    seen.add(key)
                    sink.write_row(
                        (submission_id, f.baris, f.kolom, f.nilai, f.kode_aturan, f.alasan)
                    )


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("validate", help="validate one extracted submission")
    p.add_argument("submission_id", type=int)
    p.set_defaults(func=lambda a: print(json.dumps(validate(a.submission_id), indent=2)) or 0)
