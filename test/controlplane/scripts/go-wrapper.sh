# Sourced by the build scripts of the local cluster's Go wrapper modules (build-coredns.sh, build-netpol.sh).
# A wrapper is a committed module under test/controlplane/<dir>/ that builds one binary into the cache
# outside the repository. The build is skipped when the stamp of its sources, the Go toolchain and the link
# flags is unchanged, and refused when go.mod requires another version than versions.env names.
# shellcheck shell=bash

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../versions.env
. "$here/versions.env"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/anylog-operator"
ldflags="-s -w"

# go_wrapper_start TAG CACHE_NAME MODULE_DIR BINARY GO_MODULE VERSION [--print-bin-dir]
# Sets bin_dir, mod_dir, binary, stamp and start. Exits at once for --print-bin-dir or an up-to-date build.
go_wrapper_start() {
  tag="$1" bin_dir="$cache_root/$2/bin" mod_dir="$here/$3" binary="$4"
  local go_module="$5" version="$6"
  if [ "${7:-}" = "--print-bin-dir" ]; then
    echo "$bin_dir"
    exit 0
  fi
  stamp="$(
    {
      sha256sum "$mod_dir/go.mod" "$mod_dir/go.sum" "$mod_dir/main.go" | awk '{print $1}'
      go version
      echo "$ldflags"
    } | sha256sum | awk '{print $1}'
  )"
  if [ -f "$bin_dir/.stamp" ] && [ "$(cat "$bin_dir/.stamp")" = "$stamp" ] && [ -x "$bin_dir/$binary" ]; then
    echo "$tag: $binary $version is up to date in $bin_dir"
    exit 0
  fi
  # versions.env is the one place for the version; the wrapper's go.mod must require the same one.
  local required
  required="$(awk -v m="$go_module" '$1=="require" && $2==m {print $3; exit}
    $1==m {print $2; exit}' "$mod_dir/go.mod")"
  if [ "$required" != "$version" ]; then
    echo "$tag: $3/go.mod requires $go_module ${required:-(none)}, versions.env says $version;" \
      "run 'go get $go_module@$version && go mod tidy' in $mod_dir" >&2
    exit 1
  fi
  echo "$tag: building $binary $version into $bin_dir"
  start="$(date +%s)"
  (
    cd "$mod_dir" || exit 1
    go mod download
    mkdir -p "$bin_dir"
    rm -f "$bin_dir/.stamp"
    CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$bin_dir/$binary" .
  )
}

# go_wrapper_done [WHAT]: records the stamp once the caller's own check of the binary passed.
go_wrapper_done() {
  echo "$stamp" >"$bin_dir/.stamp"
  echo "$tag: built ${1:-$binary} in $(($(date +%s) - start)) s into $bin_dir"
}
