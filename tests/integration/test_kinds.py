"""A kind lives in one folder per concern, and adding one is adding those folders.

``expectations/<jenis>/`` holds its contract, suite and synonyms; ``sql/jenis/<jenis>/`` its
tables, views, load steps and cross-file checks. The four kinds of the contract had their
tables made by numbered migrations before their folders held them: their ``tabel.sql`` must
make exactly those tables, or a new warehouse and an old one would differ.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from etl import contract
from etl.settings import PROJECT_ROOT, get_settings
from tests.conftest import SESSION, _admin, dsn, query

pytestmark = pytest.mark.integration

NEW_KIND = Path(__file__).parents[1] / "support" / "new_kind"
DAY = dt.date(2024, 5, 6)

CATALOG = {
    "columns": """
        select c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
            pg_get_expr(d.adbin, d.adrelid)
        from pg_attribute as a
        inner join pg_class as c on a.attrelid = c.oid
        inner join pg_namespace as n on c.relnamespace = n.oid
        left join pg_attrdef as d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where n.nspname = 'core' and c.relname = any(%(t)s) and a.attnum > 0
            and not a.attisdropped
        order by 1, a.attnum
    """,
    "constraints": """
        select c.relname, k.conname, pg_get_constraintdef(k.oid)
        from pg_constraint as k
        inner join pg_class as c on k.conrelid = c.oid
        inner join pg_namespace as n on c.relnamespace = n.oid
        where n.nspname = 'core' and c.relname = any(%(t)s)
        order by 1, 2
    """,
    "indexes": """
        select tablename, indexname, indexdef from pg_indexes
        where schemaname = 'core' and tablename = any(%(t)s) order by 1, 2
    """,
    "comments": """
        select c.relname, obj_description(c.oid, 'pg_class')
        from pg_class as c inner join pg_namespace as n on c.relnamespace = n.oid
        where n.nspname = 'core' and c.relname = any(%(t)s) order by 1
    """,
}


def _tables_of(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [
        line.split("core.", 1)[1].split()[0].rstrip("(")
        for line in text.splitlines()
        if line.startswith("create table if not exists core.")
    ]


def _catalog(url, tables: list[str]) -> dict[str, list[tuple]]:
    with psycopg.connect(dsn(url)) as conn:
        return {k: conn.execute(q, {"t": tables}).fetchall() for k, q in CATALOG.items()}


def test_each_kind_s_tables_are_the_ones_its_migrations_made(template_db):
    """The template was migrated (numbered migrations, then each ``tabel.sql``, a no-op there);
    a database that runs only the ``tabel.sql`` files gets the same tables, column for column,
    constraint for constraint, index for index, comment for comment."""
    kinds = contract.kinds().values()
    tables = sorted(t for kind in kinds for t in _tables_of(kind.table_sql))
    assert {f"baris_{k.jenis}" for k in kinds} <= set(tables)
    fresh = template_db.set(database=f"ikm_test_{SESSION}_tabel")
    _admin(fresh, f'create database "{fresh.database}"')
    try:
        with psycopg.connect(dsn(fresh), autocommit=True) as conn:
            conn.execute("create schema core")
            for kind in kinds:
                conn.execute(kind.table_sql.read_text(encoding="utf-8"))
        made = _catalog(fresh, tables)
        assert made["columns"], "tabel.sql made no table"
        assert made == _catalog(template_db, tables)
    finally:
        _admin(fresh, f'drop database if exists "{fresh.database}" with (force)')


def _project_with_a_new_kind(root: Path) -> Path:
    """A copy of the project with ``pelatihan`` added: two folders, nothing else."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("etl", "expectations", "sql"):
        shutil.copytree(PROJECT_ROOT / name, root / name, ignore=ignore)
    shutil.copytree(NEW_KIND / "expectations" / "pelatihan", root / "expectations" / "pelatihan")
    shutil.copytree(NEW_KIND / "sql" / "jenis" / "pelatihan", root / "sql" / "jenis" / "pelatihan")
    return root


def test_adding_a_kind_is_adding_one_folder_in_each(template_db, tmp_path):
    project = _project_with_a_new_kind(tmp_path / "proyek")
    landing = tmp_path / "landing"
    office = landing / DAY.isoformat() / "3201"
    office.mkdir(parents=True)
    (office / "pelatihan_2024.csv").write_text(
        "kode_kabkota,Nama Pelatihan,Jumlah Peserta,tanggal_mulai\n"
        "3201,Pengolahan kopi,25,2024-02-05\n"
        "3201,Desain kemasan,18,2024-03-11\n"
        "3201,Pemasaran daring,-4,2024-04-01\n"  # quarantined: a negative count
        "3201,Keamanan pangan,30,2024-04-15\n"
        "3201,Sertifikasi halal,22,2024-04-22\n",
        encoding="utf-8",
    )
    url = template_db.set(database=f"ikm_test_{SESSION}_{uuid.uuid4().hex[:6]}")
    _admin(url, f'create database "{url.database}" template "{template_db.database}"')
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("IKM_")},
        "WAREHOUSE_URL": url.render_as_string(hide_password=False),
        "IKM_LANDING_DIR": str(landing),
        "IKM_REFERENCE_DIR": str(get_settings().reference_dir),
        "IKM_STATE_DIR": str(tmp_path / "state"),
        "IKM_STAGING_DIR": str(tmp_path / "staging"),
        "IKM_FEEDBACK_DIR": str(tmp_path / "umpan_balik"),
        "PYTHONPATH": str(project),
    }
    try:
        run = subprocess.run(
            [sys.executable, "-m", "etl", "run-day", DAY.isoformat()],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
        ((status, accepted, rejected),) = query(
            url,
            "select status, jumlah_baris_diterima, jumlah_baris_ditolak from audit.submission",
        )
        assert (status, accepted, rejected) == ("diterima_sebagian", 4, 1)
        assert query(url, "select baris, kolom from audit.karantina") == [(4, "jumlah_peserta")]
        facts = query(url, "select nama_pelatihan from core.fakta_pelatihan order by baris")
        assert [f[0] for f in facts] == [
            "Pengolahan kopi",
            "Desain kemasan",
            "Keamanan pangan",
            "Sertifikasi halal",
        ]
        assert query(
            url, "select pola_periode from core.jenis_pengiriman where jenis = %s", ("pelatihan",)
        ) == [("tahunan",)]
        offices = query(
            url,
            "select kode_wilayah, status from mart.status_pengiriman "
            "where jenis = 'pelatihan' and status <> 'belum_dikirim'",
        )
        assert offices == [("3201", "diterima_sebagian")]
        report = tmp_path / "umpan_balik" / DAY.isoformat() / "3201"
        assert "jumlah_peserta tidak boleh negatif" in (
            report / "pelatihan_2024.csv.umpan_balik.md"
        ).read_text(encoding="utf-8")
    finally:
        _admin(url, f'drop database if exists "{url.database}" with (force)')
