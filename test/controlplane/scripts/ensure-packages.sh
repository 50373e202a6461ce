#!/usr/bin/env bash
# Installs the Debian packages the test control plane needs when they are missing (control-plane.md §1):
# etcd-server, postgresql, lua5.4 and unzip. Idempotent; uses sudo when not root. Never starts services.
set -euo pipefail
need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
[ -d /usr/lib/postgresql ] || need+=(postgresql)
command -v lua5.4 >/dev/null 2>&1 || need+=(lua5.4)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
if [ "${#need[@]}" -eq 0 ]; then
  echo "ensure-packages: etcd-server, postgresql, lua5.4 and unzip are installed"
  exit 0
fi
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
echo "ensure-packages: installing ${need[*]}"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "ensure-packages: installed ${need[*]}"
