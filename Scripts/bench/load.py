#!/usr/bin/env python3
"""Loading JSON Lines with 512-d float vectors: clus `load` against Python's
json.loads per line into a NumPy float32 array, and orjson the same way, on
the same file in the same run; prints MB/s (medians) and the ratios.

    python3 Scripts/bench/load.py [N]      # default 20000 documents, d=512

Builds clus in release mode first. The file (seeded, written once to a temp
folder) holds an _id, a query label and a 512-d float32 vector per line, the
vectors printed as their shortest float32 text (as an export from a vector
database would). clus's time is the `elapsed_s` of its `load` command (read,
parse, build columns); Python's is reading the file and building the array
plus the label list. Runs alternate between the tools, 5 each; `uptime`'s
load average is printed, since other work on the machine skews the numbers.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import orjson

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNS = 5
D = 512


def write_jsonl(path, n):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, D)).astype(np.float32)
    with open(path, "w") as f:
        for i, row in enumerate(x):
            vector = ",".join(np.format_float_positional(v, unique=True, trim="-") for v in row)
            f.write(f'{{"_id":"d{i}","query":"q{i % 50}","vector":[{vector}]}}\n')


def clus_load(binary, path):
    out = subprocess.run([binary, "--format", "json", "-c", f'load "{path}"'],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    result = json.loads(out[-1])
    assert result["documents"] > 0
    return result["elapsed_s"]


def python_load(path, loads):
    start = time.perf_counter()
    vectors, queries = [], []
    with open(path, "rb") as f:
        for line in f:
            doc = loads(line)
            vectors.append(doc["vector"])
            queries.append(doc["query"])
    x = np.array(vectors, dtype=np.float32)
    assert x.shape[1] == D
    return time.perf_counter() - start


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    subprocess.run(["swift", "build", "-c", "release", "--product", "clus"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build/release/clus")
    path = os.path.join(tempfile.gettempdir(), f"clus-bench-load-{n}x{D}.jsonl")
    if not os.path.exists(path):
        write_jsonl(path + ".part", n)
        os.replace(path + ".part", path)
    mb = os.path.getsize(path) / 1e6
    times = {"clus": [], "python json": [], "orjson": []}
    for _ in range(RUNS):
        times["clus"].append(clus_load(binary, path))
        times["python json"].append(python_load(path, json.loads))
        times["orjson"].append(python_load(path, orjson.loads))
    print(f"load {n} documents x {D}-d, {mb:.1f} MB, median of {RUNS}; load average {os.getloadavg()[0]:.2f}")
    median = {k: statistics.median(v) for k, v in times.items()}
    for name, t in median.items():
        print(f"  {name:12s} {t:7.3f} s  {mb / t:8.1f} MB/s")
    print(f"  clus is {median['python json'] / median['clus']:.1f}x python json, "
          f"{median['orjson'] / median['clus']:.1f}x orjson")


if __name__ == "__main__":
    main()
