#!/usr/bin/env bash
# Builds with podman the stand-ins for the four public images docker-compose.yml names
# (apache/airflow:3.3.2-python3.11, postgres:16, redis:7.4, apache/superset:6.1.0) from a
# Debian bookworm root made by debootstrap, tagged with the official names so the committed
# docker-compose.yml and docker/Dockerfile run unchanged; then the project's image from
# docker/Dockerfile. No image registry is reachable here; Debian's and PyPI's are.
#
# A stand-in is rebuilt only when its inputs changed (its folder, the files it copies, the
# base it starts from): the digest of those inputs is the image's label ikm.standin.inputs.
# The project image is always built; podman's layer cache keeps that quick when only the
# code changed. Prints one line per image and the seconds it took.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/docker/standins"
CACHE="${IKM_STANDIN_CACHE:-/var/cache/ikm-standins}"
MIRROR="${IKM_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# The machine's CA bundle: PyPI is reached through it (the file the host's PIP_CERT names).
HOST_CA="${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}"
BASE=localhost/ikm-standin-debian:bookworm
LABEL=ikm.standin.inputs

label_of() {
    podman image inspect --format "{{index .Labels \"$LABEL\"}}" "$1" 2>/dev/null || true
}

digest() {
    # the inputs' contents and names, in a stable order
    for f in "$@"; do
        find "$f" -type f -print0 | sort -z | xargs -0 sha256sum
    done | sed "s#$ROOT/##" | sha256sum | cut -c1-16
}

image_id() { podman image inspect --format '{{.Id}}' "$1"; }

# -- the base: Debian bookworm, minbase, with the machine's CA bundle ---------------------------
base_inputs="$(printf 'bookworm minbase %s\n' "$MIRROR" | cat - "$HOST_CA" | sha256sum | cut -c1-16)"
if [ "$(label_of "$BASE")" = "$base_inputs" ]; then
    echo "• $BASE: unchanged"
else
    start=$SECONDS
    rootfs="$CACHE/rootfs-bookworm"
    rm -rf "$rootfs" && mkdir -p "$CACHE"
    debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
        || { tail -20 "$CACHE/debootstrap.log"; exit 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    # taken into the bundle when a stand-in installs ca-certificates, and usable before that
    mkdir -p "$rootfs/usr/local/share/ca-certificates" "$rootfs/etc/ssl/certs"
    cp "$HOST_CA" "$rootfs/usr/local/share/ca-certificates/machine-bundle.crt"
    cp "$HOST_CA" "$rootfs/etc/ssl/certs/ca-certificates.crt"
    printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' \
        > "$rootfs/etc/apt/apt.conf.d/90ikm-standin"
    tar -C "$rootfs" -c . | podman import --quiet \
        --change "LABEL $LABEL=$base_inputs" --change 'CMD ["bash"]' - "$BASE" >/dev/null
    rm -rf "$rootfs"
    echo "• $BASE: built in $((SECONDS - start)) s"
fi
base_id="$(image_id "$BASE")"

build_standin() {
    local name="$1" folder="$2"
    shift 2
    local inputs
    inputs="$(printf '%s\n' "$base_id" "$(digest "$HERE/$folder" "$@")" | sha256sum | cut -c1-16)"
    if [ "$(label_of "$name")" = "$inputs" ]; then
        echo "• $name: unchanged"
        return
    fi
    local start=$SECONDS
    podman build --quiet --layers --build-arg "BASE=$BASE" --label "$LABEL=$inputs" \
        -f "$HERE/$folder/Containerfile" -t "$name" "$ROOT" >/dev/null
    echo "• $name: built in $((SECONDS - start)) s"
}

build_standin docker.io/library/postgres:16 postgres
build_standin docker.io/library/redis:7.4 redis
build_standin docker.io/apache/airflow:3.3.2-python3.11 airflow "$ROOT/requirements.txt"
build_standin docker.io/apache/superset:6.1.0 superset "$ROOT/bi/requirements.txt"

# -- the project's image, from the committed Dockerfile --------------------------------------
start=$SECONDS
podman build --quiet --layers -f "$ROOT/docker/Dockerfile" -t kemenperin/ikm-airflow:latest \
    "$ROOT" >/dev/null
echo "• kemenperin/ikm-airflow:latest: built in $((SECONDS - start)) s"
