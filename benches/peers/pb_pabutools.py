"""Peer timing: MES with cost utilities and the Add1 completion in pabutools.

Usage: python pb_pabutools.py FILE.pb [FILE.pb ...]
Prints one line per file: name, seconds (parse excluded and included), funded project ids.
"""
import sys
import time

from pabutools.election import Cost_Sat, parse_pabulib
from pabutools.rules import method_of_equal_shares


def main(paths):
    for path in paths:
        t0 = time.perf_counter()
        instance, profile = parse_pabulib(path)
        t1 = time.perf_counter()
        outcome = method_of_equal_shares(
            instance, profile, sat_class=Cost_Sat, voter_budget_increment=1
        )
        t2 = time.perf_counter()
        ids = sorted(p.name for p in outcome)
        print(
            f"{path.rsplit('/', 1)[-1]}\tmes_add1_s={t2 - t1:.3f}\twith_parse_s={t2 - t0:.3f}"
            f"\tfunded={len(ids)}\t{','.join(ids)}",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
