#!/usr/bin/env python3
"""Loading Parquet (or Arrow IPC) files of float32 vectors: clus `load`
against `pyarrow.parquet.read_table` (`pyarrow.feather.read_table`, a
memory-mapped `pyarrow.ipc.open_stream`) plus the vector column as a NumPy
float32 matrix, on the same files in the same run; prints MB/s (medians),
the ratio and clus's peak resident memory beside the file size.

    python3 Scripts/bench/parquet.py                  # 100,000 rows × 384, 768, 1536; snappy and zstd
    python3 Scripts/bench/parquet.py --quick          # 20,000 rows, 3 runs
    python3 Scripts/bench/parquet.py --rows 50000 --dims 768 --codecs zstd --runs 7
    python3 Scripts/bench/parquet.py --format feather # Feather 2: lz4, zstd, uncompressed (batches of 64K rows)
    python3 Scripts/bench/parquet.py --format arrows  # an IPC stream as Hugging Face datasets writes it (batches of 1,000)

Each file holds an _id, a query label and a float32 vector (`list<float>`)
per row, written by pyarrow with its defaults (dictionary pages that fall
back to PLAIN for the vectors, data pages v1) and `row_group_size=` rows per
row group (default 16,384: several row groups, as a writer streaming
batches makes them); files are seeded and written once to a temp folder.
Builds clus in release mode first. clus's time is the `elapsed_s` of its
`load` (map, decode the kept columns on all cores, build the dataset);
pyarrow's is `read_table` (all cores) and the matrix (`flatten().to_numpy()`,
concatenated over chunks, reshaped). Runs alternate between the tools; the
goal is clus at least as fast as pyarrow + NumPy on every file. Other work on
the machine skews the numbers: the load average is printed.
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from machine import clus_load, clus_peak_rss, cpu_model

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def write_file(path, n, d, codec, row_group, form):
    rng = np.random.default_rng(d)
    x = rng.standard_normal((n, d)).astype(np.float32)
    vectors = pa.ListArray.from_arrays(pa.array(np.arange(0, n * d + 1, d, dtype=np.int32)), pa.array(x.reshape(-1)))
    table = pa.table({
        "_id": pa.array([f"d{i}" for i in range(n)]),
        "query": pa.array([f"q{i % 50}" for i in range(n)]),
        "vector": vectors,
    })
    if form == "parquet":
        pq.write_table(table, path, compression=codec, row_group_size=row_group)
    elif form == "feather":
        feather.write_feather(table, path, compression=codec)
    else:
        with ipc.new_stream(path, table.schema) as w:
            for batch in table.to_batches(max_chunksize=1000):
                w.write_batch(batch)


def pyarrow_load(path, n, d, form):
    start = time.perf_counter()
    if form == "parquet":
        table = pq.read_table(path)
    elif form == "feather":
        table = feather.read_table(path)
    else:
        with pa.memory_map(path) as source:
            table = ipc.open_stream(source).read_all()
    chunks = [c.flatten().to_numpy() for c in table.column("vector").chunks]
    x = (chunks[0] if len(chunks) == 1 else np.concatenate(chunks)).reshape(-1, d)
    elapsed = time.perf_counter() - start
    assert x.shape == (n, d) and x.dtype == np.float32
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20,000 rows, 3 runs")
    parser.add_argument("--rows", type=int, help="rows per file (default 100,000; 20,000 with --quick)")
    parser.add_argument("--dims", default="384,768,1536")
    parser.add_argument("--format", choices=["parquet", "feather", "arrows"], default="parquet")
    parser.add_argument("--codecs", help="default snappy,zstd (feather: lz4,zstd,uncompressed; arrows: uncompressed)")
    parser.add_argument("--row-group", type=int, default=16384, help="rows per row group")
    parser.add_argument("--runs", type=int, help="runs per tool (default 5; 3 with --quick)")
    args = parser.parse_args()
    n = args.rows or (20_000 if args.quick else 100_000)
    runs = args.runs or (3 if args.quick else 5)
    form = args.format
    codecs = args.codecs or {"parquet": "snappy,zstd", "feather": "lz4,zstd,uncompressed", "arrows": "uncompressed"}[form]
    subprocess.run(["swift", "build", "-c", "release", "--product", "clus"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build/release/clus")
    print(f"{form}; CPU: {cpu_model()}; {os.cpu_count()} cores; pyarrow {pa.__version__}; median of {runs} runs; "
          f"load average at start {os.getloadavg()[0]:.2f}")
    header = f"{'file':>24s} {'MB':>6s} | {'clus MB/s':>9s} {'pyarrow MB/s':>12s} | {'ratio':>5s} | {'clus peak RSS':>13s}"
    print(header)
    print("-" * len(header))
    worst = None
    for d in (int(v) for v in args.dims.split(",")):
        for codec in codecs.split(","):
            ext = {"parquet": f"-rg{args.row_group}.parquet", "feather": ".feather", "arrows": ".arrows"}[form]
            path = os.path.join(tempfile.gettempdir(), f"clus-bench-{form}-{codec}-{n}x{d}{ext}")
            if not os.path.exists(path):
                write_file(path + ".part", n, d, codec, args.row_group, form)
                os.replace(path + ".part", path)
            mb = os.path.getsize(path) / 1e6
            times = {"clus": [], "pyarrow": []}
            for _ in range(runs):
                times["clus"].append(clus_load(binary, path, n))
                times["pyarrow"].append(pyarrow_load(path, n, d, form))
            median = {k: statistics.median(v) for k, v in times.items()}
            rss = clus_peak_rss(binary, path)
            ratio = median["pyarrow"] / median["clus"]
            worst = ratio if worst is None else min(worst, ratio)
            print(f"{f'{n} × {d} {codec}':>24s} {mb:6.0f} | {mb / median['clus']:9.0f} {mb / median['pyarrow']:12.0f} | "
                  f"{ratio:5.2f} | {rss / 1e6:10.0f} MB", flush=True)
    print(f"load average at end {os.getloadavg()[0]:.2f}; lowest pyarrow/clus ratio {worst:.2f} (goal: at least 1)")


if __name__ == "__main__":
    main()
