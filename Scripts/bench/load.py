#!/usr/bin/env python3
"""Loading JSON Lines of float32 vectors: clus `load` against Python's
json.loads and orjson.loads per line into a NumPy float32 array, on the same
files in the same run; prints MB/s (medians), the ratios, and clus's peak
resident memory beside the file size (the text is streamed, not held).

    python3 Scripts/bench/load.py             # 384, 768 and 1536 dims, ~200 MB files
    python3 Scripts/bench/load.py --quick     # ~40 MB files, 3 runs
    python3 Scripts/bench/load.py --dims 768 --mb 100 --runs 7

Two kinds of file per dimension, each line an _id, a query label and the
vector: "short", each number the shortest text that reads back as the same
float32 (an export from a vector database), and "17 digits", what Python
writes for float32 data (`json.dumps(v.tolist())`: 0.10000000149011612).
Files are seeded and written once to a temp folder. Builds clus in release
mode first. clus's time is the `elapsed_s` of its `load` (read, parse on all
cores, build the columns); Python's is reading the file and building the
array plus the label list. Runs alternate between the tools; the goal is
clus at least 3x orjson on every file. Other work on the machine skews the
numbers: the load average is printed.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np
import orjson

from machine import clus_load, clus_peak_rss, cpu_model

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KINDS = {"short": 11.5, "17 digits": 21.0}   # about the bytes each number takes


def write_jsonl(path, n, d, kind):
    rng = np.random.default_rng(d)
    with open(path, "w") as f:
        for start in range(0, n, 1000):
            x = rng.standard_normal((min(1000, n - start), d)).astype(np.float32)
            lines = []
            for i, row in enumerate(x, start):
                if kind == "short":
                    vector = "[" + ",".join(np.format_float_positional(v, unique=True, trim="-") for v in row) + "]"
                else:
                    vector = json.dumps(row.tolist())
                lines.append(f'{{"_id":"d{i}","query":"q{i % 50}","vector":{vector}}}\n')
            f.write("".join(lines))


def python_load(path, loads, d):
    start = time.perf_counter()
    vectors, queries = [], []
    with open(path, "rb") as f:
        for line in f:
            doc = loads(line)
            vectors.append(doc["vector"])
            queries.append(doc["query"])
    x = np.array(vectors, dtype=np.float32)
    assert x.shape[1] == d
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="~40 MB files, 3 runs")
    parser.add_argument("--dims", default="384,768,1536")
    parser.add_argument("--mb", type=float, help="about this many MB per file (default 200; 40 with --quick)")
    parser.add_argument("--runs", type=int, help="runs per tool (default 5; 3 with --quick)")
    args = parser.parse_args()
    mb_target = args.mb or (40 if args.quick else 200)
    runs = args.runs or (3 if args.quick else 5)
    subprocess.run(["swift", "build", "-c", "release", "--product", "clus"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build/release/clus")
    print(f"CPU: {cpu_model()}; {os.cpu_count()} cores; median of {runs} runs; "
          f"load average at start {os.getloadavg()[0]:.2f}")
    header = f"{'file':>22s} {'MB':>6s} | {'clus MB/s':>9s} {'json MB/s':>9s} {'orjson MB/s':>11s} | " \
             f"{'x json':>6s} {'x orjson':>8s} | {'clus peak RSS':>13s}"
    print(header)
    print("-" * len(header))
    worst = None
    for d in (int(v) for v in args.dims.split(",")):
        for kind, bytes_per_number in KINDS.items():
            n = int(mb_target * 1e6 / (d * bytes_per_number + 40))
            tag = "short" if kind == "short" else "long"
            path = os.path.join(tempfile.gettempdir(), f"clus-bench-load-{tag}-{n}x{d}.jsonl")
            if not os.path.exists(path):
                write_jsonl(path + ".part", n, d, kind)
                os.replace(path + ".part", path)
            mb = os.path.getsize(path) / 1e6
            times = {"clus": [], "json": [], "orjson": []}
            for _ in range(runs):
                times["clus"].append(clus_load(binary, path, n))
                times["json"].append(python_load(path, json.loads, d))
                times["orjson"].append(python_load(path, orjson.loads, d))
            median = {k: statistics.median(v) for k, v in times.items()}
            rss = clus_peak_rss(binary, path)
            ratio = median["orjson"] / median["clus"]
            worst = ratio if worst is None else min(worst, ratio)
            print(f"{f'{d}-d {kind}':>22s} {mb:6.0f} | {mb / median['clus']:9.0f} {mb / median['json']:9.0f} "
                  f"{mb / median['orjson']:11.0f} | {median['json'] / median['clus']:6.1f} {ratio:8.1f} | "
                  f"{rss / 1e6:10.0f} MB", flush=True)
    print(f"load average at end {os.getloadavg()[0]:.2f}; lowest clus/orjson ratio {worst:.1f} (goal: at least 3)")


if __name__ == "__main__":
    main()
