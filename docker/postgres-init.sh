#!/bin/bash
# Runs once, on an empty data volume (/docker-entrypoint-initdb.d): besides the warehouse
# (POSTGRES_DB=ikm, owned by the superuser, whose migrations create role bi_reader), one
# database per metadata store, each owned by a login role of its own, so a leaked Airflow or
# Superset password opens that store only. Passwords come from the environment (.env).
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v airflow_pw="$AIRFLOW_DB_PASSWORD" -v superset_pw="$SUPERSET_DB_PASSWORD" <<'SQL'
create role airflow login password :'airflow_pw';
create database airflow owner airflow;
create role superset login password :'superset_pw';
create database superset owner superset;
SQL
