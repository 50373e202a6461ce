#!/usr/bin/env bash
# Runs tap with coverage of src/ (test/coverage-map.mjs) and passes its arguments on.
# tsx leaves the TypeScript text out of the source maps it inlines unless NODE_V8_COVERAGE is set; tap
# records coverage through the inspector, so tsx cannot tell, and the coverage report then maps every
# source file onto an empty text (one line per file). Setting NODE_V8_COVERAGE makes tsx embed the
# sources. Node also writes its own coverage files there, which tap does not use: they go to a directory
# under .tap/ that is emptied before the run and removed after it (and so cannot pile up when a run is
# killed).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
v8dir="$PWD/.tap/v8-coverage"
rm -rf "$v8dir" && mkdir -p "$v8dir" || exit 1
trap 'rm -rf "$v8dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
NODE_V8_COVERAGE="$v8dir" npx tap --coverage-map=test/coverage-map.mjs "$@"
