#!/usr/bin/env bash
# Builds the Kubernetes binaries of the local cluster (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubelet, kube-proxy) from the committed wrapper module kube/ into the cache outside the
# repository: disk check, stamp check (exit at once on a hit), go mod download, one `go build` for all of
# them with the version ldflags, version check.
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
bins=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

stamp="$(
  {
    sha256sum "$here/kube/go.mod" "$here/kube/go.sum" | awk '{print $1}'
    go version
    echo "$ldflags"
    echo "${bins[*]}"
  } | sha256sum | awk '{print $1}'
)"
all_built() {
  local b
  for b in "${bins[@]}"; do [ -x "$bin_dir/$b" ] || return 1; done
}
if [ -f "$bin_dir/.stamp" ] && [ "$(cat "$bin_dir/.stamp")" = "$stamp" ] && all_built; then
  echo "build: ${bins[*]} $K8S_VERSION are up to date in $bin_dir"
  exit 0
fi

mkdir -p "$cache_root"
free_kb="$(df -Pk "$cache_root" | awk 'NR==2{print $4}')"
if [ "$free_kb" -lt $((5 * 1024 * 1024)) ]; then
  echo "build: need at least 5 GB free under $cache_root (have $((free_kb / 1024)) MB); free some space and re-run" >&2
  exit 1
fi

echo "build: building Kubernetes $K8S_VERSION (${bins[*]}) into $bin_dir"
start="$(date +%s)"
cd "$here/kube"
go mod download
mkdir -p "$bin_dir"
rm -f "$bin_dir/.stamp"
pkgs=()
for b in "${bins[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$bin_dir/" "${pkgs[@]}"

for b in "${bins[@]}"; do
  got="$("$bin_dir/$b" --version)"
  if [ "$got" != "Kubernetes $K8S_VERSION" ]; then
    echo "build: $b --version says '$got', expected 'Kubernetes $K8S_VERSION'" >&2
    exit 1
  fi
done
echo "$stamp" >"$bin_dir/.stamp"
echo "build: built $got in $(($(date +%s) - start)) s into $bin_dir"
