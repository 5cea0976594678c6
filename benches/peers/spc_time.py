"""Whole-process timer for `benches/peers/spc_run.sh`: runs several commands REPEATS times each,
alternating between them, and prints the minimum and median wall and CPU time of each.

Every run is measured the same way:
- before the clock starts (not timed): the run's output file is deleted and the file system
  synced, so that no run pays for truncating or writing back the previous run's output (on
  ext4, rewriting an existing 10 MB output through `> file` costs 20-40 ms of truncation, more
  than `kompas spc` itself takes);
- timed: `posix_spawn` of the command (standard output to a new file, or to /dev/null when the
  command writes its own output file), until `wait4` returns: the process's start-up, its work,
  its output and its exit, nothing of this driver.

usage: spc_time.py REPEATS NAME OUT -- ARGV... [--- NAME OUT -- ARGV...]...
       OUT is the file that receives standard output (deleted before each run when it is a regular
       file; a device such as /dev/null is opened as it is); `@FILE` sends standard output to
       /dev/null and names FILE as the output the command writes itself (deleted before each run).
"""
import json
import os
import statistics
import sys
import time


def parse(args):
    commands, group = [], []
    for word in args + ["---"]:
        if word != "---":
            group.append(word)
            continue
        k = group.index("--")
        name, out = group[:k]
        commands.append((name, out, group[k + 1:]))
        group = []
    return commands


def run_once(out, argv):
    path = out[1:] if out.startswith("@") else out
    # Only a regular file is deleted: `/dev/null` (or any device or pipe) named as OUT must stay
    # what it is; deleting it would leave a regular file in its place for the whole machine.
    if os.path.isfile(path) and not os.path.islink(path):
        os.unlink(path)
    os.sync()
    target = os.devnull if out.startswith("@") else path
    actions = [(os.POSIX_SPAWN_OPEN, 1, target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    t1 = time.perf_counter()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{argv} failed with {status}")
    return t1 - t0, usage.ru_utime + usage.ru_stime


def main():
    repeats = int(sys.argv[1])
    commands = parse(sys.argv[2:])
    wall = {name: [] for name, _, _ in commands}
    cpu = {name: [] for name, _, _ in commands}
    for _ in range(repeats):
        for name, out, argv in commands:
            w, c = run_once(out, argv)
            wall[name].append(w)
            cpu[name].append(c)
    result = {
        name: {
            "wall_min": min(wall[name]),
            "wall_median": statistics.median(wall[name]),
            "cpu_min": min(cpu[name]),
            "cpu_median": statistics.median(cpu[name]),
        }
        for name in wall
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
