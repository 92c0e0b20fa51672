"""The close of an arrival day: a terminal status for every file, its feedback, the record of
the run (``audit.proses_hari``), and one task-log line per file that names what went wrong."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any

import psycopg

from etl.settings import get_settings
from etl.stages.s5_publish.feedback import write_feedback
from etl.warehouse import connect, scopes, submission

REPORT_ROUTE = "/umpan-balik"
"""Where the Airflow plugin ``plugins/ikm_umpan_balik.py`` serves the feedback folder."""

log = logging.getLogger(__name__)


def close_unfinished(conn: psycopg.Connection, tanggal: dt.date) -> int:
    """Files of the day still 'diproses' after every task ran failed for a system reason.

    They get a terminal status now, flagged as a system error so the next run retries them.
    """
    rows = conn.execute(
        "select submission_id from audit.submission "
        "where tanggal_tiba = %s and status = 'diproses'",
        (tanggal,),
    ).fetchall()
    for (submission_id,) in rows:
        conn.commit()  # one release per transaction (each settles scopes in temp tables)
        submission.reject(
            conn,
            submission_id,
            "gangguan sistem saat memproses berkas ini; berkas akan "
            "diproses ulang otomatis, Anda tidak perlu mengirim ulang",
            system=True,
        )
    return len(rows)


def check_day(tanggal: dt.date) -> int:
    """Fail loudly when a file of the day ended in a system error, so the run shows red.

    Files the offices got wrong are not failures of the run; their feedback says what to fix.
    """
    with connect() as conn:
        failed = [
            r[0]
            for r in conn.execute(
                "select path from audit.submission where tanggal_tiba = %s and galat_sistem "
                "order by path",
                (tanggal,),
            )
        ]
    if failed:
        raise RuntimeError(
            f"{len(failed)} berkas gagal karena gangguan sistem: " + ", ".join(failed)
        )
    return 0


def publish(tanggal: dt.date, dag_run_id: str | None = None) -> dict[str, Any]:
    """Close the day: terminal statuses, feedback for every file of the day, the run record."""
    with connect() as conn:
        unfinished = close_unfinished(conn, tanggal)
        conn.commit()
    scopes.rebuild_pending()  # a rebuild that a failure left queued completes now
    with connect() as conn:
        subs = conn.execute(
            "select submission_id, status, coalesce(jumlah_baris_diterima, 0), "
            "coalesce(jumlah_baris_ditolak, 0), path, pesan from audit.submission "
            "where tanggal_tiba = %s order by path",
            (tanggal,),
        ).fetchall()
        for submission_id, status, _, _, path, pesan in subs:
            log_outcome(path, status, pesan, write_feedback(conn, submission_id))
        summary = {
            "tanggal_tiba": tanggal.isoformat(),
            "berkas": len(subs),
            "status": {s: sum(1 for r in subs if r[1] == s) for s in sorted({r[1] for r in subs})},
            "baris_diterima": sum(r[2] for r in subs),
            "baris_ditolak": sum(r[3] for r in subs),
            "gangguan_sistem": unfinished,
            "umpan_balik": str(get_settings().feedback_dir / tanggal.isoformat()),
        }
        conn.execute(
            "insert into audit.proses_hari (dag_run_id, tanggal_tiba, selesai, ringkasan) "
            "values (%s, %s, now(), %s)",
            (dag_run_id, tanggal, json.dumps(summary)),
        )
        conn.commit()
    return summary


def report_link(report: Path) -> str:
    """The report's address in the Airflow UI (its path when Airflow's URL is unknown)."""
    base = os.environ.get("AIRFLOW__API__BASE_URL", "").rstrip("/")
    try:
        rel = report.relative_to(get_settings().feedback_dir).as_posix()
    except ValueError:
        return str(report)
    return f"{base}{REPORT_ROUTE}/{rel}" if base else str(report)


def log_outcome(path: str, status: str, pesan: str | None, report: Path) -> None:
    """One task-log line per file; a rejected or partly accepted file names its reason and
    links its feedback report, so an engineer sees it without opening the database."""
    link = report_link(report)
    if status == "ditolak":
        log.warning("DITOLAK %s: %s; laporan: %s", path, pesan, link)
    elif status == "diterima_sebagian":
        log.warning("DITERIMA SEBAGIAN %s: %s; laporan: %s", path, pesan, link)
    else:
        log.info("%s %s: %s", status.upper(), path, pesan or "")
