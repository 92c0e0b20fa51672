"""Publish: feedback to each office and a record of the run; the marts are views over ``core``.

Each submission gets a report in Indonesian under ``<feedback>/<date>/<office>/``: a Markdown
file with its status, counts and what to do, and a CSV of every quarantined cell (row as the
office sees it in its own file, column, value, reason). Values are neutralised against formula
injection, since offices open the CSV in a spreadsheet.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

from etl import audit, warehouse
from etl.settings import get_settings

STATUS_TEXT = {
    "diterima": "DITERIMA — semua baris dimuat",
    "diterima_sebagian": "DITERIMA SEBAGIAN — baris yang bermasalah dikarantina, sisanya dimuat",
    "ditolak": "DITOLAK — tidak ada baris yang dimuat; data sebelumnya tetap berlaku",
    "digantikan": "DIGANTIKAN — sudah diganti oleh kiriman yang lebih baru",
    "diproses": "BELUM SELESAI — terjadi gangguan sistem; berkas akan diproses ulang",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
REPORT_ROUTE = "/umpan-balik"
"""Where the Airflow plugin ``plugins/ikm_umpan_balik.py`` serves the feedback folder."""

log = logging.getLogger(__name__)


def neutralise(value: object) -> str:
    """A cell value that a spreadsheet will show as text, never evaluate as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def feedback_paths(sub: dict[str, Any]) -> tuple[Path, Path]:
    folder = (
        get_settings().feedback_dir
        / sub["tanggal_tiba"].isoformat()
        / (sub["kode_wilayah"] or "_tanpa_kantor")
    )
    stem = Path(sub["nama_berkas"]).name
    return folder / f"{stem}.umpan_balik.md", folder / f"{stem}.baris_ditolak.csv"


def _cell_rows(cells: list[dict[str, Any]], limit: int = 1000) -> list[str]:
    """Markdown table rows for quarantined or flagged cells, values shown as text."""
    return [
        f"| {c['baris']} | {c['kolom']} | {neutralise(c['nilai']).replace('|', chr(92) + '|')} "
        f"| {c['alasan']} |"
        for c in cells[:limit]
    ]


def write_feedback(conn: psycopg.Connection, submission_id: int) -> Path:
    with conn.cursor(row_factory=dict_row) as cur:
        sub = cur.execute(
            "select * from audit.submission where submission_id = %s", (submission_id,)
        ).fetchone()
        rows = cur.execute(
            "select baris, kolom, nilai, alasan from audit.karantina where submission_id = %s "
            "order by baris, kolom",
            (submission_id,),
        ).fetchall()
        warnings = cur.execute(
            "select baris, kolom, nilai, alasan from audit.peringatan where submission_id = %s "
            "order by baris, kolom",
            (submission_id,),
        ).fetchall()
    assert sub is not None
    report, table = feedback_paths(sub)
    report.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        f"# Umpan balik pengiriman: {sub['nama_berkas']}",
        "",
        f"- Kantor pengirim: {sub['kode_wilayah']}",
        f"- Tanggal tiba: {sub['tanggal_tiba'].isoformat()}",
        f"- Jenis / periode: {sub['jenis'] or '-'} / {sub['periode'] or '-'}",
        f"- Status: **{STATUS_TEXT.get(sub['status'], sub['status'])}**",
        f"- Jumlah baris: {sub['jumlah_baris'] or 0}; "
        f"diterima: {sub['jumlah_baris_diterima'] or 0}; "
        f"ditolak: {sub['jumlah_baris_ditolak'] or 0}",
        f"- Keterangan: {sub['pesan'] or '-'}",
    ]
    lines += [f"- Catatan: {note}" for note in sub["catatan"] or []]
    if rows:
        lines += [
            "",
            "## Baris yang bermasalah",
            "",
            "Nomor baris = nomor baris di berkas Anda seperti terlihat di Excel "
            "(untuk JSON: urutan data + 1). "
            f"Daftar lengkap juga ada di `{table.name}`.",
            "",
            "| Baris | Kolom | Nilai | Alasan dan cara memperbaiki |",
            "|---|---|---|---|",
        ]
        lines += _cell_rows(rows)
        if len(rows) > 1000:
            lines.append(f"| … | | | {len(rows) - 1000} masalah lain ada di `{table.name}` |")
    if warnings and sub["status"] != "ditolak":  # a rejected file loaded nothing to warn about
        lines += [
            "",
            "## Peringatan (baris tetap dimuat)",
            "",
            "| Baris | Kolom | Nilai | Keterangan |",
            "|---|---|---|---|",
        ]
        lines += _cell_rows(warnings)
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if rows:
        with table.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh, delimiter=";")
            writer.writerow(["baris", "kolom", "nilai", "alasan"])
            for r in rows:
                # every text cell: reasons may quote the value, column names come from headers
                writer.writerow(
                    [r["baris"], *(neutralise(r[k]) for k in ("kolom", "nilai", "alasan"))]
                )
    else:
        table.unlink(missing_ok=True)
    return report


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
        audit.reject(
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
    with warehouse.connect() as conn:
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
    from etl.load import rebuild_pending

    with warehouse.connect() as conn:
        unfinished = close_unfinished(conn, tanggal)
        conn.commit()
    rebuild_pending()  # a rebuild that a failure left queued completes now
    with warehouse.connect() as conn:
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
            "insert into audit.run (dag_run_id, tanggal_tiba, selesai, ringkasan) "
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


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("publish", help="feedback and run record for one arrival day")
    p.add_argument("tanggal", type=dt.date.fromisoformat)
    p.set_defaults(func=lambda a: print(json.dumps(publish(a.tanggal), indent=2)) or 0)


__all__ = ["audit", "neutralise", "publish", "write_feedback"]
