#!/usr/bin/env python3
"""Writes the fixtures of the other clustering methods, with scikit-learn's answers.

Each fixture is Tests/ClusCoreTests/Fixtures/method_<name>.json with
{"name", "k", "x": [[...]] (float32 values written exactly), and per method:
  "spherical_objective": the sum of cosine distances 1 - cos(x, c) of
      scikit-learn's KMeans(k, n_init=10, random_state=0) on the rows scaled to
      unit length, with c the unit-scaled means of its clusters (the
      reference scikit-learn users would build, as it has no spherical k-means);
  "minibatch_inertia": MiniBatchKMeans(k, random_state=0, n_init=1) inertia;
  "kmeans_inertia": KMeans(k, n_init=10, random_state=0) inertia;
  "agglomerative": {"<linkage>_<metric>": labels} from AgglomerativeClustering;
  "hdbscan": {"mcs<m>_ms<s>": labels} from sklearn.cluster.HDBSCAN (-1 = noise),
      with its spanning-tree edges sorted stably (see below);
  "hdbscan_tie_dependent": {"mcs<m>_ms<s>": documents whose label differs in
      scikit-learn as shipped}}.
scikit-learn sorts the spanning tree's edges with np.argsort's default
(unstable) quicksort; mutual reachability distances tie often (each is often
a core distance), and the order of tied edges decides which cluster a
boundary document joins. The reference therefore sorts stably (edges in the
order Prim's algorithm found them), which is what clus does; where that
changes scikit-learn's answer the fixture says for how many documents.
Every computation runs on the float32 values cast to float64.

Usage: python3 Scripts/make_method_fixtures.py
"""
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans, MiniBatchKMeans
from sklearn.cluster._hdbscan import hdbscan as hdbscan_module
from sklearn.cluster._hdbscan._linkage import make_single_linkage
from sklearn.datasets import load_wine, make_blobs

from make_kmeans_fixtures import exact_decimal

OUT = Path(__file__).resolve().parent.parent / "Tests" / "ClusCoreTests" / "Fixtures"
LINKAGES = ["ward", "average", "complete", "single"]


def spherical_reference(x: np.ndarray, k: int) -> float:
    u = x / np.linalg.norm(x, axis=1, keepdims=True)
    labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit(u).labels_
    total = 0.0
    for j in range(k):
        members = u[labels == j]
        c = members.sum(axis=0)
        c /= np.linalg.norm(c)
        total += float(np.sum(1.0 - members @ c))
    return total


def stable_process_mst(mst):
    """scikit-learn's _process_mst with a stable sort of the edges."""
    return make_single_linkage(mst[np.argsort(mst["distance"], kind="stable")])


def partition_difference(a: np.ndarray, b: np.ndarray) -> int:
    """Documents of a whose b label is not the one most of their a cluster has (0: same partition)."""
    moved = 0
    for label in np.unique(a):
        values, counts = np.unique(b[a == label], return_counts=True)
        moved += int(np.sum(a == label) - counts.max())
    return moved if moved or len(np.unique(a)) == len(np.unique(b)) else 1


def write(name: str, x: np.ndarray, k: int, hdbscan_params, partitional: bool = True) -> None:
    """method_<name>.json: scikit-learn's answers on x. partitional=False
    leaves out k-means, mini-batch and the spherical objective (only the
    hierarchical methods' answers): sizes past one 512-row Gram tile, where
    those references would cost minutes to compute."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    x64 = x.astype(np.float64)
    agglomerative = {}
    for linkage in LINKAGES:
        for metric in ["euclidean", "cosine"]:
            if linkage == "ward" and metric == "cosine":
                continue
            model = AgglomerativeClustering(n_clusters=k, linkage=linkage, metric=metric).fit(x64)
            agglomerative[f"{linkage}_{metric}"] = model.labels_.tolist()
    hdbscan, tie_dependent = {}, {}
    shipped_process_mst = hdbscan_module._process_mst
    for mcs, ms in hdbscan_params:
        shipped = HDBSCAN(min_cluster_size=mcs, min_samples=ms, copy=True).fit(x64).labels_
        hdbscan_module._process_mst = stable_process_mst
        try:
            stable = HDBSCAN(min_cluster_size=mcs, min_samples=ms, copy=True).fit(x64).labels_
        finally:
            hdbscan_module._process_mst = shipped_process_mst
        hdbscan[f"mcs{mcs}_ms{ms}"] = stable.tolist()
        tie_dependent[f"mcs{mcs}_ms{ms}"] = partition_difference(stable, shipped)
    fixture = {"name": name, "k": k, "n": x.shape[0], "d": x.shape[1], "sklearn_version": sklearn.__version__}
    summary = ""
    if partitional:
        fixture["kmeans_inertia"] = float(KMeans(n_clusters=k, n_init=10, random_state=0).fit(x64).inertia_)
        fixture["minibatch_inertia"] = float(MiniBatchKMeans(n_clusters=k, random_state=0, n_init=1).fit(x64).inertia_)
        fixture["spherical_objective"] = spherical_reference(x64, k)
        summary = (f"spherical={fixture['spherical_objective']:.4f} minibatch={fixture['minibatch_inertia']:.4f} "
                   f"kmeans={fixture['kmeans_inertia']:.4f} ")
    fixture.update(agglomerative=agglomerative, hdbscan=hdbscan, hdbscan_tie_dependent=tie_dependent)
    head = json.dumps(fixture, indent=0)[:-2]
    rows = ",\n".join("[" + ",".join(exact_decimal(v) for v in row) + "]" for row in x)
    path = OUT / f"method_{name}.json"
    path.write_text(head + f',\n"x": [\n{rows}\n]\n}}\n')
    print(f"{path.name}: n={x.shape[0]} d={x.shape[1]} k={k} {summary}"
          f"noise={[v.count(-1) for v in hdbscan.values()]} tie-dependent={list(tie_dependent.values())}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    wine = load_wine().data
    wine = (wine - wine.mean(axis=0)) / wine.std(axis=0)
    write("wine", wine, 3, [(5, 5), (10, 3)])
    x, _ = make_blobs(n_samples=300, n_features=8, centers=5, cluster_std=2.0, random_state=1)
    write("blobs8", x, 5, [(5, 5), (15, 5), (8, 2)])
    x, _ = make_blobs(n_samples=400, n_features=64, centers=6, cluster_std=6.0, random_state=2)
    x = x.astype(np.float32)
    write("blobs64", x, 6, [(10, 10), (5, 3)])
    # Past one Gram tile (512 rows), clusters of different spreads and uniform noise between them.
    x, _ = make_blobs(n_samples=1350, n_features=48, centers=8, cluster_std=np.linspace(1.0, 3.5, 8), random_state=3)
    background = np.random.default_rng(3).uniform(x.min(axis=0), x.max(axis=0), size=(150, 48))
    write("blobs48_1500", np.vstack([x, background]), 8, [(5, 5), (15, 5), (5, 2)], partitional=False)


if __name__ == "__main__":
    main()
