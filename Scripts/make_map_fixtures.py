#!/usr/bin/env python3
"""Reference values for `plot map` and `plot distances`, by NumPy:

  Tests/ClusCoreTests/Fixtures/map_digits.json

on the documents of Tests/ClusCoreTests/Fixtures/digits.json (scikit-learn's
digits as float32): the first two principal components (each signed so its
largest loading is positive, as scikit-learn's PCA signs them, and checked
against sklearn.decomposition.PCA), their variances, the total variance and
the first 50 documents' coordinates; and classical MDS of the ten digits'
mean vectors (their euclidean distances, double-centred, eigenvectors scaled
by the square roots of the eigenvalues, each axis signed the same way).

Run from the package root:  python3 Scripts/make_map_fixtures.py
"""
import json
import pathlib

import numpy as np
from sklearn.decomposition import PCA

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "ClusCoreTests" / "Fixtures"


def signed(vectors: np.ndarray) -> np.ndarray:
    """Rows negated where need be so that each row's largest |entry| is positive."""
    largest = np.argmax(np.abs(vectors), axis=1)
    return vectors * np.sign(vectors[np.arange(len(vectors)), largest])[:, None]


def main() -> None:
    digits = json.loads((FIXTURES / "digits.json").read_text())
    x = np.array([[float(v) for v in row] for row in digits["x"]], dtype=np.float32).astype(np.float64)
    truth = np.array(digits["truth"])
    mean = x.mean(axis=0)
    centred = x - mean
    covariance = centred.T @ centred / (len(x) - 1)
    values, vectors = np.linalg.eigh(covariance)
    order = np.argsort(values)[::-1]
    components = signed(vectors[:, order[:2]].T)
    sk = PCA(n_components=2, svd_solver="full").fit(x)
    assert np.allclose(signed(sk.components_), components, atol=1e-9)
    assert np.allclose(sk.explained_variance_, values[order[:2]])
    coordinates = centred[:50] @ components.T

    labels = sorted(set(truth.tolist()))
    means = np.array([x[truth == t].mean(axis=0) for t in labels])
    d = np.sqrt(((means[:, None, :] - means[None, :, :]) ** 2).sum(axis=2))
    k = len(means)
    j = np.eye(k) - np.ones((k, k)) / k
    b = -0.5 * j @ (d ** 2) @ j
    mvalues, mvectors = np.linalg.eigh(b)
    morder = np.argsort(mvalues)[::-1]
    axes = signed(mvectors[:, morder[:2]].T)
    mds = (axes * np.sqrt(mvalues[morder[:2]])[:, None]).T

    out = {
        "source": "Scripts/make_map_fixtures.py on digits.json",
        "pca": {
            "components": components.tolist(),
            "variances": values[order[:2]].tolist(),
            "total_variance": float(np.trace(covariance)),
            "coordinates_first_50": coordinates.tolist(),
        },
        "mds": {
            "truth_values": labels,
            "distances": d.tolist(),
            "coordinates": mds.tolist(),
            "eigenvalues": mvalues[morder].tolist(),
        },
    }
    path = FIXTURES / "map_digits.json"
    path.write_text(json.dumps(out) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
