"""Publish for BI after the warehouse changed: marts refreshed together, completeness report."""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, dag, task

DOC_MD = """
### ikm_publish

Runs when an asset event says the warehouse changed: `ikm_gudang` (a nightly run, backfill or
reprocess loaded or rejected files) or `ikm_gudang_referensi` (a new edition of the code lists).

1. **refresh_marts** (pool `ikm_gudang`, so never during a load): every materialized view of
   schema `mart` refreshed in one transaction, concurrently, so BI reads the previous complete
   state or the new one, never a half-refreshed mart. Emits `ikm_mart`.
2. **write_completeness_report**: expected versus received submissions per kind, period and
   province, from `mart.status_pengiriman`, as CSV and HTML under
   `<feedback>/_kelengkapan/` (readable in Airflow at `/umpan-balik/_kelengkapan/`).

`python -m etl marts` does the same by hand.

Owner: IKM data engineering team, Kemenperin.
"""

GUDANG = Asset(name="ikm_gudang", uri="ikm://gudang/core")
REFERENSI = Asset(name="ikm_gudang_referensi", uri="ikm://gudang/referensi")
MART = Asset(name="ikm_mart", uri="ikm://gudang/mart")


@dag(
    dag_id="ikm_publish",
    schedule=(GUDANG | REFERENSI),
    start_date=pendulum.datetime(2024, 1, 1, tz="Asia/Jakarta"),
    catchup=False,
    # Follows the warehouse by itself: no one has to unpause it after a deployment.
    is_paused_upon_creation=False,
    max_active_runs=1,
    doc_md=DOC_MD,
    tags=["ikm", "publish", "bi"],
    default_args={
        "owner": "ikm-data-engineering",
        "retries": 3,
        "retry_delay": timedelta(seconds=20),
        "retry_exponential_backoff": True,
    },
)
def ikm_publish():
    @task(pool="ikm_gudang", outlets=[MART])
    def refresh_marts() -> dict:
        from etl import flow

        return flow.refresh_marts()

    @task
    def write_completeness_report() -> dict:
        from etl.stages.s5_publish import write_completeness_report

        return write_completeness_report()

    refresh_marts() >> write_completeness_report()


ikm_publish()
