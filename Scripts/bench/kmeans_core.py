#!/usr/bin/env python3
"""Times scikit-learn's k-means on n=100,000 × d=512 float32 blobs (k=10) and
writes the same data to bench-data/kmeans_100k_512.f32 (raw little-endian
float32, row-major) for the Swift side:

    python3 Scripts/bench/kmeans_core.py
    CLUS_LARGE=1 swift test -c release -Xswiftc -enable-testing --filter KMeansBenchmark

Per-iteration time is (t(21 iterations) - t(1 iteration)) / 20 from the same
initial centres with tol=0, so fixed costs (copying, centring) cancel out.
"""
import time
from pathlib import Path

import numpy as np
from sklearn.cluster import KMeans, kmeans_plusplus
from sklearn.datasets import make_blobs

N, D, K = 100_000, 512, 10
OUT = Path(__file__).resolve().parent.parent / "bench-data" / "kmeans_100k_512.f32"


def best_of(repeats, f):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        value = f()
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    # Overlapping blobs, so Lloyd keeps moving for 20+ iterations.
    x, _ = make_blobs(n_samples=N, n_features=D, centers=K, cluster_std=60.0, random_state=0)
    x = np.ascontiguousarray(x, dtype=np.float32)
    OUT.parent.mkdir(exist_ok=True)
    x.tofile(OUT)

    t_init, (centres, _) = best_of(3, lambda: kmeans_plusplus(x, K, random_state=0))
    print(f"sklearn k-means++ init: {t_init * 1000:.1f} ms")

    def fit(iterations):
        return KMeans(K, init=centres, n_init=1, max_iter=iterations, tol=0, algorithm="lloyd").fit(x)

    t1, m1 = best_of(3, lambda: fit(1))
    t21, m21 = best_of(3, lambda: fit(21))
    per = (t21 - t1) / (m21.n_iter_ - m1.n_iter_)
    print(f"sklearn Lloyd: {per * 1000:.1f} ms per iteration "
          f"(fit 1 iteration {t1 * 1000:.0f} ms, {m21.n_iter_} iterations {t21 * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
