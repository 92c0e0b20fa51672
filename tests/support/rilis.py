"""A warehouse loaded with the samples once, cloned for each release test: a release record can
never be deleted (that is the point), so a test that records one gets a database of its own."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from tests.conftest import SESSION, _admin
from tests.support.factories import HEADER, land_csv, unit_ikm_row

TAHUN = 2023


def load_samples() -> None:
    """Every sample arrival day through the pipeline (marts and public layer refreshed)."""
    from etl import flow
    from etl.stages import s1_landing as landing

    for day in landing.arrival_days():
        flow.run_day(day)


@contextlib.contextmanager
def clone(source: URL, folder: Path) -> Iterator[URL]:
    """A copy of ``source`` (a template clone), with its own release folder, wired through the
    environment for the duration."""
    url = source.set(database=f"ikm_test_{SESSION}_rilis_{uuid.uuid4().hex[:6]}")
    _admin(
        url,
        "select pg_terminate_backend(pid) from pg_stat_activity "
        f"where datname = '{source.database}' and pid <> pg_backend_pid()",
    )
    _admin(url, f'create database "{url.database}" template "{source.database}"')
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAREHOUSE_URL", url.render_as_string(hide_password=False))
        patch.setenv("IKM_RILIS_DIR", str(folder / "rilis"))
        yield url
    _admin(url, f'drop database if exists "{url.database}" with (force)')


def land_correction(day: dt.date, kabkota: str = "1271", units: int = 5) -> None:
    """An office resends its register: ``units`` units replace the kab/kota's 2023 register,
    then the day runs (so the marts and the public layer change)."""
    from etl import flow

    rows = [
        unit_ikm_row(
            f"{kabkota}{i:09d}",
            kode_kabkota=kabkota,
            tenaga_kerja_laki=str(2 + i),
            nilai_investasi=str(40_000_000 + i * 1_000_000),
        )
        for i in range(units)
    ]
    land_csv(f"{day.isoformat()}/{kabkota}/unit_ikm_{TAHUN}_koreksi.csv", HEADER, rows)
    flow.run_day(day)


def descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }
