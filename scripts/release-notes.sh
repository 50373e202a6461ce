#!/usr/bin/env bash
# Prints the CHANGELOG.md section of one version (the body of the release), from its heading
# `## [X.Y.Z]` or `## X.Y.Z` (a date may follow) to the next `## ` heading. Fails when there is none or
# it is empty, so a version is not released before its changes are written down.
# Usage: release-notes.sh X.Y.Z
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:?usage: release-notes.sh X.Y.Z}"
notes="$(awk -v v="$version" '
  /^## / {
    if (on) exit
    h = $2; gsub(/^\[|\]$/, "", h)
    if (h == v) { on = 1; next }
  }
  on { print }
' CHANGELOG.md)"
if [ -z "${notes//[[:space:]]/}" ]; then
  echo "release-notes: CHANGELOG.md has no section '## [$version]' with content; rename 'Unreleased' to it" >&2
  exit 1
fi
printf '%s\n' "$notes"
