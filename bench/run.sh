#!/usr/bin/env bash
# Runs the engine benchmarks (BenchmarkDotNet, Release) and prints the table recorded in docs/results.md.
# Trained models are taken from $POTNET_MODELS/{lenet5,cnn}.potnet when present.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/bench/PotNet.Bench"
dotnet run -c Release -- "$@"
