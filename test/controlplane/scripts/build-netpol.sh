#!/usr/bin/env bash
# Builds the local cluster's NetworkPolicy enforcer (sigs.k8s.io/kube-network-policies, run as a host
# process of the real node) from the committed wrapper module netpol/ into the cache outside the
# repository (go-wrapper.sh: stamp check, version check, go mod download, `go build`), then checks that
# the binary starts.
# Usage: build-netpol.sh [--print-bin-dir]
set -euo pipefail
# shellcheck source=go-wrapper.sh
. "$(dirname "$0")/go-wrapper.sh"
go_wrapper_start build-netpol "kube-network-policies-$NETPOL_VERSION" netpol kube-network-policies \
  sigs.k8s.io/kube-network-policies "$NETPOL_VERSION" "$@"

# The wrapper refuses to start without its two required flags: proof the binary runs at all.
if "$bin_dir/kube-network-policies" >/dev/null 2>&1; then
  echo "build-netpol: kube-network-policies started without --kubeconfig; expected a usage error" >&2
  exit 1
fi
go_wrapper_done
