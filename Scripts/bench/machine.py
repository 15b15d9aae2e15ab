"""What every benchmark in Scripts/bench/ shares: the CPU it ran on, and a
median of timed runs."""
import statistics
import subprocess
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
