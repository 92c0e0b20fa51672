"""Bring the warehouse schema up to date: numbered migrations, then the BI views.

Alembic records which numbered SQL files ran (table ``audit.alembic_version``); each revision
module in ``sql/migrations/versions`` only executes its SQL file. The views in ``sql/views``
are re-created on every run (``create or replace``), like repeatable migrations.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from etl import warehouse
from etl.settings import PROJECT_ROOT, deadline_override

SQL_DIR = PROJECT_ROOT / "sql"
MIGRATIONS_DIR = SQL_DIR / "migrations"
VIEWS_DIR = SQL_DIR / "views"
SCHEMAS_DIR = PROJECT_ROOT / "expectations" / "schemas"
LOCK_KEY = 7_130_001  # pg advisory lock: one migrator at a time across processes


def sql_of(revision_file: str) -> str:
    """The SQL file that a revision module stands for (same stem, in ``sql/migrations``)."""
    return (MIGRATIONS_DIR / f"{Path(revision_file).stem}.sql").read_text(encoding="utf-8")


def _alembic_config(connection: sa.Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def view_files() -> list[Path]:
    return sorted(VIEWS_DIR.glob("*.sql"))


def upgrade(engine: sa.Engine) -> str:
    """Apply pending migrations and (re)create views; return the schema revision."""
    with engine.begin() as conn:
        conn.execute(sa.text("select pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        command.upgrade(_alembic_config(conn), "head")
        for path in view_files():
            conn.exec_driver_sql(path.read_text(encoding="utf-8"))
        _sync_kinds(conn)
        return conn.execute(sa.text("select version_num from audit.alembic_version")).scalar_one()


def _sync_kinds(conn: sa.Connection) -> None:
    """Register every submission kind of ``expectations/schemas`` with its deadline."""
    for path in sorted(SCHEMAS_DIR.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        conn.execute(
            sa.text(
                """
                insert into core.jenis_pengiriman as j
                    (jenis, judul, pola_periode, kolom_cakupan, tenggat_setelah_awal_periode)
                values (:jenis, :judul, :pola, :cakupan, cast(:tenggat as interval))
                on conflict (jenis) do update set
                    judul = excluded.judul, pola_periode = excluded.pola_periode,
                    kolom_cakupan = excluded.kolom_cakupan,
                    tenggat_setelah_awal_periode = excluded.tenggat_setelah_awal_periode
                where (j.judul, j.pola_periode, j.kolom_cakupan, j.tenggat_setelah_awal_periode)
                    is distinct from (excluded.judul, excluded.pola_periode,
                                      excluded.kolom_cakupan, excluded.tenggat_setelah_awal_periode)
                """
            ),
            {
                "jenis": spec["jenis"],
                "judul": spec["judul"],
                "pola": spec["pola_periode"],
                "cakupan": spec["kolom_cakupan"],
                "tenggat": deadline_override(spec["jenis"]) or spec["tenggat_setelah_awal_periode"],
            },
        )


def prepare() -> str:
    """Everything a run needs before the first file: schema, views, kinds, reference lists."""
    from etl import reference

    engine = warehouse.engine()
    try:
        revision = upgrade(engine)
        reference.load(engine)
    finally:
        engine.dispose()
    return revision


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("migrate", help="apply migrations, views and reference lists")
    p.set_defaults(func=lambda _args: print(f"warehouse at revision {prepare()}") or 0)
