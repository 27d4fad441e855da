# Sourced by the benchmarks with ROOT and DIR set (and PROGRAMS: paths below
# BUILD of more programs the benchmark runs, when it needs more than the
# server). Checks the native build, starts (or reuses) the private MariaDB in
# DIR and sets BUILD, SERVER, USERNAME and PASSWORD (the benchmark's staff
# user), URL, PORT, STARTED_MARIADB (1 when this run started it, so the
# caller's cleanup stops it), sql(), migrate_and_seed() and add_bench_user().
BUILD=${BUILD:-$ROOT/build/native}
SERVER=$BUILD/backend/invites-server
USERNAME=bench
PASSWORD=bench-password-not-secret
for program in "$SERVER" "${PROGRAMS[@]/#/$BUILD/}"; do
  [[ -x $program ]] || { echo "build first: cmake --build --preset native ($program is missing)" >&2; exit 1; }
done

mkdir -p "$DIR"
STARTED_MARIADB=0
"$ROOT/scripts/mariadb-private.sh" url "$DIR" >/dev/null 2>&1 || STARTED_MARIADB=1
URL=$("$ROOT/scripts/mariadb-private.sh" start "$DIR" | tail -n 1)
PORT=$(cat "$DIR/port")
sql() { mariadb --no-defaults -h 127.0.0.1 -P "$PORT" -u root -N -B invites "$@"; }

# migrate_and_seed ACCOUNTS: the schema up to date and ACCOUNTS accounts of
# seed 1; a database already holding that many is kept (seeding a million
# takes minutes), one holding another count is seeded again.
migrate_and_seed() {
  local accounts=$1 have start
  "$SERVER" migrate --db "$URL" >/dev/null 2>&1
  have=$(sql -e "SELECT COUNT(*) FROM accounts")
  if [[ $have == "$accounts" ]]; then
    echo "reusing the seeded database ($have accounts)"
    return 0
  fi
  echo "seeding $accounts accounts (the database has $have)..."
  local replace=()
  [[ $have != 0 ]] && replace=(--replace)
  start=$(date +%s.%N)
  "$SERVER" seed --db "$URL" --accounts "$accounts" --seed 1 "${replace[@]}" 2>/dev/null
  printf 'seed time: %.1f s\n' "$(echo "$(date +%s.%N) - $start" | bc)"
}

# add_bench_user DIVISIONS: the staff user USERNAME with PASSWORD, granted
# DIVISIONS (comma-separated ids).
add_bench_user() {
  printf '%s\n' "$PASSWORD" |
    "$SERVER" user add --db "$URL" --username "$USERNAME" --password-stdin --grant "$1" >/dev/null 2>&1
}
