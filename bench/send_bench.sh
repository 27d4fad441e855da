#!/usr/bin/env bash
# Sending throughput (docs/design.md §8: durable per recipient, ≥ 50% of postfix
# `smtp-source -d -s 4` on the same machine in the same run). A private
# MariaDB in build/bench-send seeded with ACCOUNTS accounts (about 100,000
# recipients), postfix smtp-sink on a free port, then:
#   1. invites-server sending one job to every recipient (new users and
#      pending invites) through CONNECTIONS SMTP connections (--smtp-concurrency),
#      each outcome committed per recipient;
#   2. smtp-source -d -s 4 -m N -l SIZE: N messages of the size of one real
#      invitation (measured first through a Maildir), as docs/design.md §8 names it,
#      and with -s CONNECTIONS too when that is not 4 (same connection count);
# and prints messages/s of each and the ratios.
#
#   bench/send_bench.sh     # ACCOUNTS=68000 CONNECTIONS=16 FLUSH=1
# Each worker waits for its message's commit before its next one (the docs/design.md §6
# window), and workers share commits, so more connections mean more messages
# per disk flush: CONNECTIONS is the knob that matters on a slow disk.
# FLUSH is MariaDB's innodb_flush_log_at_trx_commit for the send (1: every
# commit reaches the disk; the private test server otherwise runs with 2).
# Needs the native build (cmake --build --preset native), node and postfix.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${BENCH_DIR:-$ROOT/build/bench-send}
ACCOUNTS=${ACCOUNTS:-68000}
CONNECTIONS=${CONNECTIONS:-16}
FLUSH=${FLUSH:-1}
FROM=bench-sender@haul.example.com

source "$ROOT/bench/private_mariadb.sh"
source "$ROOT/bench/server_url.sh"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  sql -e "SET GLOBAL innodb_flush_log_at_trx_commit = 2" 2>/dev/null || true
  if ((STARTED_MARIADB)); then "$ROOT/scripts/mariadb-private.sh" stop "$DIR" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

"$SERVER" migrate --db "$URL" >/dev/null 2>&1
# Every run starts from freshly seeded data: the outbox and invitations of
# earlier runs would otherwise pile up (a gigabyte after ten runs, beyond the
# private server's buffer pool) and make each run slower than the one before.
echo "seeding $ACCOUNTS accounts..."
"$SERVER" seed --db "$URL" --accounts "$ACCOUNTS" --seed 1 --replace >/dev/null 2>&1
# Replacing the data leaves InnoDB millions of old row versions to purge;
# done during the job, that work would be counted against sending.
for _ in $(seq 1 300); do
  history=$(sql -e "SELECT COUNT FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len'")
  ((history < 1000)) && break
  sleep 1
done
# The previous run's job leaves its 100,000 invitations and outbox rows in
# InnoDB's statistics; without this the plans of one run depend on the run
# before it. Fresh statistics describe the data a first job starts on.
sql -e "ANALYZE TABLE portal_users, portal_invites, send_outbox" >/dev/null
add_bench_user 390

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# serve ARGS...: starts invites-server, sets BASE.
serve() {
  local out=$DIR/server.out
  : >"$out"
  "$SERVER" serve --db "$URL" --listen 127.0.0.1:0 --snapshot-refresh-seconds 0 --allowed-senders "$FROM" "$@" \
    >"$out" 2>>"$DIR/server.log" &
  SERVE_PID=$!
  PIDS+=("$SERVE_PID")
  BASE=$(server_url "$out" "$DIR/server.log")
}
stop_serve() { kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; }

# The size of one real invitation.
rm -rf "$DIR/size-maildir"
serve --maildir "$DIR/size-maildir"
SIZE=$(MAILDIR="$DIR/size-maildir" node "$ROOT/bench/send_driver.mjs" "$BASE" "$USERNAME" "$PASSWORD" "$FROM" |
       sed -n 's/^message_bytes //p')
stop_serve

SINK_PORT=$(free_port)
/usr/sbin/smtp-sink -u nobody "127.0.0.1:$SINK_PORT" 1024 &
SINK_PID=$!
PIDS+=("$SINK_PID")
sleep 0.5

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
MARIADB_PID=$(cat "$DIR/mariadbd.pid")

serve --smtp "smtp://127.0.0.1:$SINK_PORT" --smtp-concurrency "$CONNECTIONS"
sql -e "SET GLOBAL innodb_flush_log_at_trx_commit = $FLUSH"
mariadb_cpu_before=$(cpu_seconds "$MARIADB_PID")
result=$(node "$ROOT/bench/send_driver.mjs" "$BASE" "$USERNAME" "$PASSWORD" "$FROM")
MARIADB_CPU=$(echo "$(cpu_seconds "$MARIADB_PID") - $mariadb_cpu_before" | bc)
SERVER_CPU=$(cpu_seconds "$SERVE_PID")
stop_serve
RECIPIENTS=$(sed -n 's/^recipients //p' <<<"$result")
SEND_SECONDS=$(sed -n 's/^seconds //p' <<<"$result")
CREATION_SECONDS=$(sed -n 's/^creation_seconds //p' <<<"$result")
SENDING_SECONDS=$(sed -n 's/^sending_seconds //p' <<<"$result")

# smtp_source SESSIONS: seconds smtp-source takes for RECIPIENTS messages.
smtp_source() {
  local t0
  t0=$(date +%s.%N)
  /usr/sbin/smtp-source -d -s "$1" -m "$RECIPIENTS" -l "$SIZE" -f "$FROM" -t bench@bench.example \
    "127.0.0.1:$SINK_PORT"
  echo "$(date +%s.%N) - $t0" | bc
}
rate() { echo "$RECIPIENTS / $1" | bc -l; }

SOURCE_SECONDS=$(smtp_source 4)
SAME_SECONDS=$SOURCE_SECONDS
((CONNECTIONS == 4)) || SAME_SECONDS=$(smtp_source "$CONNECTIONS")
# The floor: the server's own SMTP transport (libcurl) with nothing else, and
# what smtp-sink spends per message meanwhile (docs/design.md §8).
sink_cpu_before=$(cpu_seconds "$SINK_PID")
TRANSPORT=$("$BUILD/bench/smtp_transport_bench" "smtp://127.0.0.1:$SINK_PORT" "$CONNECTIONS" "$RECIPIENTS" "$SIZE")
SINK_CPU=$(echo "$(cpu_seconds "$SINK_PID") - $sink_cpu_before" | bc)

printf 'message size: %s bytes; innodb_flush_log_at_trx_commit=%s\n' "$SIZE" "$FLUSH"
printf 'smtp-source -d -s 4: %s messages in %.2f s = %.0f messages/s\n' "$RECIPIENTS" "$SOURCE_SECONDS" \
  "$(rate "$SOURCE_SECONDS")"
((CONNECTIONS == 4)) || printf 'smtp-source -d -s %s: %s messages in %.2f s = %.0f messages/s\n' "$CONNECTIONS" \
  "$RECIPIENTS" "$SAME_SECONDS" "$(rate "$SAME_SECONDS")"
printf 'invites-server job, %s SMTP connections: %s recipients in %.2f s = %.0f messages/s (durable per recipient)\n' \
  "$CONNECTIONS" "$RECIPIENTS" "$SEND_SECONDS" "$(rate "$SEND_SECONDS")"
printf '  of which creating the job %.2f s, sending (first claim to last record, whole seconds) %.0f s = %.0f messages/s\n' \
  "$CREATION_SECONDS" "$SENDING_SECONDS" "$(rate "$SENDING_SECONDS")"
# Where the time goes: CPU per message of the database and of the server
# (the server's figure includes sign-in and Load, a few seconds at most).
printf 'CPU per message: MariaDB %.0f us, invites-server %.0f us\n' \
  "$(echo "1000000 * $MARIADB_CPU / $RECIPIENTS" | bc -l)" "$(echo "1000000 * $SERVER_CPU / $RECIPIENTS" | bc -l)"
echo "$TRANSPORT"
printf '  smtp-sink meanwhile: CPU per message %.0f us\n' "$(echo "1000000 * $SINK_CPU / $RECIPIENTS" | bc -l)"
printf 'ratio to smtp-source -d -s 4 (docs/design.md §8): %.0f%% (target >= 50%%)\n' \
  "$(echo "100 * $SOURCE_SECONDS / $SEND_SECONDS" | bc -l)"
((CONNECTIONS == 4)) || printf 'ratio to smtp-source -d -s %s (same connections): %.0f%%\n' "$CONNECTIONS" \
  "$(echo "100 * $SAME_SECONDS / $SEND_SECONDS" | bc -l)"
