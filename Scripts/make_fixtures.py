#!/usr/bin/env python3
"""Reference fixtures for clus's metric core, computed by scikit-learn.

Writes
  Tests/ClusCoreTests/Fixtures/<dataset>.json   unit-test fixtures (ClusCore)
  Tests/ClusCoreTests/Fixtures/edge_cases.json  small hand-made labelings
  Tests/Golden/data/iris.jsonl, blobs512.jsonl  documents for the shell's golden tests
  Tests/Golden/data/iris.expected.json, blobs512.expected.json

Run from the package root:  python3 Scripts/make_fixtures.py

Precision rule: every X is cast to float32 FIRST (clus stores Float32); every
reference value is then computed by scikit-learn on X.astype(float64) of those
same float32 values. The float32 values are written as the shortest decimal
that round-trips to the same float32 (checked below), so tests need no Python.

Golden iris rule (documents with missing fields):
  - documents 10 and 60 have no `_cluster_` (no label for the alias);
  - documents 20, 75 and 130 have no `target` (and no `species`).
  Internal metrics (silhouette, Calinski-Harabasz, Davies-Bouldin) use every
  document that has a label for the alias (148 here; this is `n`); external
  metrics additionally drop the documents missing the truth field (145 left),
  and `missing_truth` reports how many were dropped (3).
"""

import json
import os
import sys

import numpy as np
import sklearn
from sklearn import datasets, metrics
from sklearn.cluster import KMeans

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "ClusCoreTests", "Fixtures")
GOLDEN = os.path.join(ROOT, "Tests", "Golden", "data")
AVERAGES = ["arithmetic", "geometric", "min", "max"]
SILHOUETTE_METRICS = ["euclidean", "cosine", "manhattan", "sqeuclidean"]


def f32(v):
    """Shortest decimal that round-trips to the same float32."""
    s = np.format_float_positional(np.float32(v), unique=True, trim="0")
    # Either parser path (decimal->float32, or decimal->double->float32) must give v.
    assert np.float32(s) == np.float32(v) and np.float32(float(s)) == np.float32(v), s
    return s


class Raw(str):
    """A number already formatted; emitted verbatim into JSON."""


def dumps(obj):
    """JSON with Raw strings written as bare numbers and floats as repr (round-trip)."""
    if isinstance(obj, Raw):
        return str(obj)
    if isinstance(obj, dict):
        return "{" + ", ".join(json.dumps(k) + ": " + dumps(v) for k, v in obj.items()) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ", ".join(dumps(v) for v in obj) + "]"
    if isinstance(obj, (bool, np.bool_)):
        return "true" if obj else "false"
    if isinstance(obj, (int, np.integer)):
        return str(int(obj))
    if isinstance(obj, (float, np.floating)):
        v = float(obj)
        assert np.isfinite(v), v
        return repr(v)
    if obj is None:
        return "null"
    return json.dumps(obj)


def rows32(x32):
    return [[Raw(f32(v)) for v in row] for row in x32]


def purity(truth, pred):
    c = metrics.cluster.contingency_matrix(truth, pred)
    return float(c.max(axis=0).sum() / c.sum())


def inverse_purity(truth, pred):
    c = metrics.cluster.contingency_matrix(truth, pred)
    return float(c.max(axis=1).sum() / c.sum())


def external(truth, pred):
    truth = np.asarray(truth)
    pred = np.asarray(pred)
    h, c, v = metrics.homogeneity_completeness_v_measure(truth, pred)
    cont = metrics.cluster.contingency_matrix(truth, pred)
    return {
        "adjusted_rand_index": metrics.adjusted_rand_score(truth, pred),
        "rand_index": metrics.rand_score(truth, pred),
        "mutual_info": metrics.mutual_info_score(truth, pred),
        "nmi": {a: metrics.normalized_mutual_info_score(truth, pred, average_method=a) for a in AVERAGES},
        "ami": {a: metrics.adjusted_mutual_info_score(truth, pred, average_method=a) for a in AVERAGES},
        "homogeneity": h,
        "completeness": c,
        "v_measure": v,
        "v_measure_beta_0_5": metrics.v_measure_score(truth, pred, beta=0.5),
        "fowlkes_mallows": metrics.fowlkes_mallows_score(truth, pred),
        "purity": purity(truth, pred),
        "inverse_purity": inverse_purity(truth, pred),
        "contingency": {
            "truth_classes": sorted(int(t) for t in set(truth.tolist())),
            "clusters": sorted(int(t) for t in set(pred.tolist())),
            "counts": [int(v) for v in cont.ravel()],
        },
    }


def internal(x64, labels, samples=True):
    out = {
        "silhouette": {m: metrics.silhouette_score(x64, labels, metric=m) for m in SILHOUETTE_METRICS},
        "calinski_harabasz": metrics.calinski_harabasz_score(x64, labels),
        "davies_bouldin": metrics.davies_bouldin_score(x64, labels),
    }
    if samples:
        out["silhouette_samples_euclidean"] = metrics.silhouette_samples(x64, labels).tolist()
    return out


def load_datasets():
    out = {}
    for name, loader in [
        ("iris", datasets.load_iris),
        ("wine", datasets.load_wine),
        ("breast_cancer", datasets.load_breast_cancer),
        ("digits", datasets.load_digits),
    ]:
        d = loader()
        out[name] = (d.data.astype(np.float32), d.target.astype(np.int64), list(getattr(d, "target_names", [])))
    # cluster_std=30: overlapping blobs, so the external indices are not all 1
    # and the silhouette is low, as with real high-dimensional embeddings.
    x, y = datasets.make_blobs(n_samples=400, n_features=512, centers=6, cluster_std=30.0, random_state=0)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    out["blobs512"] = (x.astype(np.float32), y.astype(np.int64), [])
    return out


def kmeans_labels(x64, k):
    return KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(x64).astype(np.int64)


def write(path, obj):
    with open(path, "w") as f:
        f.write(dumps(obj))
        f.write("\n")


def dataset_fixture(name, x32, truth):
    x64 = x32.astype(np.float64)
    k = len(np.unique(truth))
    labels = kmeans_labels(x64, k)
    expected = internal(x64, labels)
    expected.update(external(truth, labels))
    write(
        os.path.join(FIXTURES, f"{name}.json"),
        {
            "name": name,
            "sklearn_version": sklearn.__version__,
            "n": int(x32.shape[0]),
            "d": int(x32.shape[1]),
            "k": k,
            "x": rows32(x32),
            "labels": labels.tolist(),
            "truth": truth.tolist(),
            "expected": expected,
        },
    )
    return labels


def edge_cases():
    """Small labelings at sklearn's special cases."""
    x6 = np.array([[0, 0], [0, 1], [1, 0], [5, 5], [5, 6], [9, 9]], dtype=np.float32)
    xdup = np.array([[1, 2], [1, 2], [1, 2], [1, 2]], dtype=np.float32)
    x8 = np.array([[0, 0], [1, 1], [0, 1], [8, 8], [9, 8], [4, 4], [4, 5], [-3, 2]], dtype=np.float32)
    cases = [
        ("singleton_cluster", x6, [0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 1, 1]),
        ("one_cluster_truth", x6, [0, 0, 1, 1, 2, 2], [4, 4, 4, 4, 4, 4]),
        ("all_distinct_labels", x6, [0, 1, 2, 3, 4, 5], [0, 0, 0, 1, 1, 1]),
        ("all_distinct_truth", x6, [0, 0, 0, 1, 1, 1], [9, 8, 7, 6, 5, 4]),
        ("both_one_cluster", x6, [3, 3, 3, 3, 3, 3], [1, 1, 1, 1, 1, 1]),
        ("unusual_values", x8, [-1, 7, 3, 7, -1, 3, 3, 7], [5, 5, -2, 0, 5, -2, 0, 0]),
        ("identical_renamed", x8, [2, 2, 0, 0, 1, 1, 5, 5], [-7, -7, 1, 1, 3, 3, 0, 0]),
        ("duplicate_points", xdup, [0, 0, 1, 1], [0, 1, 0, 1]),
        ("independent", x8, [0, 1, 0, 1, 0, 1, 0, 1], [0, 0, 0, 0, 1, 1, 1, 1]),
    ]
    out = []
    for name, x32, labels, truth in cases:
        x64 = x32.astype(np.float64)
        k = len(set(labels))
        case = {"name": name, "x": rows32(x32), "labels": labels, "truth": truth}
        expected = external(truth, labels)
        if 1 < k < len(labels):
            expected.update(internal(x64, np.array(labels)))
        case["expected"] = expected
        out.append(case)
    write(os.path.join(FIXTURES, "edge_cases.json"), {"sklearn_version": sklearn.__version__, "cases": out})


def scores(x64, labels, truth, k, alias, missing_truth):
    """The json keys of `metrics` (README, Grammar.md) for one labelling."""
    return {
        "alias": alias,
        "n": int(len(labels)),
        "k": k,
        "missing_truth": missing_truth,
        "silhouette": metrics.silhouette_score(x64, labels),
        "silhouette_by_metric": {m: metrics.silhouette_score(x64, labels, metric=m) for m in SILHOUETTE_METRICS},
        "calinski_harabasz": metrics.calinski_harabasz_score(x64, labels),
        "davies_bouldin": metrics.davies_bouldin_score(x64, labels),
    }


def golden(name, x32, truth, labels, vector_field, target_names, drop_cluster, drop_truth):
    k = len(np.unique(labels))
    alias = f"kmeans_{k}"
    lines = []
    for i, row in enumerate(x32):
        doc = {"_id": f"{name}-{i}"}
        if i not in drop_truth:
            doc["target"] = int(truth[i])
            if target_names:
                doc["species"] = str(target_names[truth[i]])
        doc[vector_field] = [Raw(f32(v)) for v in row]
        if i not in drop_cluster:
            doc["_cluster_"] = {vector_field: {alias: f"cluster_{int(labels[i])}"}}
        lines.append(dumps(doc))
    with open(os.path.join(GOLDEN, f"{name}.jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")

    # (a) internal metrics: documents with a label for the alias.
    keep = np.array([i not in drop_cluster for i in range(len(labels))])
    x64 = x32.astype(np.float64)[keep]
    lab = labels[keep]
    tru = truth[keep]
    # (b) external metrics: of those, the documents that have the truth field.
    has_truth = np.array([i not in drop_truth for i in range(len(labels))])[keep]
    t, p = tru[has_truth], lab[has_truth]
    out = scores(x64, lab, tru, k, alias, int((~has_truth).sum()))
    ext = external(t, p)
    out.update(
        {
            "truth": "target",
            "vector_field": vector_field,
            "adjusted_rand_index": ext["adjusted_rand_index"],
            "rand_index": ext["rand_index"],
            "normalized_mutual_info": ext["nmi"]["arithmetic"],
            "adjusted_mutual_info": ext["ami"]["arithmetic"],
            "homogeneity": ext["homogeneity"],
            "completeness": ext["completeness"],
            "v_measure": ext["v_measure"],
            "fowlkes_mallows": ext["fowlkes_mallows"],
            "purity": ext["purity"],
            # for `metrics average=` and `beta=`
            "nmi_by_average": ext["nmi"],
            "ami_by_average": ext["ami"],
            "v_measure_beta_0_5": ext["v_measure_beta_0_5"],
            "sklearn_version": sklearn.__version__,
        }
    )
    write(os.path.join(GOLDEN, f"{name}.expected.json"), out)


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    os.makedirs(GOLDEN, exist_ok=True)
    data = load_datasets()
    labels = {}
    for name, (x32, truth, _) in data.items():
        labels[name] = dataset_fixture(name, x32, truth)
        print(name, x32.shape, file=sys.stderr)
    edge_cases()
    x32, truth, names = data["iris"]
    golden("iris", x32, truth, labels["iris"], "features", names, {10, 60}, {20, 75, 130})
    x32, truth, _ = data["blobs512"]
    golden("blobs512", x32, truth, labels["blobs512"], "embedding", [], set(), set())


if __name__ == "__main__":
    main()
