"""CPU and wall time per run of one or more builds of `kompas spc` on the same arguments, runs
alternating between the builds: fork/exec, standard output to /dev/null, user + sys CPU from
`wait4`. Prints the minimum and the median of each, in milliseconds.

usage: spc_cpu.py RUNS BIN1 [BIN2 ...] -- ARGS...
       e.g. spc_cpu.py 20 /tmp/kompas-old target/h-spc/release/kompas -- spc target/spc-bench/i.csv --chart i --x x --y y
"""
import os
import statistics
import sys
import time


def main():
    runs = int(sys.argv[1])
    rest = sys.argv[2:]
    k = rest.index("--")
    bins, args = rest[:k], rest[k + 1:]
    cpu = {b: [] for b in bins}
    wall = {b: [] for b in bins}
    null = os.open(os.devnull, os.O_WRONLY)
    for _ in range(runs):
        for b in bins:
            t0 = time.perf_counter()
            pid = os.fork()
            if pid == 0:
                os.dup2(null, 1)
                os.execv(b, [b] + args)
            _, _, usage = os.wait4(pid, 0)
            t1 = time.perf_counter()
            cpu[b].append((usage.ru_utime + usage.ru_stime) * 1e3)
            wall[b].append((t1 - t0) * 1e3)
    for b in bins:
        c, w = cpu[b], wall[b]
        print(f"{b}: cpu min {min(c):.1f} med {statistics.median(c):.1f} ms | "
              f"wall min {min(w):.1f} med {statistics.median(w):.1f} ms")


if __name__ == "__main__":
    main()
