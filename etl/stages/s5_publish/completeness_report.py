"""The completeness report: per kind, period and province, the offices expected and what they
sent, as CSV and HTML under ``<feedback>/_kelengkapan/`` (from ``mart.status_pengiriman``)."""

from __future__ import annotations

import csv
import datetime as dt
import html
from pathlib import Path
from typing import Any

from etl.settings import get_settings
from etl.stages.s5_publish.feedback import neutralise
from etl.warehouse import connect

REPORT_FOLDER = "_kelengkapan"


COLUMNS = [
    "jenis",
    "periode",
    "kode_provinsi",
    "nama_provinsi",
    "kantor_diharapkan",
    "diterima",
    "diterima_sebagian",
    "ditolak",
    "belum_dikirim",
    "terlambat",
    "persen_lengkap",
]


def completeness(conn) -> list[dict[str, Any]]:
    """Per kind × period × province: offices expected, what they sent, and how complete."""
    rows = conn.execute(
        """
        with per_kantor as (
            select
                s.jenis,
                s.periode,
                left(s.kode_wilayah, 2) as kode_provinsi,
                s.status,
                s.terlambat
            from mart.status_pengiriman as s
        )

        select
            k.jenis,
            k.periode,
            k.kode_provinsi,
            coalesce(w.nama_wilayah, k.kode_provinsi) as nama_provinsi,
            count(*) as kantor_diharapkan,
            count(*) filter (where k.status = 'diterima') as diterima,
            count(*) filter (where k.status = 'diterima_sebagian') as diterima_sebagian,
            count(*) filter (where k.status = 'ditolak') as ditolak,
            count(*) filter (where k.status = 'belum_dikirim') as belum_dikirim,
            count(*) filter (where k.terlambat and k.status <> 'belum_dikirim') as terlambat,
            round(
                100.0 * count(*) filter (where k.status in ('diterima', 'diterima_sebagian'))
                / count(*), 2
            ) as persen_lengkap
        from per_kantor as k
        left join core.dim_wilayah as w on w.kode_wilayah = k.kode_provinsi
        group by k.jenis, k.periode, k.kode_provinsi, w.nama_wilayah
        order by k.jenis, k.periode, k.kode_provinsi
        """
    ).fetchall()
    return [dict(zip(COLUMNS, r, strict=True)) for r in rows]


def _html(rows: list[dict[str, Any]], made: str) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in COLUMNS) + "</tr>"
        for r in rows
    )
    return (
        "<!doctype html><meta charset='utf-8'><title>Laporan kelengkapan pengiriman IKM</title>"
        f"<h1>Laporan kelengkapan pengiriman</h1><p>Dibuat {html.escape(made)} dari "
        "mart.status_pengiriman.</p>"
        f"<table border='1' cellpadding='3'><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def write_completeness_report(out_dir: Path | None = None) -> dict[str, Any]:
    """The completeness report as CSV and HTML under ``<feedback>/_kelengkapan/``."""
    folder = out_dir or get_settings().feedback_dir / REPORT_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    made = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    with connect() as conn:
        rows = completeness(conn)
    csv_path = folder / "kelengkapan_terbaru.csv"
    tmp = csv_path.with_suffix(".csv.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, COLUMNS)
        writer.writeheader()
        writer.writerows({k: neutralise(v) for k, v in r.items()} for r in rows)
    tmp.replace(csv_path)  # readers see the old report or the new one, never half of one
    html_path = folder / "kelengkapan_terbaru.html"
    tmp = html_path.with_suffix(".html.tmp")
    tmp.write_text(_html(rows, made), encoding="utf-8")
    tmp.replace(html_path)
    received = sum(r["diterima"] + r["diterima_sebagian"] for r in rows)
    expected = sum(r["kantor_diharapkan"] for r in rows)
    return {
        "laporan": str(html_path),
        "csv": str(csv_path),
        "baris": len(rows),
        "kantor_diharapkan": expected,
        "kantor_mengirim": received,
    }
