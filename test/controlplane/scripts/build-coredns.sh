#!/usr/bin/env bash
# Builds the local cluster's DNS server, a CoreDNS with only the plugins main.go imports, from the
# committed wrapper module coredns/ into the cache outside the repository: stamp check (exit at once on
# a hit), go mod download, `go build`, version check.
# Usage: build-coredns.sh [--print-bin-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../versions.env
. "$here/versions.env"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/anylog-operator"
bin_dir="$cache_root/coredns-$COREDNS_VERSION/bin"
if [ "${1:-}" = "--print-bin-dir" ]; then echo "$bin_dir"; exit 0; fi

mod_dir="$here/coredns"
ldflags="-s -w"
stamp="$(
  {
    sha256sum "$mod_dir/go.mod" "$mod_dir/go.sum" "$mod_dir/main.go" | awk '{print $1}'
    go version
    echo "$ldflags"
  } | sha256sum | awk '{print $1}'
)"
if [ -f "$bin_dir/.stamp" ] && [ "$(cat "$bin_dir/.stamp")" = "$stamp" ] && [ -x "$bin_dir/coredns" ]; then
  echo "build-coredns: coredns $COREDNS_VERSION is up to date in $bin_dir"
  exit 0
fi

# versions.env is the one place for the version; the wrapper's go.mod must require the same one.
required="$(awk '$1=="require" && $2=="github.com/coredns/coredns" {print $3; exit}
  $1=="github.com/coredns/coredns" {print $2; exit}' "$mod_dir/go.mod")"
if [ "$required" != "$COREDNS_VERSION" ]; then
  echo "build-coredns: coredns/go.mod requires github.com/coredns/coredns ${required:-(none)}," \
    "versions.env says $COREDNS_VERSION; run 'go get github.com/coredns/coredns@$COREDNS_VERSION &&" \
    "go mod tidy' in $mod_dir" >&2
  exit 1
fi

echo "build-coredns: building CoreDNS $COREDNS_VERSION into $bin_dir"
start="$(date +%s)"
cd "$mod_dir"
go mod download
mkdir -p "$bin_dir"
rm -f "$bin_dir/.stamp"
CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$bin_dir/coredns" .

got="$("$bin_dir/coredns" -version | head -n 1)"
if [ "$got" != "CoreDNS-${COREDNS_VERSION#v}" ]; then
  echo "build-coredns: coredns -version says '$got', expected 'CoreDNS-${COREDNS_VERSION#v}'" >&2
  exit 1
fi
echo "$stamp" >"$bin_dir/.stamp"
echo "build-coredns: built $got in $(($(date +%s) - start)) s into $bin_dir"
