#!/bin/sh
# Entry point of the local cluster's PostgreSQL image (scripts/build-images.sh), honouring the environment
# contract of the official `postgres` image that the managed-ledger StatefulSet relies on: POSTGRES_USER
# (default postgres), POSTGRES_PASSWORD (required), POSTGRES_DB (default POSTGRES_USER), PGDATA,
# POSTGRES_INITDB_ARGS. On the first start (no PG_VERSION in PGDATA) it runs initdb with SCRAM-SHA-256,
# the password through a temporary --pwfile, creates POSTGRES_DB, opens pg_hba.conf to password logins
# from anywhere (trust on the local socket) and listens on all addresses; then it execs the server as
# PID 1. Started as root it drops to postgres (uid 999) first.
set -eu

if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
if [ "${1:-}" != postgres ]; then exec "$@"; fi

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql && chmod 0700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

# Under fsGroup the volume root is group-writable (setgid), so the user can create PGDATA below it.
mkdir -p "$PGDATA"
chmod 0700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "docker-entrypoint.sh: POSTGRES_PASSWORD must be set for the first start" >&2
    exit 1
  fi
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  printf '%s\n' "$POSTGRES_PASSWORD" >"$tmp/pw" # printf is a builtin: the password is on no command line
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as in the official image
  initdb --username="$user" --pwfile="$tmp/pw" --auth-local=trust --auth-host=scram-sha-256 \
    ${POSTGRES_INITDB_ARGS:-} >/dev/null
  rm -f "$tmp/pw"
  printf '%s\n' 'local all all trust' 'host all all 0.0.0.0/0 scram-sha-256' \
    'host all all ::/0 scram-sha-256' >"$PGDATA/pg_hba.conf"
  printf '%s\n' "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  if [ "$db" != postgres ]; then
    # A server on a private socket only, for CREATE DATABASE; psql quotes the name (:"db").
    pg_ctl -D "$PGDATA" -w -s -o "-c listen_addresses='' -c unix_socket_directories='$tmp'" start
    psql -X -q -v ON_ERROR_STOP=1 -h "$tmp" -U "$user" -d postgres --set db="$db" <<'SQL'
CREATE DATABASE :"db";
SQL
    pg_ctl -D "$PGDATA" -w -s -m fast stop
  fi
  rm -rf "$tmp"
  trap - EXIT
  echo "docker-entrypoint.sh: initialized $PGDATA (user $user, database $db)"
fi
exec "$@"
