"""The warehouse, below every stage: where the stages meet and never call each other.

- :mod:`~etl.warehouse.connection`: where the warehouse is (``WAREHOUSE_URL`` or an embedded
  PostgreSQL) and how to connect; its functions are re-exported here.
- :mod:`~etl.warehouse.migrations`: the schema (numbered migrations, each kind's tables and
  views, the BI views, the role ``bi_reader``), and :mod:`~etl.warehouse.reference`: the
  official code lists as editions.
- :mod:`~etl.warehouse.submission`: the submission record, ``audit.submission``.
- :mod:`~etl.warehouse.staging`: staged Parquet and the staging tables that validate writes and
  load reads.
- :mod:`~etl.warehouse.scopes`: who owns each scope, and the kept rows in force.
- :mod:`~etl.warehouse.day_lock`: the arrival day's lock.
- :mod:`~etl.warehouse.errors`: which failures a retry may fix.
"""

from etl.warehouse.connection import (
    AIRFLOW_DB,
    WAREHOUSE_DB,
    airflow_metadata_url,
    bi_reader_url,
    connect,
    engine,
    ensure_database,
    libpq_dsn,
    mask_in_airflow,
    publik_reader_url,
    start_embedded,
    stop_embedded,
    warehouse_url,
)

__all__ = [
    "AIRFLOW_DB",
    "WAREHOUSE_DB",
    "airflow_metadata_url",
    "bi_reader_url",
    "connect",
    "engine",
    "ensure_database",
    "libpq_dsn",
    "mask_in_airflow",
    "publik_reader_url",
    "start_embedded",
    "stop_embedded",
    "warehouse_url",
]
