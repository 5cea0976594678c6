#!/usr/bin/env bash
# Creates target/venv-panel with sortition-algorithms + gurobipy and times its LEXIMIN on geneva_30.
# Usage: benches/peers/panel_run.sh [DIR K ALGORITHM]   (default: testdata/sortition/geneva_30 30 leximin)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/target/venv-panel"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q sortition-algorithms gurobipy
fi
"$venv/bin/pip" list 2>/dev/null | grep -i -E '^(sortition-algorithms|gurobipy) '
"$venv/bin/python" "$root/benches/peers/panel_sortition.py" "${1:-$root/testdata/sortition/geneva_30}" "${2:-30}" "${3:-leximin}"
