#!/usr/bin/env bash
# A private 3-node MariaDB Galera Cluster on loopback for tests and
# benchmarks: three mariadbd processes (Debian's, with the galera-4
# provider), each with its own data directory, temporary directory, socket,
# log and free ports under DIR; no system service, no config files read.
#
#   scripts/galera-private.sh start DIR         # a fresh cluster; prints the three node URLs
#   scripts/galera-private.sh stop DIR
#   scripts/galera-private.sh url DIR [N]       # the URLs of the running nodes (or of node N)
#   scripts/galera-private.sh kill-node N DIR   # kill -9 of node N (a crashed database node)
#   scripts/galera-private.sh start-node N DIR  # node N (re)joins the running cluster
#
# Node 1 starts the cluster (--wsrep-new-cluster), nodes 2 and 3 join it one
# after the other and receive its data by state transfer (rsync, whose
# daemon on the joiner runs as nobody: their empty data directories belong
# to nobody:nogroup). A node counts as ready when wsrep_ready is ON and it
# sees the whole cluster. Each URL is mysql://root@127.0.0.1:PORT/invites.
# `start` on a DIR whose cluster runs prints its URLs again; otherwise it
# deletes what an earlier cluster left in DIR (test data only).
#
# DIR holds node1/ node2/ node3/ (data/, tmp/, mariadbd.pid, mariadbd.log,
# ports: "MYSQL GALERA IST SST"), url (one line per node) and
# cluster-address (the gcomm:// address every node joins).
set -euo pipefail

readonly NODES=3
readonly NODE_START_TIMEOUT_SECONDS=90
readonly STOP_TIMEOUT_SECONDS=30
readonly DATABASE=invites
readonly CLUSTER_NAME=invites-private
readonly PROVIDER=/usr/lib/galera/libgalera_smm.so
# The user HAProxy's mysql-check logs in as (deploy/haproxy.cfg.mustache): no
# password, no privileges, loopback only.
readonly CHECK_USER=haproxy_check

usage() {
  printf 'usage: %s start|stop|url DIR [N] | kill-node|start-node N DIR\n' "$(basename "$0")" >&2
  exit 2
}

# shellcheck source=lib/private_mariadbd.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/private_mariadbd.sh"

(($# >= 2)) || usage
command=$1
node_argument=""
case $command in
  kill-node | start-node)
    (($# == 3)) || usage
    node_argument=$2
    directory=$3
    ;;
  url)
    (($# == 2 || $# == 3)) || usage
    directory=$2
    node_argument=${3:-}
    ;;
  *)
    (($# == 2)) || usage
    directory=$2
    ;;
esac
if [[ -n $node_argument ]] && ! [[ $node_argument =~ ^[1-3]$ ]]; then
  die "node must be 1, 2 or 3 (got '$node_argument')"
fi
[[ -f $PROVIDER ]] || die "the Galera provider $PROVIDER is missing (Debian package galera-4)"
mkdir -p "$directory"
DIR=$(cd "$directory" && pwd)  # absolute, so the script works from any cwd
URL_FILE=$DIR/url
ADDRESS_FILE=$DIR/cluster-address

node_dir() { printf '%s/node%s' "$DIR" "$1"; }
node_socket() { socket_path_for "$(node_dir "$1")"; }
node_pid() { live_mariadbd_pid "$(node_dir "$1")/mariadbd.pid"; }
node_log() { printf '%s/mariadbd.log' "$(node_dir "$1")"; }
# "MYSQL GALERA IST SST" of node N, as chosen at its first start.
node_ports() { cat "$(node_dir "$1")/ports"; }
mysql_port() { read -r port _ < <(node_ports "$1") && printf '%s' "$port"; }

client() {
  local node=$1
  shift
  mariadb --no-defaults --socket="$(node_socket "$node")" --user=root --connect-timeout=2 \
    --batch --skip-column-names "$@"
}

status_of() {
  client "$1" -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2
}

# Four distinct free ports per node, none shared between nodes.
choose_ports() {
  local chosen=() node port i
  for node in $(seq 1 "$NODES"); do
    local ports=()
    for i in 1 2 3 4; do
      port=$(pick_free_port "${chosen[@]}")
      chosen+=("$port")
      ports+=("$port")
    done
    mkdir -p "$(node_dir "$node")"
    printf '%s\n' "${ports[*]}" >"$(node_dir "$node")/ports"
  done
  local members=()
  for node in $(seq 1 "$NODES"); do
    read -r _ galera _ _ < <(node_ports "$node")
    members+=("127.0.0.1:$galera")
  done
  local IFS=,
  printf 'gcomm://%s\n' "${members[*]}" >"$ADDRESS_FILE"
}

# Starts node N in the background, detached (own session, no inherited
# descriptors) so that a caller such as CTest does not wait for it; sets
# LAUNCHED_PID.
launch_node() {
  local node=$1 bootstrap=$2 dir
  dir=$(node_dir "$node")
  local mysql galera ist sst
  read -r mysql galera ist sst < <(node_ports "$node")
  local extra=()
  ((bootstrap)) && extra=(--wsrep-new-cluster)
  mkdir -p "$dir/tmp"
  setsid mariadbd --no-defaults \
    --datadir="$dir/data" --socket="$(node_socket "$node")" --port="$mysql" --tmpdir="$dir/tmp" \
    "${RUN_AS[@]}" --pid-file="$dir/mariadbd.pid" --log-error="$dir/mariadbd.log" \
    "${PRIVATE_MARIADBD_OPTIONS[@]}" --innodb-buffer-pool-size=128M \
    --binlog-format=ROW --innodb-autoinc-lock-mode=2 --default-storage-engine=InnoDB \
    --wsrep-on=ON --wsrep-provider="$PROVIDER" \
    --wsrep-cluster-name="$CLUSTER_NAME" --wsrep-node-name="node$node" \
    --wsrep-cluster-address="$(<"$ADDRESS_FILE")" --wsrep-node-address="127.0.0.1:$galera" \
    --wsrep-provider-options="base_port=$galera;gmcast.listen_addr=tcp://127.0.0.1:$galera;ist.recv_addr=127.0.0.1:$ist;gcache.size=64M" \
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$sst" \
    "${extra[@]}" \
    </dev/null >>"$dir/mariadbd.log" 2>&1 9>&- &
  LAUNCHED_PID=$!
}

# Waits until node N is ready and sees `size` nodes; on failure prints its log and dies.
wait_until_ready() {
  local node=$1 size=$2 deadline=$((SECONDS + NODE_START_TIMEOUT_SECONDS))
  local ready members
  while ((SECONDS < deadline)); do
    ready=$(status_of "$node" wsrep_ready || true)
    members=$(status_of "$node" wsrep_cluster_size || true)
    if [[ $ready == ON && $members == "$size" ]]; then
      return 0
    fi
    if ! kill -0 "$LAUNCHED_PID" 2>/dev/null; then
      print_log_tail "$(node_log "$node")" 40
      die "node $node exited during start-up"
    fi
    sleep 0.2
  done
  print_log_tail "$(node_log "$node")" 40
  die "node $node was not ready with $size nodes within ${NODE_START_TIMEOUT_SECONDS}s (wsrep_ready=$ready, wsrep_cluster_size=$members)"
}

# How many nodes run now (their processes).
running_nodes() {
  local count=0 node
  for node in $(seq 1 "$NODES"); do node_pid "$node" >/dev/null && count=$((count + 1)); done
  printf '%s' "$count"
}

write_urls() {
  local node
  : >"$URL_FILE.new"
  for node in $(seq 1 "$NODES"); do
    printf 'mysql://root@127.0.0.1:%s/%s\n' "$(mysql_port "$node")" "$DATABASE" >>"$URL_FILE.new"
  done
  mv "$URL_FILE.new" "$URL_FILE"
}

# An empty data directory the state transfer can write into (rsync's daemon runs as nobody).
prepare_joiner() {
  local dir
  dir=$(node_dir "$1")
  rm -rf "$dir/data"
  mkdir -p "$dir/data" "$dir/tmp"
  chown nobody:nogroup "$dir/data"
  chmod 0750 "$dir/data"
}

start_cluster() {
  local node
  for node in $(seq 1 "$NODES"); do rm -rf "$(node_dir "$node")"; done
  rm -f "$URL_FILE" "$ADDRESS_FILE"
  choose_ports
  install_system_tables "$(node_dir 1)/data" "$(node_dir 1)/tmp" "$(node_dir 1)/install.log"
  launch_node 1 1
  wait_until_ready 1 1
  # Joins one at a time: a donor serves one rsync transfer at once.
  for node in $(seq 2 "$NODES"); do
    prepare_joiner "$node"
    launch_node "$node" 0
    wait_until_ready "$node" "$node"
  done
  client 1 -e "CREATE DATABASE IF NOT EXISTS \`$DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER IF NOT EXISTS '$CHECK_USER'@'127.0.0.1'" || die "could not create the database $DATABASE"
  write_urls
}

start() {
  if (($(running_nodes) == NODES)) && [[ -f $URL_FILE ]]; then
    cat "$URL_FILE"
    return 0
  fi
  local attempt
  for attempt in 1 2 3; do
    stop_all
    # In a subshell, so that a node's failed start (die) comes back here.
    if (start_cluster); then
      cat "$URL_FILE"
      return 0
    fi
    # Only a port taken by another process between choosing it and binding it
    # is worth a second try with new ports; any other failure is final.
    grep -qs 'Address already in use' "$DIR"/node*/mariadbd.log || break
    printf 'galera-private: a chosen port was taken meanwhile; starting again with new ports\n' >&2
  done
  stop_all
  die "the cluster did not start (attempt $attempt)"
}

stop_node() {
  local node=$1 pid
  pid=$(node_pid "$node") || return 0
  # SIGTERM shuts mariadbd down cleanly (and leaves the cluster in order).
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for_exit "$pid" "$STOP_TIMEOUT_SECONDS" "$(node_log "$node")"; then
    printf 'galera-private: node %s (pid %s) did not stop within %ss; killed it\n' \
      "$node" "$pid" "$STOP_TIMEOUT_SECONDS" >&2
  fi
}

stop_all() {
  local node
  # The joiners first, node 1 last.
  for node in $(seq "$NODES" -1 1); do stop_node "$node"; done
  rm -f "$URL_FILE"
}

kill_node() {
  local node=$1 pid
  pid=$(node_pid "$node") || die "node $node is not running"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
}

start_node() {
  local node=$1
  [[ -f $ADDRESS_FILE ]] || die "no cluster was started in $DIR"
  node_pid "$node" >/dev/null && return 0
  local others
  others=$(running_nodes)
  ((others > 0)) || die "no node of the cluster runs: start the whole cluster instead"
  prepare_joiner "$node"
  launch_node "$node" 0
  wait_until_ready "$node" $((others + 1))
}

# One command at a time per DIR (two test runs sharing a build tree).
exec 9>"$DIR/lock"
flock 9

case $command in
  start) start ;;
  stop) stop_all ;;
  url)
    (($(running_nodes) > 0)) && [[ -f $URL_FILE ]] || die "no cluster running in $DIR"
    if [[ -n $node_argument ]]; then sed -n "${node_argument}p" "$URL_FILE"; else cat "$URL_FILE"; fi
    ;;
  kill-node) kill_node "$node_argument" ;;
  start-node) start_node "$node_argument" ;;
  *) usage ;;
esac
