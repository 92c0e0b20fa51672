"""The election of owners on its own: for each scope the rows in force are those of the
latest accepted submission covering it, latest by (arrival date, file name, path), whatever
the order in which the submissions were loaded or withdrawn (DESIGN.md: corrections)."""

from __future__ import annotations

import itertools

import pytest

from etl.warehouse import connect, scopes, submission
from tests.support.records import KIND, PERIODE, accepted, owners, statuses

pytestmark = pytest.mark.integration

# (path, rows per kab/kota): the later of two files wins a scope they share
FILES = [
    ("2024-03-04/32/tenaga_kerja_2023.csv", {"3201": 2, "3204": 2}),
    ("2024-03-04/32/tenaga_kerja_2023_b.csv", {"3201": 3}),  # same day, later name
    ("2024-03-11/3201/tenaga_kerja_2023.csv", {"3201": 1}),  # a later day
    ("2024-03-11/32/tenaga_kerja_2023.csv", {"3273": 4}),  # another scope
]
OWNERS = {
    "3201": "2024-03-11/3201/tenaga_kerja_2023.csv",
    "3204": "2024-03-04/32/tenaga_kerja_2023.csv",
    "3273": "2024-03-11/32/tenaga_kerja_2023.csv",
}


@pytest.mark.parametrize("order", list(itertools.permutations(range(4)))[::5])
def test_the_latest_file_owns_each_scope_whatever_the_order_of_loads(warehouse, order):
    with connect() as conn:
        for i in order:
            accepted(conn, *FILES[i])
        assert owners(conn) == OWNERS
        # a file owning none of its scopes any more is superseded; one owning some keeps its status
        assert statuses(conn) == {
            "2024-03-04/32/tenaga_kerja_2023.csv": "diterima",
            "2024-03-04/32/tenaga_kerja_2023_b.csv": "digantikan",
            "2024-03-11/3201/tenaga_kerja_2023.csv": "diterima",
            "2024-03-11/32/tenaga_kerja_2023.csv": "diterima",
        }
        facts = conn.execute(
            "select kode_kabkota, count(*) from core.fakta_tenaga_kerja group by 1 order by 1"
        ).fetchall()
        assert facts == [("3201", 1), ("3204", 2), ("3273", 4)]


def test_releasing_the_owner_gives_the_scope_back_to_the_runner_up(warehouse):
    with connect() as conn:
        ids = {path: accepted(conn, path, rows) for path, rows in FILES}
        latest = ids["2024-03-11/3201/tenaga_kerja_2023.csv"]
        changed = scopes.release(conn, latest, KIND.jenis, PERIODE)
        conn.commit()
        assert changed == 1
        assert owners(conn)["3201"] == "2024-03-04/32/tenaga_kerja_2023_b.csv"
        assert statuses(conn)["2024-03-04/32/tenaga_kerja_2023_b.csv"] == "diterima"
        # releasing a file that holds nothing changes nothing
        assert scopes.release(conn, latest, KIND.jenis, PERIODE) == 0
        assert scopes.release(conn, latest, None, None) == 0
        conn.commit()


def test_a_reloaded_owner_counts_as_changed(warehouse):
    """Replacing the owner's own rows changes its scopes' facts even though the owner stays:
    the kind's steps after the election (the SCD2 queue of unit_ikm) must see them."""
    with connect() as conn:
        sid = accepted(conn, *FILES[0])
        scopes.lock_kind(conn, KIND)
        previous = scopes.take_back(conn, KIND, sid)
        assert sorted(previous) == ["3201", "3204"]
        assert scopes.settle(conn, KIND, PERIODE, previous, sid) == 2
        rows = conn.execute("select * from cakupan_berubah order by 1").fetchall()
        assert rows == [("3201", sid, None), ("3204", sid, None)]
        conn.rollback()
        assert owners(conn) == {"3201": FILES[0][0], "3204": FILES[0][0]}


def test_step_parameters_follow_the_period():
    assert scopes.step_params(7, "2024-05") == {
        "submission_id": 7,
        "periode": "2024-05",
        "tahun": 2024,
        "bulan": 5,
    }
    assert scopes.step_params(7, "2023")["bulan"] is None


def test_the_submission_record_names_the_same_owner(warehouse):
    """What a report shows (audit.submission) and what the marts read (core.cakupan_berlaku)
    agree: every owner is a submission whose status is accepted."""
    with connect() as conn:
        for path, rows in FILES:
            accepted(conn, path, rows)
        owned = {
            submission.get(conn, sid).status
            for (sid,) in conn.execute("select submission_id from core.cakupan_berlaku")
        }
        assert owned == {"diterima"}
