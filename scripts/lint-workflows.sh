#!/usr/bin/env bash
# Lints the GitHub Actions workflows (.github/workflows) with actionlint, part of `npm run lint`: syntax,
# expressions, action inputs, permissions, and every `run:` script through shellcheck. actionlint comes
# from test/controlplane/scripts/install-tools.sh, shellcheck from Debian (ensure-packages.sh); both are
# required, so a workflow is checked the same way on every machine.
set -euo pipefail
cd "$(dirname "$0")/.."
actionlint="$(bash test/controlplane/scripts/install-tools.sh --print-actionlint)"
if [ ! -x "$actionlint" ]; then
  echo "lint-workflows: no actionlint at $actionlint; run test/controlplane/scripts/install-tools.sh (or scripts/setup.sh)" >&2
  exit 1
fi
if ! shellcheck="$(command -v shellcheck)"; then
  echo "lint-workflows: shellcheck is not installed; run test/controlplane/scripts/ensure-packages.sh (or scripts/setup.sh)" >&2
  exit 1
fi
shopt -s nullglob
workflows=(.github/workflows/*.yaml .github/workflows/*.yml)
if [ "${#workflows[@]}" -eq 0 ]; then
  echo "lint-workflows: no workflow in .github/workflows" >&2
  exit 1
fi
# No pyflakes: no workflow runs Python.
"$actionlint" -shellcheck="$shellcheck" -pyflakes= "${workflows[@]}"
echo "lint-workflows: ${workflows[*]} pass actionlint $("$actionlint" -version | head -n 1) with shellcheck"
