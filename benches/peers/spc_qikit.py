"""Peer for `kompas spc`: the same whole process with clinical-qikit (PyPI), the closest Python
peer of qicharts2: read a CSV file, compute the chart, write one row per point as CSV.

usage: spc_qikit.py CHART IN.csv OUT.csv      (columns x,y for i charts; x,y,n for p charts)
       spc_qikit.py --make-data DIR ROWS      (writes DIR/i.csv and DIR/p.csv, seeded)
"""
import sys


def make_data(folder, rows):
    import numpy as np

    rng = np.random.default_rng(20261127)
    x = np.arange(1, rows + 1)
    y = rng.normal(100.0, 10.0, rows).round(4)
    with open(f"{folder}/i.csv", "w") as f:
        f.write("x,y\n")
        f.writelines(f"{a},{b}\n" for a, b in zip(x, y))
    n = rng.integers(50, 500, rows)
    c = rng.binomial(n, 0.1)
    with open(f"{folder}/p.csv", "w") as f:
        f.write("x,y,n\n")
        f.writelines(f"{a},{b},{d}\n" for a, b, d in zip(x, c, n))


def main():
    if sys.argv[1] == "--make-data":
        make_data(sys.argv[2], int(sys.argv[3]))
        return
    chart, src, out = sys.argv[1:4]
    import pandas as pd
    import qikit

    data = pd.read_csv(src)
    if "n" in data.columns:
        result = qikit.qic(x="x", y="y", n="n", data=data, chart=chart)
    else:
        result = qikit.qic(x="x", y="y", data=data, chart=chart)
    cols = [c for c in ["x", "y", "n", "cl", "lcl", "ucl", "sigma_signal", "runs_signal"] if c in result.data.columns]
    result.data[cols].to_csv(out, index=False)


if __name__ == "__main__":
    main()
