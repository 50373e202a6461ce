#!/usr/bin/env bash
# Installs everything the tests and the demo need on a fresh machine, idempotently: Debian packages
# (PostgreSQL, etcd, containerd, runc, CNI plugins, buildah, mmdebstrap, ...), npm dependencies (Node 24
# comes from the node@24 devDependency), the Kubernetes binaries, CoreDNS, kube-network-policies, helm/kubectl and the local
# node's images (all cached outside the repo, rebuilt only when their inputs change).
set -euo pipefail
cd "$(dirname "$0")/.."

bash test/controlplane/scripts/ensure-packages.sh

if [ ! -x node_modules/.bin/tsx ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
# tap builds its test class from the plugins .taprc names, but a runner keeps the build it started with:
# without this, the first run after `npm ci` loads the default TypeScript plugin instead of tsx.
if ! grep -q '"@tapjs/tsx/import"' node_modules/@tapjs/test/test-built/dist/esm/index.js 2>/dev/null; then
  echo "setup: tap build (plugins of .taprc)"
  npx tap build >/dev/null
fi

if [ -x test/controlplane/scripts/build.sh ] && [ "${SKIP_CONTROLPLANE:-}" != "1" ]; then
  bash test/controlplane/scripts/build.sh
fi
if [ -x test/controlplane/scripts/build-coredns.sh ] && [ "${SKIP_CONTROLPLANE:-}" != "1" ]; then
  bash test/controlplane/scripts/build-coredns.sh
fi
if [ -x test/controlplane/scripts/build-netpol.sh ] && [ "${SKIP_CONTROLPLANE:-}" != "1" ]; then
  bash test/controlplane/scripts/build-netpol.sh
fi
if [ -x test/controlplane/scripts/install-tools.sh ] && [ "${SKIP_CONTROLPLANE:-}" != "1" ]; then
  bash test/controlplane/scripts/install-tools.sh
fi

echo "setup: building"
npm run --silent build

if [ "${SKIP_CONTROLPLANE:-}" != "1" ]; then
  bash test/controlplane/scripts/build-images.sh
fi
