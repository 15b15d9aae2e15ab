#!/usr/bin/env python3
"""clus vs scikit-learn on the same data, in one run: HDBSCAN (min_cluster_size=5,
the default of both) and AgglomerativeClustering(linkage="ward", k=10), at
n = 5,000 and 20,000, d = 384. Prints the CPU model, the median times, the
ratio (scikit-learn / clus; above 1 means clus is faster) and whether both
found the same partition (ARI between their labels, noise counted as a label).

    python3 Scripts/bench/hierarchy.py            # n = 5,000 and 20,000 (about 10 minutes)
    python3 Scripts/bench/hierarchy.py --quick    # n = 2,000 and 5,000, one data kind
    python3 Scripts/bench/hierarchy.py --n 20000 --data embeddings --repeats 3

Data, float32, written to bench-data/hier_*.npy:
  blobs       make_blobs, 20 centres with spreads from 1.5 to 4 (clusters
              HDBSCAN can find in 384 dimensions, and noise between them);
  embeddings  sentence-embedding-like unit vectors: 50 topic directions, each
              document its topic plus Gaussian noise of its own strength, scaled
              to unit length (Euclidean distance on unit vectors, as cosine).
clus runs as the release binary (`swift build -c release` first): `load`,
then `cluster`, timed by its own elapsed_s (the computation, not the load);
scikit-learn and clus alternate, each `--repeats` times (scikit-learn once at
n > 10,000 unless --repeats-large says otherwise).
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
from pathlib import Path

import numpy as np
from sklearn.cluster import HDBSCAN, AgglomerativeClustering
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from machine import cpu_model, median_time

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "bench-data"
CLUS = ROOT / ".build" / "release" / "clus"
D = 384


def make_data(kind: str, n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    if kind == "blobs":
        spreads = np.linspace(1.5, 4.0, 20)
        x, _ = make_blobs(n_samples=n, n_features=D, centers=20, cluster_std=spreads, random_state=0)
    else:
        topics = rng.normal(size=(50, D))
        topics /= np.linalg.norm(topics, axis=1, keepdims=True)
        which = rng.integers(0, 50, size=n)
        noise = rng.normal(size=(n, D)) * rng.uniform(0.02, 0.08, size=(n, 1))
        x = topics[which] + noise
        x /= np.linalg.norm(x, axis=1, keepdims=True)
    return np.ascontiguousarray(x, dtype=np.float32)


def run_clus(path: Path, command: str) -> tuple[float, np.ndarray]:
    """Seconds `command` took by clus's own clock, and its labels (via export)."""
    labels_path = path.with_suffix(".labels.csv")
    script = f'load "{path}"; {command} alias=run; export "{labels_path}" format=csv'
    out = subprocess.run([str(CLUS), "--format", "json", "--threads", str(os.cpu_count()), "-c", script],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"clus failed: {out.stdout[-2000:]} {out.stderr[-2000:]}")
    seconds = None
    for line in out.stdout.splitlines():
        result = json.loads(line)
        if result.get("command") == "cluster":
            seconds = result["elapsed_s"]
    with open(labels_path, newline="") as f:
        rows = list(csv.DictReader(f))
    column = [c for c in rows[0] if "run" in c][0]
    labels = np.array([row[column].replace("cluster_", "") for row in rows])
    return seconds, labels


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", default="5000,20000", help="documents, comma-separated")
    p.add_argument("--data", default="blobs,embeddings", help="blobs, embeddings or both")
    p.add_argument("--methods", default="hdbscan,ward")
    p.add_argument("--repeats", type=int, default=3, help="runs of each side (median)")
    p.add_argument("--repeats-large", type=int, default=1, help="scikit-learn runs at n > 10,000")
    p.add_argument("--quick", action="store_true", help="n = 2,000 and 5,000, blobs only, one run")
    a = p.parse_args()
    if a.quick:
        a.n, a.data, a.repeats = "2000,5000", "blobs", 1
    if not CLUS.exists():
        raise SystemExit(f"{CLUS} missing: run `swift build -c release` first")
    DATA.mkdir(exist_ok=True)
    print(f"CPU: {cpu_model()}; {os.cpu_count()} threads; d = {D}")
    rows = []
    for kind in a.data.split(","):
        for n in [int(v) for v in a.n.split(",")]:
            x = make_data(kind, n)
            path = DATA / f"hier_{kind}_{n}.npy"
            np.save(path, x)
            x64 = x.astype(np.float64)
            for method in a.methods.split(","):
                if method == "hdbscan":
                    reference = lambda: HDBSCAN(min_cluster_size=5, copy=True).fit(x64).labels_
                    command = "cluster method=hdbscan"
                else:
                    reference = lambda: AgglomerativeClustering(10, linkage="ward").fit(x).labels_
                    command = "cluster method=agglomerative linkage=ward k=10"
                sk_runs = a.repeats if n <= 10000 else min(a.repeats, a.repeats_large)
                sk_times, clus_times, sk_labels, clus_labels = [], [], None, None
                for r in range(max(a.repeats, sk_runs)):
                    if r < sk_runs:
                        t, sk_labels = median_time(1, reference)
                        sk_times.append(t)
                    t, clus_labels = run_clus(path, command)
                    clus_times.append(t)
                sk, cl = statistics.median(sk_times), statistics.median(clus_times)
                ari = adjusted_rand_score(sk_labels.astype(str), clus_labels)
                found = len(set(sk_labels) - {-1})
                noise = int(np.sum(sk_labels == -1))
                print(f"  {kind} n={n} {method}: scikit-learn {sk:.2f} s, clus {cl:.2f} s, "
                      f"ratio {sk / cl:.1f}×, ARI {ari:.6f} ({found} clusters, {noise} noise)", flush=True)
                rows.append((kind, n, method, sk, len(sk_times), cl, len(clus_times), ari))
    load = os.getloadavg()
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; ratio = scikit-learn / clus; "
          f"ARI = agreement of the two labelings (1 = same partition)")
    print("| data | n | method | scikit-learn | clus | ratio | ARI |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for kind, n, method, sk, skr, cl, clr, ari in rows:
        print(f"| {kind} | {n:,} | {method} | {sk:.2f} s (×{skr}) | {cl:.2f} s (×{clr}) | {sk / cl:.1f}× | {ari:.6f} |")


if __name__ == "__main__":
    main()
