#!/usr/bin/env python3
"""CSV files as pandas writes them, and scikit-learn's values for them.

Writes under Tests/Golden/data/:
  pandas_default.csv      df.to_csv(): an unnamed index column 0..n-1, vector
                          columns named 0..3 (a pd.DataFrame(X)), `query`
                          (truth, 2 empty), `cluster` (labels with NaN, so
                          written 3.0), `relevant` (True/False), `title`;
                          3 documents have no vector (empty cells)
  pandas_noindex.csv      the same with index=False
  pandas_subset.csv       df[df.relevant].to_csv(): the index is not 0..n-1
  pandas_alias.csv        df.to_csv() with `cluster` named _cluster_.vector.cluster
  pandas_json_vector.csv  the vector as one column of JSON arrays (`embedding`),
                          empty where a document has none, index=False
  pandas_numpy_vector.csv the vector as one column of NumPy arrays, which pandas
                          writes as NumPy prints them (`[ 0.1 -0.2\n  1.  3.e-05]`:
                          whitespace between the numbers, lines wrapped, bare
                          points), empty where a document has none, a NaN in
                          one; `tags`, Python lists of strings (`['a', 'b']`)
  pandas_numpy_vector.expected.json  its vectors (null: none or not usable)
  pandas_numpy_long.csv   arrays of 1,200 numbers, which NumPy prints cut
                          short with '...'
  pandas_to_json_{records,columns,index,split,table}.json
                          one frame (a list column `embedding`, None in 3 rows,
                          a label with a None) as DataFrame.to_json() writes it
                          in each orient; they load as the same documents
  pandas_to_json_{columns,index}_named.json
                          the same frame indexed by its ids (set_index("id")):
                          the same documents, the ids as `_index`
  bad/pandas_ragged.csv   a row with one cell too few
  bad/pandas_nonnumber.csv  a word in vector column 2
  pandas.expected.json    scikit-learn on `cluster` against `query`: internal
                          indices on the documents with a vector and a label
                          (`n`), external ones on those with a label and a
                          truth value (`n_external`)

Run from the package root:  python3 Scripts/make_pandas_fixtures.py
(needs pandas, numpy, scikit-learn). The vectors are float32 with 4 decimals,
so the text pandas writes parses to the same float32 (checked below).
"""

import csv
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn import datasets, metrics

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "Tests", "Golden", "data")

N, D = 40, 4
NO_VECTOR = [5, 17, 30]        # empty cells in every vector column
NO_LABEL = [3, 17, 25, 36]     # NaN in `cluster`: pandas writes the others as 3.0
NO_TRUTH = [8, 25]             # empty `query`


def frame():
    x, y = datasets.make_blobs(n_samples=N, n_features=D, centers=3, cluster_std=1.5, random_state=3)
    x = np.round(x, 4).astype(np.float32)
    df = pd.DataFrame(x)                       # columns 0..D-1, as pandas names them
    df.loc[NO_VECTOR, list(range(D))] = np.nan
    rng = np.random.default_rng(7)
    # labels: the truth with some documents moved, 4 clusters
    labels = y.copy()
    moved = rng.choice(N, size=8, replace=False)
    labels[moved] = rng.integers(0, 4, size=8)
    df["query"] = pd.Series([f"q{t}" for t in y], dtype=object)
    df.loc[NO_TRUTH, "query"] = None
    df["cluster"] = labels.astype(np.float64)
    df.loc[NO_LABEL, "cluster"] = np.nan
    df["relevant"] = [bool(i % 3 == 0) for i in range(N)]
    df["title"] = [f"doc {i}, part {i % 4}" for i in range(N)]
    return df, x, y, labels


def check_vectors(path, x, vector_columns):
    """Every vector cell pandas wrote parses back to the float32 we hold."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    cols = [header.index(c) for c in vector_columns]
    for i, row in enumerate(rows[1:]):
        for j, c in enumerate(cols):
            if i in NO_VECTOR:
                assert row[c] == "", (path, i, row[c])
            else:
                assert np.float32(row[c]) == x[i, j] and np.float32(float(row[c])) == x[i, j], (path, i, row[c])


def write_rows(path, rows):
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def external(truth, pred):
    h, c, v = metrics.homogeneity_completeness_v_measure(truth, pred)
    cont = metrics.cluster.contingency_matrix(truth, pred)
    return {
        "adjusted_rand_index": metrics.adjusted_rand_score(truth, pred),
        "rand_index": metrics.rand_score(truth, pred),
        "normalized_mutual_info": metrics.normalized_mutual_info_score(truth, pred),
        "adjusted_mutual_info": metrics.adjusted_mutual_info_score(truth, pred),
        "homogeneity": h,
        "completeness": c,
        "v_measure": v,
        "fowlkes_mallows": metrics.fowlkes_mallows_score(truth, pred),
        "purity": float(cont.max(axis=0).sum() / cont.sum()),
    }


def numpy_prints():
    """A column of NumPy arrays as df.to_csv() writes it, and what it holds."""
    n, d, nan_row = 40, 12, 11
    rng = np.random.default_rng(11)
    x = np.round(rng.normal(size=(n, d)), 6).astype(np.float32)
    x[2] = np.arange(1, d + 1)                 # whole numbers: printed "1." (a bare point)
    x[4, :4] = [1.0, 2.0, 3e-5, -4.0]          # a tiny one: scientific notation, "1.e+00"
    x[nan_row, 3] = np.nan
    df = pd.DataFrame({"id": range(n), "label": [f"c{i % 3}" for i in range(n)]})
    df["embedding"] = [None if i in NO_VECTOR else x[i] for i in range(n)]
    df["tags"] = [str(["a", "b"][: 1 + i % 2]) for i in range(n)]
    path = os.path.join(GOLDEN, "pandas_numpy_vector.csv")
    df.to_csv(path, index=False)
    # what NumPy printed reads back as the same float32
    for i, cell in enumerate(pd.read_csv(path)["embedding"]):
        if i in NO_VECTOR:
            assert cell != cell, (i, cell)     # NaN: an empty cell
            continue
        back = np.array(cell.strip("[]").split(), dtype=np.float32)
        assert np.array_equal(back, x[i], equal_nan=True), (i, cell)
    with open(os.path.join(GOLDEN, "pandas_numpy_vector.expected.json"), "w") as f:
        json.dump({"dimension": d, "nan_row": nan_row, "without_vector": NO_VECTOR,
                   "vectors": [None if i in NO_VECTOR or i == nan_row else [float(v) for v in x[i]] for i in range(n)]}, f)
        f.write("\n")
    long = pd.DataFrame({"id": range(3)})
    long["embedding"] = list(rng.normal(size=(3, 1200)).astype(np.float32))
    long.to_csv(os.path.join(GOLDEN, "pandas_numpy_long.csv"), index=False)


def json_layouts():
    """One frame in each of DataFrame.to_json()'s orients (columns is its default)."""
    n = 12
    rng = np.random.default_rng(12)
    x = rng.normal(size=(n, 5)).astype(np.float32)
    df = pd.DataFrame({"id": [f"d{i}" for i in range(n)], "label": [f"c{i % 3}" if i != 7 else None for i in range(n)]})
    df["embedding"] = [None if i in (2, 5, 9) else [float(v) for v in x[i]] for i in range(n)]
    for orient in ["records", "columns", "index", "split", "table"]:
        df.to_json(os.path.join(GOLDEN, f"pandas_to_json_{orient}.json"), orient=orient, double_precision=15)
    # the ids as the index: its keys name the rows (columns) or are the rows (index), not 0, 1, …
    for orient in ["columns", "index"]:
        df.set_index("id").to_json(os.path.join(GOLDEN, f"pandas_to_json_{orient}_named.json"), orient=orient,
                                   double_precision=15)


def main():
    numpy_prints()
    json_layouts()
    df, x, y, labels = frame()
    vector_names = [str(j) for j in range(D)]

    path = os.path.join(GOLDEN, "pandas_default.csv")
    df.to_csv(path)
    check_vectors(path, x, vector_names)
    path = os.path.join(GOLDEN, "pandas_noindex.csv")
    df.to_csv(path, index=False)
    check_vectors(path, x, vector_names)
    df[df.relevant].to_csv(os.path.join(GOLDEN, "pandas_subset.csv"))
    df.rename(columns={"cluster": "_cluster_.vector.cluster"}).to_csv(os.path.join(GOLDEN, "pandas_alias.csv"))

    js = df.drop(columns=list(range(D)))
    js.insert(0, "embedding", [None if i in NO_VECTOR else json.dumps([round(float(v), 4) for v in x[i]]) for i in range(N)])
    js.to_csv(os.path.join(GOLDEN, "pandas_json_vector.csv"), index=False)
    assert all(np.float32(round(float(v), 4)) == v for v in x.ravel())

    bad = os.path.join(GOLDEN, "bad")
    rows = list(csv.reader(df.head(6).to_csv(index=False).splitlines()))
    del rows[4][4]                             # line 5: its `query` cell left out
    write_rows(os.path.join(bad, "pandas_ragged.csv"), rows)
    rows = list(csv.reader(df.head(6).to_csv(index=False).splitlines()))
    rows[3][2] = "n/a"                         # line 4, vector column '2'
    write_rows(os.path.join(bad, "pandas_nonnumber.csv"), rows)

    has_vector = np.array([i not in NO_VECTOR for i in range(N)])
    has_label = np.array([i not in NO_LABEL for i in range(N)])
    has_truth = np.array([i not in NO_TRUTH for i in range(N)])
    internal_docs = has_vector & has_label
    x64 = x.astype(np.float64)[internal_docs]
    pred = labels[internal_docs]
    external_docs = has_label & has_truth
    expected = {
        "sklearn_version": sklearn.__version__,
        "pandas_version": pd.__version__,
        "documents": N,
        "without_vector": len(NO_VECTOR),
        "unlabelled": len(NO_LABEL),
        "missing_truth": len(NO_TRUTH),
        "n": int(internal_docs.sum()),
        "k": int(len(np.unique(pred))),
        "n_external": int(external_docs.sum()),
        "silhouette": metrics.silhouette_score(x64, pred),
        "calinski_harabasz": metrics.calinski_harabasz_score(x64, pred),
        "davies_bouldin": metrics.davies_bouldin_score(x64, pred),
    }
    expected.update(external(y[external_docs], labels[external_docs]))
    with open(os.path.join(GOLDEN, "pandas.expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
