"""Two runs of the same arrival day started at once (issue 7, "Faults"): a scheduled run and a
manual one. Real concurrency: two processes, each ``python -m etl run-day D``, several rounds
on a fresh warehouse each; every round must end as one clean run of that day."""

from __future__ import annotations

import datetime as dt

import pytest

from etl import flow
from etl.warehouse import submission
from tests.conftest import query
from tests.support.faults import content, etl_process, other_warehouse

pytestmark = pytest.mark.integration

DAY = dt.date(2024, 3, 4)
ROUNDS = 3


def test_two_runs_of_the_same_day_at_once_give_the_warehouse_of_one_run(
    warehouse, template_db, monkeypatch
):
    flow.run_day(DAY)
    clean = content(warehouse)
    files = query(warehouse, "select count(*) from audit.submission")[0][0]
    assert files > 1

    for round_ in range(ROUNDS):
        with other_warehouse(template_db) as url:
            monkeypatch.setenv("WAREHOUSE_URL", url.render_as_string(hide_password=False))
            runs = [etl_process("run-day", DAY.isoformat()) for _ in range(2)]
            outputs = [p.communicate(timeout=240) for p in runs]
            for p, (_, err) in zip(runs, outputs, strict=True):
                assert p.returncode == 0, err[-3000:]
            per_file = query(
                url,
                "select path, count(*), min(status), bool_or(galat_sistem) "
                "from audit.submission group by path",
            )
            assert len(per_file) == files, round_
            for path, rows, status, system_error in per_file:
                assert rows == 1 and status in submission.TERMINAL and not system_error, (
                    round_,
                    path,
                    status,
                )
            assert query(url, "select count(*) from audit.proses_hari") == [(2,)]  # both finished
            assert content(url) == clean, f"round {round_}"
