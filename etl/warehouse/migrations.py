"""Bring the warehouse schema up to date: numbered migrations, each kind's tables and views, then
the BI views.

Alembic records which numbered SQL files ran (table ``audit.alembic_version``); each revision
module in ``sql/migrations/versions`` only executes its SQL file. Then, like repeatable
migrations on every run: each kind's ``sql/jenis/<jenis>/tabel.sql`` (its tables, created if
missing: a new kind needs no numbered migration) and ``tampilan/`` (its views), and the views
in ``sql/views`` (``create or replace``). A file that
creates a *materialized* mart is different: rebuilding it would empty it for BI readers and
cost a full computation on every run, so it is rebuilt (with its data) only when its SQL file
changed or it is missing, which ``audit.objek_bi`` records by checksum.

After the views, the role ``bi_reader`` gets LOGIN and its password (from the environment) and
SELECT on every object of schema ``mart``, and nothing else; ``publik_reader`` the same on
schema ``publik`` (the disclosure-controlled public layer).
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import psycopg
import psycopg.sql
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from etl.contract import SQL_DIR, Kind, kinds
from etl.settings import (
    BI_READER_ROLE,
    PUBLIK_READER_ROLE,
    bi_reader_password,
    get_settings,
    publik_reader_password,
)
from etl.warehouse import connection, reference

MIGRATIONS_DIR = SQL_DIR / "migrations"
VIEWS_DIR = SQL_DIR / "views"
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
        for kind in kinds().values():
            apply_kind_tables(conn, kind)
        for path in kind_view_files():
            conn.exec_driver_sql(path.read_text(encoding="utf-8"))
        for path in view_files():
            apply_view_file(conn, path)
        _sync_kinds(conn)
        _grant_readers(conn)
        revision = conn.execute(
            sa.text("select version_num from audit.alembic_version")
        ).scalar_one()
    _reader_login(engine, BI_READER_ROLE, bi_reader_password())
    _reader_login(engine, PUBLIK_READER_ROLE, publik_reader_password())
    return revision


def apply_kind_tables(conn: sa.Connection, kind: Kind) -> None:
    """A kind's tables, created when missing (``sql/jenis/<jenis>/tabel.sql``)."""
    if kind.table_sql.is_file():
        conn.exec_driver_sql(kind.table_sql.read_text(encoding="utf-8"))


def kind_view_files() -> list[Path]:
    """Every kind's views (``tampilan/``), all kinds together in the order of their file names:
    a view may read another kind's (``18_fakta_peserta_program`` reads ``12_dim_unit_ikm``),
    and the number in front says which comes first."""
    return sorted((p for kind in kinds().values() for p in kind.view_sql), key=lambda p: p.name)


MATERIALIZED = re.compile(r"^create materialized view (\w+)\.(\w+)", re.IGNORECASE | re.MULTILINE)


def apply_view_file(conn: sa.Connection, path: Path) -> None:
    """Run one view file; a materialized one only when it changed or is missing."""
    text = path.read_text(encoding="utf-8")
    match = MATERIALIZED.search(text)
    if match is None:
        conn.exec_driver_sql(text)
        return
    schema, name = match.groups()
    checksum = hashlib.sha256(text.encode()).hexdigest()
    kind = conn.execute(
        sa.text(
            "select c.relkind from pg_class as c inner join pg_namespace as n "
            "on c.relnamespace = n.oid where n.nspname = :s and c.relname = :n"
        ),
        {"s": schema, "n": name},
    ).scalar()
    recorded = conn.execute(
        sa.text("select sha256 from audit.objek_bi where nama = :n"), {"n": f"{schema}.{name}"}
    ).scalar()
    if kind == "m" and recorded == checksum:
        return
    if kind is not None:
        # a plain view of an earlier version, or a changed definition; the views that read it
        # are dropped along and re-created by their own (later-numbered) files
        what = "materialized view" if kind == "m" else "view"
        conn.exec_driver_sql(f"drop {what} {schema}.{name} cascade")
    conn.exec_driver_sql(text)
    conn.execute(
        sa.text(
            "insert into audit.objek_bi (nama, sha256) values (:n, :h) "
            "on conflict (nama) do update set sha256 = excluded.sha256, dibuat_pada = now()"
        ),
        {"n": f"{schema}.{name}", "h": checksum},
    )


def _grant_readers(conn: sa.Connection) -> None:
    """bi_reader reads every object of ``mart``, publik_reader every view of ``publik``
    (re-created objects lose their grants); no other role but the owner and superusers may
    connect."""
    database = conn.execute(sa.text("select current_database()")).scalar_one()
    for statement in (
        # a role may connect only where it is granted to (a leaked Airflow or Superset
        # database password must not open the warehouse)
        f'revoke connect, temporary on database "{database}" from public',
        f'grant connect on database "{database}" to {BI_READER_ROLE}, {PUBLIK_READER_ROLE}',
        f"grant usage on schema mart to {BI_READER_ROLE}",
        f"grant select on all tables in schema mart to {BI_READER_ROLE}",
        f"grant usage on schema publik to {PUBLIK_READER_ROLE}",
        f"grant select on all tables in schema publik to {PUBLIK_READER_ROLE}",
    ):
        conn.exec_driver_sql(statement)


def _reader_login(engine: sa.Engine, role: str, password: str) -> None:
    """LOGIN, the password and safe session defaults for a reader role.

    A role is the whole server's: two databases migrating at once may update it together, which
    PostgreSQL refuses with "tuple concurrently updated"; the second simply tries again.
    """
    connection.mask_in_airflow(password)
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                raw = conn.connection.driver_connection
                conn.exec_driver_sql(
                    psycopg.sql.SQL(
                        "alter role {} with login nosuperuser nocreatedb nocreaterole "
                        "noreplication nobypassrls connection limit 50 password {}"
                    )
                    .format(psycopg.sql.Identifier(role), psycopg.sql.Literal(password))
                    .as_string(raw)
                )
                conn.exec_driver_sql(f"alter role {role} set default_transaction_read_only = on")
                conn.exec_driver_sql(f"alter role {role} set statement_timeout = '5min'")
            return
        except sa.exc.DBAPIError as exc:
            if not isinstance(exc.orig, psycopg.errors.InternalError) or attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))


def _sync_kinds(conn: sa.Connection) -> None:
    """Register every submission kind of the contract with its deadline."""
    settings = get_settings()
    for kind in kinds().values():
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
                "jenis": kind.jenis,
                "judul": kind.judul,
                "pola": kind.pola_periode,
                "cakupan": kind.kolom_cakupan,
                "tenggat": settings.deadline(kind.jenis) or kind.tenggat,
            },
        )


def prepare() -> str:
    """Everything a run needs before the first file: schema, views, kinds, reference lists."""
    engine = connection.engine()
    try:
        revision = upgrade(engine)
        reference.load(engine)
    finally:
        engine.dispose()
    return revision
