"""Peer timing: LEXIMIN of `sortition-algorithms` (PyPI, with gurobipy) on a replication-format instance.

Usage: panel_sortition.py DIR K [ALGORITHM]
DIR holds categories.csv (category,feature,min,max) and respondents.csv (one column per category,
optionally pool_member_identifier). Prints the wall time of the selection call, the minimum selection
probability and the number of panels in the lottery.
"""

import csv
import io
import sys
import time

from sortition_algorithms import CSVStringDataSource, SelectionData, Settings
from sortition_algorithms.committee_generation.leximin import find_distribution_leximin
from sortition_algorithms.committee_generation.maximin import find_distribution_maximin


def main() -> None:
    folder, k = sys.argv[1], int(sys.argv[2])
    algorithm = sys.argv[3] if len(sys.argv) > 3 else "leximin"
    with open(f"{folder}/categories.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    features = io.StringIO()
    w = csv.writer(features)
    w.writerow(["feature", "value", "min", "max"])
    for r in rows:
        w.writerow([r["category"], r["feature"], r["min"], r["max"]])
    with open(f"{folder}/respondents.csv", newline="") as f:
        reader = csv.DictReader(f)
        people_rows = list(reader)
        header = list(reader.fieldnames or [])
    people = io.StringIO()
    w = csv.writer(people)
    id_col = "pool_member_identifier"
    cats = [h for h in header if h != id_col]
    w.writerow([id_col] + cats)
    for i, r in enumerate(people_rows, start=1):
        w.writerow([r.get(id_col, str(i))] + [r[c] for c in cats])
    data = SelectionData(CSVStringDataSource(features.getvalue(), people.getvalue()))
    feats, _ = data.load_features(k)
    settings = Settings(id_column=id_col, columns_to_keep=[])
    pool, _ = data.load_people(settings, feats)
    start = time.perf_counter()
    if algorithm == "leximin":
        committees, probs, _ = find_distribution_leximin(feats, pool, k, [])
    else:
        committees, probs, _ = find_distribution_maximin(feats, pool, k, [])
    elapsed = time.perf_counter() - start
    marginal: dict[str, float] = {}
    for c, p in zip(committees, probs):
        for m in c:
            marginal[m] = marginal.get(m, 0.0) + p
    ids = [r.get(id_col, str(i)) for i, r in enumerate(people_rows, start=1)]
    mins = min(marginal.get(i, 0.0) for i in ids)
    print(f"algorithm={algorithm} n={len(ids)} k={k} seconds={elapsed:.1f} min_probability={mins:.6f} panels={len(committees)}")


if __name__ == "__main__":
    main()
