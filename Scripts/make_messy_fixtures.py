#!/usr/bin/env python3
"""A messy vector-database export and scikit-learn's values on the documents
that have a usable vector.

Writes
  Tests/Golden/data/messy.jsonl           300 documents, 16-d `vector`, truth `query`
  Tests/Golden/data/messy.expected.json   scikit-learn's indices on the usable documents

Run from the package root:  python3 Scripts/make_messy_fixtures.py

The export is what an embedding job that failed for a few documents leaves:
7 of 300 documents (2.3%) have no usable vector:
  - 2 without the field, 1 with "vector": null,
  - 1 with 15 numbers instead of 16,
  - 1 holding a string ("embedding failed"),
  - 1 with "NaN" as a JSON string inside the array (a non-number),
  - 1 with a bare NaN token inside the array, as Python's json.dumps writes it
    (JSON has none; clus reads it inside an array of numbers only, and treats
    the vector as unusable).
3 documents have no `query` (left out of the external indices).

`_cluster_.vector.fixed` holds fixed labels for the documents with a usable
vector only (a clustering made elsewhere): `metrics alias=fixed truth=query`
must equal the values under "fixed". The blobs are far apart, so any k-means
finds the same 6 clusters: `cluster k=6` then `metrics truth=query` must equal
the values under "kmeans_6" (scikit-learn's KMeans on the same documents;
every index is invariant to how clusters are numbered).

Precision rule as in make_fixtures.py: vectors are float32 first, written as
the shortest decimal that round-trips, and scikit-learn scores the float64
copies of those float32 values.
"""

import json
import math
import os

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "Tests", "Golden", "data")
N, D, CENTERS = 300, 16, 6


def f32(v):
    """Shortest decimal that round-trips to the same float32."""
    s = np.format_float_positional(np.float32(v), unique=True, trim="0")
    assert np.float32(s) == np.float32(v), s
    return s


def vector_text(row):
    return "[" + ", ".join(f32(x) for x in row) + "]"


def purity(truth, pred):
    c = metrics.cluster.contingency_matrix(truth, pred)
    return float(c.max(axis=0).sum() / c.sum())


def scores(x64, labels, truth):
    """Internal indices on (x64, labels); external on the documents with a truth value."""
    keep = [i for i, t in enumerate(truth) if t is not None]
    t = [truth[i] for i in keep]
    p = [labels[i] for i in keep]
    return {
        "n": len(labels),
        "k": len(set(labels)),
        "missing_truth": len(labels) - len(keep),
        "silhouette": float(metrics.silhouette_score(x64, labels)),
        "calinski_harabasz": float(metrics.calinski_harabasz_score(x64, labels)),
        "davies_bouldin": float(metrics.davies_bouldin_score(x64, labels)),
        "adjusted_rand_index": float(metrics.adjusted_rand_score(t, p)),
        "rand_index": float(metrics.rand_score(t, p)),
        "normalized_mutual_info": float(metrics.normalized_mutual_info_score(t, p)),
        "adjusted_mutual_info": float(metrics.adjusted_mutual_info_score(t, p)),
        "homogeneity": float(metrics.homogeneity_score(t, p)),
        "completeness": float(metrics.completeness_score(t, p)),
        "v_measure": float(metrics.v_measure_score(t, p)),
        "fowlkes_mallows": float(metrics.fowlkes_mallows_score(t, p)),
        "purity": purity(t, p),
    }


def main():
    rng = np.random.default_rng(14)
    x, blob = make_blobs(n_samples=N, n_features=D, centers=CENTERS, cluster_std=0.6, center_box=(-20, 20), random_state=14)
    x32 = x.astype(np.float32)
    queries = [f"query {b}" for b in blob]
    # a tenth of the documents were judged under another query: the truth is not the blobs
    for i in rng.choice(N, size=N // 10, replace=False):
        queries[i] = f"query {rng.integers(CENTERS)}"
    no_query = {41, 150, 272}

    broken = {
        17: None,            # field absent
        88: None,            # field absent
        5: "null",
        123: vector_text(x32[123][:15]),
        200: json.dumps("embedding failed"),
        231: '["NaN", ' + vector_text(x32[231][1:])[1:],
        260: "[NaN, " + vector_text(x32[260][1:])[1:],
    }
    usable = [i for i in range(N) if i not in broken]

    # fixed labels for the usable documents: the blobs, 5% moved to the next cluster
    fixed = {i: int(blob[i]) for i in usable}
    for i in rng.choice(usable, size=len(usable) // 20, replace=False):
        fixed[int(i)] = (fixed[int(i)] + 1) % CENTERS

    with open(os.path.join(GOLDEN, "messy.jsonl"), "w") as out:
        for i in range(N):
            parts = [f'"_id": "doc-{i:03d}"']
            if i not in no_query:
                parts.append(f'"query": {json.dumps(queries[i])}')
            if i in broken:
                if broken[i] is not None:
                    parts.append(f'"vector": {broken[i]}')
            else:
                parts.append(f'"vector": {vector_text(x32[i])}')
                parts.append(f'"_cluster_": {{"vector": {{"fixed": "cluster_{fixed[i]}"}}}}')
            out.write("{" + ", ".join(parts) + "}\n")

    x64 = x32[usable].astype(np.float64)
    truth = [None if i in no_query else queries[i] for i in usable]
    kmeans = KMeans(n_clusters=CENTERS, n_init=10, random_state=0).fit(x64).labels_.tolist()
    # k-means must find the blobs, or clus's k-means need not agree with it
    assert metrics.adjusted_rand_score([blob[i] for i in usable], kmeans) == 1.0
    expected = {
        "documents": N,
        "without_vector": len(broken),
        "without_vector_by_reason": {"absent": 2, "null": 1, "wrong length": 1, "non-numbers": 1,
                                     "not an array": 1, "NaN/infinity": 1},
        "missing_query": len(no_query),
        "fixed": scores(x64, [fixed[i] for i in usable], truth),
        "kmeans_6": scores(x64, kmeans, truth),
        "sklearn_version": sklearn.__version__,
    }
    for block in ("fixed", "kmeans_6"):
        assert all(math.isfinite(v) for v in expected[block].values())
    with open(os.path.join(GOLDEN, "messy.expected.json"), "w") as out:
        json.dump(expected, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
