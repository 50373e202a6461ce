#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager from the committed wrapper module kube/ into the
# cache outside the repository (control-plane.md §4.4): disk check, stamp check (exit at once on a hit),
# go mod download, one `go build` for both binaries with the mandatory version ldflags, version check.
# Usage: build.sh [--print-bin-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../versions.env
. "$here/versions.env"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/anylog-operator"
bin_dir="$cache_root/k8s-$K8S_VERSION/bin"
if [ "${1:-}" = "--print-bin-dir" ]; then echo "$bin_dir"; exit 0; fi

minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitCommit=$GIT_COMMIT -X $pkg.gitTreeState=clean -X $pkg.buildDate=$BUILD_DATE"
done
ldflags="-s -w$ldflags"

stamp="$(
  {
    sha256sum "$here/kube/go.mod" "$here/kube/go.sum" | awk '{print $1}'
    go version
    echo "$ldflags"
  } | sha256sum | awk '{print $1}'
)"
if [ -f "$bin_dir/.stamp" ] && [ "$(cat "$bin_dir/.stamp")" = "$stamp" ] \
  && [ -x "$bin_dir/kube-apiserver" ] && [ -x "$bin_dir/kube-controller-manager" ]; then
  echo "build: kube-apiserver and kube-controller-manager $K8S_VERSION are up to date in $bin_dir"
  exit 0
fi

mkdir -p "$cache_root"
free_kb="$(df -Pk "$cache_root" | awk 'NR==2{print $4}')"
if [ "$free_kb" -lt $((5 * 1024 * 1024)) ]; then
  echo "build: need at least 5 GB free under $cache_root (have $((free_kb / 1024)) MB); free some space and re-run" >&2
  exit 1
fi

echo "build: building Kubernetes $K8S_VERSION (kube-apiserver, kube-controller-manager) into $bin_dir"
start="$(date +%s)"
cd "$here/kube"
go mod download
mkdir -p "$bin_dir"
rm -f "$bin_dir/.stamp"
CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$bin_dir/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager

got="$("$bin_dir/kube-apiserver" --version)"
if [ "$got" != "Kubernetes $K8S_VERSION" ]; then
  echo "build: kube-apiserver --version says '$got', expected 'Kubernetes $K8S_VERSION'" >&2
  exit 1
fi
got_kcm="$("$bin_dir/kube-controller-manager" --version)"
if [ "$got_kcm" != "Kubernetes $K8S_VERSION" ]; then
  echo "build: kube-controller-manager --version says '$got_kcm', expected 'Kubernetes $K8S_VERSION'" >&2
  exit 1
fi
echo "$stamp" >"$bin_dir/.stamp"
echo "build: built $got in $(($(date +%s) - start)) s into $bin_dir"
