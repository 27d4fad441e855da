# Sourced by the benchmarks that start invites-server: server_url OUT LOG
# waits (up to 20 s) for the "listening on" line the server prints on OUT and
# prints its URL, or names LOG and fails when the server did not start.
server_url() {
  local out=$1 log=$2 url=
  for _ in $(seq 1 200); do
    url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$out" 2>/dev/null | head -n 1)
    [[ -n $url ]] && break
    sleep 0.1
  done
  [[ -n $url ]] || { echo "server did not start; see $log" >&2; return 1; }
  echo "$url"
}
