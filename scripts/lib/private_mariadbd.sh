# Sourced by scripts/mariadb-private.sh and scripts/galera-private.sh: what
# both need to run private mariadbd processes on loopback.

# Fails with a message prefixed by the calling script's name.
die() {
  printf '%s: %s\n' "$(basename "$0" .sh)" "$*" >&2
  exit 1
}

# mariadbd refuses to run as root unless told to; as another user it needs nothing.
RUN_AS=()
((EUID == 0)) && RUN_AS=(--user=root)

# The options every private server gets: loopback only, no name lookups, the
# tables' character set, small memory, and a commit flushed once a second
# (test and development data: a crash may lose the last second).
PRIVATE_MARIADBD_OPTIONS=(
  --bind-address=127.0.0.1 --skip-name-resolve --max-connections=200
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
  --innodb-log-file-size=64M --innodb-flush-log-at-trx-commit=2
)

port_is_free() {
  [[ -z $(ss -Hltn "sport = :$1") ]]
}

# A port nobody listens on and not among the arguments (ports this start has
# already chosen). It is taken below the kernel's ephemeral range, so neither an
# outgoing connection nor a test server listening on port 0 can be handed it
# between this check and mariadbd's bind. Another private server may still
# take it first: the callers detect that from the log and start again.
pick_free_port() {
  local port attempt taken ephemeral_low lowest=10000
  read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range
  ((ephemeral_low > lowest + 1000)) || die "the ephemeral port range starts at $ephemeral_low; need room below it"
  for attempt in $(seq 1 100); do
    port=$((lowest + (RANDOM * 32768 + RANDOM) % (ephemeral_low - lowest)))
    taken=0
    for used in "$@"; do [[ $used == "$port" ]] && taken=1; done
    if ((!taken)) && port_is_free "$port"; then
      printf '%s' "$port"
      return 0
    fi
  done
  die "found no free loopback port after $attempt attempts"
}

# The pid in PID_FILE if that process is a live mariadbd. The command name is
# checked so that a stale pid file whose number was reused is ignored.
live_mariadbd_pid() {
  local pid_file=$1 pid
  [[ -f $pid_file ]] || return 1
  pid=$(<"$pid_file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == mariadbd ]] || return 1
  printf '%s' "$pid"
}

# The last lines of a server's log on stderr, where a failed start says why.
print_log_tail() {
  local log=$1 lines=${2:-25}
  if [[ -f $log ]]; then
    printf -- '--- last lines of %s ---\n' "$log" >&2
    tail -n "$lines" "$log" >&2
  fi
}

# Waits up to TIMEOUT seconds for process PID (already asked to stop) to
# exit; otherwise prints the tail of LOG, kills it and returns 1.
wait_for_exit() {
  local pid=$1 timeout=$2 log=$3
  local deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      print_log_tail "$log"
      kill -KILL "$pid" 2>/dev/null || true
      return 1
    fi
    sleep 0.1
  done
}

# Unix socket paths are limited to 107 bytes; a deep build tree would exceed
# that, so long paths get a socket in /tmp named after a hash of the folder.
socket_path_for() {
  local dir=$1 path=$1/mariadbd.sock
  if ((${#path} > 100)); then
    path=/tmp/invites-mariadb-$(printf '%s' "$dir" | md5sum | cut -c1-12).sock
  fi
  printf '%s' "$path"
}

# Creates the system tables in DATADIR (nothing when they exist). Temporary
# tables go to TMPDIR, a folder of each server's own: in a shared /tmp,
# servers bootstrapping at the same time delete each other's
# '#sql-temptable-*' files and the install fails.
install_system_tables() {
  local datadir=$1 tmpdir=$2 install_log=$3
  [[ -d $datadir/mysql ]] && return 0
  rm -rf "$datadir"
  mkdir -p "$tmpdir"
  if ! mariadb-install-db --no-defaults --datadir="$datadir" --tmpdir="$tmpdir" \
      --auth-root-authentication-method=normal --skip-test-db \
      "${RUN_AS[@]}" >"$install_log" 2>&1; then
    # The cause is near the top; the rest is generic advice.
    head -n 12 "$install_log" >&2
    rm -rf "$datadir"
    die "mariadb-install-db failed (full output in $install_log)"
  fi
}
