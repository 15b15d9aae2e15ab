#!/usr/bin/env python3
"""Writes the Arrow IPC fixtures with pyarrow and pandas (pip install pyarrow pandas),
in Tests/Golden/data/arrow/, from the Parquet fixtures' `kinds` table
(Scripts/make_parquet_fixtures.py writes it and parquet/kinds.jsonl, its JSON twin):

- kinds_{none,lz4,zstd}.feather: the 40 documents as Feather 2 (the IPC file
  format), uncompressed, LZ4 frames and ZSTD, in record batches of 15 rows.
- kinds.arrows: the same as an IPC stream, as Hugging Face `datasets` keeps
  its `.arrow` files (batches of 15 rows, no footer).
- kinds_types.arrow: the same values in other types: `name` dictionary-encoded
  (pandas' categorical), `title` a large_string, `meta.lang` a string_view,
  `vec` a large_list, `small` an int16.
- parts/part-{0,1}.arrow: kinds in two files.
- short_first.arrows: 10 lists of 3 then 30 of 4, in batches of 10.
- dictionaries.arrows: a stream whose dictionary is replaced between batches.
- left_out.feather: columns clus does not read (a map, a list of int64, a
  decimal, a nested list, binary) beside a vector, an all-null column and a date.
- pandas.feather: `df.to_feather` of a frame with a categorical, NaN floats,
  None strings and an embedding column of float32 arrays.
- v1.feather: a Feather version 1 file, which clus names rather than reads.
- polars.arrow (LZ4), polars_zstd.arrow, polars.arrows (a stream) and
  polars.jsonl, their twin: a polars frame with a Categorical, nulls, an
  Array(Float32, 3) and a List(Float64) column (pip install polars). Polars
  writes string views, uint32 dictionary indices, and its file's dictionary
  batch after the record batch that uses it.
- ../iris.feather: iris.parquet as Feather (LZ4), for the golden script that
  loads iris from every format.
"""
import json, pathlib
import polars as pl
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

root = pathlib.Path(__file__).resolve().parent.parent / "Tests/Golden/data"
out = root / "arrow"
out.mkdir(exist_ok=True)

# the Parquet fixtures' table, types and all (its JSON twin is parquet/kinds.jsonl)
table = pq.read_table(root / "parquet/kinds_none_v1.parquet")

for codec in ["none", "lz4", "zstd"]:
    feather.write_feather(table, out / f"kinds_{codec}.feather", compression="uncompressed" if codec == "none" else codec,
                          chunksize=15)

def stream(path, t, max_chunksize=15):
    with ipc.new_stream(path, t.schema) as w:
        for batch in t.to_batches(max_chunksize=max_chunksize):
            w.write_batch(batch)

stream(out / "kinds.arrows", table)

types = pa.schema([
    ("id", pa.int64()), ("name", pa.dictionary(pa.int8(), pa.string())), ("title", pa.large_string()), ("small", pa.int16()),
    ("score", pa.float64()), ("weight", pa.float32()), ("flag", pa.bool_()),
    ("meta", pa.struct([("lang", pa.string_view()), ("year", pa.int32())])),
    ("vec", pa.large_list(pa.float32())), ("vec64", pa.large_list(pa.float64())),
    ("fixed", pa.list_(pa.float32(), 3)),
])
with ipc.new_file(out / "kinds_types.arrow", types) as w:
    for batch in table.combine_chunks().cast(types).to_batches(max_chunksize=15):
        w.write_batch(batch)

(out / "parts").mkdir(exist_ok=True)
feather.write_feather(table.slice(0, 22), out / "parts/part-0.arrow")
feather.write_feather(table.slice(22), out / "parts/part-1.arrow")

short_first = pa.table({"v": pa.array([[float(i)] * (3 if i < 10 else 4) for i in range(40)], pa.list_(pa.float32()))})
stream(out / "short_first.arrows", short_first, max_chunksize=10)

# the stream writer sends a new dictionary when a batch's differs from the last one's
dict_schema = pa.schema([("label", pa.dictionary(pa.int32(), pa.string())), ("v", pa.list_(pa.float32(), 2))])
with ipc.new_stream(out / "dictionaries.arrows", dict_schema) as w:
    for labels in (["a", "b", "a"], ["c", "c", "d"]):
        w.write_batch(pa.record_batch([pa.array(labels).dictionary_encode(),
                                       pa.array([[1.0, 2.0]] * 3, pa.list_(pa.float32(), 2))], schema=dict_schema))

# the Parquet fixture's columns clus leaves out (types and all), and binary, which Parquet reads as text
left_out = pq.read_table(root / "parquet/left_out.parquet").append_column("blob", pa.array([b"x", b"y", b"z"], pa.binary()))
feather.write_feather(left_out, out / "left_out.feather")

rng = np.random.default_rng(5)
df = pd.DataFrame({
    "doc": [f"d{i}" for i in range(6)],
    "topic": pd.Categorical(["sport", "art", "sport", None, "art", "news"]),
    "score": [0.5, np.nan, 1.5, 2.0, np.nan, 3.25],
    "note": ["x", None, "y", "z", None, "w"],
    "embedding": [rng.normal(size=4).astype(np.float32) for _ in range(6)],
})
df.to_feather(out / "pandas.feather")
with open(out / "pandas.jsonl", "w", encoding="utf-8") as f:
    for r in df.to_dict("records"):
        d = {"doc": r["doc"], "embedding": [float(x) for x in r["embedding"]]}
        if isinstance(r["topic"], str): d["topic"] = r["topic"]
        if not np.isnan(r["score"]): d["score"] = r["score"]
        if isinstance(r["note"], str): d["note"] = r["note"]   # None reads back as NaN
        f.write(json.dumps(d) + "\n")

feather.write_feather(pd.DataFrame({"a": [1.0, 2.0]}), out / "v1.feather", version=1)

feather.write_feather(pq.read_table(root / "iris.parquet"), root / "iris.feather")

prng = np.random.default_rng(9)
frame = pl.DataFrame({
    "id": [f"doc{i}" for i in range(8)],
    "cat": pl.Series(["a", "b", "a", None, "c", "b", "a", "c"], dtype=pl.Categorical),
    "n": [1, 2, None, 4, 5, 6, 7, 8],
    "emb": prng.standard_normal((8, 3)).astype(np.float32),
    "lst": [[1.0, 2.0], [3.0, 4.0], None, [5.0, 6.0], [7.0, 8.0], [9.0, 10.0], [11.0, 12.0], [13.0, 14.0]],
})
frame.write_ipc(out / "polars.arrow", compression="lz4")
frame.write_ipc(out / "polars_zstd.arrow", compression="zstd")
frame.write_ipc_stream(out / "polars.arrows")
with open(out / "polars.jsonl", "w", encoding="utf-8") as f:
    for r in frame.with_columns(pl.col("cat").cast(pl.String)).to_dicts():
        d = {k: (list(map(float, v)) if k == "emb" else v) for k, v in r.items() if v is not None or k == "lst"}
        f.write(json.dumps(d) + "\n")
