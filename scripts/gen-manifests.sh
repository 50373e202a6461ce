#!/usr/bin/env bash
# npm run gen:manifests: chart values schema, chart CRD copy, manifests/install.yaml, and the generated
# configuration reference (docs/reference/) when its generator exists.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsx scripts/gen-manifests.ts
npm run --silent gen:docs
