#!/usr/bin/env python3
"""scikit-learn's external indices for the two clusterings the internal ones
refuse: one cluster, and one cluster per document.

Reads Tests/Golden/data/iris.jsonl and writes
Tests/Golden/data/iris_degenerate.expected.json, which ReferenceValueTests
compares with `metrics truth=target` on `cluster k=1` and on agglomerative
clustering with k = n (the documents that have `target`), and with
`compare kmeans_3 B` for those two B (the documents labelled kmeans_3, as
labels_true). Run: python3 Scripts/make_degenerate_fixture.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn import metrics

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "Tests", "Golden", "data")


def external(truth, pred, average="arithmetic"):
    return {
        "adjusted_rand_index": metrics.adjusted_rand_score(truth, pred),
        "rand_index": metrics.rand_score(truth, pred),
        "normalized_mutual_info": metrics.normalized_mutual_info_score(truth, pred, average_method=average),
        "adjusted_mutual_info": metrics.adjusted_mutual_info_score(truth, pred, average_method=average),
        "homogeneity": metrics.homogeneity_score(truth, pred),
        "completeness": metrics.completeness_score(truth, pred),
        "v_measure": metrics.v_measure_score(truth, pred),
        "fowlkes_mallows": metrics.fowlkes_mallows_score(truth, pred),
    }


def main():
    with open(os.path.join(DATA, "iris.jsonl")) as f:
        docs = [json.loads(line) for line in f if line.strip()]
    truth = np.array([d["target"] for d in docs if "target" in d])
    n = len(truth)
    # compare kmeans_3 B: the documents with a kmeans_3 label, in file order
    kmeans = np.array([int(d["_cluster_"]["features"]["kmeans_3"].split("_")[1])
                       for d in docs if "_cluster_" in d])
    m = len(kmeans)
    out = {
        "documents": len(docs),
        "n": int(n),
        "one_cluster": external(truth, np.zeros(n, dtype=int)),
        "one_per_document": external(truth, np.arange(n)),
        "compare_one_cluster": external(kmeans, np.zeros(m, dtype=int)),
        "compare_one_per_document": external(kmeans, np.arange(m)),
        "compare_one_per_document_geometric": external(kmeans, np.arange(m), "geometric"),
        "sklearn_version": sklearn.__version__,
    }
    with open(os.path.join(DATA, "iris_degenerate.expected.json"), "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
