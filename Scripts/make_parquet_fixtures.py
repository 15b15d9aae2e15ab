#!/usr/bin/env python3
"""Writes the Parquet fixtures with pyarrow (pip install pyarrow):

- Tests/Golden/data/iris.parquet: the documents of iris.jsonl (the same
  vectors, fields and kmeans_3 labels under _cluster_.features.kmeans_3),
  for the tests that load one dataset from every format.
- Tests/Golden/data/parquet/kinds.jsonl and kinds_*.parquet: 40 documents
  with every kind of column clus reads (strings, dictionary strings, int32,
  int64, float32, float64, booleans, nulls, a nested struct, list,
  large_list and fixed_size_list vectors with a null, an empty, a short and
  a null-element list), in 3 row groups, written once per codec, page
  version, with and without dictionaries, and with many small pages; the
  JSON Lines file holds the same documents (a null scalar left out, as
  Parquet cannot tell null from absent).
- parts/part-0.parquet, parts/part-1.parquet: kinds split in two files.
- short_first.parquet: 10 lists of 3, then 30 of 4, in row groups of 10: the
  first row group suggests 3, the column's dimension is 4.
- left_out.parquet: columns clus does not read (a map, a list of ints, a
  decimal, a nested list) beside a vector, an all-null column and a date.
- bad_brotli.parquet, bad_delta.parquet: a codec and an encoding clus does
  not read.
"""
import json, pathlib
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

root = pathlib.Path(__file__).resolve().parent.parent / "Tests/Golden/data"
out = root / "parquet"
out.mkdir(exist_ok=True)

# iris.parquet: the twin of iris.jsonl
docs = [json.loads(line) for line in open(root / "iris.jsonl", encoding="utf-8") if line.strip()]
cluster_type = pa.struct([("features", pa.struct([("kmeans_3", pa.string())]))])
iris = pa.table({
    "_id": pa.array([d["_id"] for d in docs], pa.string()),
    "target": pa.array([d.get("target") for d in docs], pa.int64()),
    "species": pa.array([d.get("species") for d in docs], pa.string()),
    "features": pa.array([np.array(d["features"], np.float32) for d in docs], pa.list_(pa.float32())),
    "_cluster_": pa.array([d.get("_cluster_") for d in docs], cluster_type),
})
pq.write_table(iris, root / "iris.parquet")

# kinds: every column kind, 40 rows
rng = np.random.default_rng(17)
n = 40
rows = []
for i in range(n):
    vec = [float(x) for x in rng.normal(size=4).astype(np.float32)]
    if i == 3: vec = None
    elif i == 7: vec = []
    elif i == 11: vec = vec[:3]
    elif i == 19: vec[1] = None
    rows.append({
        "id": i,
        "name": ["alpha", "beta", "gamma", "delta"][i % 4] if i % 9 != 5 else None,
        "title": f"doc {i} é 中文" if i != 2 else None,
        "small": np.int32(i * 3 - 50).item(),
        "score": float(rng.normal()) if i % 6 != 1 else None,
        "weight": float(np.float32(rng.normal())),
        "flag": bool(i % 3 == 0) if i % 10 != 4 else None,
        "meta": {"lang": ["en", "de"][i % 2], "year": 2000 + i} if i != 13 else None,
        "vec": vec,
        "vec64": [float(x) for x in rng.normal(size=2).astype(np.float32)],
        "fixed": [float(x) for x in rng.normal(size=3).astype(np.float32)] if i != 21 else None,
    })
schema = pa.schema([
    ("id", pa.int64()), ("name", pa.string()), ("title", pa.string()), ("small", pa.int32()),
    ("score", pa.float64()), ("weight", pa.float32()), ("flag", pa.bool_()),
    ("meta", pa.struct([("lang", pa.string()), ("year", pa.int32())])),
    ("vec", pa.list_(pa.float32())), ("vec64", pa.large_list(pa.float64())),
    ("fixed", pa.list_(pa.float32(), 3)),
])
table = pa.Table.from_pylist(rows, schema=schema)

def without_nulls(d):
    """The JSON twin: a null scalar (or struct) left out; a null vector kept as null."""
    vectors = {"vec", "vec64", "fixed"}
    return {k: v for k, v in d.items() if v is not None or k in vectors}

with open(out / "kinds.jsonl", "w", encoding="utf-8") as f:
    for d in rows:
        f.write(json.dumps(without_nulls(d), ensure_ascii=False) + "\n")

for codec in ["none", "snappy", "gzip", "zstd"]:
    for version in ["1.0", "2.0"]:
        pq.write_table(table, out / f"kinds_{codec}_v{version[0]}.parquet", compression=codec,
                       data_page_version=version, row_group_size=15)
for version in ["1.0", "2.0"]:
    pq.write_table(table, out / f"kinds_plain_v{version[0]}.parquet", compression="snappy", use_dictionary=False,
                   data_page_version=version, row_group_size=15)
    pq.write_table(table, out / f"kinds_pages_v{version[0]}.parquet", compression="zstd", data_page_size=64,
                   write_batch_size=4, data_page_version=version, row_group_size=25)

(out / "parts").mkdir(exist_ok=True)
pq.write_table(table.slice(0, 22), out / "parts/part-0.parquet")
pq.write_table(table.slice(22), out / "parts/part-1.parquet")

short_first = pa.table({"v": pa.array([[float(i)] * (3 if i < 10 else 4) for i in range(40)], pa.list_(pa.float32()))})
pq.write_table(short_first, out / "short_first.parquet", row_group_size=10)

left_out = pa.table({
    "v": pa.array([[1.0, 2.0]] * 3, pa.list_(pa.float32())),
    "nothing": pa.nulls(3),
    "day": pa.array([1, 2, 3], pa.date32()),
    "m": pa.array([[("a", 1)]] * 3, pa.map_(pa.string(), pa.int64())),
    "ints": pa.array([[1, 2]] * 3, pa.list_(pa.int64())),
    "price": pa.array([1, 2, 3], pa.decimal128(5, 2)),
    "nested": pa.array([[[1.0]]] * 3, pa.list_(pa.list_(pa.float32()))),
})
pq.write_table(left_out, out / "left_out.parquet")

small = table.select(["id", "vec"])
pq.write_table(small, out / "bad_brotli.parquet", compression="brotli")
pq.write_table(small, out / "bad_delta.parquet", use_dictionary=False, column_encoding={"id": "DELTA_BINARY_PACKED"})
