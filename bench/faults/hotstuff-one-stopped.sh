#!/usr/bin/env bash
# Latency of a 4-validator HotStuff network with one validator stopped (docs/performance.md, "HotStuff with one
# validator of four stopped"). Usage:
#   bench/faults/hotstuff-one-stopped.sh [TRELLIS] [NAME] [BASE_PORT]
# TRELLIS is a trellis executable (default: a Release build published to /tmp/trellis-faults by this script);
# NAME labels the run's files under /tmp/trellis-faults; NOSTOP=1 runs the reference with every node up.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=/tmp/trellis-faults
mkdir -p "$out"
trellis=${1:-}
if [[ -z "$trellis" ]]; then
  dotnet publish "$root/src/Trellis.Cli" -c Release -o "$out/bin" > "$out/publish.log"
  trellis="$out/bin/trellis"
fi
name=${2:-run}
port=${3:-27300}
dir="$out/$name"
rm -rf "$dir"
"$trellis" up --detach --consensus hotstuff --orgs 4 --dir "$dir" --base-port "$port" > "$dir.up.log"
trap '"$trellis" down --dir "$dir" > /dev/null 2>&1 || true' EXIT
sleep 2
if [[ -z "${NOSTOP:-}" ]]; then
  kill -TERM "$(cat "$dir/nodes/org2-node1/node.pid")"
  sleep 2
fi
# The load goes to the three other nodes either way, so the two runs differ only in the stopped validator.
rpc="http://127.0.0.1:$port,http://127.0.0.1:$((port + 2)),http://127.0.0.1:$((port + 3))"
"$trellis" bench --dir "$dir" --rpc "$rpc" --txs 3000 --rate 100 --timeout 120 --json "$dir.json" | tee "$dir.bench.txt"
echo "views that ended by a timeout certificate (org1-node1): $(grep -c 'ended without a block' "$dir/nodes/org1-node1/node.log" || true)"
