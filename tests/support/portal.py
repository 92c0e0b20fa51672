"""A warehouse loaded with the samples and the portal's accounts, for the portal's tests.

Offices of the samples: Kota Surabaya (3578) and its province Jawa Timur (35); another
kab/kota of that province (Kota Malang, 3573) and of another province (Kota Semarang, 3372);
the Jawa Barat province office (32) and its Kabupaten Bogor (3201); the ministry.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from etl import flow
from etl.stages import s1_landing
from etl.warehouse import connect

PASSWORD = "Kata-Sandi-Uji-2025"
ACCOUNTS = {
    # user: office (None: the ministry)
    "surabaya": "3578",
    "malang": "3573",
    "semarang": "3372",
    "jatim": "35",
    "jabar": "32",
    "bogor": "3201",
    "pusat": None,
}
SECRET = "rahasia-sesi-portal-uji-0123456789abcdef"


@dataclass
class Portal:
    landing: Path
    folder: Path


@pytest.fixture(scope="module")
def portal(module_warehouse, tmp_path_factory) -> Iterator[Portal]:
    """The samples' nights run, the accounts made, the portal's settings in the environment."""
    from etl.portal import accounts

    folder = tmp_path_factory.mktemp("portal")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IKM_PORTAL_DIR", str(folder))
        patch.setenv("IKM_PORTAL_SECRET", SECRET)
        patch.setenv("IKM_PORTAL_TUNGGU_DETIK", "30")
        for day in s1_landing.arrival_days():
            flow.run_day(day)
        with connect() as conn:
            for name, office in ACCOUNTS.items():
                accounts.create(conn, name, office, PASSWORD, f"Petugas {name}")
        import os

        yield Portal(Path(os.environ["IKM_LANDING_DIR"]), folder)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def unit_ikm_workbook(rows: list[dict[str, object]], header: list[str]) -> bytes:
    """An XLSX with a header row and text cells, as a clerk's file."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h) for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
