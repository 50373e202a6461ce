#!/usr/bin/env bash
# npm run demo: a local anylog-node master on loopback with a throwaway PostgreSQL ledger.
# Runs setup, starts PostgreSQL (test/controlplane/src/with-cluster.ts --no-cluster), boots the built-in
# master deployment, prints `get status`, `get processes` and `blockchain get master` over REST, then stops.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--inner" ]]; then
  echo "==> setup"
  SKIP_CONTROLPLANE="${SKIP_CONTROLPLANE:-1}" bash scripts/setup.sh
  echo "==> starting a throwaway PostgreSQL"
  exec npx --no-install tsx test/controlplane/src/with-cluster.ts --no-cluster -- bash scripts/demo.sh --inner
fi

: "${ANYLOG_TEST_PG_URL:?PostgreSQL URL missing}"
TCP_PORT="${DEMO_TCP_PORT:-42048}"
REST_PORT="${DEMO_REST_PORT:-42049}"
HOME_DIR="$(mktemp -d "${TMPDIR:-/tmp}/anylog-demo.XXXXXX")"
# postgresql://user:password@host:port/db
PG_REST="${ANYLOG_TEST_PG_URL#*://}"
PG_CRED="${PG_REST%%@*}"
PG_HOSTPORT="${PG_REST#*@}"
PG_HOSTPORT="${PG_HOSTPORT%%/*}"
export NODE_TYPE=master NODE_NAME=demo-master COMPANY_NAME="Demo Company"
export INTERNAL_IP=127.0.0.1 EXTERNAL_IP=127.0.0.1 TCP_BIND=true REST_BIND=true
export ANYLOG_SERVER_PORT="$TCP_PORT" ANYLOG_REST_PORT="$REST_PORT" ANYLOG_PATH="$HOME_DIR"
export DB_TYPE=psql DB_USER="${PG_CRED%%:*}" DB_PASSWD="${PG_CRED#*:}" DB_IP="${PG_HOSTPORT%%:*}" DB_PORT="${PG_HOSTPORT##*:}"
export DB_NAME=anylog_demo LOG_LEVEL=warn

echo "==> starting anylog-node (built-in master) on 127.0.0.1:$TCP_PORT (TCP) and :$REST_PORT (REST), home $HOME_DIR"
npx --no-install anylog-node >"$HOME_DIR/node.out" 2>"$HOME_DIR/node.err" </dev/null &
NODE_PID=$!
cleanup() {
  kill -TERM "$NODE_PID" 2>/dev/null || true
  wait "$NODE_PID" 2>/dev/null || true
  rm -rf "$HOME_DIR"
}
trap cleanup EXIT

rest() {
  curl -sS --max-time 10 -H 'User-Agent: AnyLog/1.23' -H "command: $1" "http://127.0.0.1:$REST_PORT/"
}

echo "==> waiting for REST"
for _ in $(seq 1 60); do
  if rest 'get status' >/dev/null 2>&1; then break; fi
  if ! kill -0 "$NODE_PID" 2>/dev/null; then
    echo "anylog-node exited early:"; cat "$HOME_DIR/node.out" "$HOME_DIR/node.err"; exit 1
  fi
  sleep 0.5
done

echo "==> waiting for the boot script (sync running, master policy in the local ledger)"
for _ in $(seq 1 60); do
  if [[ "$(rest 'blockchain get master' 2>/dev/null || true)" == *'"master"'* ]]; then break; fi
  if ! kill -0 "$NODE_PID" 2>/dev/null; then
    echo "anylog-node exited early:"; cat "$HOME_DIR/node.out" "$HOME_DIR/node.err"; exit 1
  fi
  sleep 0.5
done

echo "==> get status"
rest 'get status'; echo
echo "==> get processes"
rest 'get processes'; echo
echo "==> blockchain get master"
rest 'blockchain get master'; echo
echo "==> node console"
cat "$HOME_DIR/node.out"
echo "==> stopping"
