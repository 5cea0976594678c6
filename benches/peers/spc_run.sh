#!/usr/bin/env bash
# Side by side: `kompas spc` against clinical-qikit on 100,000 points, whole process against whole
# process (start, read the CSV file, compute the chart with its runs analysis, write a CSV file).
# Creates its own virtualenv in target/venv-spc. Usage: benches/peers/spc_run.sh [ROWS] [REPEATS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROWS=${1:-100000}
REPEATS=${2:-5}
VENV=$ROOT/target/venv-spc
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q clinical-qikit==0.5.0
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target/h-spc}
cargo build --release -q -p kompas-cli --manifest-path "$ROOT/Cargo.toml"
BIN=$CARGO_TARGET_DIR/release/kompas
DATA=$ROOT/target/spc-bench
mkdir -p "$DATA"
"$VENV/bin/python" "$ROOT/benches/peers/spc_qikit.py" --make-data "$DATA" "$ROWS"

# Median wall-clock seconds of REPEATS runs of a command whose standard output goes to the file
# OUT (usage: median OUT COMMAND...). The clock is bash's own $EPOCHREALTIME, read without
# starting a process, so the figure holds only the command's process (an earlier version forked
# `date` on each side of it, which added a few milliseconds to each run).
median() {
  local out=$1
  shift
  local times=()
  for _ in $(seq "$REPEATS"); do
    local t0 t1
    t0=$EPOCHREALTIME
    "$@" >"$out"
    t1=$EPOCHREALTIME
    times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%d", (b - a) * 1e6}')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.4f", a[int((NR+1)/2)]/1e6}'
}

echo "rows=$ROWS repeats=$REPEATS load=$(cut -d' ' -f1-3 /proc/loadavg) qikit=$("$VENV/bin/pip" show clinical-qikit | awk '/^Version/{print $2}')"
for chart in i p; do
  if [ "$chart" = p ]; then ncol=(--n n); else ncol=(); fi
  # Both write their CSV output to a file (kompas through its standard output).
  k=$(median "$DATA/kompas_$chart.out.csv" "$BIN" spc "$DATA/$chart.csv" --chart "$chart" --x x --y y "${ncol[@]}" --format csv)
  q=$(median /dev/null "$VENV/bin/python" "$ROOT/benches/peers/spc_qikit.py" "$chart" "$DATA/$chart.csv" "$DATA/qikit_$chart.out.csv")
  # Same centre line and limits of the first point in both outputs (a sanity check, not timed).
  kl=$(sed -n 2p "$DATA/kompas_$chart.out.csv" | cut -d, -f4-6)
  ql=$("$VENV/bin/python" -c "import pandas as p; d=p.read_csv('$DATA/qikit_$chart.out.csv'); print(','.join(repr(float(d[c][0])) for c in ['cl','lcl','ucl']))")
  echo "$chart chart: kompas ${k}s, qikit ${q}s, ratio $(awk -v a="$q" -v b="$k" 'BEGIN{printf "%.1f", a/b}')x; first point cl,lcl,ucl kompas $kl qikit $ql"
done
