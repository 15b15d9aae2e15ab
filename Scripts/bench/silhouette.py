#!/usr/bin/env python3
"""clus `metrics` (exact silhouette) against scikit-learn's silhouette_score,
on the same data in the same run; prints medians and the ratio.

    python3 Scripts/bench/silhouette.py [N ...]      # default 20000; d=512, k=10

Builds clus in release mode first. The data are make_blobs points (float32,
seed 0) written as JSON Lines with their labels under
_cluster_.embedding.blobs, so clus reads exactly the values sklearn gets.
clus's time is the `elapsed_s` of its `metrics` command, which also computes
Calinski-Harabasz and Davies-Bouldin (two linear passes); scikit-learn's is
silhouette_score alone. Runs alternate between the two tools, 3 each.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNS = 3


def write_jsonl(path, x, labels):
    with open(path, "w") as f:
        for i, (row, label) in enumerate(zip(x, labels)):
            vector = ",".join(np.format_float_positional(v, unique=True, trim="-") for v in row)
            f.write(f'{{"_id":"d{i}","embedding":[{vector}],"_cluster_":{{"embedding":{{"blobs":"cluster_{label}"}}}}}}\n')


def clus_metrics(binary, path):
    out = subprocess.run([binary, "--format", "json", "-c", f'load "{path}"; metrics alias=blobs'],
                         check=True, capture_output=True, text=True).stdout.splitlines()
    result = json.loads(out[-1])
    return result["elapsed_s"], result["silhouette"]


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [20000]
    subprocess.run(["swift", "build", "-c", "release", "--product", "clus"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "clus")
    print(f"{'n':>7} {'d':>4} {'k':>3}  {'clus s':>8} {'sklearn s':>9} {'ratio':>6}  silhouette (clus / sklearn)")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            x, labels = make_blobs(n_samples=n, n_features=512, centers=10, cluster_std=8.0, random_state=0)
            x = x.astype(np.float32)
            path = os.path.join(tmp, f"blobs{n}.jsonl")
            write_jsonl(path, x, labels)
            ours, theirs = [], []
            for _ in range(RUNS):
                seconds, s_clus = clus_metrics(binary, path)
                ours.append(seconds)
                start = time.perf_counter()
                s_sklearn = silhouette_score(x, labels)
                theirs.append(time.perf_counter() - start)
            a, b = statistics.median(ours), statistics.median(theirs)
            print(f"{n:>7} {512:>4} {10:>3}  {a:>8.2f} {b:>9.2f} {b / a:>5.1f}x  {s_clus:.7f} / {s_sklearn:.7f}")


if __name__ == "__main__":
    main()
