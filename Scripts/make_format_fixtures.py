#!/usr/bin/env python3
"""Writes Tests/Golden/data/iris.{json,csv,npy} and iris_labels.csv from
iris.jsonl: the same documents in every format clus reads, so a test can
check that each gives identical metrics. The species field is null in a few
documents there; CSV writes null as an empty cell (missing), as clus does."""
import csv, json, pathlib
import numpy as np

data = pathlib.Path(__file__).resolve().parent.parent / "Tests/Golden/data"
docs = [json.loads(line) for line in open(data / "iris.jsonl", encoding="utf-8") if line.strip()]
json.dump(docs, open(data / "iris.json", "w", encoding="utf-8"), ensure_ascii=False)

def cells(d):
    label = d.get("_cluster_", {}).get("features", {}).get("kmeans_3")
    return [d["_id"], d.get("target"), d.get("species")], label

with open(data / "iris.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["_id", "target", "species", "features", "_cluster_.features.kmeans_3"])
    for d in docs:
        row, label = cells(d)
        w.writerow(row + [json.dumps(d["features"]), label])

# Fortran order, big endian float64: the awkward layout on purpose.
x = np.asfortranarray(np.array([d["features"] for d in docs], dtype=">f8"))
np.save(data / "iris.npy", x)
with open(data / "iris_labels.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["_id", "target", "species", "_cluster_.features.kmeans_3"])
    for d in docs:
        row, label = cells(d)
        w.writerow(row + [label])
