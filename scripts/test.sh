#!/usr/bin/env bash
# The whole test suite (README's test command `npm test`): set-up, static checks, then the tap suites in
# two clusters, each started and torn down by test/controlplane/src/with-cluster.ts:
#   1. unit, contract, integration and e2e suites on a cluster whose pods run as local processes (the pod
#      runner: fast, many pods at once);
#   2. the real-node suites (test/e2e-node) on a cluster with a real kubelet, containerd and the images
#      built from the project's Dockerfile.
# Coverage of src/ is recorded in the first phase only (in the second the code under test runs inside
# containers, out of tap's reach) and checked against the floors of scripts/check-coverage.mjs.
# Ends with one line "N passed, N failed" over both, after the coverage summary.
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

tmp="$(mktemp -d)"
out="$tmp/tap.out"
coverage="$tmp/coverage-summary.json"
# Only *.test.ts files are tests (helpers and fixtures live beside them).
mapfile -t files < <(find test/unit test/contract test/integration test/e2e -name '*.test.ts' 2>/dev/null | sort)
echo "== tap on the process pod runner: ${#files[@]} test files"
# A report left by an earlier run must not stand in for this one's.
rm -rf .tap/report
ANYLOG_CLUSTER_RUNTIME=process npx tsx test/controlplane/src/with-cluster.ts --runtime=process -- \
  bash scripts/tap-coverage.sh --reporter=tap --timeout=600 --coverage-report=json-summary --coverage-report=lcov \
  "${files[@]}" | tee "$out"
tap_rc=${PIPESTATUS[0]}
# Kept aside: the second phase's tap clears .tap/coverage (the HTML report in .tap/report stays).
[ -f .tap/report/coverage-summary.json ] && cp .tap/report/coverage-summary.json "$coverage"

mapfile -t node_files < <(find test/e2e-node -name '*.test.ts' 2>/dev/null | sort)
echo "== tap on the real node (kubelet + containerd): ${#node_files[@]} test files"
# One file at a time: each runs operators, PostgreSQL and AnyLog nodes as containers on two cores.
npx tsx test/controlplane/src/with-cluster.ts --runtime=containerd -- \
  npx tap --reporter=tap --jobs=1 --timeout=1200 --disable-coverage "${node_files[@]}" | tee -a "$out"
node_rc=${PIPESTATUS[0]}
[ "$node_rc" -ne 0 ] && tap_rc=$node_rc

echo "== coverage of src/ by the suites on the process pod runner (HTML: .tap/report/lcov-report/index.html)"
# Through npx: Node 24 from the devDependency (the check uses fs.globSync), whatever the machine's own is.
if ! npx node scripts/check-coverage.mjs "$coverage"; then
  failed_checks=$((failed_checks + 1))
  failed_names="$failed_names coverage"
fi
# Repeated at the end so that the tail of a CI log names them.
[ -n "$failed_names" ] && echo "== failed checks:$failed_names"
node scripts/count-tap.mjs "$out" "$failed_checks" "$tap_rc"
