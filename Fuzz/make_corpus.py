#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus, Fuzz/Corpus/<target>/, from the tests'
scripts and data (heads of the larger files) and a few hand-made cases,
including small .npy files of every layout clus reads (NumPy needed) and
small Parquet files of every codec and page version and small Arrow IPC
files and streams (pyarrow needed).
Run from anywhere: python3 Fuzz/make_corpus.py"""
import io
import pathlib
import shutil

import numpy as np

root = pathlib.Path(__file__).resolve().parent.parent
golden = root / "Tests" / "Golden"
data = golden / "data"
out = root / "Fuzz" / "Corpus"


def head(path, lines):
    return b"".join(path.read_bytes().splitlines(keepends=True)[:lines])


def write(target, name, content):
    d = out / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(content if isinstance(content, bytes) else content.encode())


shutil.rmtree(out, ignore_errors=True)

# The DSL: every golden script, the demo, and corners of the grammar.
for p in sorted(golden.glob("*.clus")) + sorted(data.glob("*.clus")) + [root / "Scripts" / "demo.clus"]:
    write("FuzzParser", p.name, p.read_bytes())
for i, s in enumerate([
    'let x = [1, [2, [3, "a"]], 2.5e-3]\nfor k in 2..12 { cluster k=$k; metrics truth=t into="m.json" }\n',
    'echo "k=${k} \\u{e9} \\$ \\n" \'$lit\' \\\n  more\nassert metrics.ari >= 0.5\n',
    'for a in [x, y] {\n  for b in -3..-1 {\n    echo "$a$b"\n  }\n}\n',
    'load ~/d.jsonl vector=v format=csv; use d; drop d # comment\n',
]):
    write("FuzzParser", f"snippet{i}.clus", s)

# JSON Lines and JSON documents.
write("FuzzJSON", "iris.jsonl", head(data / "iris.jsonl", 8))
write("FuzzJSON", "noise.jsonl", head(data / "noise.jsonl", 8))
iris = data / "iris.json"
text = iris.read_bytes()
cut = text.find(b"}", 1200) + 1
write("FuzzJSON", "iris.json", text[:cut] + b"\n]\n")
for p in sorted((data / "bad").glob("*.jsonl")):
    write("FuzzJSON", "bad_" + p.name, p.read_bytes())
for i, s in enumerate([
    '{"a": {"b": {"c": [1, 2]}}, "s": "\\u00e9\\ud83d\\ude00\\n\\"", "n": null, "t": true, "f": -1.5e-7}\n'
    '{"a": {"b": {"c": [3e38, -0.0]}}, "list": [1, "x", [2]], "_id": 7}\n',
    '[{"v": [1, 2], "_cluster_": {"v": {"k": "c1", "m": 3, "z": null}}}, {"v": [3, 4]}]',
    '\ufeff{"v": [1.000000001, 2], "i": 123456789012345678901234567890}\n\n{"v": null}\n',
    '[]',
]):
    write("FuzzJSON", f"case{i}.json", s)

# CSV.
write("FuzzCSV", "iris.csv", head(data / "iris.csv", 8))
write("FuzzCSV", "iris_labels.csv", head(data / "iris_labels.csv", 8))
write("FuzzCSV", "ragged.csv", (data / "bad" / "ragged.csv").read_bytes())
for i, s in enumerate([
    'id,f0,f1,f2,g0,g1\r\n1,0.5,1e3,-2,7,8\r\n2,"1.5",2,3,,9\r\n',
    'name,"quoted ""x""",v\n"a,b","line\nbreak","[1, 2]"\n"c","d","[]"\n',
    'x,_cluster_.v.k,v\n1,c1,"[1,2]"\n2,,"[3,4]"\ntrue,c2,"[5,6]"\n',
    '\ufeffa\n\n1\n',
]):
    write("FuzzCSV", f"case{i}.csv", s)

# NumPy: float32/float64, both byte orders, C and Fortran order, versions 1-3.
rng = np.random.default_rng(0)
base = rng.standard_normal((3, 4))
for dtype in ["<f4", ">f4", "<f8", ">f8"]:
    for order in "CF":
        for version in [(1, 0), (2, 0), (3, 0)]:
            a = np.asarray(base, dtype=np.dtype(dtype), order=order)
            buf = io.BytesIO()
            np.lib.format.write_array(buf, a, version=version)
            name = f"{dtype[1:]}_{'be' if dtype[0] == '>' else 'le'}_{order}_v{version[0]}.npy"
            write("FuzzNPY", name, buf.getvalue())
write("FuzzNPY", "iris.npy", (data / "iris.npy").read_bytes())
for p in sorted((data / "bad").glob("*.npy")):
    write("FuzzNPY", "bad_" + p.name, p.read_bytes())
# .npz archives (Scripts/make_npz_fixtures.py) go to the same target, which tells them by "PK"
for p in sorted(data.glob("npz_*.npz")) + sorted((data / "bad").glob("npz_*.npz")):
    if len(p.read_bytes()) <= 8192:
        write("FuzzNPY", ("bad_" if p.parent.name == "bad" else "") + p.name, p.read_bytes())

# Parquet (pyarrow needed): small files of every codec, page version and
# column kind clus reads, and the fixtures small enough to mutate.
import pyarrow as pa
import pyarrow.parquet as pq

table = pa.table({
    "id": pa.array([1, 2, None], pa.int64()),
    "s": pa.array(["a", None, "a"], pa.string()),
    "b": pa.array([True, None, False]),
    "m": pa.array([{"x": 1.5}, None, {"x": -2.0}], pa.struct([("x", pa.float64())])),
    "v": pa.array([[1.0, 2.0], None, [3.0, None]], pa.list_(pa.float32())),
    "w": pa.array([[1.0], [2.0], [3.0]], pa.large_list(pa.float64())),
    "_cluster_.v.k": pa.array(["c1", "c0", None]),
})
for codec in ["none", "snappy", "gzip", "zstd"]:
    for version in ["1.0", "2.0"]:
        for dictionary in [True, False]:
            buf = io.BytesIO()
            pq.write_table(table, buf, compression=codec, data_page_version=version, use_dictionary=dictionary,
                           row_group_size=2)
            write("FuzzParquet", f"{codec}_v{version[0]}{'_dict' if dictionary else ''}.parquet", buf.getvalue())
for p in sorted((data / "parquet").glob("bad_*.parquet")) + [data / "iris.parquet"]:
    write("FuzzParquet", p.name, p.read_bytes())

# Arrow IPC (pyarrow needed): the same small table as a file uncompressed, LZ4
# and ZSTD, and as a stream; dictionary-encoded, view and fixed-size columns;
# the fixtures small enough to mutate.
import pyarrow.ipc as ipc

arrow_table = table.append_column("d", pa.array(["x", "y", "x"]).dictionary_encode()) \
    .append_column("f", pa.array([[1.0, 2.0], [3.0, 4.0], None], pa.list_(pa.float32(), 2))) \
    .append_column("sv", pa.array(["short", None, "a string longer than twelve bytes"], pa.string_view()))
for codec in [None, "lz4", "zstd"]:
    buf = io.BytesIO()
    with ipc.new_file(buf, arrow_table.schema, options=ipc.IpcWriteOptions(compression=codec)) as w:
        for batch in arrow_table.to_batches(max_chunksize=2):
            w.write_batch(batch)
    write("FuzzArrow", f"table_{codec or 'none'}.arrow", buf.getvalue())
buf = io.BytesIO()
with ipc.new_stream(buf, arrow_table.schema) as w:
    for batch in arrow_table.to_batches(max_chunksize=2):
        w.write_batch(batch)
write("FuzzArrow", "table.arrows", buf.getvalue())
for p in sorted((data / "arrow").glob("*.a*")) + sorted((data / "arrow").glob("*.feather")):
    if len(p.read_bytes()) <= 8192:
        write("FuzzArrow", p.name, p.read_bytes())

