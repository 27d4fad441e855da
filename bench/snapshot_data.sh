# Sourced by run-snapshot-bench.sh and run-browser-snapshot-bench.sh, from the
# repository's root with the script's arguments: builds the native
# snapshot_bench and generates, once, the snapshot both benchmarks read.
# Sets accounts (default 1,000,000), work (build/bench) and snapshot.
accounts=${1:-1000000}
work=build/bench
mkdir -p "$work"
export NODE_PATH=/usr/share/nodejs

[[ -d build/native ]] || cmake --preset native >/dev/null
[[ -d build/wasm ]] || cmake --preset wasm >/dev/null
cmake --build build/native --target snapshot_bench >/dev/null

# Named by the format version: a file of an older format is not decodable.
version=$(sed -n 's/.*snapshot_format_version = \([0-9]*\);/\1/p' common/include/invites/snapshot_codec.hpp)
snapshot=$work/snapshot-v$version-$accounts.bin
[[ -f $snapshot ]] || build/native/bench/snapshot_bench generate --accounts "$accounts" --out "$snapshot"
