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
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
cargo build --release -q -p kompas-cli --manifest-path "$ROOT/Cargo.toml"
BIN=$CARGO_TARGET_DIR/release/kompas
DATA=$ROOT/target/spc-bench
mkdir -p "$DATA"
# The data are seeded: written again only when missing or of another size (and synced, so that
# their write-back does not fall into the timed runs).
if [ ! -s "$DATA/i.csv" ] || [ "$(wc -l <"$DATA/i.csv")" != "$((ROWS + 1))" ]; then
  "$VENV/bin/python" "$ROOT/benches/peers/spc_qikit.py" --make-data "$DATA" "$ROWS"
  sync
fi

echo "rows=$ROWS repeats=$REPEATS load=$(cut -d' ' -f1-3 /proc/loadavg) qikit=$("$VENV/bin/pip" show clinical-qikit | awk '/^Version/{print $2}')"
for chart in i p; do
  if [ "$chart" = p ]; then ncol=(--n n); else ncol=(); fi
  # One timer for both (spc_time.py: posix_spawn to wait4, runs alternating, each output file
  # deleted and the file system synced before the clock starts). kompas writes its CSV through
  # its standard output into a new file; qikit writes its own CSV file (standard output to
  # /dev/null). Whole processes: qikit's interpreter start-up and imports count, as ours do.
  json=$("$VENV/bin/python" "$ROOT/benches/peers/spc_time.py" "$REPEATS" \
    kompas "$DATA/kompas_$chart.out.csv" -- "$BIN" spc "$DATA/$chart.csv" --chart "$chart" --x x --y y "${ncol[@]}" --format csv \
    --- qikit "@$DATA/qikit_$chart.out.csv" -- "$VENV/bin/python" "$ROOT/benches/peers/spc_qikit.py" "$chart" "$DATA/$chart.csv" "$DATA/qikit_$chart.out.csv")
  # Same centre line and limits of the first point in both outputs (a sanity check, not timed).
  kl=$(sed -n 2p "$DATA/kompas_$chart.out.csv" | cut -d, -f4-6)
  ql=$("$VENV/bin/python" -c "import pandas as p; d=p.read_csv('$DATA/qikit_$chart.out.csv'); print(','.join(repr(float(d[c][0])) for c in ['cl','lcl','ucl']))")
  "$VENV/bin/python" -c '
import json, sys
chart, r, kl, ql = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
kw, qw, kb, qb = (r[s][t] for t in ["wall_median", "wall_min"] for s in ["kompas", "qikit"])
kc, qc = r["kompas"]["cpu_median"], r["qikit"]["cpu_median"]
print(f"{chart} chart: median wall kompas {kw:.4f}s, qikit {qw:.3f}s, ratio {qw / kw:.1f}x | "
      f"best wall {kb:.4f}s vs {qb:.3f}s, {qb / kb:.1f}x | median CPU {kc:.4f}s vs {qc:.3f}s, {qc / kc:.1f}x")
print(f"  first point cl,lcl,ucl kompas {kl} qikit {ql}")
' "$chart" "$json" "$kl" "$ql"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
