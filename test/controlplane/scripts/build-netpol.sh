#!/usr/bin/env bash
# Builds the local cluster's NetworkPolicy enforcer (sigs.k8s.io/kube-network-policies, run as a host
# process of the real node) from the committed wrapper module netpol/ into the cache outside the
# repository: stamp check (exit at once on a hit), go mod download, `go build`, a start-up check.
# Usage: build-netpol.sh [--print-bin-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../versions.env
. "$here/versions.env"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/anylog-operator"
bin_dir="$cache_root/kube-network-policies-$NETPOL_VERSION/bin"
if [ "${1:-}" = "--print-bin-dir" ]; then echo "$bin_dir"; exit 0; fi

mod_dir="$here/netpol"
ldflags="-s -w"
stamp="$(
  {
    sha256sum "$mod_dir/go.mod" "$mod_dir/go.sum" "$mod_dir/main.go" | awk '{print $1}'
    go version
    echo "$ldflags"
  } | sha256sum | awk '{print $1}'
)"
if [ -f "$bin_dir/.stamp" ] && [ "$(cat "$bin_dir/.stamp")" = "$stamp" ] && [ -x "$bin_dir/kube-network-policies" ]; then
  echo "build-netpol: kube-network-policies $NETPOL_VERSION is up to date in $bin_dir"
  exit 0
fi

# versions.env is the one place for the version; the wrapper's go.mod must require the same one.
required="$(awk '$1=="sigs.k8s.io/kube-network-policies" {print $2; exit}' "$mod_dir/go.mod")"
if [ "$required" != "$NETPOL_VERSION" ]; then
  echo "build-netpol: netpol/go.mod requires sigs.k8s.io/kube-network-policies ${required:-(none)}," \
    "versions.env says $NETPOL_VERSION; run 'go get sigs.k8s.io/kube-network-policies@$NETPOL_VERSION &&" \
    "go mod tidy' in $mod_dir" >&2
  exit 1
fi

echo "build-netpol: building kube-network-policies $NETPOL_VERSION into $bin_dir"
start="$(date +%s)"
cd "$mod_dir"
go mod download
mkdir -p "$bin_dir"
rm -f "$bin_dir/.stamp"
CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$bin_dir/kube-network-policies" .

# The wrapper refuses to start without its two required flags: proof the binary runs at all.
if "$bin_dir/kube-network-policies" >/dev/null 2>&1; then
  echo "build-netpol: kube-network-policies started without --kubeconfig; expected a usage error" >&2
  exit 1
fi
echo "$stamp" >"$bin_dir/.stamp"
echo "build-netpol: built in $(($(date +%s) - start)) s into $bin_dir"
