#!/usr/bin/env bash
# Response compression (issue 15): the recipient CSV of the largest group of
# the demo data (13,783 rows at 10,000 accounts, seed 1), downloaded as a
# browser asks for it (Accept-Encoding: gzip, deflate, br, zstd) and with each
# coding alone: the coding the server chose, bytes on the wire, the server's
# CPU per download and its memory, beside the target (at most twice the CPU
# of gzip -6 on the same bytes; the body streamed, not built whole).
#
#   bench/compression_bench.sh     # ACCOUNTS=10000 RUNS=20
# ACCOUNTS=1000000 BENCH_DIR=build/bench reuses the Load benchmark's database
# (a group's CSV is then ~90 MB). Needs the native build, node and zstd.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${BENCH_DIR:-$ROOT/build/bench-compression}
ACCOUNTS=${ACCOUNTS:-10000}
RUNS=${RUNS:-20}

source "$ROOT/bench/private_mariadb.sh"
source "$ROOT/bench/server_url.sh"

migrate_and_seed "$ACCOUNTS"
add_bench_user 390,120

OUT=$DIR/server.out
"$SERVER" serve --db "$URL" --listen 127.0.0.1:0 --snapshot-refresh-seconds 0 --maildir "$DIR/maildir" \
  >"$OUT" 2>"$DIR/server.log" &
SERVER_PID=$!
cleanup() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  if ((STARTED_MARIADB)); then "$ROOT/scripts/mariadb-private.sh" stop "$DIR" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
BASE=$(server_url "$OUT" "$DIR/server.log")

node "$ROOT/bench/compression_driver.mjs" "$BASE" "$USERNAME" "$PASSWORD" "$RUNS" "$SERVER_PID"
