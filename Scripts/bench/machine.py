"""What every benchmark in Scripts/bench/ shares: the CPU it ran on, a
median of timed runs, and (for the load benchmarks) a clus load's reported
time and peak memory."""
import json
import statistics
import subprocess
import sys
import time


def cpu_model():
    """lscpu's "Model name", for the line each table prints above itself."""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    except OSError:
        return "unknown"
    for line in out.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def median_time(repeats, f):
    """The median of `repeats` timed calls of f, and the last call's value."""
    times, value = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        value = f()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def clus_load(binary, path, n):
    """The `elapsed_s` clus reports for the load."""
    proc = subprocess.run([binary, "--format", "json", "-c", f'load "{path}"'], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"clus failed: {proc.stderr}")
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["documents"] == n, result
    return result["elapsed_s"]


def clus_peak_rss(binary, path):
    """Peak resident memory (bytes) of one clus load, by wait4's rusage in a
    small Python child: Linux carries a process's peak over exec, so spawned
    from this process (grown by the json runs) clus would report ours."""
    probe = ("import os, sys\n"
             "pid = os.posix_spawn(sys.argv[1], [sys.argv[1], '-c', sys.argv[2]], os.environ,\n"
             "    file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])\n"
             "_, status, usage = os.wait4(pid, 0)\n"
             "assert status == 0\n"
             "print(usage.ru_maxrss * 1024)\n")
    out = subprocess.run([sys.executable, "-c", probe, binary, f'load "{path}"'],
                         capture_output=True, text=True, check=True)
    return int(out.stdout)
