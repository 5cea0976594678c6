#!/usr/bin/env bash
# Runs the pabutools peer on the three equal-shares elections, in a virtualenv of its own.
# Usage: benches/peers/pb_run.sh   (from the repository root)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/target/venv-budget"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pabutools==1.2.3
fi
data="$root/testdata/pabulib"
"$venv/bin/python" -c 'import pabutools, sys; print("pabutools", pabutools.__version__ if hasattr(pabutools, "__version__") else "1.2.3", "python", sys.version.split()[0])'
"$venv/bin/python" "$root/benches/peers/pb_pabutools.py" \
  "$data/Netherlands_Assen_2024.pb" \
  "$data/Poland_Swiecie_2023.pb" \
  "$data/Poland_Wieliczka_2023_Green_Budget.pb"
