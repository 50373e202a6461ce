#!/usr/bin/env bash
# Checks that the project has one version number (scripts/check-versions.ts), then regenerates every
# generated artefact (CRD, chart CRD copy, values.schema.json, install.yaml, docs reference) and fails when
# the result differs from what is committed, then checks that every file refers only to what the repository
# holds (scripts/check-references.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
# First, on the files as they are: a stale install.yaml is named here before it is regenerated below.
npm run --silent check:versions
generated=()
if [ -f src/api/schema.ts ]; then
  npm run --silent gen:crds
  npm run --silent gen:docs
  generated+=(crds docs/reference)
fi
if [ -d charts/anylog-operator ]; then
  npm run --silent gen:manifests
  generated+=(charts/anylog-operator manifests/install.yaml)
fi
if [ "${#generated[@]}" -eq 0 ]; then
  echo "check:drift: no generated artefacts in this tree"
  exit 0
fi
if ! git diff --exit-code --stat -- "${generated[@]}"; then
  echo "check:drift: generated files differ from the committed ones; run npm run gen:crds / gen:manifests" >&2
  exit 1
fi
untracked=$(git ls-files --others --exclude-standard -- "${generated[@]}")
if [ -n "$untracked" ]; then
  echo "check:drift: generated files not committed: $untracked" >&2
  exit 1
fi
echo "check:drift: ${generated[*]} up to date"
npx tsx scripts/check-references.ts
