#!/usr/bin/env bash
# Runs the EVM benchmarks in Trellis (BenchmarkDotNet, bench/Trellis.Benchmarks EvmBenchmarks) and in
# @ethereumjs/evm (bench.mjs) on the same bytecode, then prints the ratio table.
# Usage: bench/evm-compare/run.sh [--job short|medium|dry]   (default: short; the machine may be shared, so
# treat single runs as noisy).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
job="short"
if [[ "${1:-}" == "--job" && -n "${2:-}" ]]; then job="$2"; fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

cd "$here"
if [[ ! -d node_modules/@ethereumjs/evm ]]; then
  npm ci --silent --no-audit --no-fund
fi
echo "== @ethereumjs/evm ==" >&2
node bench.mjs >&2
node bench.mjs --json --seconds 3 > "$out/ethereumjs.json"

echo "== Trellis (BenchmarkDotNet, job $job) ==" >&2
cd "$repo"
dotnet run -c Release --project bench/Trellis.Benchmarks -- \
  --filter '*EvmBenchmarks*' --job "$job" --exporters csv --artifacts "$out/bdn" >&2

csv="$(find "$out/bdn" -name '*EvmBenchmarks-report.csv' | head -n 1)"
if [[ -z "$csv" ]]; then
  echo "error: BenchmarkDotNet wrote no EvmBenchmarks CSV report under $out/bdn" >&2
  exit 1
fi
node "$here/ratio.mjs" "$out/ethereumjs.json" "$csv"
