"""Publish, the fifth stage: what the warehouse tells its readers.

- to each office, the feedback on every file it sent (:mod:`.feedback`), once the day is
  closed with a terminal status for every file and a record of the run (:mod:`.day`);
- to BI, the materialized marts refreshed together (:mod:`.marts`), and the completeness
  report of who sent what (:mod:`.completeness_report`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from etl.stages.s5_publish.completeness_report import (
    COLUMNS,
    completeness,
    write_completeness_report,
)
from etl.stages.s5_publish.day import (
    REPORT_ROUTE,
    check_day,
    close_unfinished,
    log_outcome,
    publish,
    report_link,
)
from etl.stages.s5_publish.feedback import (
    FORMULA_START,
    STATUS_TEXT,
    feedback_paths,
    neutralise,
    write_feedback,
)
from etl.stages.s5_publish.marts import materialized_marts, refresh

__all__ = [
    "COLUMNS",
    "FORMULA_START",
    "REPORT_ROUTE",
    "STATUS_TEXT",
    "check_day",
    "close_unfinished",
    "completeness",
    "feedback_paths",
    "log_outcome",
    "materialized_marts",
    "neutralise",
    "publish",
    "refresh",
    "register",
    "report_link",
    "write_completeness_report",
    "write_feedback",
]


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "publish", help="stage 5: feedback and run record for one arrival day"
    )
    p.add_argument("tanggal", type=dt.date.fromisoformat)
    p.set_defaults(func=lambda a: print(json.dumps(publish(a.tanggal), indent=2)) or 0)
    p = subparsers.add_parser(
        "marts", help="stage 5: refresh the materialized marts and the report"
    )
    p.set_defaults(
        func=lambda a: (
            print(json.dumps(refresh() | write_completeness_report(), indent=2, default=str)) or 0
        )
    )
