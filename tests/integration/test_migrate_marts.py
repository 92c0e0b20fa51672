"""Migrating keeps the materialized marts: rebuilt only when their SQL file changes.

``migrate`` runs before every nightly run; re-creating a materialized mart each time would
empty it for BI readers and cost a full computation.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from etl import flow
from etl.warehouse import engine as warehouse_engine
from etl.warehouse import migrations
from tests.conftest import query

pytestmark = pytest.mark.integration

MART = "mart.ikm_per_wilayah"


def built_at(url) -> dt.datetime:
    return query(url, "select dibuat_pada from audit.objek_bi where nama = %s", (MART,))[0][0]


def test_an_unchanged_mart_survives_a_migration_with_its_rows(warehouse):
    flow.run_day(dt.date(2024, 3, 4))
    before = query(warehouse, f"select count(*), sum(jumlah_unit) from {MART}")
    stamp = built_at(warehouse)
    assert before[0][0] > 0
    migrations.prepare()
    assert built_at(warehouse) == stamp
    assert query(warehouse, f"select count(*), sum(jumlah_unit) from {MART}") == before
    # bi_reader keeps its grant on it
    assert query(warehouse, "select has_table_privilege('bi_reader', %s, 'select')", (MART,)) == [
        (True,)
    ]


def test_a_changed_file_rebuilds_the_mart_and_those_that_read_it(warehouse, tmp_path, monkeypatch):
    flow.run_day(dt.date(2024, 3, 4))
    units = query(warehouse, "select sum(jumlah_unit_ikm) from mart.indikator_ikm")
    views = tmp_path / "views"
    shutil.copytree(migrations.VIEWS_DIR, views)
    source = views / "20_mart_ikm_per_wilayah.sql"
    source.write_text(source.read_text() + "\n-- a changed file\n", encoding="utf-8")
    monkeypatch.setattr(migrations, "VIEWS_DIR", views)
    stamp = built_at(warehouse)
    engine = warehouse_engine()
    try:
        migrations.upgrade(engine)
    finally:
        engine.dispose()
    assert built_at(warehouse) > stamp
    # the dependent mart (dropped with it) is back, computed from the rebuilt one
    assert query(warehouse, "select sum(jumlah_unit_ikm) from mart.indikator_ikm") == units
    assert query(
        warehouse, "select has_table_privilege('bi_reader', 'mart.indikator_ikm', 'select')"
    ) == [(True,)]


def test_a_plain_view_of_an_older_version_becomes_materialized(warehouse):
    engine = warehouse_engine()
    with engine.begin() as conn:
        conn.exec_driver_sql(f"drop materialized view {MART} cascade")
        conn.exec_driver_sql(f"create view {MART} as select 1 as tahun")
        conn.exec_driver_sql("delete from audit.objek_bi")
    engine.dispose()
    migrations.prepare()
    assert query(warehouse, "select relkind from pg_class where oid = %s::regclass", (MART,)) == [
        ("m",)
    ]
