"""The composite-indicator pipeline of `kompas index` in pandas/numpy, for a side-by-side timing.

Subcommands:
  generate OUT_DIR [UNITS]   write COINr's ASEM data scaled to UNITS units (default 100,000):
                             each ASEM unit repeated with multiplicative noise exp(0.1 N(0,1)) on
                             indicators and denominators (seeded), missing cells kept missing.
  run IDATA IMETA            the standard ASEM pipeline in pandas/numpy, CSV to stdout:
                             denominate; impute by EurAsia_group mean; screen units under 90 % data;
                             winsorise (|skew| >= 2 and kurtosis >= 3.5, up to 5 points, else
                             log(x - min + 0.01 (max - min))); min-max 0-100 after the direction;
                             weighted arithmetic means up the iMeta tree; rank on the top aggregate
                             (ties take the lower rank).
  bench KOMPAS IDATA IMETA   time both whole processes (best of 3 wall-clock runs each) and check
                             that their outputs agree.

Written for this project from the method's description (OECD/JRC Handbook; COINr's docs);
no code is taken from COINr.
"""
import subprocess
import sys
import time

import numpy as np
import pandas as pd

REPO = __file__.rsplit("/benches/", 1)[0]


def generate(out_dir, units=100_000):
    import os
    import shutil

    os.makedirs(out_dir, exist_ok=True)
    d = pd.read_csv(f"{REPO}/testdata/composite/ASEM_iData.csv")
    m = pd.read_csv(f"{REPO}/testdata/composite/ASEM_iMeta.csv")
    numeric = list(m.loc[m.Type.isin(["Indicator", "Denominator"]), "iCode"])
    reps = -(-units // len(d))
    big = pd.concat([d] * reps, ignore_index=True).iloc[:units].copy()
    rng = np.random.default_rng(1)
    noise = np.exp(0.1 * rng.standard_normal((len(big), len(numeric))))
    big[numeric] = big[numeric].to_numpy() * noise
    big["uCode"] = [f"{c}{i:06d}" for i, c in enumerate(big["uCode"])]
    big["uName"] = big["uCode"]
    big.to_csv(f"{out_dir}/iData_{units}.csv", index=False, float_format="%.17g")
    shutil.copy(f"{REPO}/testdata/composite/ASEM_iMeta.csv", f"{out_dir}/iMeta.csv")
    print(f"{out_dir}/iData_{units}.csv")


def skew(x):
    n = len(x)
    d = x - x.mean()
    s2, s3 = (d * d).sum(), (d ** 3).sum()
    return np.sqrt(n) * s3 / s2 ** 1.5 * np.sqrt(n * (n - 1)) / (n - 2)


def kurt(x):
    n = len(x)
    d = x - x.mean()
    s2, s4 = (d * d).sum(), (d ** 4).sum()
    r = n * s4 / s2 ** 2
    return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))


def passes(x):
    s, k = skew(x), kurt(x)
    if np.isnan(s) or np.isnan(k):
        return True
    return abs(s) < 2 or k < 3.5


def treat(col):
    mask = ~np.isnan(col)
    orig = col[mask]
    if passes(orig):
        return col
    x = orig.copy()
    hi = lo = 0
    while not passes(x) and hi + lo < 5:
        high = skew(x) >= 0
        ext = x.max() if high else x.min()
        at = x == ext
        others = x[~at]
        if len(others) == 0:
            break
        x[at] = others.max() if high else others.min()
        if high:
            hi = at.sum()
        else:
            lo = at.sum()
    out = col.copy()
    if passes(x):
        out[mask] = x
    else:
        mn, mx = orig.min(), orig.max()
        out[mask] = np.log(orig - mn + 0.01 * (mx - mn))
    return out


def run(idata, imeta):
    d = pd.read_csv(idata)
    m = pd.read_csv(imeta)
    ind = m[m.Type == "Indicator"]
    agg = m[m.Type == "Aggregate"]
    x = d[list(ind.iCode)].astype(float)
    for code, den in zip(ind.iCode, ind.Denominator):
        if isinstance(den, str):
            x[code] = x[code] / d[den].replace(0, np.nan)
    x = x.fillna(x.groupby(d["EurAsia_group"]).transform("mean"))
    keep = x.notna().mean(axis=1) >= 0.9
    x = x[keep]
    units = d.loc[keep, "uCode"]
    arr = x.to_numpy().copy()
    for j in range(arr.shape[1]):
        arr[:, j] = treat(arr[:, j])
    arr = arr * ind.Direction.to_numpy()
    lo, hi = np.nanmin(arr, axis=0), np.nanmax(arr, axis=0)
    arr = (arr - lo) / (hi - lo) * 100.0
    cols = {c: arr[:, j] for j, c in enumerate(ind.iCode)}
    for level in sorted(agg.Level.unique()):
        for code in agg.loc[agg.Level == level, "iCode"]:
            kids = m[(m.Parent == code) & m.Type.isin(["Indicator", "Aggregate"])]
            v = np.column_stack([cols[k] for k in kids.iCode])
            w = kids.Weight.to_numpy()
            present = ~np.isnan(v)
            num = np.where(present, v, 0.0) @ w
            den = present.astype(float) @ w
            with np.errstate(invalid="ignore", divide="ignore"):
                cols[code] = np.where(den > 0, num / den, np.nan)
    order = agg.sort_values("Level", ascending=False, kind="stable").iCode
    top = order.iloc[0]
    out = pd.DataFrame({"uCode": units.to_numpy()})
    for code in order:
        out[code] = cols[code]
    out["Rank"] = pd.Series(cols[top]).rank(method="min", ascending=False).astype("Int64").to_numpy()
    out.to_csv(sys.stdout, index=False, float_format="%.17g")


FLAGS = ["--denominate", "--impute", "group-mean:EurAsia_group", "--screen", "0.9",
         "--treat", "winsorise", "--normalise", "minmax:0:100", "--aggregate", "amean"]


def best_of(cmd, n=3):
    """Best wall time of n runs, with the user and system CPU seconds of that run."""
    import resource

    best, cpu, out = float("inf"), (0.0, 0.0), None
    for _ in range(n):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        wall = time.perf_counter() - t
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if wall < best:
            best, cpu = wall, (r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime)
    return best, cpu, out


def bench(kompas, idata, imeta):
    import io

    tk, ck, ok = best_of([kompas, "index", "--data", idata, "--meta", imeta] + FLAGS)
    tp, cp, op = best_of([sys.executable, __file__, "run", idata, imeta])
    a = pd.read_csv(io.StringIO(ok)).set_index("uCode")
    b = pd.read_csv(io.StringIO(op)).set_index("uCode").loc[a.index]
    diff = (a.drop(columns="Rank") - b[a.columns.drop("Rank")]).abs().max().max()
    same_rank = (a.Rank == b.Rank).mean()
    print(f"units: {len(a)}")
    print(f"kompas index: {tk:.3f} s (best of 3, whole process; that run {ck[0]:.2f} s user, {ck[1]:.2f} s sys)")
    print(f"pandas/numpy: {tp:.3f} s (best of 3, whole process; that run {cp[0]:.2f} s user, {cp[1]:.2f} s sys)")
    print(f"ratio pandas/kompas: {tp / tk:.1f}x wall, {sum(cp) / sum(ck):.1f}x CPU (user + sys)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in __import__('os').getloadavg())}")
    print(f"max |score difference|: {diff:.3g}; same rank: {100 * same_rank:.2f} % of units")
    print(f"pandas {pd.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "generate":
        generate(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 100_000)
    elif cmd == "run":
        run(sys.argv[2], sys.argv[3])
    elif cmd == "bench":
        bench(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
