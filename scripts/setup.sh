#!/usr/bin/env bash
# Installs everything the tests and the demo need on a fresh machine, idempotently:
# Debian packages (PostgreSQL, etcd, lua, unzip), npm dependencies (Node 24 comes from the node@24
# devDependency), the test control-plane binaries and helm/kubectl (cached outside the repo).
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=()
[ -d /usr/lib/postgresql ] || need_pkgs+=(postgresql)
command -v etcd >/dev/null 2>&1 || need_pkgs+=(etcd-server)
command -v lua5.4 >/dev/null 2>&1 || need_pkgs+=(lua5.4)
command -v unzip >/dev/null 2>&1 || need_pkgs+=(unzip)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_pkgs[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

if [ ! -x node_modules/.bin/tsx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ -x test/controlplane/scripts/build.sh ] && [ "${SKIP_CONTROLPLANE:-}" != "1" ]; then
  bash test/controlplane/scripts/build.sh
fi
if [ -x test/controlplane/scripts/install-tools.sh ] && [ "${SKIP_CONTROLPLANE:-}" != "1" ]; then
  bash test/controlplane/scripts/install-tools.sh
fi

echo "setup: building"
npm run --silent build
