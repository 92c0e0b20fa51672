"""A BI query running during a load sees the previous complete state or the new one, never a mix.

Files load one transaction each, so ``core`` passes through a state per file; the marts are
materialized and refreshed together in one transaction after the day, so ``bi_reader`` only
ever sees the warehouse before the day or after it.
"""

from __future__ import annotations

import datetime as dt
import threading

import psycopg
import pytest

from etl import flow
from etl.settings import BI_READER_ROLE, bi_reader_password
from tests.conftest import dsn

pytestmark = pytest.mark.integration

BEFORE_DAY = dt.date(2024, 2, 8)  # budgets only
LOAD_DAY = dt.date(2024, 3, 4)  # three unit registers, each its own transaction

MART_SNAPSHOT = """
select
    (select coalesce(sum(jumlah_unit), 0) from mart.ikm_per_wilayah),
    (select coalesce(sum(jumlah_unit), 0) from mart.ikm_per_kbli),
    (select coalesce(sum(jumlah_unit_ikm), 0) from mart.indikator_ikm where tingkat = 'nasional'),
    (select count(*) from mart.status_pengiriman where status <> 'belum_dikirim'),
    (select coalesce(sum(laporan_diterima), 0) from mart.tingkat_pelaporan
        where tingkat = 'nasional')
"""


def test_a_bi_query_during_a_load_never_sees_partial_data(warehouse):
    flow.run_day(BEFORE_DAY)
    reader = psycopg.connect(
        dsn(warehouse.set(username=BI_READER_ROLE, password=bi_reader_password())),
        autocommit=True,
    )
    owner = psycopg.connect(dsn(warehouse), autocommit=True)
    before = reader.execute(MART_SNAPSHOT).fetchone()

    failure: list[BaseException] = []

    def load() -> None:
        try:
            flow.run_day(LOAD_DAY)
        except BaseException as exc:  # reported by the test below
            failure.append(exc)

    loader = threading.Thread(target=load)
    seen_by_bi: set[tuple] = set()
    seen_in_core: set[int] = set()
    samples = 0
    loader.start()
    with reader, owner:
        while loader.is_alive():
            seen_by_bi.add(reader.execute(MART_SNAPSHOT).fetchone())
            seen_in_core.add(
                owner.execute("select count(*) from core.fakta_unit_ikm").fetchone()[0]
            )
            samples += 1
        loader.join()
        after = reader.execute(MART_SNAPSHOT).fetchone()
    assert not failure, failure
    assert before != after
    assert after[0] == after[1] == after[2] > 0
    # the load went file by file underneath (core took intermediate states)...
    assert len(seen_in_core) > 2, (samples, seen_in_core)
    # ...and BI saw only the state before the day and the state after it
    assert seen_by_bi <= {before, after}, (before, after, seen_by_bi)
