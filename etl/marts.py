"""Publish for BI: refresh the materialized marts together, and the completeness report.

``ikm_publikasi`` runs this when the warehouse changed (an asset event of the nightly load,
a reprocess or a reference refresh). Every materialized view of schema ``mart`` is refreshed
in one transaction, concurrently where it has a unique index: a BI query sees the previous
complete state until the commit and the new one after it, never a mixture of the two. Plain
views need nothing: they always read the committed ``core``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import json
import time
from pathlib import Path
from typing import Any

from psycopg import sql

from etl import warehouse
from etl.publish import neutralise
from etl.settings import get_settings

REPORT_FOLDER = "_kelengkapan"


def materialized_marts(conn) -> list[tuple[str, bool]]:
    """(name, has a unique index) of each materialized mart, dependencies first."""
    rows = conn.execute(
        """
        with recursive m as (
            select c.oid, c.relname
            from pg_class as c
            inner join pg_namespace as n on c.relnamespace = n.oid
            where n.nspname = 'mart' and c.relkind = 'm'
        ),

        depends as (
            -- a materialized mart reading another one (through its rewrite rule)
            select distinct r.ev_class as child, d.refobjid as parent
            from pg_rewrite as r
            inner join pg_depend as d on d.objid = r.oid
            inner join m on d.refobjid = m.oid
            where r.ev_class in (select oid from m) and d.refobjid <> r.ev_class
        ),

        depth as (
            select oid, 0 as level from m
            union all
            select d.child, depth.level + 1
            from depth inner join depends as d on d.parent = depth.oid
        )

        select m.relname,
            exists (
                select 1 from pg_index as i where i.indrelid = m.oid and i.indisunique
                    and i.indpred is null
            )
        from m inner join depth on depth.oid = m.oid
        group by m.relname, m.oid
        order by max(depth.level), m.relname
        """
    ).fetchall()
    return [(r[0], bool(r[1])) for r in rows]


def refresh() -> dict[str, Any]:
    """Refresh every materialized mart in one transaction; return what was refreshed.

    Concurrently (no lock that blocks readers) where a unique index allows; all of them commit
    together, so a BI query sees either the previous complete state or the new one. Each
    refresh is recorded in ``audit.penyegaran_mart``.
    """
    started = time.monotonic()
    with warehouse.connect() as conn:
        conn.execute("select pg_advisory_xact_lock(7130005)")  # one refresh at a time
        mulai = conn.execute("select clock_timestamp()").fetchone()[0]
        marts = materialized_marts(conn)
        for name, unique in marts:
            statement = (
                "refresh materialized view concurrently {}"
                if unique
                else ("refresh materialized view {}")
            )
            conn.execute(sql.SQL(statement).format(sql.Identifier("mart", name)))
        seconds = round(time.monotonic() - started, 3)
        conn.execute(
            "insert into audit.penyegaran_mart (mulai, selesai, mart, detik) "
            "values (%s, clock_timestamp(), %s, %s)",
            (mulai, [name for name, _ in marts], seconds),
        )
        conn.commit()
    return {"mart_disegarkan": [name for name, _ in marts], "detik": seconds}


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
    with warehouse.connect() as conn:
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


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("marts", help="refresh the materialized marts and the report")
    p.set_defaults(
        func=lambda a: (
            print(json.dumps(refresh() | write_completeness_report(), indent=2, default=str)) or 0
        )
    )
