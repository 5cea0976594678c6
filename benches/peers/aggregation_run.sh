#!/usr/bin/env bash
# Side-by-side: `kompas index` (release build) against the same pipeline in pandas/numpy, on
# COINr's ASEM data scaled to 100,000 units, whole process against whole process.
# Usage: benches/peers/aggregation_run.sh [UNITS]   (from the repository root)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
units="${1:-100000}"
venv="$root/target/venv-goals-p"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pandas numpy
fi
target="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && CARGO_TARGET_DIR="$target" cargo build --release -q -p kompas-cli)
out="$root/target/peers-goals-p"
"$venv/bin/python" "$root/benches/peers/aggregation_pandas.py" generate "$out" "$units" >/dev/null
"$venv/bin/python" "$root/benches/peers/aggregation_pandas.py" bench \
  "$target/release/kompas" "$out/iData_$units.csv" "$out/iMeta.csv"
