#!/usr/bin/env bash
# Runs the engine benchmarks (BenchmarkDotNet, Release: FastEngine, ONNX Runtime fp32 and int8, for
# lenet5 and cnn at 1 and 2 threads, in one run) into bench/results/, then prints the table of
# medians and ratios recorded in docs/results.md, computed here from BenchmarkDotNet's exported JSON
# (bench/results/table.md). Trained models are taken from $POTNET_MODELS when it holds them (see
# BenchModels.cs). Needs jq.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/results"
command -v jq >/dev/null 2>&1 || { echo "error: bench/run.sh needs jq (apt-get install jq)" >&2; exit 1; }

if [ "${1:-}" != "--table-only" ]; then
  rm -rf "$out"
  mkdir -p "$out"
  # Other jobs on the machine skew every figure: the load averages go into the table.
  echo "load before the run: $(uptime)" > "$out/load.txt"
  (cd "$root/bench/PotNet.Bench" && dotnet run -c Release -- "$out")
  echo "load after the run: $(uptime)" >> "$out/load.txt"
fi

json="$(find "$out/results" -name '*-report-brief.json' | head -n 1)"
[ -n "$json" ] || { echo "error: no BenchmarkDotNet JSON report under $out/results" >&2; exit 1; }
{
  echo "Source: $(basename "$json"); $(jq -r '.HostEnvironmentInfo | "\(.ProcessorName), \(.RuntimeVersion), BenchmarkDotNet \(.BenchmarkDotNetVersion)"' "$json")"
  sed 's/^/- /' "$out/setup.txt" "$out/load.txt"
  echo
  jq -r --slurpfile macs "$out/macs.json" -f "$root/bench/table.jq" "$json"
} | tee "$out/table.md"
