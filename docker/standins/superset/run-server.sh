#!/usr/bin/env bash
# The official image's default command: Superset's web server on 0.0.0.0:$SUPERSET_PORT.
set -euo pipefail
exec gunicorn --bind "0.0.0.0:${SUPERSET_PORT:-8088}" --workers "${SERVER_WORKER_AMOUNT:-1}" \
    --worker-class gthread --threads 20 --timeout 60 "${FLASK_APP:-superset.app:create_app()}"
