#!/usr/bin/env bash
# Scale-out (issue 11): messages per second of one job for 1, 2 and 3
# invites-server processes on a private 3-node Galera cluster (server i on
# node i, behind HAProxy as in deploy/), each with CONNECTIONS SMTP
# connections into one postfix smtp-sink, and Load p50 through HAProxy;
# printed beside the same figures for one server on a single private MariaDB.
#
#   bench/cluster_bench.sh      # ACCOUNTS=20000 CONNECTIONS=8 RUNS=15
# The cluster lives in build/bench-cluster/galera (started and stopped by
# this run), the single MariaDB in build/bench-cluster/single.
# Needs the native build (cmake --build --preset native), node, postfix, haproxy.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build/native}
BENCH=${BENCH_DIR:-$ROOT/build/bench-cluster}
export INVITES_SERVER=$BUILD/backend/invites-server
[[ -x $INVITES_SERVER ]] || { echo "build first: cmake --build --preset native" >&2; exit 1; }

DIR=$BENCH/single
source "$ROOT/bench/private_mariadb.sh"
# HAProxy checks the database with this user (as on the cluster, deploy/README.md).
sql -e "CREATE USER IF NOT EXISTS 'haproxy_check'@'127.0.0.1'"
SINK_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/sbin/smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1024 &
SINK_PID=$!
cleanup() {
  kill "$SINK_PID" 2>/dev/null || true
  wait "$SINK_PID" 2>/dev/null || true
  "$ROOT/scripts/galera-private.sh" stop "$BENCH/galera" >/dev/null 2>&1 || true
  if ((STARTED_MARIADB)); then "$ROOT/scripts/mariadb-private.sh" stop "$DIR" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

echo "starting a 3-node Galera cluster..."
GALERA_URLS=$("$ROOT/scripts/galera-private.sh" start "$BENCH/galera" | paste -sd,)
GALERA_URLS=$GALERA_URLS SINGLE_URL=$URL SINK="smtp://127.0.0.1:$SINK_PORT" node "$ROOT/bench/cluster_bench.mjs"
