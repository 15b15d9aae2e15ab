#!/usr/bin/env python3
"""Ten million documents in 24 GiB (issue 16, item 3).

Writes (once; reused when present) an n × 384 float32 .npy of seeded blobs
around 100 centres and a labels CSV with the true cluster `t`, then runs

    load "x.npy" labels="l.csv"; cluster method=minibatch k=100;
    metrics truth=t metric=cosine; metrics truth=t sample=2000

in one clus process (--format json) and prints each step's time and the
process's peak resident memory (ru_maxrss of the child) beside the vectors'
size: a mapped .npy should peak near the vectors' size, not twice it.

    python3 Scripts/bench/scale.py             # 10^7 rows: 15.4 GB; needs the whole machine
    python3 Scripts/bench/scale.py --quick     # 10^6 rows
    python3 Scripts/bench/scale.py --n 2000000 --dir /tmp/scale
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time

import numpy as np

from machine import cpu_model

DIM = 384
CENTRES = 100


def write_data(directory, n, seed=0):
    """x.npy (n × 384 float32, C order) and l.csv (t: true cluster), in chunks."""
    x_path = os.path.join(directory, "x.npy")
    l_path = os.path.join(directory, "l.csv")
    if os.path.exists(x_path) and os.path.exists(l_path):
        shape = np.load(x_path, mmap_mode="r").shape
        if shape == (n, DIM):
            print(f"reusing {x_path} and {l_path}")
            return x_path, l_path
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((CENTRES, DIM)).astype(np.float32) * 4
    start = time.perf_counter()
    x = np.lib.format.open_memmap(x_path + ".part", mode="w+", dtype="<f4", shape=(n, DIM))
    chunk = 200_000
    with open(l_path + ".part", "w") as labels:
        labels.write("t\n")
        for lo in range(0, n, chunk):
            hi = min(n, lo + chunk)
            t = rng.integers(0, CENTRES, hi - lo)
            x[lo:hi] = centres[t] + rng.standard_normal((hi - lo, DIM), dtype=np.float32)
            labels.write("\n".join(map(str, t.tolist())) + "\n")
    x.flush()
    del x
    os.replace(x_path + ".part", x_path)
    os.replace(l_path + ".part", l_path)
    print(f"wrote {x_path} ({os.path.getsize(x_path) / 1e9:.2f} GB) and {l_path} in {time.perf_counter() - start:.1f} s")
    return x_path, l_path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000_000, help="documents (default 10^7)")
    ap.add_argument("--quick", action="store_true", help="10^6 documents")
    ap.add_argument("--dir", default="bench-data", help="where the data is written (default bench-data/)")
    ap.add_argument("--clus", default=".build/release/clus", help="the clus binary (default .build/release/clus)")
    args = ap.parse_args()
    n = 1_000_000 if args.quick else args.n

    print(f"CPU: {cpu_model()}")
    print(f"memory: {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB; "
          f"{n:,} × {DIM} float32 = {n * DIM * 4 / 1e9:.2f} GB of vectors, {CENTRES} true clusters")
    x_path, l_path = write_data(args.dir, n)

    steps = [
        ("load", f'load "{x_path}" labels="{l_path}"'),
        ("cluster minibatch k=100", "cluster method=minibatch k=100"),
        ("metrics cosine (exact)", "metrics truth=t metric=cosine"),
        ("metrics sample=2000", "metrics truth=t sample=2000"),
    ]
    script = "; ".join(command for _, command in steps)
    # The data has just been written or read: its pages may sit in the page
    # cache either way; the figure that matters is the process's own peak.
    start = time.perf_counter()
    process = subprocess.Popen([args.clus, "--format", "json", "-c", script],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks = {}
    watcher = threading.Thread(target=watch_memory, args=(process, peaks), daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - start
    watcher.join()
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if process.returncode != 0:
        print(stdout[-4000:])
        print(stderr[-4000:], file=sys.stderr)
        sys.exit(f"clus failed (exit {process.returncode})")
    results = parse_results(stdout)

    print()
    print(f"{'step':<26} {'seconds':>9}  result")
    for (name, _), result in zip(steps, results):
        print(f"{name:<26} {seconds(result):>9}  {summary(result)}")
    print(f"{'whole run (wall)':<26} {wall:>9.1f}")
    vectors = n * DIM * 4
    print()
    print(f"peak resident memory: {peak_kib * 1024 / 2**30:.2f} GiB "
          f"({peak_kib * 1024 / vectors:.2f}× the vectors' {vectors / 2**30:.2f} GiB)")
    if peaks:
        # file-backed pages are the mapped .npy (the kernel may drop them);
        # anonymous ones are clus's own memory: a copy of the vectors would show here
        print(f"  of which, at their peaks (sampled every 0.1 s): mapped file {peaks.get('RssFile', 0) / 2**20:.2f} GiB, "
              f"own (anonymous) {peaks.get('RssAnon', 0) / 2**20:.2f} GiB")


def watch_memory(process, peaks):
    """Largest RssAnon and RssFile (KiB) of the running process, from /proc."""
    path = f"/proc/{process.pid}/status"
    while process.poll() is None:
        try:
            with open(path) as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key in ("RssAnon", "RssFile"):
                        peaks[key] = max(peaks.get(key, 0), int(value.split()[0]))
        except OSError:
            return
        time.sleep(0.1)


def parse_results(text):
    """The JSON values clus printed, one per command (objects or lines)."""
    decoder = json.JSONDecoder()
    out, i = [], 0
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        value, i = decoder.raw_decode(text, i)
        out.extend(value if isinstance(value, list) else [value])
    return out


def seconds(result):
    for key in ("elapsed_s", "seconds"):
        if isinstance(result, dict) and key in result:
            return f"{result[key]:.2f}"
    return "?"


def summary(result):
    if not isinstance(result, dict):
        return ""
    keys = {"load": ("documents",), "cluster": ("k", "iterations", "inertia"),
            "metrics": ("silhouette", "silhouette_ci_low", "silhouette_ci_high", "calinski_harabasz",
                        "davies_bouldin", "adjusted_rand_index")}.get(result.get("command"), ())
    return ", ".join(f"{k}={result[k]:.4g}" if isinstance(result[k], float) else f"{k}={result[k]}"
                     for k in keys if result.get(k) is not None)


if __name__ == "__main__":
    main()
