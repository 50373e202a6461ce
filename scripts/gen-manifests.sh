#!/usr/bin/env bash
# npm run gen:manifests: chart values schema, chart CRD copy, manifests/install.yaml, and the generated
# configuration reference (docs/reference/) when its generator exists.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsx scripts/gen-manifests.ts
if grep -q '"docs"' src/bin/anylog-operator.ts 2>/dev/null || grep -q "'docs'" src/bin/anylog-operator.ts 2>/dev/null; then
  npx tsx src/bin/anylog-operator.ts docs --write
fi
