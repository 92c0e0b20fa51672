"""The national set (issue 4) through the whole pipeline: marts equal the generated totals.

One per mille of the country (4,400 units in 514 kab/kota registers and 38 provincial workforce
files, 552 files) is extracted, validated in batches, loaded and published; the marts must give
back exactly what the generator wrote, and the IKM share of industrial workers it was built to.
``make bench`` runs the same at 1 %, 10 % and 100 %.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from etl import flow
from etl.generators import national
from etl.settings import get_settings
from tests.conftest import query

pytestmark = pytest.mark.integration

DAY = dt.date(2023, 3, 20)


def test_national_set_totals_come_out_of_the_marts_exactly(warehouse, tmp_path):
    landing = Path(os.environ["IKM_LANDING_DIR"])
    shutil.rmtree(landing)  # only the national day in this landing zone
    summary = national.generate_national(
        landing, get_settings().reference_dir, fraction=0.001, tanggal_tiba=DAY
    )
    assert summary.files == 552

    flow.run_day(DAY)

    statuses = dict(query(warehouse, "select status, count(*) from audit.submission group by 1"))
    assert statuses == {"diterima": 552}
    ((units, workers),) = query(
        warehouse,
        "select sum(jumlah_unit), sum(tenaga_kerja) from mart.ikm_per_wilayah where tahun = 2022",
    )
    assert (units, workers) == (summary.units, summary.ikm_workers) == (4_400, 12_390)
    ((ikm, industry, share),) = query(
        warehouse,
        "select sum(tenaga_kerja_ikm), sum(tenaga_kerja_industri), "
        "round(100.0 * sum(tenaga_kerja_ikm) / sum(tenaga_kerja_industri), 2) "
        "from mart.pangsa_tenaga_kerja where tahun = 2022",
    )
    assert (ikm, industry) == (summary.ikm_workers, summary.industry_workers)
    assert share == summary.persen_ikm == Decimal("66.25")
    # every unit has its one SCD2 version, and the staging tables are gone
    assert query(warehouse, "select count(*) from core.dim_unit_ikm where is_current") == [(4_400,)]
    assert query(warehouse, "select count(*) from pg_tables where schemaname = 'staging'") == [(0,)]
