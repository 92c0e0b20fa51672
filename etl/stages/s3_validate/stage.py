"""The validate stage: the files of a day, in batches of one kind and period, each batch one
staging table and one suite run; quarantine, the bad-row share and the status stay per file."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import psycopg
import pyarrow.parquet as pq
from psycopg import sql

from etl.contract import FILE_COLUMN, ROW_COLUMN, Kind, get_kind
from etl.settings import get_settings
from etl.stages.s3_validate import data_docs, gx
from etl.stages.s3_validate.checks import run_checks
from etl.stages.s3_validate.decision import decide
from etl.stages.s3_validate.outcome import SuiteOutcome
from etl.stages.s3_validate.parameters import suite_parameters, unknown_office_message
from etl.stages.s3_validate.quarantine import (
    QUARANTINE_FROM_QUERY,
    copy_cells,
    duplicate_rows_query,
    executable_query,
    mark_quarantined,
)
from etl.warehouse import connect, staging, submission
from etl.warehouse.errors import is_transient

log = logging.getLogger(__name__)


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
    with connect() as conn:
        subs = [submission.get(conn, i) for i in submission_ids]
    batches: dict[tuple[str, str], list[submission.Submission]] = {}
    for sub in subs:
        if sub.status == "diproses" and sub.jenis and sub.periode:
            batches.setdefault((sub.jenis, sub.periode), []).append(sub)
    outcome: dict[int, dict[str, Any]] = {
        s.submission_id: {"submission_id": s.submission_id, "status": s.status} for s in subs
    }
    days: dict[dt.date, set[str]] = {}
    for members in batches.values():
        for member in members:
            days.setdefault(member.tanggal_tiba, set()).add(member.path)
    for tanggal, paths in days.items():  # these files' earlier runs are about to be replaced
        _data_docs(data_docs.forget, tanggal, paths)
    for (jenis, periode), members in batches.items():
        kind = get_kind(jenis)
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
    for tanggal in sorted(days):
        started = time.perf_counter()
        if _data_docs(data_docs.build, tanggal) is not None:
            log.info(
                "Data Docs %s (dibangun dalam %.1f detik): %s",
                tanggal,
                time.perf_counter() - started,
                data_docs.site_link(tanggal),
            )
    return [outcome[i] for i in submission_ids]


def _data_docs(action: Callable, *args: Any) -> Any:
    """Data Docs report on the validation, they never fail it: an error is logged (a day's
    site can be rebuilt from its stored results with ``python -m etl data-docs <day>``)."""
    try:
        return action(*args)
    except Exception:
        log.exception("Data Docs: %s%s gagal", action.__name__, args)
        return None


class BatchNeedsSplitting(RuntimeError):
    """A file-level rule failed on a batch of several files: only one file at a time says which."""


def _validate_batch(
    kind: Kind, periode: str, members: list[submission.Submission], *, split: bool = True
) -> dict[int, dict[str, Any]]:
    settings = get_settings()
    results: dict[int, dict[str, Any]] = {}
    table = kind.staging_table(min(m.submission_id for m in members))
    with connect() as conn:
        offices = {
            r[0]
            for r in conn.execute(
                "select kode_wilayah from core.dim_wilayah where kode_wilayah = any(%s)",
                (sorted({m.kode_wilayah for m in members}),),
            )
        }
        staged = settings.staging_dir
        staging.create_table(conn, kind, table)
        totals: dict[int, int] = {}
        for member in members:
            sid = member.submission_id
            parquet = staged / f"{sid}.parquet"
            if member.kode_wilayah not in offices:
                rows = pq.ParquetFile(parquet).metadata.num_rows
                results[sid] = _reject(conn, sid, unknown_office_message(member.kode_wilayah), rows)
                continue
            totals[sid] = staging.copy_into(conn, kind, table, parquet, sid, member.kode_wilayah)
            submission.update(conn, sid, tabel_staging=table)
        if not totals:
            staging.drop_if_done(conn, table)
            conn.commit()
            return results
        staging.index_table(conn, table)
        params = suite_parameters(conn, periode)
        conn.commit()  # GX reads the staging table over its own connection
        suite = gx.validate_table(kind, table, params)
        if suite.file_errors and split and len(totals) > 1:
            raise BatchNeedsSplitting("; ".join(suite.file_errors))
        paths = {m.submission_id: m.path for m in members}
        ids = sorted(totals, key=paths.__getitem__)
        bad = _record(conn, table, ids, suite)
        for sid in ids:
            status, message = decide(
                totals[sid], bad[sid], suite.file_errors, settings.batas_baris_buruk
            )
            if status == "ditolak":
                results[sid] = _reject(conn, sid, message, totals[sid], bad[sid])
                continue
            submission.update(
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
        staging.drop_if_done(conn, table)
        conn.commit()
    if suite.gx_result is not None:
        files = [m for m in members if m.submission_id in totals]
        for tanggal in sorted({m.tanggal_tiba for m in files}):
            _data_docs(
                data_docs.keep,
                tanggal,
                kind.jenis,
                periode,
                {m.submission_id: m.path for m in files},
                suite.gx_result,
            )
    return results


def _reject(
    conn: psycopg.Connection,
    submission_id: int,
    message: str,
    total: int,
    bad: int | None = None,
) -> dict[str, Any]:
    """The whole file is rejected: nothing of it stays loaded."""
    submission.reject(conn, submission_id, message, jumlah_baris=total)
    return {
        "submission_id": submission_id,
        "status": "ditolak",
        "jumlah_baris": total,
        "jumlah_baris_ditolak": total if bad is None else bad,
    }


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
    copy_cells(conn, "peringatan", ids, ".peringatan.parquet")
    copy_cells(conn, "karantina", ids, ".galat.parquet")
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
    mark_quarantined(conn, table, ids)
    for sid in ids:
        run_checks(conn, table, sid)
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
    p = subparsers.add_parser("validate", help="stage 3: validate one extracted submission")
    p.add_argument("submission_id", type=int)
    p.set_defaults(func=lambda a: print(json.dumps(validate(a.submission_id), indent=2)) or 0)
    data_docs.register(subparsers)
