#!/usr/bin/env bash
# The whole test suite (README's test command `npm test`): set-up, static checks, then every tap suite
# with PostgreSQL and the control plane started by test/controlplane/src/with-cluster.ts.
# Ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

failed_checks=0
failed_names=""
for check in typecheck lint depcheck check:drift; do
  echo "== npm run $check"
  if ! npm run --silent "$check"; then
    echo "check failed: $check"
    failed_checks=$((failed_checks + 1))
    failed_names="$failed_names $check"
  fi
done

out="$(mktemp -d)/tap.out"
# Only *.test.ts files are tests (helpers and fixtures live beside them).
mapfile -t files < <(find test/unit test/contract test/integration test/e2e -name '*.test.ts' 2>/dev/null | sort)
echo "== tap: ${#files[@]} test files"
npx tsx test/controlplane/src/with-cluster.ts -- \
  npx tap --reporter=tap --timeout=600 "${files[@]}" | tee "$out"
tap_rc=${PIPESTATUS[0]}
# Repeated at the end so that the tail of a CI log names them.
[ -n "$failed_names" ] && echo "== failed checks:$failed_names"
node scripts/count-tap.mjs "$out" "$failed_checks" "$tap_rc"
