#!/usr/bin/env bash
# Superset in docker compose (image apache/superset:6.1.0, this folder mounted read-only at
# /app/ikm-bi): the same set-up `make bi` does, then the web server on 0.0.0.0:8088.
#
#   SUPERSET_SECRET_KEY, SUPERSET_METADATA_URI (postgresql+psycopg2://… of database superset),
#   SUPERSET_ADMIN_USERNAME / SUPERSET_ADMIN_PASSWORD, SUPERSET_WAREHOUSE_URI (the warehouse as
#   bi_reader, for the dashboard on the marts) and SUPERSET_PUBLIK_URI (the warehouse as
#   publik_reader, for the public dashboard) come from the compose file (and its .env). Every
#   step is idempotent, so a restarted container converges on the same state; the dashboards
#   are imported from the versioned exports by the script `make bi` uses (impor_dasbor.py).
set -euo pipefail

: "${SUPERSET_SECRET_KEY:?SUPERSET_SECRET_KEY is not set}"
: "${SUPERSET_METADATA_URI:?SUPERSET_METADATA_URI is not set}"
: "${SUPERSET_ADMIN_PASSWORD:?SUPERSET_ADMIN_PASSWORD is not set}"
: "${SUPERSET_WAREHOUSE_URI:?SUPERSET_WAREHOUSE_URI is not set}"
: "${SUPERSET_PUBLIK_URI:?SUPERSET_PUBLIK_URI is not set (the warehouse as publik_reader)}"
export SUPERSET_ADMIN_USERNAME="${SUPERSET_ADMIN_USERNAME:-admin}"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export SUPERSET_CONFIG_PATH="$HERE/superset_config_docker.py"

# The image ships without a PostgreSQL driver; install the one the lock pins (by name, from
# PyPI), unless an earlier start of this container already did.
if ! python -c "import psycopg2" 2>/dev/null; then
    pin="$(grep -E '^psycopg2-binary==' "$HERE/requirements.txt")"
    echo "• installing $pin into $(command -v python)"
    if command -v uv >/dev/null; then
        uv pip install --quiet --python "$(command -v python)" "$pin"
    else
        python -m ensurepip --default-pip >/dev/null 2>&1 || true
        python -m pip install --quiet --no-cache-dir "$pin"
    fi
fi

echo "• Superset metadata: db upgrade"
superset db upgrade
echo "• roles and permissions: init"
superset init
echo "• admin login and the IKM dashboards (databases: the warehouse as bi_reader, as publik_reader)"
python "$HERE/impor_dasbor.py" siapkan

echo "• Superset on 0.0.0.0:8088"
exec gunicorn \
    --bind 0.0.0.0:8088 \
    --workers "${SUPERSET_WORKERS:-2}" \
    --worker-class gthread \
    --threads 8 \
    --timeout 120 \
    --limit-request-line 0 \
    --limit-request-field_size 0 \
    "superset.app:create_app()"
