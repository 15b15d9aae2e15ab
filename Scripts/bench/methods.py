#!/usr/bin/env python3
"""clus vs scikit-learn (and faiss, when installed from PyPI) on the same data,
in one run: k-means++ init and Lloyd time per iteration, mini-batch k-means,
agglomerative ward, HDBSCAN. Prints medians and the ratio (reference / clus;
above 1 means clus is faster).

    python3 Scripts/bench/methods.py                 # the issue's sizes (minutes)
    python3 Scripts/bench/methods.py --quick         # small sizes, to try it out
    python3 Scripts/bench/methods.py --kmeans-n 10000,100000 --ks 10,100 \
        --minibatch-n 1000000 --ward-n 5000,20000 --hdbscan-n 10000 --repeats 3

Data: make_blobs float32, d = 512 (overlapping for k-means, so Lloyd keeps
moving), written raw to bench-data/*.f32. The clus side runs
`swift test -c release --filter MethodBenchmark` (built with -enable-testing)
on a plan file, so both sides time the same arrays in-process.
Per-iteration time is (t(21 iterations) - t(1 iteration)) / 20 from the same
starting centres with tol = 0, so fixed costs cancel out. scikit-learn's
Lloyd is timed twice: algorithm="lloyd" and algorithm="elkan" (its bounded
variant, the fair reference for clus's Hamerly bounds).
"""
import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans, MiniBatchKMeans, kmeans_plusplus
from sklearn.datasets import make_blobs

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "bench-data"
D = 512

try:
    import faiss
except ImportError:
    faiss = None


def median_time(repeats, f):
    times, value = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        value = f()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def data(name, n, centres, std):
    path = DATA / f"{name}_{n}.f32"
    x, _ = make_blobs(n_samples=n, n_features=D, centers=centres, cluster_std=std, random_state=0)
    x = np.ascontiguousarray(x, dtype=np.float32)
    DATA.mkdir(exist_ok=True)
    x.tofile(path)
    return x, path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kmeans-n", default="10000,100000")
    p.add_argument("--ks", default="10,100")
    p.add_argument("--minibatch-n", default="1000000")
    p.add_argument("--ward-n", default="5000,20000")
    p.add_argument("--hdbscan-n", default="10000")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="small sizes")
    a = p.parse_args()
    if a.quick:
        a.kmeans_n, a.minibatch_n, a.ward_n, a.hdbscan_n = "10000", "100000", "2000", "2000"
    ints = lambda s: [int(v) for v in s.split(",") if v]
    r = a.repeats
    plan, rows = [], []  # plan lines for Swift; rows: (case, reference name, reference seconds)

    for n in ints(a.kmeans_n):
        x, path = data("kmeans", n, 10, 60.0)
        for k in ints(a.ks):
            t_init, (centres, _) = median_time(r, lambda: kmeans_plusplus(x, k, random_state=0))
            rows.append((f"k-means++ init n={n} k={k}", "scikit-learn", t_init))
            # Lloyd's plain iteration, then scikit-learn's own bounded one (Elkan's).
            for algorithm, name in (("lloyd", "scikit-learn"), ("elkan", "scikit-learn elkan")):
                fit = lambda it: KMeans(k, init=centres, n_init=1, max_iter=it, tol=0, algorithm=algorithm).fit(x)
                t1, m1 = median_time(r, lambda: fit(1))
                t21, m21 = median_time(r, lambda: fit(21))
                per = (t21 - t1) / max(1, m21.n_iter_ - m1.n_iter_)
                rows.append((f"Lloyd per iteration n={n} k={k}", name, per))
            if faiss is not None:
                def faiss_fit(it):
                    km = faiss.Kmeans(D, k, niter=it, seed=0, max_points_per_centroid=1 << 30)
                    km.train(x, init_centroids=np.ascontiguousarray(centres, dtype=np.float32))
                f1, _ = median_time(r, lambda: faiss_fit(1))
                f21, _ = median_time(r, lambda: faiss_fit(21))
                rows.append((f"Lloyd per iteration n={n} k={k}", "faiss", (f21 - f1) / 20))
            plan.append(f"kmeans {path} {n} {k}")

    for n in ints(a.minibatch_n):
        x, path = data("minibatch", n, 10, 60.0)
        t, _ = median_time(r, lambda: MiniBatchKMeans(10, random_state=0, n_init=1, batch_size=1024).fit(x))
        rows.append((f"mini-batch k-means n={n} k=10 (fit)", "scikit-learn", t))
        plan.append(f"minibatch {path} {n} 10")

    for n in ints(a.ward_n):
        x, path = data("ward", n, 10, 20.0)
        t, _ = median_time(1 if n > 10000 else r, lambda: AgglomerativeClustering(10, linkage="ward").fit(x))
        rows.append((f"agglomerative ward n={n} k=10", "scikit-learn", t))
        plan.append(f"ward {path} {n} 10")

    for n in ints(a.hdbscan_n):
        x, path = data("hdbscan", n, 10, 20.0)
        t, _ = median_time(1 if n > 5000 else r, lambda: HDBSCAN(min_cluster_size=5, copy=True).fit(x))
        rows.append((f"HDBSCAN n={n} min_cluster_size=5", "scikit-learn", t))
        plan.append(f"hdbscan {path} {n} 5")

    plan_path = DATA / "plan.txt"
    plan_path.write_text("\n".join(plan) + "\n")
    env = dict(os.environ, CLUS_BENCH=str(plan_path), CLUS_BENCH_REPEATS=str(r))
    out = subprocess.run(["swift", "test", "-c", "release", "-Xswiftc", "-enable-testing",
                          "--filter", "MethodBenchmark"], cwd=ROOT, env=env, capture_output=True, text=True)
    clus = {}
    for line in out.stdout.splitlines():
        if line.startswith("BENCH\t"):
            _, case, seconds = line.split("\t")
            clus[case] = float(seconds)
    if not clus:
        print(out.stdout[-3000:], out.stderr[-3000:])
        raise SystemExit("the clus side printed no timings")

    load = os.getloadavg()
    print(f"median of {r} runs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; ratio = reference / clus")
    print(f"| case | clus | reference | reference time | ratio |")
    print(f"|---|---:|---|---:|---:|")
    for case, ref, t in rows:
        c = clus.get(case)
        cs = f"{c * 1000:.1f} ms" if c is not None else "n/a"
        ratio = f"{t / c:.1f}×" if c else "n/a"
        print(f"| {case} | {cs} | {ref} | {t * 1000:.1f} ms | {ratio} |")


if __name__ == "__main__":
    main()
