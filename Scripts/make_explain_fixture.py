#!/usr/bin/env python3
"""scikit-learn's values for the small data sets `explain` works on, so the
tests can check that every number it shows that scikit-learn also computes
is scikit-learn's: the indices on the eight points, k-means inertia over k,
HDBSCAN's core distances and labels and the merges of each agglomerative
linkage on the eight points with an outlier, the silhouette with and without
its noise, and the exact silhouettes of the forty grid points `explain
sample` samples from.
Writes Tests/Golden/data/explain_reference.json."""
import json
import pathlib

import numpy as np
from sklearn import metrics
from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans
from sklearn.neighbors import NearestNeighbors

names = ["A", "B", "C", "D", "E", "F", "G", "H"]
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

# explain inertia and explain elbow: the lowest inertia of k-means for each k
# (many starts, so the optimum on eight points).
inertia = {k: float(KMeans(n_clusters=k, n_init=50, random_state=0).fit(points).inertia_) for k in range(1, 8)}
reference["inertia"] = inertia[3]
reference["inertia_by_k"] = {str(k): v for k, v in inertia.items()}

# explain agglomerative, hdbscan and noise: the eight points and the outlier I.
nine = np.vstack([points, np.array([[9, 1]], dtype=np.float32).astype(np.float64)])


def merges(linkage):
    """Each merge of the tree: the two groups joined (their points' names,
    sorted) and the linkage distance; for ward the increase in inertia,
    distance² / 2 in scikit-learn's (SciPy's) heights."""
    model = AgglomerativeClustering(n_clusters=1, linkage=linkage, compute_distances=True).fit(nine)
    groups = [[name] for name in names + ["I"]]
    out = []
    for (a, b), distance in zip(model.children_, model.distances_):
        joined = sorted(["".join(groups[a]), "".join(groups[b])])
        groups.append(sorted(groups[a] + groups[b]))
        out.append({"merged": joined, "distance": float(distance**2 / 2 if linkage == "ward" else distance)})
    return out


reference["merges"] = {linkage: merges(linkage) for linkage in ["ward", "average", "complete", "single"]}
reference["agglomerative_labels"] = {
    linkage: {str(k): [int(label) for label in AgglomerativeClustering(n_clusters=k, linkage=linkage).fit(nine).labels_] for k in (2, 3)}
    for linkage in ["ward", "average", "complete", "single"]
}
# min_cluster_size=2 with min_samples 2 (its default) and 3; a core distance
# is to the min_samples-th nearest document, the document itself counting first
reference["hdbscan"] = {
    str(min_samples): {
        "labels": [int(label) for label in HDBSCAN(min_cluster_size=2, min_samples=min_samples, copy=True).fit(nine).labels_],
        "core_distances": [float(d) for d in NearestNeighbors(n_neighbors=min_samples).fit(nine).kneighbors(nine)[0][:, -1]],
    }
    for min_samples in (2, 3)
}
hdbscan = np.array(reference["hdbscan"]["2"]["labels"])
kept = hdbscan >= 0
reference["silhouette_without_noise"] = metrics.silhouette_score(nine[kept], hdbscan[kept])
reference["silhouette_noise_as_cluster"] = metrics.silhouette_score(nine, np.where(kept, hdbscan, hdbscan.max() + 1))

# explain sample: forty points on three grids of 20, 12 and 8, step 0.5.
grid, grid_labels = [], []
for cluster, (x0, y0, columns, rows) in enumerate([(1, 1, 5, 4), (6, 6, 4, 3), (1, 6, 4, 2)]):
    for r in range(rows):
        for c in range(columns):
            grid.append([x0 + 0.5 * c, y0 + 0.5 * r])
            grid_labels.append(cluster)
grid = np.array(grid, dtype=np.float32).astype(np.float64)
reference["grid_silhouette"] = metrics.silhouette_score(grid, grid_labels)
reference["grid_silhouette_samples"] = [float(s) for s in metrics.silhouette_samples(grid, grid_labels)]

out = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Golden" / "data" / "explain_reference.json"
out.write_text(json.dumps(reference, indent=1) + "\n")
print(out)
