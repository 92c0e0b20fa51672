"""The role ``bi_reader`` (Superset, analysts) can read the marts and do nothing else.

Each check connects as the role itself and tries the forbidden thing; PostgreSQL must refuse it
for lack of privilege, not by accident (a missing table, a read-only default).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid

import psycopg
import pytest

from etl import flow
from etl.settings import BI_READER_ROLE
from etl.stages import s1_landing as landing
from etl.warehouse import migrations
from tests.conftest import _admin, dsn, query

pytestmark = pytest.mark.integration

PASSWORD = "uji-KataSandi'bi;--$$"


@pytest.fixture(scope="module")
def loaded(module_warehouse):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IKM_BI_READER_PASSWORD", PASSWORD)
        for day in landing.arrival_days()[:2]:
            flow.run_day(day)
        migrations.prepare()
    return module_warehouse


def as_bi_reader(url, read_write: bool = True) -> psycopg.Connection:
    conn = psycopg.connect(
        dsn(url.set(username=BI_READER_ROLE, password=PASSWORD)), autocommit=True
    )
    if read_write:
        # bi_reader's sessions are read-only by default; lift that, so each refusal below is
        # the grants' doing
        conn.execute("set default_transaction_read_only = off")
    return conn


def scram_matches(verifier: str, password: str) -> bool:
    """Does a PostgreSQL SCRAM-SHA-256 verifier (pg_authid.rolpassword) hold this password?"""
    method, rest = verifier.split("$", 1)
    assert method == "SCRAM-SHA-256"
    iterations_salt, keys = rest.split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key, _server_key = keys.split(":")
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    return base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key


def test_the_role_logs_in_with_the_password_from_the_environment(loaded):
    ((can_login, verifier, settings),) = query(
        loaded,
        "select rolcanlogin, rolpassword, "
        "(select setconfig from pg_db_role_setting where setrole = r.oid and setdatabase = 0) "
        "from pg_authid as r where rolname = %s",
        (BI_READER_ROLE,),
    )
    assert can_login
    assert scram_matches(verifier, PASSWORD)
    assert not scram_matches(verifier, PASSWORD + "x")
    assert "default_transaction_read_only=on" in settings
    assert not query(
        loaded,
        "select rolsuper or rolcreatedb or rolcreaterole or rolbypassrls or rolreplication "
        "from pg_roles where rolname = %s",
        (BI_READER_ROLE,),
    )[0][0]


def test_it_reads_every_mart(loaded):
    marts = [
        r[0]
        for r in query(
            loaded,
            "select c.relname from pg_class as c inner join pg_namespace as n "
            "on c.relnamespace = n.oid where n.nspname = 'mart' and c.relkind in ('v', 'm')",
        )
    ]
    assert len(marts) >= 10
    with as_bi_reader(loaded, read_write=False) as conn:
        for name in marts:
            conn.execute(f'select * from mart."{name}" limit 1').fetchall()
        (units,) = conn.execute("select sum(jumlah_unit) from mart.ikm_per_wilayah").fetchone()
    assert units > 0


FORBIDDEN = {
    # personal data and the pipeline's own tables
    "owner names in the unit dimension": "select nama_pemilik from core.dim_unit_ikm",
    "NIK in the loaded rows": "select nik_pemilik from core.baris_unit_ikm",
    "phone numbers": "select no_telepon from core.dim_unit_ikm",
    "the submissions": "select * from audit.submission",
    "quarantined raw rows": "select * from audit.karantina",
    "staging": "select * from staging.anything",
    "the portal's password hashes": "select hash_sandi from portal.pengguna",
    "the portal's uploads": "select * from portal.unggahan",
    "the portal's login attempts": "select * from portal.percobaan_masuk",
    "a core function": "select core.awal_periode('2024')",
    "a server file": "select pg_read_file('/etc/passwd')",
    # writes
    "insert into a core table": "insert into core.dim_kbli values ('99', 'x', '99', 'x')",
    "update the audit trail": "update audit.submission set status = 'diterima'",
    "delete quarantine": "delete from audit.karantina",
    "refresh a mart": "refresh materialized view mart.ikm_per_wilayah",
    # DDL
    "create a table in mart": "create table mart.coba (a int)",
    "create a view in mart": "create view mart.coba as select 1 as a",
    "create a table in public": "create table public.coba (a int)",
    "create a temporary table": "create temporary table coba (a int)",
    "create a function": "create function public.coba() returns int language sql as 'select 1'",
    "create a schema": "create schema coba",
    "drop a mart": "drop materialized view mart.ikm_per_wilayah",
    "drop a view": "drop view mart.edisi_referensi",
    "rename a mart": "alter materialized view mart.ikm_per_wilayah rename to coba",
    "comment on a mart": "comment on materialized view mart.ikm_per_wilayah is 'x'",
    "index a mart": "create index coba on mart.ikm_per_wilayah (tahun)",
    "become superuser": "alter role bi_reader superuser",
    "run a program": "copy (select 1) to program 'id'",
}


@pytest.mark.parametrize("what", list(FORBIDDEN))
def test_each_forbidden_action_is_refused(loaded, what):
    with as_bi_reader(loaded) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(FORBIDDEN[what])


def test_its_sessions_are_read_only_by_default(loaded):
    conn = as_bi_reader(loaded, read_write=False)
    with conn, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        conn.execute("create table mart.coba (a int)")


def test_any_other_login_role_cannot_even_connect(loaded):
    """Like the Airflow and Superset metadata roles of docker compose: a role without grants
    on the warehouse gets nothing, not even a connection."""
    role = f"uji_peran_{uuid.uuid4().hex[:8]}"
    _admin(loaded, f"create role {role} login password 'uji-sandi-lain'")
    try:
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            psycopg.connect(dsn(loaded.set(username=role, password="uji-sandi-lain"))).close()
    finally:
        _admin(loaded, f"drop role {role}")
