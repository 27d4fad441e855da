# Sourced by send_bench.sh and load_bench.sh with ROOT and DIR set: starts
# (or reuses) the private MariaDB in DIR and sets URL, PORT, STARTED_MARIADB
# (1 when this run started it, so the caller's cleanup stops it) and sql().
mkdir -p "$DIR"
STARTED_MARIADB=0
"$ROOT/scripts/mariadb-private.sh" url "$DIR" >/dev/null 2>&1 || STARTED_MARIADB=1
URL=$("$ROOT/scripts/mariadb-private.sh" start "$DIR" | tail -n 1)
PORT=$(cat "$DIR/port")
sql() { mariadb --no-defaults -h 127.0.0.1 -P "$PORT" -u root -N -B invites "$@"; }
