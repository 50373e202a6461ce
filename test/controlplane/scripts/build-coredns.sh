#!/usr/bin/env bash
# Builds the local cluster's DNS server, a CoreDNS with only the plugins main.go imports, from the
# committed wrapper module coredns/ into the cache outside the repository (go-wrapper.sh: stamp check,
# version check, go mod download, `go build`), then checks the version the binary reports.
# Usage: build-coredns.sh [--print-bin-dir]
set -euo pipefail
# shellcheck source=go-wrapper.sh
. "$(dirname "$0")/go-wrapper.sh"
go_wrapper_start build-coredns "coredns-$COREDNS_VERSION" coredns coredns github.com/coredns/coredns \
  "$COREDNS_VERSION" "$@"

got="$("$bin_dir/coredns" -version | head -n 1)"
if [ "$got" != "CoreDNS-${COREDNS_VERSION#v}" ]; then
  echo "build-coredns: coredns -version says '$got', expected 'CoreDNS-${COREDNS_VERSION#v}'" >&2
  exit 1
fi
go_wrapper_done "$got"
