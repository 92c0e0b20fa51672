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
    p.set_defaults(func=lambda a: print(json.dumps(process_file(a.path), indent=2,
                                                   default=str)) or 0)
    p = subparsers.add_parser("run-day", help="one arrival day end to end, without Airflow")
    p.add_argument("tanggal", type=dt.date.fromisoformat)
    p.set_defaults(func=lambda a: print(json.dumps(run_day(a.tanggal), indent=2)) or 0)
