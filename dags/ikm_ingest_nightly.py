"""Nightly ingest of the files the regional offices landed on one arrival day."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import (
    CronDataIntervalTimetable,
    TriggerRule,
    dag,
    get_current_context,
    task,
)

DOC_MD = """
### ikm_ingest_nightly

Processes the landing partition `$IKM_LANDING_DIR/<arrival date>/` of its logical date (in
Asia/Jakarta): the run at 01:00 on D+1 processes the files that arrived on D.

1. **siapkan_gudang**: migrations, BI views, reference lists (cheap when nothing changed).
2. **temukan_berkas**: every landed file of the day (links are recorded as rejected).
3. **ekstrak** (mapped, one per file): read the file as the office sent it into typed Parquet.
4. **validasi**: Great Expectations, one suite run per kind and period over a staging table
   holding all of that batch's files; quarantine and status stay per file.
5. **muat**: each accepted file in its own transaction. A bad file is rejected with its reason
   and never stops the others; only warehouse hiccups are retried.
6. **terbitkan**: terminal status for every file, feedback reports to each office, run record.
7. **periksa**: fails the run (so it shows red and alerts) when a file ended in a system error.

Re-running a day or backfilling a range gives the warehouse one clean run would give: files
already processed under the same rules are skipped, and an older file never overrides a newer
correction. All the work is in the `etl` package (`python -m etl --help`).

Owner: IKM data engineering team, Kemenperin.
"""


def _arrival_date() -> str:
    from etl.pipeline import arrival_date

    return arrival_date(get_current_context().get("logical_date")).isoformat()


def _retry_only_transient(step, *args):
    """Run an etl step; a failure that a retry cannot fix fails the task at once."""
    from airflow.sdk.exceptions import AirflowFailException

    from etl.errors import is_transient

    try:
        return step(*args)
    except Exception as exc:
        if is_transient(exc):
            raise
        raise AirflowFailException(f"{type(exc).__name__}: {exc}") from exc


@dag(
    dag_id="ikm_ingest_nightly",
    schedule=CronDataIntervalTimetable("0 1 * * *", timezone="Asia/Jakarta"),
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Jakarta"),
    catchup=False,
    max_active_runs=1,
    doc_md=DOC_MD,
    tags=["ikm", "ingest"],
    default_args={
        "owner": "ikm-data-engineering",
        "retries": 3,
        "retry_delay": timedelta(seconds=20),
        "retry_exponential_backoff": True,
        "execution_timeout": timedelta(hours=2),
    },
)
def ikm_ingest_nightly():
    @task
    def siapkan_gudang() -> str:
        from etl.migrate import prepare

        return _retry_only_transient(prepare)

    @task
    def temukan_berkas() -> list[str]:
        import datetime as dt

        from etl.landing import discover

        return _retry_only_transient(discover, dt.date.fromisoformat(_arrival_date()))

    @task
    def ekstrak(path: str) -> dict:
        from etl.extract import extract

        return _retry_only_transient(extract, path).as_xcom()

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def validasi() -> list[dict]:
        """Every file extract staged today (a failed extract leaves the others to go on)."""
        import datetime as dt

        from etl.pipeline import validate_day

        return _retry_only_transient(validate_day, dt.date.fromisoformat(_arrival_date()))

    @task
    def muat(validated: list[dict]) -> list[dict]:
        from etl.pipeline import load_validated

        return _retry_only_transient(load_validated, validated)

    @task(trigger_rule=TriggerRule.ALL_DONE)
    def terbitkan() -> dict:
        import datetime as dt

        from etl.publish import publish

        run_id = get_current_context()["dag_run"].run_id
        return _retry_only_transient(publish, dt.date.fromisoformat(_arrival_date()), run_id)

    @task(retries=0)
    def periksa() -> int:
        import datetime as dt

        from etl.publish import check_day

        return check_day(dt.date.fromisoformat(_arrival_date()))

    files = temukan_berkas()
    siapkan_gudang() >> files
    checked = validasi()
    ekstrak.expand(path=files) >> checked
    muat(checked) >> terbitkan() >> periksa()


ikm_ingest_nightly()
