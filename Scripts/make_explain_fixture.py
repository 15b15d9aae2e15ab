#!/usr/bin/env python3
"""scikit-learn's values for the eight points `explain` works on, so the
tests can check that every number it shows is scikit-learn's.
Writes Tests/Golden/data/explain_reference.json."""
import json
import pathlib

import numpy as np
from sklearn import metrics

points = np.array([[1, 1], [1.5, 2], [2, 1.2], [6, 6], [6.5, 7], [7, 6], [1, 6], [1.5, 6.5]], dtype=np.float32).astype(np.float64)
labels = [0, 0, 0, 1, 1, 1, 2, 2]
truth = [0, 0, 1, 1, 1, 1, 2, 2]
reference = {
    "silhouette": metrics.silhouette_score(points, labels),
    "s_A": float(metrics.silhouette_samples(points, labels)[0]),
    "adjusted_rand_index": metrics.adjusted_rand_score(truth, labels),
    "rand_index": metrics.rand_score(truth, labels),
    "fowlkes_mallows": metrics.fowlkes_mallows_score(truth, labels),
    "normalized_mutual_info": metrics.normalized_mutual_info_score(truth, labels),
    "adjusted_mutual_info": metrics.adjusted_mutual_info_score(truth, labels),
    "homogeneity": metrics.homogeneity_score(truth, labels),
    "completeness": metrics.completeness_score(truth, labels),
    "v_measure": metrics.v_measure_score(truth, labels),
    "calinski_harabasz": metrics.calinski_harabasz_score(points, labels),
    "davies_bouldin": metrics.davies_bouldin_score(points, labels),
}
out = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Golden" / "data" / "explain_reference.json"
out.write_text(json.dumps(reference, indent=1) + "\n")
print(out)
