#!/usr/bin/env bash
# The official redis image's entrypoint, reduced to what docker-compose.yml relies on.
set -euo pipefail

if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
    set -- redis-server "$@"
fi

if [ "$1" = 'redis-server' ]; then
    # no config file given: like the official image, listen to the container's network
    if [ "${2:-}" = '' ] || [ "${2#-}" != "${2}" ]; then
        shift
        set -- redis-server --protected-mode no --bind '* -::*' "$@"
    fi
    if [ "$(id -u)" = '0' ]; then
        chown redis:redis /data 2>/dev/null || true
        exec setpriv --reuid=redis --regid=redis --init-groups "$@"
    fi
fi

exec "$@"
