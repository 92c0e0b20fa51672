"""Soak: 30 arrival days x 50 files, processed in order and in a shuffled order of days.

Issue 7: with a share of bad files, corrections (some rejected) and exact resends, the
warehouse must not depend on the order in which days are processed, every file must end with
exactly one terminal status, and that status and the facts in force must be what DESIGN.md's
rules give (checked against the generator's own oracle, not only against the other pass).
The two passes run side by side in two spawned processes, each on its own database.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import time
import uuid
from collections import Counter
from pathlib import Path
from random import Random

import pytest
from sqlalchemy.engine import URL

from etl.settings import get_settings
from tests.conftest import SESSION, _admin, dsn, query
from tests.support import soak

pytestmark = pytest.mark.integration

TERMINAL = {"diterima", "diterima_sebagian", "ditolak", "digantikan"}


@pytest.fixture
def two_warehouses(template_db: URL):
    urls = []
    for label in ("urut", "acak"):
        url = template_db.set(database=f"ikm_test_{SESSION}_soak_{label}_{uuid.uuid4().hex[:6]}")
        _admin(url, f'create database "{url.database}" template "{template_db.database}"')
        urls.append(url)
    yield urls
    for url in urls:
        _admin(url, f'drop database if exists "{url.database}" with (force)')


def test_soak_any_order_of_days_gives_the_warehouse_of_the_ordered_run(
    two_warehouses: list[URL], tmp_path: Path
) -> None:
    started = time.monotonic()
    landing = tmp_path / "landing"
    zone = soak.generate(landing, get_settings().reference_dir)
    days = zone.days()
    assert len(zone.files) == soak.DAYS * soak.PER_DAY
    assert len(days) == soak.DAYS
    # the zone holds every case the rules distinguish, or the test proves less than it says
    expected = zone.expected_status()
    owners = zone.owners()
    assert {f.note for f in zone.files if f.rejected} == {"new", "correction", "resend"}
    assert {f.rejected for f in zone.files} >= {
        None,
        "too many bad rows",
        "required column missing",
        "unreadable",
    }
    partly_covered = [
        f
        for f in zone.files
        if expected[f.path] != "digantikan" and any(owners[s] is not f for s in f.scopes())
    ]
    assert partly_covered, "no accepted file that a later one covers only in part"
    shuffled = days[:]
    Random(soak.SEED).shuffle(shuffled)
    assert shuffled != days
    generated = time.monotonic() - started

    in_order, any_order = two_warehouses
    passes = {}
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=spawn) as pool:
        for label, url, order in (("urut", in_order, days), ("acak", any_order, shuffled)):
            env = {
                "WAREHOUSE_URL": url.render_as_string(hide_password=False),
                "IKM_LANDING_DIR": str(landing),
                "IKM_STAGING_DIR": str(tmp_path / label / "staging"),
                "IKM_FEEDBACK_DIR": str(tmp_path / label / "umpan_balik"),
            }
            passes[label] = pool.submit(soak.run_pass, env, order)
        took = {label: sum(f.result().values()) for label, f in passes.items()}

    # the answer by construction, from the in-order pass alone
    rows = query(
        in_order,
        "select path, status, jumlah_baris_ditolak from audit.submission order by path",
    )
    per_path = Counter(r[0] for r in rows)
    assert [p for p, n in per_path.items() if n != 1] == []
    statuses = {r[0]: r[1] for r in rows}
    assert set(statuses.values()) <= TERMINAL
    assert set(statuses) == set(expected)
    wrong = {p: (statuses[p], s) for p, s in expected.items() if statuses[p] != s}
    assert wrong == {}, f"{len(wrong)} files with another status (got, expected): {wrong}"
    quarantined = {r[0]: r[2] for r in rows}
    wrong_bad = {
        f.path: (quarantined[f.path], f.bad_rows)
        for f in zone.files
        if not f.rejected and quarantined[f.path] != f.bad_rows
    }
    assert wrong_bad == {}
    in_force = soak.facts(dsn(in_order))
    assert in_force == zone.expected_facts()

    # the shuffled pass holds the same warehouse
    a, b = soak.state(dsn(in_order)), soak.state(dsn(any_order))
    assert {k for k in a if a[k] != b.get(k)} == set()
    assert a.keys() == b.keys()

    counts = Counter(statuses.values())
    kinds = Counter(f.note for f in zone.files)
    fact_rows = sum(len(v) for v in in_force.values())
    print(
        f"\nsoak: {len(zone.files)} files over {len(days)} days ({dict(kinds)}), "
        f"statuses {dict(counts)}, {fact_rows} fact rows in force in {len(in_force)} scopes; "
        f"generate {generated:.0f} s, pass in order {took['urut']:.0f} s, "
        f"shuffled {took['acak']:.0f} s, test {time.monotonic() - started:.0f} s"
    )
