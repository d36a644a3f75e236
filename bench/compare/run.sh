#!/usr/bin/env bash
# bench/compare: one ethers.js load generator (loadgen.mjs), the same workload and transaction count, against the
# generator's own ceiling (sink.mjs, accept-and-discard), a Hardhat node, a Ganache node and Trellis networks, one
# after another on this machine; prints TPS, p50/p99 latency, peak RSS and Trellis/peer ratios, and writes JSON.
#
# Usage: bash bench/compare/run.sh [--txs N] [--workload transfer|erc20|both] [--trellis solo,hotstuff,raft]
#          [--targets sink,hardhat,ganache,trellis] [--warmup W] [--gas-limit G] [--hardhat-interval MS]
#          [--trellis-interval MS] [--trellis-submit first|all] [--ganache-block-time S] [--ganache-instamine eager|strict]
#          [--batch B] [--concurrency C] [--base-port P] [--out FILE.json] [--keep] [--smoke]
#   --smoke: 300 transactions of both workloads on every peer and Solo Trellis; exits non-zero on any failure.
# Every target starts fresh for each workload and is stopped after it. See README.md for the settings and why.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

txs=10000
warmup=1000
workload=both
targets="sink,hardhat,ganache,trellis"
trellis_topologies=""
gas_limit=300000000
hardhat_interval=200
ganache_block_time=0
ganache_instamine=eager
batch=200
concurrency=4
trellis_interval=""
trellis_submit=first
base_port=""
out=""
keep=0
smoke=0

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
need_value() { if [[ $# -lt 2 || -z "$2" ]]; then echo "run.sh: $1 needs a value" >&2; exit 2; fi; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --txs) need_value "$@"; txs="$2"; shift 2 ;;
    --warmup) need_value "$@"; warmup="$2"; shift 2 ;;
    --workload) need_value "$@"; workload="$2"; shift 2 ;;
    --targets) need_value "$@"; targets="$2"; shift 2 ;;
    --trellis) need_value "$@"; trellis_topologies="$2"; shift 2 ;;
    --gas-limit) need_value "$@"; gas_limit="$2"; shift 2 ;;
    --hardhat-interval) need_value "$@"; hardhat_interval="$2"; shift 2 ;;
    --trellis-interval) need_value "$@"; trellis_interval="$2"; shift 2 ;;
    --ganache-block-time) need_value "$@"; ganache_block_time="$2"; shift 2 ;;
    --ganache-instamine) need_value "$@"; ganache_instamine="$2"; shift 2 ;;
    --batch) need_value "$@"; batch="$2"; shift 2 ;;
    --concurrency) need_value "$@"; concurrency="$2"; shift 2 ;;
    --trellis-submit) need_value "$@"; trellis_submit="$2"; shift 2 ;;
    --base-port) need_value "$@"; base_port="$2"; shift 2 ;;
    --out) need_value "$@"; out="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --smoke) smoke=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ $smoke -eq 1 ]]; then
  txs=300
  warmup=100
  [[ -n "$trellis_topologies" ]] || trellis_topologies=solo
fi
for pair in "batch:$batch" "concurrency:$concurrency" "txs:$txs" "warmup:$warmup" "gas-limit:$gas_limit" "hardhat-interval:$hardhat_interval" "base-port:${base_port:-0}"; do
  if ! [[ "${pair#*:}" =~ ^[0-9]+$ ]]; then echo "run.sh: --${pair%%:*} must be a whole number, got '${pair#*:}'" >&2; exit 2; fi
done
case "$workload" in
  transfer|erc20) workloads=("$workload") ;;
  both) workloads=(transfer erc20) ;;
  *) echo "run.sh: --workload must be transfer, erc20 or both, got '$workload'" >&2; exit 2 ;;
esac
case "$trellis_submit" in first|all) ;; *) echo "run.sh: --trellis-submit must be first or all, got '$trellis_submit'" >&2; exit 2 ;; esac
case "$ganache_instamine" in eager|strict) ;; *) echo "run.sh: --ganache-instamine must be eager or strict, got '$ganache_instamine'" >&2; exit 2 ;; esac
if ! [[ "$ganache_block_time" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then echo "run.sh: --ganache-block-time must be a number of seconds, got '$ganache_block_time'" >&2; exit 2; fi
has_target() { [[ ",$targets," == *",$1,"* ]]; }

tmp="$(mktemp -d /tmp/trellis-compare.XXXXXX)"
results="$tmp/results.jsonl"
: > "$results"
groups=()      # process groups started here (setsid), stopped on exit
trellis_dirs=() # detached Trellis networks, stopped with `trellis down` on exit
trellis=""
cleanup() {
  local g d
  for g in "${groups[@]}"; do stop_group "$g"; done
  for d in "${trellis_dirs[@]}"; do "$trellis" down --dir "$d" >/dev/null 2>&1 || true; done
  if [[ $keep -eq 1 ]]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "== $*" >&2; }

# Starts "$@" in a new session (so its whole process tree can be stopped) with output to $1.log; the group id is
# left in $pgid (not printed: a command substitution would run this in a subshell and lose the bookkeeping).
pgid=""
start_group() {
  local name="$1"; shift
  setsid "$@" > "$tmp/$name.log" 2>&1 < /dev/null &
  pgid=$!
  groups+=("$pgid")
}

stop_group() {
  local pgid="$1" i
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

forget_group() {
  local pgid="$1" kept=() g
  for g in "${groups[@]}"; do [[ "$g" == "$pgid" ]] || kept+=("$g"); done
  groups=("${kept[@]}")
}

# The process listening on a TCP port (the real server, not an npx or dotnet wrapper).
pid_on_port() { ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2; }

port_free() { [[ -z "$(ss -ltnH "sport = :$1" 2>/dev/null)" ]]; }

# Waits until URL answers eth_chainId; false after $2 seconds.
wait_rpc() {
  local url="$1" seconds="$2" i
  for i in $(seq 1 $((seconds * 4))); do
    if curl -sf -m 2 -X POST -H 'content-type: application/json' \
        -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$url" > /dev/null 2>&1; then
      return 0
    fi
    sleep 0.25
  done
  return 1
}

json_string() { node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$1"; }

failures=0
unavailable() { # target workload reason
  log "$1 $2 unavailable: $3"
  echo "{\"target\":\"$1\",\"workload\":\"$2\",\"txs\":$txs,\"unavailable\":$(json_string "$3")}" >> "$results"
}

# Runs the generator; a run that ends without a result line gets a failed row naming its log.
run_load() { # target workload accounts rpc pids [loadgen options...]
  local target="$1" work="$2" accounts="$3" rpc="$4" pids="$5"; shift 5
  local before after rc=0
  before=$(wc -l < "$results")
  node "$here/loadgen.mjs" --rpc "$rpc" --accounts "$accounts" --txs "$txs" --warmup "$warmup" --workload "$work" \
    --target "$target" --pids "$pids" --batch "$batch" --concurrency "$concurrency" --out "$results" "$@" > /dev/null 2> "$tmp/loadgen-$target-$work.log" || rc=$?
  cat "$tmp/loadgen-$target-$work.log" >&2
  after=$(wc -l < "$results")
  if [[ "$after" -eq "$before" ]]; then
    local reason
    reason="$(tail -n 1 "$tmp/loadgen-$target-$work.log" 2>/dev/null || true)"
    echo "{\"target\":\"$target\",\"workload\":\"$work\",\"txs\":$txs,\"committed\":0,\"rejected\":0,\"wrongHashes\":0,\"error\":$(json_string "${reason:-loadgen exited with code $rc}")}" >> "$results"
  fi
}

# --- preparation ---
cd "$here"
if [[ ! -d node_modules/ethers || ! -d node_modules/hardhat || ! -d node_modules/ganache ]]; then
  log "npm ci (bench/compare)"
  npm ci --no-audit --no-fund >&2
fi
node keys.mjs "$tmp/accounts.json" 100
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

if has_target trellis; then
  log "building Trellis (Release)"
  if dotnet build -c Release "$repo/src/Trellis.Cli" -nologo -v q > "$tmp/trellis-build.log" 2>&1; then
    trellis="$repo/src/Trellis.Cli/bin/Release/net10.0/trellis"
  else
    log "Trellis build failed (see $tmp/trellis-build.log)"
  fi
fi
multi_up=0
if [[ -n "$trellis" ]] && "$trellis" up --help 2>/dev/null | grep -q -- '--detach'; then multi_up=1; fi
[[ -n "$trellis_topologies" ]] || trellis_topologies="solo,hotstuff" # hotstuff gets an "unavailable" row without multi-node up
IFS=',' read -r -a topologies <<< "$trellis_topologies"

# --- targets ---
# Ports: sink P, Hardhat P+1, Ganache P+2, Trellis node i P+10+i (peers P+1010+i). Without --base-port the first P
# from 23545 up (in steps of 100) with all of them free is used: other builds and tests share this machine.
ports_free_from() {
  local p
  for p in "$1" $(($1 + 1)) $(($1 + 2)) $(seq $(($1 + 10)) $(($1 + 16))) $(seq $(($1 + 1010)) $(($1 + 1016))); do
    port_free "$p" || return 1
  done
}
if [[ -z "$base_port" ]]; then
  base_port=23545
  while ! ports_free_from "$base_port"; do
    base_port=$((base_port + 100))
    if [[ $base_port -gt 30000 ]]; then echo "run.sh: found no free port range from 23545 to 30000; pass --base-port" >&2; exit 1; fi
  done
fi
sink_port=$base_port
hardhat_port=$((base_port + 1))
ganache_port=$((base_port + 2))
trellis_port=$((base_port + 10))

run_sink() { # workload
  local work="$1"
  if ! port_free "$sink_port"; then unavailable generator-ceiling "$work" "port $sink_port is in use"; return; fi
  log "generator ceiling (sink.mjs) $work"
  start_group "sink-$work" node "$here/sink.mjs" "$sink_port"
  if wait_rpc "http://127.0.0.1:$sink_port" 30; then
    run_load generator-ceiling "$work" "$tmp/accounts.json" "http://127.0.0.1:$sink_port" "" --sink
  else
    unavailable generator-ceiling "$work" "sink.mjs did not answer (see $tmp/sink-$work.log)"
  fi
  stop_group "$pgid"; forget_group "$pgid"
}

run_hardhat() {
  local work="$1" pid
  if ! port_free "$hardhat_port"; then unavailable hardhat "$work" "port $hardhat_port is in use"; return; fi
  log "Hardhat $work (interval mining every $hardhat_interval ms, block gas limit $gas_limit)"
  start_group "hardhat-$work" env BENCH_ACCOUNTS="$tmp/accounts.json" BENCH_HARDHAT_INTERVAL_MS="$hardhat_interval" \
    BENCH_BLOCK_GAS_LIMIT="$gas_limit" npx --no-install hardhat --config "$here/hardhat.config.cjs" node --hostname 127.0.0.1 --port "$hardhat_port"
  if wait_rpc "http://127.0.0.1:$hardhat_port" 120; then
    pid=$(pid_on_port "$hardhat_port")
    run_load hardhat "$work" "$tmp/accounts.json" "http://127.0.0.1:$hardhat_port" "$pid"
  else
    unavailable hardhat "$work" "hardhat node did not answer within 120 s (see $tmp/hardhat-$work.log)"
  fi
  stop_group "$pgid"; forget_group "$pgid"
}

run_ganache() {
  local work="$1" pid key args=()
  if ! port_free "$ganache_port"; then unavailable ganache "$work" "port $ganache_port is in use"; return; fi
  for key in $(node -e 'for (const a of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))) console.log(a.privateKey)' "$tmp/accounts.json"); do
    args+=(--wallet.accounts "$key,0xd3c21bcecceda1000000") # 10^24 wei each, as on the other targets
  done
  log "Ganache $work (block time $ganache_block_time s, instamine $ganache_instamine, block gas limit $gas_limit)"
  start_group "ganache-$work" npx --no-install ganache --server.host 127.0.0.1 --server.port "$ganache_port" --logging.quiet \
    --chain.chainId 1337 --miner.blockTime "$ganache_block_time" --miner.instamine "$ganache_instamine" --miner.blockGasLimit "$gas_limit" "${args[@]}"
  if wait_rpc "http://127.0.0.1:$ganache_port" 120; then
    pid=$(pid_on_port "$ganache_port")
    run_load ganache "$work" "$tmp/accounts.json" "http://127.0.0.1:$ganache_port" "$pid"
  else
    unavailable ganache "$work" "ganache did not answer within 120 s (see $tmp/ganache-$work.log)"
  fi
  stop_group "$pgid"; forget_group "$pgid"
}

# The JSON-RPC URLs and pids of a network written by the multi-node `trellis up` (contracts2.md C).
network_rpcs() { node -e 'const n = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(n.nodes.map((x) => x.rpc).join(","))' "$1/network.json"; }
network_pids() { local f pids=(); for f in "$1"/nodes/*/node.pid; do [[ -f "$f" ]] && pids+=("$(tr -d '[:space:]' < "$f")"); done; (IFS=','; echo "${pids[*]}"); }

trellis_tune() { # dir
  local args=(--gas-limit "$gas_limit" --pool $((txs + warmup + 1000)))
  [[ -z "$trellis_interval" ]] || args+=(--interval-ms "$trellis_interval")
  node "$here/trellis-tune.mjs" "$1" "${args[@]}"
}

run_trellis() { # topology workload
  local topology="$1" work="$2" target="trellis-$1" dir="$tmp/trellis-$1-$2" extra=() rpcs pids pid i
  for i in 0 1 2 3 4 5 6; do
    if ! port_free $((trellis_port + i)) || ! port_free $((trellis_port + 1000 + i)); then
      unavailable "$target" "$work" "port $((trellis_port + i)) or $((trellis_port + 1000 + i)) is in use"; return
    fi
  done
  if [[ -z "$trellis" ]]; then unavailable "$target" "$work" "Trellis did not build"; return; fi
  log "Trellis $topology $work"
  if [[ $multi_up -eq 1 ]]; then
    [[ "$topology" == solo ]] || extra=(--orgs 4)
    # Create the network, stop it, give it the run's genesis settings (trellis-tune.mjs), start it again.
    if ! "$trellis" up --consensus "$topology" "${extra[@]}" --dir "$dir" --base-port "$trellis_port" --detach > "$tmp/$target-$work-up.log" 2>&1; then
      "$trellis" down --dir "$dir" > /dev/null 2>&1 || true
      unavailable "$target" "$work" "trellis up failed: $(grep -v '^\s*$' "$tmp/$target-$work-up.log" | tail -n 1)"; return
    fi
    trellis_dirs+=("$dir")
    "$trellis" down --dir "$dir" >> "$tmp/$target-$work-up.log" 2>&1
    trellis_tune "$dir" 2>> "$tmp/$target-$work-up.log"
    if ! "$trellis" up --consensus "$topology" "${extra[@]}" --dir "$dir" --base-port "$trellis_port" --detach >> "$tmp/$target-$work-up.log" 2>&1; then
      unavailable "$target" "$work" "trellis up (resume) failed: $(tail -n 1 "$tmp/$target-$work-up.log")"; return
    fi
    rpcs="$(network_rpcs "$dir")"
    pids="$(network_pids "$dir")"
    [[ "$trellis_submit" == all ]] || rpcs="${rpcs%%,*}"
    if wait_rpc "${rpcs%%,*}" 60; then
      run_load "$target" "$work" "$dir/accounts.json" "$rpcs" "$pids"
    else
      unavailable "$target" "$work" "node 0 did not answer after up --detach"
    fi
    "$trellis" down --dir "$dir" >> "$tmp/$target-$work-up.log" 2>&1 || true
  else
    if [[ "$topology" != solo ]]; then
      unavailable "$target" "$work" "this Trellis has no multi-node 'up' yet (only --consensus solo)"; return
    fi
    local url="http://127.0.0.1:$trellis_port"
    start_group "$target-$work-create" "$trellis" up --consensus solo --dir "$dir" --port "$trellis_port"
    if ! wait_rpc "$url" 60; then
      stop_group "$pgid"; forget_group "$pgid"
      unavailable "$target" "$work" "trellis up did not answer within 60 s (see $tmp/$target-$work-create.log)"; return
    fi
    stop_group "$pgid"; forget_group "$pgid"
    trellis_tune "$dir"
    start_group "$target-$work" "$trellis" up --consensus solo --dir "$dir" --port "$trellis_port"
    if wait_rpc "$url" 60; then
      pid=$(pid_on_port "$trellis_port")
      run_load "$target" "$work" "$dir/accounts.json" "$url" "$pid"
    else
      unavailable "$target" "$work" "trellis up (resume) did not answer within 60 s (see $tmp/$target-$work.log)"
    fi
    stop_group "$pgid"; forget_group "$pgid"
  fi
}

for work in "${workloads[@]}"; do
  if has_target sink; then run_sink "$work"; fi
  if has_target hardhat; then run_hardhat "$work"; fi
  if has_target ganache; then run_ganache "$work"; fi
  if has_target trellis; then
    for topology in "${topologies[@]}"; do run_trellis "$topology" "$work"; done
  fi
done

# --- report ---
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
[[ -n "$out" ]] || { mkdir -p "$here/results"; out="$here/results/compare-$(date -u +%Y%m%dT%H%M%SZ).json"; }
meta=$(node -e '
  const [txs, warmup, gas, hhInterval, trInterval, submit, start, end, commit, gaBlockTime, gaInstamine] = process.argv.slice(1);
  console.log(JSON.stringify({
    date: new Date().toISOString(), txs: Number(txs), warmup: Number(warmup), blockGasLimit: Number(gas),
    hardhatIntervalMs: Number(hhInterval), ganacheBlockTimeSeconds: Number(gaBlockTime), ganacheInstamine: gaInstamine,
    trellisIntervalMs: trInterval ? Number(trInterval) : "genesis default",
    trellisSubmit: submit, loadAverageStart: start, loadAverageEnd: end, cpus: require("os").cpus().length,
    node: process.version, commit,
  }));' "$txs" "$warmup" "$gas_limit" "$hardhat_interval" "$trellis_interval" "$trellis_submit" "$load_start" "$load_end" \
  "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$ganache_block_time" "$ganache_instamine")
report_rc=0
node "$here/report.mjs" "$results" "$out" --meta "$meta" || report_rc=$?
if [[ $smoke -eq 1 ]]; then
  # Every row must have committed everything, and nothing may be unavailable (Solo Trellis included).
  if [[ $report_rc -ne 0 ]] || grep -q '"unavailable"' "$results"; then
    echo "smoke: FAILED" >&2
    exit 1
  fi
  echo "smoke: passed" >&2
fi
exit $report_rc
