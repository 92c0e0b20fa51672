#!/usr/bin/env bash
# The official Airflow image's entrypoint, reduced to what docker-compose.yml relies on:
# `bash`/`python` run as given, everything else is a command of the airflow CLI.
set -euo pipefail

command="${1:-}"
if [ "$command" = 'airflow' ]; then
    shift
    command="${1:-}"
fi
case "$command" in
    bash)
        shift
        exec /bin/bash "$@" ;;
    python)
        shift
        exec python "$@" ;;
    '')
        exec airflow --help ;;
esac
exec airflow "$@"
