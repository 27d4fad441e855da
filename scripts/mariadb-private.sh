#!/usr/bin/env bash
# A private MariaDB server for development and tests: its own data directory,
# socket, log and loopback port under DIR, no system service, no config files
# read (--no-defaults), so it never touches or depends on a system instance.
#
#   scripts/mariadb-private.sh start DIR   # prints mysql://root@127.0.0.1:PORT/invites
#                                          # (a restart reuses PORT if it is free)
#   scripts/mariadb-private.sh stop DIR
#   scripts/mariadb-private.sh url DIR     # prints the URL of the running server
#
# DIR holds: data/ (the datadir), mariadbd.pid, mariadbd.log, port, socket, url.
# `start` on a DIR whose server already runs just prints its URL again.
set -euo pipefail

readonly START_TIMEOUT_SECONDS=30
readonly STOP_TIMEOUT_SECONDS=30
readonly DATABASE=invites

usage() {
  printf 'usage: %s start|stop|url DIR\n' "$(basename "$0")" >&2
  exit 2
}

(($# == 2)) || usage
command=$1
mkdir -p "$2"
DIR=$(cd "$2" && pwd)  # absolute, so the script works from any cwd
DATA=$DIR/data
PID_FILE=$DIR/mariadbd.pid
LOG=$DIR/mariadbd.log
URL_FILE=$DIR/url
PORT_FILE=$DIR/port
SOCKET_FILE=$DIR/socket
# shellcheck source=lib/private_mariadbd.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/private_mariadbd.sh"

SOCKET=$(socket_path_for "$DIR")

log_tail() { print_log_tail "$LOG"; }

server_pid() { live_mariadbd_pid "$PID_FILE"; }

admin() {
  mariadb-admin --no-defaults --socket="$SOCKET" --user=root --connect-timeout=2 "$@"
}

client() {
  mariadb --no-defaults --socket="$SOCKET" --user=root --batch --skip-column-names "$@"
}

TMP_DIR=$DIR/tmp  # each server's own (see install_system_tables)

initialize_datadir() { install_system_tables "$DATA" "$TMP_DIR" "$DIR/install.log"; }

# Starts mariadbd in the background, detached (own session, no inherited
# stdout/stderr) so that a caller such as CTest does not wait for it, and
# without the lock's descriptor, which it would otherwise hold forever.
launch_server() {
  local port=$1
  mkdir -p "$TMP_DIR"
  setsid mariadbd --no-defaults \
    --datadir="$DATA" --socket="$SOCKET" --port="$port" --tmpdir="$TMP_DIR" \
    "${RUN_AS[@]}" --pid-file="$PID_FILE" --log-error="$LOG" \
    "${PRIVATE_MARIADBD_OPTIONS[@]}" --innodb-buffer-pool-size=256M \
    </dev/null >>"$LOG" 2>&1 9>&- &
  printf '%s' "$!"
}

# 0 = answering, 1 = the process died, 2 = timed out.
wait_until_ready() {
  local pid=$1 deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  while ((SECONDS < deadline)); do
    if admin ping >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 2
}

write_url() {
  local port=$1
  printf '%s\n' "$port" >"$PORT_FILE"
  printf '%s\n' "$SOCKET" >"$SOCKET_FILE"
  printf 'mysql://root@127.0.0.1:%s/%s\n' "$port" "$DATABASE" >"$URL_FILE"
}

create_database() {
  client -e "CREATE DATABASE IF NOT EXISTS \`$DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" ||
    die "could not create database $DATABASE"
}

start() {
  if server_pid >/dev/null; then
    # Already running (perhaps from a start that was interrupted before it
    # wrote the URL): ask the server for its port instead of trusting files.
    admin ping >/dev/null 2>&1 || die "a server is running for $DIR but does not answer; run: $0 stop $DIR"
    create_database
    write_url "$(client -e 'SELECT @@port')"
    cat "$URL_FILE"
    return 0
  fi
  # A restart keeps the previous port when it is still free, so clients that
  # know the URL (a running invites-server) can reconnect.
  local previous_port=""
  [[ -f $PORT_FILE ]] && previous_port=$(<"$PORT_FILE")
  rm -f "$PID_FILE" "$URL_FILE" "$PORT_FILE"
  initialize_datadir

  local attempt port pid status
  for attempt in 1 2 3; do
    if ((attempt == 1)) && [[ $previous_port =~ ^[0-9]+$ ]] && port_is_free "$previous_port"; then
      port=$previous_port
    else
      port=$(pick_free_port)
    fi
    local log_lines_before=0
    [[ -f $LOG ]] && log_lines_before=$(wc -l <"$LOG")
    pid=$(launch_server "$port")
    status=0
    wait_until_ready "$pid" || status=$?
    if ((status == 0)); then
      break
    fi
    if ((status == 1)) && tail -n "+$((log_lines_before + 1))" "$LOG" | grep -q 'Address already in use'; then
      continue  # lost the race for the port: try another one
    fi
    ((status == 2)) && kill "$pid" 2>/dev/null
    log_tail
    if ((status == 2)); then
      die "mariadbd did not answer within ${START_TIMEOUT_SECONDS}s"
    fi
    die "mariadbd exited during start-up"
  done
  ((status == 0)) || { log_tail; die "mariadbd could not bind a free port in $attempt attempts"; }

  create_database
  write_url "$port"
  cat "$URL_FILE"
}

stop() {
  local pid
  if ! pid=$(server_pid); then
    rm -f "$PID_FILE" "$URL_FILE"
    return 0
  fi
  # A clean shutdown flushes InnoDB; the signal is the fallback when the
  # socket does not answer (mariadbd also shuts down cleanly on SIGTERM).
  admin shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  wait_for_exit "$pid" "$STOP_TIMEOUT_SECONDS" "$LOG" ||
    die "mariadbd (pid $pid) did not stop within ${STOP_TIMEOUT_SECONDS}s; killed it"
  rm -f "$PID_FILE" "$URL_FILE"
}

# One start or stop at a time per DIR (two test runs sharing a build tree).
exec 9>"$DIR/lock"
flock 9

case $command in
  start) start ;;
  stop) stop ;;
  url)
    server_pid >/dev/null && [[ -f $URL_FILE ]] || die "no server running for $DIR"
    cat "$URL_FILE"
    ;;
  *) usage ;;
esac
