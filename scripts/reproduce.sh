#!/usr/bin/env bash
# The paper's experiment end to end on a fresh Debian 12 machine with the .NET 10 SDK: installs
# what is missing (scripts/install-prerequisites.sh) while it builds the CLI, and runs `potnet reproduce`
# with its defaults (or the options given here), writing reproduce/report.html, report.md and
# report.json. A rerun takes its finished steps from reproduce/cache.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Debian's packages install while NuGet restores and the CLI builds: the two are independent, and
# each is minutes on a fresh machine.
scripts/install-prerequisites.sh &
install=$!
./potnet --version > /dev/null
wait "$install"
exec ./potnet reproduce "$@"
