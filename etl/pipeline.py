"""The flow for one file and for one arrival day, outside Airflow (the DAG wires the same calls)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from etl import extract, landing, load, migrate, publish, validate


def process_file(rel_path: str) -> dict[str, Any]:
    """extract → validate → load for one landed file; returns its final status."""
    extracted = extract.extract(rel_path)
    if extracted.status != "diekstrak":
        return extracted.as_xcom()
    checked = validate.validate(extracted.submission_id)
    if checked["status"] == "ditolak":
        return checked
    return load.load(extracted.submission_id)


def run_day(tanggal: dt.date) -> dict[str, Any]:
    """One arrival day end to end, as the nightly DAG does it, in this process."""
    migrate.prepare()
    for rel_path in landing.discover(tanggal):
        process_file(rel_path)
    return publish.publish(tanggal)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("process", help="extract, validate and load one landed file")
    p.add_argument("path", help="path relative to the landing root: <date>/<office>/<file>")
    p.set_defaults(
        func=lambda a: print(json.dumps(process_file(a.path), indent=2, default=str)) or 0
    )
    p = subparsers.add_parser("run-day", help="one arrival day end to end, without Airflow")
    p.add_argument("tanggal", type=dt.date.fromisoformat)
    p.set_defaults(func=lambda a: print(json.dumps(run_day(a.tanggal), indent=2)) or 0)


# -- glue for the DAG's tasks: each takes and returns ids, paths and counts only -------------

JAKARTA = "Asia/Jakarta"


def arrival_date(logical_date: dt.datetime | None) -> dt.date:
    """The landing partition a run processes: its logical date, as a date in Asia/Jakarta.

    The nightly run at 01:00 on D+1 has logical date D 01:00 (a data interval ending at its
    start), so it processes partition D; ``airflow dags test ... D`` does the same.
    """
    import zoneinfo

    if logical_date is None:
        # A run without a logical date would pick "today" while files are still arriving.
        raise ValueError("this DAG needs a logical date: the arrival day it processes")
    moment = logical_date
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zoneinfo.ZoneInfo(JAKARTA)).date()


def validate_extracted(extracted: dict[str, Any]) -> dict[str, Any]:
    """Validate what extract staged; a file rejected or skipped at extract passes through."""
    if extracted["status"] != "diekstrak":
        return extracted
    return validate.validate(extracted["submission_id"])


def load_validated(validated: dict[str, Any]) -> dict[str, Any]:
    """Load what validation accepted; anything else passes through with its status."""
    if validated["status"] not in ("diterima", "diterima_sebagian"):
        return validated
    return load.load(validated["submission_id"])
