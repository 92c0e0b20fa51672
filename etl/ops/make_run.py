"""``make run``: every arrival day of the landing zone, oldest first, through Airflow itself.

Starts (or reuses) the warehouse, applies migrations, prepares Airflow's metadata database,
then runs ``airflow dags test ikm_ingest_nightly <day>`` for each day. Airflow's verbose output
goes to a log file; the terminal shows one line per file as it reaches a terminal status, and a
summary at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import time
from pathlib import Path

from etl import flow, warehouse
from etl.ops.airflow_env import airflow_binary, airflow_environment, prepare_metadata
from etl.settings import PROJECT_ROOT, get_settings
from etl.stages import s1_landing, s5_publish

DAG_ID = "ikm_ingest_nightly"
STATUS_MARK = {"diterima": "✔", "diterima_sebagian": "◐", "ditolak": "✘", "digantikan": "↻"}


def _print(text: str = "") -> None:
    print(text, flush=True)


def ensure_landing() -> Path:
    settings = get_settings()
    if settings.landing_is_default and not s1_landing.arrival_days(settings.landing_dir):
        from etl.generators import samples

        written = samples.generate_landing_zone(settings.landing_dir, settings.reference_dir)
        _print(f"• sample submissions generated: {len(written)} files in {settings.landing_dir}")
    return settings.landing_dir


def _progress(conn, day: dt.date, shown: set[int]) -> None:
    rows = conn.execute(
        "select submission_id, path, status, coalesce(jumlah_baris_diterima, 0), "
        "coalesce(jumlah_baris_ditolak, 0), pesan from audit.submission "
        "where tanggal_tiba = %s and status <> 'diproses' and processed_at is not null "
        "order by processed_at",
        (day,),
    ).fetchall()
    for submission_id, path, status, ok, bad, pesan in rows:
        if submission_id in shown:
            continue
        shown.add(submission_id)
        mark = STATUS_MARK.get(status, "?")
        if status == "ditolak":
            _print(f"    {mark} {path:<52} {status:<18} {(pesan or '')[:70]}")
        else:
            _print(f"    {mark} {path:<52} {status:<18} {ok:>7} diterima {bad:>5} ditolak")
    conn.commit()


def dags_test_day(day: dt.date, env: dict[str, str], log) -> int:
    """``airflow dags test`` for one day, printing files as they finish."""
    log.write(f"\n===== {DAG_ID} {day} =====\n")
    log.flush()
    process = subprocess.Popen(
        [airflow_binary(), "dags", "test", DAG_ID, day.isoformat()],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=PROJECT_ROOT,
    )
    shown: set[int] = set()
    with warehouse.connect() as conn:
        # A day processed before keeps its statuses; show only what this run changes.
        while process.poll() is None:
            _progress(conn, day, shown)
            time.sleep(0.5)
        _progress(conn, day, shown)
    return process.returncode


def summary(days: list[dt.date], log_path: Path, started: float, failed: list[dt.date]) -> None:
    settings = get_settings()
    with warehouse.connect() as conn:
        rows = conn.execute(
            "select status, count(*), coalesce(sum(jumlah_baris_diterima), 0), "
            "coalesce(sum(jumlah_baris_ditolak), 0) from audit.submission "
            "where tanggal_tiba = any(%s) group by status order by status",
            (days,),
        ).fetchall()
        units = conn.execute(
            "select coalesce(sum(jumlah_unit), 0), count(distinct kode_kabkota) "
            "from mart.ikm_per_wilayah"
        ).fetchone()
    files = sum(r[1] for r in rows)
    _print()
    _print("Ringkasan / summary")
    _print(
        f"  days processed     {len(days)} ({days[0]} … {days[-1]}) in "
        f"{time.monotonic() - started:.0f} s"
    )
    _print(f"  files              {files}: " + ", ".join(f"{r[0]} {r[1]}" for r in rows))
    _print(f"  rows accepted      {sum(r[2] for r in rows)} (later corrections replace some)")
    _print(f"  rows rejected      {sum(r[3] for r in rows)} (quarantined in audit.karantina)")
    _print(
        f"  warehouse now      {units[0]} IKM units in {units[1]} kab/kota (mart.ikm_per_wilayah)"
    )
    _print(f"  feedback reports   {settings.feedback_dir}/<date>/<office>/")
    _print(f"  Airflow log        {log_path}")
    _print("  open the warehouse make psql")
    if failed:
        _print(f"  FAILED days        {', '.join(map(str, failed))} (see the Airflow log)")


def main(args: argparse.Namespace) -> int:
    started = time.monotonic()
    settings = get_settings()
    landing_dir = ensure_landing()
    days = s1_landing.arrival_days(landing_dir)
    if args.days:
        days = [d for d in days if d.isoformat() in set(args.days)]
    if not days:
        _print(f"no arrival-day folders (YYYY-MM-DD) under {landing_dir}")
        return 1
    url = warehouse.warehouse_url()
    _print(f"• warehouse {url.render_as_string(hide_password=True)}")
    _print(f"• schema revision {flow.prepare()}, reference lists from {settings.reference_dir}")
    env = airflow_environment()
    # `airflow dags test` cannot run a DAG with deadlines (Airflow 3.3.2); lateness alerts
    # are for the scheduler's runs (make airflow), not for this one-shot run.
    env["IKM_PERINGATAN_TERLAMBAT_MENIT"] = "0"
    log_path = settings.state_dir / "logs" / f"make-run-{dt.datetime.now():%Y%m%d-%H%M%S}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    failed: list[dt.date] = []
    with log_path.open("w", encoding="utf-8") as log:
        _print(f"• Airflow metadata database (log: {log_path})")
        prepare_metadata(env, log)
        for day in days:
            _print(f"• {DAG_ID} {day}")
            if dags_test_day(day, env, log) != 0:
                failed.append(day)
                _print(f"    ✘ the run of {day} failed; see {log_path}")
    # what ikm_publish does on the scheduler after a load (asset events; `dags test` has none)
    refreshed = flow.refresh_marts()
    s5_publish.write_completeness_report()
    _print(
        f"• marts refreshed together: {len(refreshed['mart_disegarkan'])} materialized views "
        f"in {refreshed['detik']} s; completeness report written"
    )
    summary(days, log_path, started, failed)
    return 1 if failed else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "run", help="the nightly pipeline over every arrival day, via Airflow"
    )
    p.add_argument("days", nargs="*", help="only these arrival days (YYYY-MM-DD)")
    p.set_defaults(func=main)
