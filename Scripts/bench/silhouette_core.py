#!/usr/bin/env python3
"""Times sklearn's silhouette_score on blob data and writes the same data for clus.

    python3 Scripts/bench/silhouette_core.py /tmp/sil20k          # n=20000, d=512, k=10
    CLUS_LARGE=1 CLUS_LARGE_DATA=/tmp/sil20k \
        swift test -c release --filter silhouetteLargeFinishes

Writes PREFIX.f32 (float32 row-major), PREFIX.labels (int64), PREFIX.json
(sklearn's score on the float32 data and its time). One run each: compare
ratios within one session, the machine is shared.
"""

import json
import sys
import time

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score


def main():
    prefix = sys.argv[1] if len(sys.argv) > 1 else "/tmp/sil20k"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    x, _ = make_blobs(n_samples=n, n_features=512, centers=10, random_state=0)
    x = x.astype(np.float32)
    # Labels: a fixed assignment with some overlap, not just the blob ids.
    rng = np.random.default_rng(0)
    labels = np.argmin(((x[:, :8, None] - x[rng.choice(n, 10, replace=False), :8].T[None]) ** 2).sum(1), 1).astype(np.int64)
    x.tofile(prefix + ".f32")
    labels.tofile(prefix + ".labels")
    t = time.perf_counter()
    s = silhouette_score(x, labels)
    elapsed = time.perf_counter() - t
    # float64 reference on the same float32 values, for the 1e-6 check.
    s64 = silhouette_score(x.astype(np.float64), labels)
    print(f"sklearn silhouette_score float32 input: {s:.9f} in {elapsed:.2f} s (float64 reference {s64:.9f})")
    with open(prefix + ".json", "w") as f:
        json.dump({"silhouette": float(s64), "sklearn_seconds": elapsed, "n": n, "k": int(len(np.unique(labels)))}, f)


if __name__ == "__main__":
    main()
