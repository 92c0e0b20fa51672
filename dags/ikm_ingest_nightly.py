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
    task_group,
)

DOC_MD = """
### ikm_ingest_nightly

Processes the landing partition `$IKM_LANDING_DIR/<arrival date>/` of its logical date (in
Asia/Jakarta): the run at 01:00 on D+1 processes the files that arrived on D.

1. **siapkan_gudang**: migrations, BI views, reference lists (cheap when nothing changed).
2. **temukan_berkas**: every landed file of the day (links are recorded as rejected).
3. **proses_berkas** (mapped, one per file): **ekstrak** → **validasi** (Great Expectations on
   the staging table) → **muat** (one transaction per file). A bad file is rejected with its
   reason and never stops the others.
4. **terbitkan**: terminal status for every file, feedback reports to each office, run record.

Re-running a day or backfilling a range gives the warehouse one clean run would give: files
already processed under the same rules are skipped, and an older file never overrides a newer
correction. All the work is in the `etl` package (`python -m etl --help`).

Owner: IKM data engineering team, Kemenperin.
"""


def _arrival_date() -> str:
    from etl.pipeline import arrival_date

    context = get_current_context()
    return arrival_date(context.get("logical_date"), context.get("run_after")).isoformat()


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
        "retries": 2,
        "retry_delay": timedelta(seconds=20),
        "retry_exponential_backoff": True,
    },
)
def ikm_ingest_nightly():
    @task
    def siapkan_gudang() -> str:
        from etl.migrate import prepare

        return prepare()

    @task
    def temukan_berkas() -> list[str]:
        import datetime as dt

        from etl.landing import discover

        return discover(dt.date.fromisoformat(_arrival_date()))

    @task
    def ekstrak(path: str) -> dict:
        from etl.extract import extract

        return extract(path).as_xcom()

    @task
    def validasi(extracted: dict) -> dict:
        from etl.pipeline import validate_extracted

        return validate_extracted(extracted)

    @task
    def muat(validated: dict) -> dict:
        from etl.pipeline import load_validated

        return load_validated(validated)

    @task(trigger_rule=TriggerRule.ALL_DONE, retries=3)
    def terbitkan() -> dict:
        import datetime as dt

        from etl.publish import publish

        context = get_current_context()
        return publish(dt.date.fromisoformat(_arrival_date()), context["dag_run"].run_id)

    @task_group
    def proses_berkas(path: str):
        return muat(validasi(ekstrak(path)))

    files = temukan_berkas()
    siapkan_gudang() >> files
    proses_berkas.expand(path=files) >> terbitkan()


ikm_ingest_nightly()
