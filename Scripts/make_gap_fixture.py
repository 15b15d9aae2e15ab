#!/usr/bin/env python3
"""Writes Tests/Golden/data/gapblobs.jsonl (90 documents, three 4-d blobs)
and Tests/ClusCoreTests/Fixtures/gap.json: the gap statistic of
Tibshirani, Walther & Hastie (2001) as R's cluster::clusGap computes it
(d.power = 2; SE.sim = sd * sqrt(1 + 1/B); maxSE's Tibs2001SEmax and
firstSEmax), on reference sets drawn exactly as clus draws them:

  reference set b comes from xoshiro256** seeded through SplitMix64 with
  seed + b (ClusCore's SeededGenerator, reimplemented below); for each
  document in turn, coordinate j = low[j] + u * (high[j] - low[j]), u the
  generator's next (next() >> 11) * 2^-53; with PCA the box is that of the
  data's principal-component coordinates (eigenvectors of the covariance
  with n - 1, by decreasing eigenvalue, each with its largest component
  positive) and a point is mean + z @ components, cast to float32.

The clusterings come from scikit-learn's KMeans (n_init=10), their labels
stored in the fixture, so the Swift test checks the reference sets (against
its own generator) and the formula (W_k, gap, SE, best k) on the same labels.
Run from the repository root.
"""
import json

import numpy as np
from sklearn.cluster import KMeans

MASK = (1 << 64) - 1
SEED = 7
B = 5
KS = [1, 2, 3, 4, 5, 6]


class SeededGenerator:
    def __init__(self, seed):
        z = seed
        s = []
        for _ in range(4):
            z = (z + 0x9E3779B97F4A7C15) & MASK
            x = z
            x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
            s.append(x ^ (x >> 31))
        self.s = s

    def next(self):
        s = self.s
        rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & MASK
        result = (rotl((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def unit(self):
        return (self.next() >> 11) * 2.0 ** -53


def principal_components(x):
    mean = x.mean(axis=0)
    cov = np.cov(x - mean, rowvar=False)
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(-values, kind="stable")
    components = []
    for c in order:
        axis = vectors[:, c].copy()
        if axis[np.argmax(np.abs(axis))] < 0:
            axis = -axis
        components.append(axis)
    return mean, np.array(components)


def reference_set(x, pca, seed):
    n, d = x.shape
    if pca:
        mean, components = principal_components(x)
        z = (x - mean) @ components.T
    else:
        z = x
    low, high = z.min(axis=0), z.max(axis=0)
    rng = SeededGenerator(seed)
    out = np.empty((n, d))
    for i in range(n):
        point = np.array([low[j] + rng.unit() * (high[j] - low[j]) for j in range(d)])
        out[i] = mean + point @ components if pca else point
    return out.astype(np.float32).astype(np.float64)


def w(x, labels):
    return sum(((x[labels == c] - x[labels == c].mean(axis=0)) ** 2).sum() for c in np.unique(labels))


def labels_for(x, k):
    if k == 1:
        return np.zeros(len(x), dtype=int)
    return KMeans(n_clusters=k, n_init=10, random_state=0).fit(x).labels_


def shortest(v):
    return float(np.format_float_positional(np.float32(v), unique=True, trim="-"))


def main():
    rng = np.random.default_rng(3)
    centres = np.array([[0, 0, 0, 0], [6, 1, 0, 2], [1, 7, 3, -1]], dtype=float)
    scales = np.array([1.0, 0.7, 0.5, 0.3])
    x = np.vstack([centres[i % 3] + rng.normal(size=4) * scales for i in range(90)]).astype(np.float32)
    x = np.array([[shortest(v) for v in row] for row in x])
    with open("Tests/Golden/data/gapblobs.jsonl", "w") as f:
        for i, row in enumerate(x):
            f.write(json.dumps({"_id": f"g{i}", "blob": i % 3, "v": [float(v) for v in row]}) + "\n")
    fixture = {"seed": SEED, "B": B, "ks": KS, "data": x.tolist()}
    for space, pca in [("pca", True), ("original", False)]:
        sets = [reference_set(x, pca, SEED + b) for b in range(B)]
        labels = {k: labels_for(x, k) for k in KS}
        reference_labels = {k: [labels_for(s, k) for s in sets] for k in KS}
        gaps, ses = [], []
        for k in KS:
            log_w = np.log(w(x, labels[k]))
            log_ref = np.array([np.log(w(s, l)) for s, l in zip(sets, reference_labels[k])])
            gaps.append(float(log_ref.mean() - log_w))
            ses.append(float(np.sqrt((1 + 1 / B) * log_ref.var(ddof=1))))
        f, se = np.array(gaps), np.array(ses)
        K = len(KS)
        decr = np.diff(f) <= 0
        first_max = int(np.argmax(decr)) if decr.any() else K - 1
        first_se = int(np.flatnonzero(f[: first_max + 1] >= f[first_max] - se[first_max])[0])
        tibs = np.flatnonzero(f[:-1] >= (f - se)[1:])
        fixture[space] = {
            "reference_sets": [s.tolist() for s in sets],
            "labels": {str(k): labels[k].tolist() for k in KS},
            "reference_labels": {str(k): [l.tolist() for l in reference_labels[k]] for k in KS},
            "gap": gaps, "gap_se": ses,
            "best_tibshirani": KS[int(tibs[0]) if len(tibs) else K - 1],
            "best_first_se_max": KS[first_se],
        }
        print(space, [round(g, 4) for g in gaps], [round(s, 4) for s in ses], fixture[space]["best_tibshirani"],
              fixture[space]["best_first_se_max"])
    with open("Tests/ClusCoreTests/Fixtures/gap.json", "w") as f:
        json.dump(fixture, f)


if __name__ == "__main__":
    main()
