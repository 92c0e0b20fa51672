#!/usr/bin/env bash
# Makes this machine run docker-compose.yml without a Docker engine: Debian's podman (with
# runc), docker-compose 1.29 and debootstrap, and the podman settings this kernel needs.
# Idempotent; run as root (make test-compose does).
set -euo pipefail

need=()
for cmd in podman runc docker-compose debootstrap; do
    command -v "$cmd" >/dev/null || need+=("$cmd")
done
if [ "${#need[@]}" -gt 0 ]; then
    echo "• apt-get install podman runc docker-compose debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc docker-compose debootstrap >/dev/null
fi

# crun refuses this kernel's cgroup layout, and the default ulimits cannot be raised here.
conf=/etc/containers/containers.conf.d/ikm-standins.conf
mkdir -p "$(dirname "$conf")"
cat > "$conf.new" <<'CONF'
# Written by docker/standins/setup-podman.sh (the IKM platform's compose tests).
[containers]
default_ulimits = ["nofile=16384:16384", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
mv "$conf.new" "$conf"
podman info --format '• podman {{.Version.Version}}: runtime {{.Host.OCIRuntime.Name}}, cgroups {{.Host.CgroupManager}}, network {{.Host.NetworkBackend}}'
