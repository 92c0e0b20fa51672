"""The messy corpus through the whole pipeline: every file ends with a terminal status and the
outcome the corpus states, and no file stops the others.

Cases that need a tiny size limit (set through the environment) are staged alone in the unit
tier (tests/unit/test_readers_messy.py); here every other case lands on one day together.
"""

from __future__ import annotations

import datetime as dt

import pytest

from etl import flow
from tests.conftest import query
from tests.support.corpus import DAY, build_corpus

pytestmark = pytest.mark.integration

ACCEPTED = ("diterima", "diterima_sebagian", "digantikan")


@pytest.fixture(scope="module")
def corpus_run(module_warehouse, tmp_path_factory):
    import os

    landing = tmp_path_factory.mktemp("corpus")
    landed = build_corpus(landing)
    previous = os.environ["IKM_LANDING_DIR"]
    os.environ["IKM_LANDING_DIR"] = str(landing)
    try:
        flow.run_day(dt.date.fromisoformat(DAY))
    finally:
        os.environ["IKM_LANDING_DIR"] = previous
    rows = query(module_warehouse, "select path, status, pesan from audit.submission")
    # all files land; the outcome checks leave out those that need a tiny size limit
    found = {p: (s, m) for p, s, m in rows}
    assert set(found) == {c.rel_path for c in landed}
    return [c for c in landed if not c.env], found, module_warehouse


def test_every_landed_file_has_exactly_one_terminal_status(corpus_run):
    _, found, _ = corpus_run
    assert found and all(status != "diproses" for status, _ in found.values())


def test_rejected_files_say_why(corpus_run):
    cases, found, _ = corpus_run
    for case in (c for c in cases if c.expected == "rejected"):
        status, pesan = found[case.rel_path]
        assert status == "ditolak", case.rel_path
        assert case.reason.lower() in (pesan or "").lower(), (case.rel_path, pesan)


def test_readable_files_load_with_their_bad_cells_quarantined(corpus_run):
    cases, found, url = corpus_run
    quarantined = set(
        query(
            url,
            "select s.path, k.baris, k.kolom from audit.karantina k "
            "join audit.submission s using (submission_id)",
        )
    )
    for case in (c for c in cases if c.expected == "ok"):
        status, pesan = found[case.rel_path]
        too_many = status == "ditolak" and "melebihi batas" in (pesan or "")
        assert status in ACCEPTED or too_many, (case.rel_path, status, pesan)
        for row, column in case.bad_cells:
            assert (case.rel_path, row, column) in quarantined, (case.rel_path, row, column)
