#!/usr/bin/env python3
"""Writes the k-means fixtures: small datasets with scikit-learn's inertia.

Each fixture is Tests/ClusCoreTests/Fixtures/kmeans_<name>.json with
{"name", "k", "n", "d", "x": [[...]], "sklearn_inertia"}. X is cast to float32
first; every value is written as a decimal that parses (to double, then to
float32, as the Swift test reads it) back to exactly that float32. The inertia
is scikit-learn's KMeans(k, n_init=10, random_state=0) on those float32
values, computed in float64.

Usage: python3 Scripts/make_kmeans_fixtures.py
"""
import json
from pathlib import Path

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, load_wine, make_blobs

OUT = Path(__file__).resolve().parent.parent / "Tests" / "ClusCoreTests" / "Fixtures"


def exact_decimal(v: np.float32) -> str:
    """Shortest float32 decimal, unless double-then-float parsing would miss."""
    s = np.format_float_positional(v, unique=True, trim="0") if abs(v) >= 1e-4 or v == 0 \
        else np.format_float_scientific(v, unique=True, trim="0")
    if np.float32(float(s)) != v:
        s = repr(float(v))  # the double holding v exactly
    assert np.float32(float(s)) == v
    return s


def write(name: str, x: np.ndarray, k: int) -> None:
    x = np.ascontiguousarray(x, dtype=np.float32)
    model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(x.astype(np.float64))
    rows = ",\n".join("[" + ",".join(exact_decimal(v) for v in row) + "]" for row in x)
    text = (
        "{\n"
        f'"name": {json.dumps(name)},\n"k": {k},\n"n": {x.shape[0]},\n"d": {x.shape[1]},\n'
        f'"sklearn_version": {json.dumps(sklearn.__version__)},\n'
        f'"sklearn_inertia": {repr(float(model.inertia_))},\n'
        f'"x": [\n{rows}\n]\n}}\n'
    )
    path = OUT / f"kmeans_{name}.json"
    path.write_text(text)
    print(f"{path.name}: n={x.shape[0]} d={x.shape[1]} k={k} inertia={model.inertia_:.6f}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write("iris", load_iris().data, 3)
    write("wine", load_wine().data, 3)
    blobs, _ = make_blobs(n_samples=400, n_features=512, centers=6, cluster_std=4.0, random_state=0)
    blobs = blobs.astype(np.float32)
    blobs /= np.linalg.norm(blobs, axis=1, keepdims=True)
    write("blobs512", blobs, 6)


if __name__ == "__main__":
    main()
