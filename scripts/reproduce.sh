#!/usr/bin/env bash
# The paper's experiment end to end on a fresh Debian 12 machine with the .NET 10 SDK: installs
# what is missing (scripts/install-prerequisites.sh), builds the CLI, and runs `potnet reproduce`
# with its defaults (or the options given here), writing reproduce/report.html, report.md and
# report.json. A rerun takes its finished steps from reproduce/cache.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/install-prerequisites.sh
exec ./potnet reproduce "$@"
