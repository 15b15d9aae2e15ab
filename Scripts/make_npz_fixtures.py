#!/usr/bin/env python3
"""NumPy .npz archives (np.savez, np.savez_compressed) and what they hold.

Writes under Tests/Golden/data/:
  npz_savez.npz           np.savez: `embeddings` (float32, 20 × 6, a NaN in row 4),
                          `label` (int64), `species` (<U strings), `relevant`
                          (bool), `score` (float64, NaN in rows 2 and 9),
                          `title` (|S bytes), `small` (float16, 20 × 3: a
                          second vector field), `meta` (a 0-D value),
                          `short` (5 values), `grid` (int32, 20 × 2),
                          `big_endian` (>i4)
  npz_compressed.npz      the same arrays, np.savez_compressed (deflate)
  npz_zip64.npz           the same arrays, np.savez with zip64 records forced
                          in the central directory and its end (as an archive
                          over 4 GiB has them)
  npz_positional.npz      np.savez(f, X, y): members arr_0 and arr_1
  npz_clean_compressed.npz  np.savez_compressed of `embeddings` with its NaN as 0
  npz_pickled.npz         an object array (`tags`, pickled) beside `embeddings`
  npz.expected.json       the arrays' values (NaN as null); `score_hex`, the
                          float64 scores as float.hex() writes them
  iris.npz                np.savez_compressed: iris.npy's vectors as
                          `features` and iris_labels.csv's columns (`target`
                          float64 with NaN, text with "" where a cell is
                          empty); loads as iris.npy with labels= does
  bad/npz_crc.npz         npz_savez.npz with one byte of `label`'s data changed
  bad/npz_truncated.npz   npz_savez.npz cut short (no end of central directory)

Run from the package root:  python3 Scripts/make_npz_fixtures.py  (needs numpy).
"""

import csv
import json
import os
import zipfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "Tests", "Golden", "data")
N = 20


def arrays():
    rng = np.random.default_rng(11)
    embeddings = np.round(rng.normal(size=(N, 6)), 3).astype(np.float32)
    embeddings[4, 2] = np.nan
    score = rng.uniform(size=N)
    score[[2, 9]] = np.nan
    return {
        "embeddings": embeddings,
        "label": rng.integers(0, 4, size=N).astype(np.int64),
        "species": np.array([["setosa", "versicolor", "virginica", "é ü"][i % 4] for i in range(N)]),
        "relevant": np.array([i % 3 == 0 for i in range(N)]),
        "score": score,
        "title": np.array([f"doc {i}".encode() for i in range(N)]),
        "small": rng.normal(size=(N, 3)).astype(np.float16),
        "meta": np.array(3),
        "short": np.arange(5),
        "grid": rng.integers(0, 9, size=(N, 2)).astype(np.int32),
        "big_endian": np.arange(N, dtype=">i4") * 3,
    }


def plain(values):
    """An array's values as JSON: NaN as null, bytes and floats as Python's."""
    out = []
    for v in values.tolist():
        if isinstance(v, bytes):
            v = v.decode()
        elif isinstance(v, float) and v != v:
            v = None
        elif isinstance(v, list):
            v = [None if isinstance(x, float) and x != x else x for x in v]
        out.append(v)
    return out


def zip64_savez(path, named):
    """np.savez, with zipfile's zip64 limit lowered so that its central
    directory entries and end records take the zip64 forms."""
    limit, count = zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT
    zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 64, 4
    try:
        np.savez(path, **named)
    finally:
        zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = limit, count
    with open(path, "rb") as f:
        data = f.read()
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data, "no zip64 end records"


def iris():
    x = np.load(os.path.join(GOLDEN, "iris.npy"))
    with open(os.path.join(GOLDEN, "iris_labels.csv"), newline="") as f:
        rows = list(csv.reader(f))
    columns = {name: [row[i] for row in rows[1:]] for i, name in enumerate(rows[0])}
    named = {"features": x}
    # as pandas hands them over: a number column with empty cells is float64
    # with NaN (its labels 0.0, 1.0, …), a text column's empty cells ""
    for name, values in columns.items():
        try:
            named[name] = np.array([float(v) if v else np.nan for v in values])
        except ValueError:
            named[name] = np.array(values)
    np.savez_compressed(os.path.join(GOLDEN, "iris.npz"), **named)
    return sorted(columns)


def main():
    named = arrays()
    savez = os.path.join(GOLDEN, "npz_savez.npz")
    np.savez(savez, **named)
    np.savez_compressed(os.path.join(GOLDEN, "npz_compressed.npz"), **named)
    zip64_savez(os.path.join(GOLDEN, "npz_zip64.npz"), named)
    np.savez(os.path.join(GOLDEN, "npz_positional.npz"), named["embeddings"], named["label"])
    np.savez_compressed(os.path.join(GOLDEN, "npz_clean_compressed.npz"), embeddings=np.nan_to_num(named["embeddings"]))
    tags = np.empty(N, dtype=object)
    tags[:] = [["a", "b"][: i % 3] for i in range(N)]
    np.savez(os.path.join(GOLDEN, "npz_pickled.npz"), embeddings=named["embeddings"], tags=tags)
    for name in ["npz_savez.npz", "npz_compressed.npz", "npz_zip64.npz"]:
        back = np.load(os.path.join(GOLDEN, name))
        assert sorted(back.files) == sorted(named), name
        for key, value in named.items():
            assert np.array_equal(back[key], value, equal_nan=value.dtype.kind == "f"), (name, key)
    expected = {key: plain(value) for key, value in named.items() if value.ndim >= 1}
    # bit for bit: JSON readers may round a 17-digit number differently
    expected["score_hex"] = [None if v != v else float(v).hex() for v in named["score"].tolist()]
    with open(os.path.join(GOLDEN, "npz.expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    iris()

    with open(savez, "rb") as f:
        data = bytearray(f.read())
    with zipfile.ZipFile(savez) as z:
        info = z.getinfo("label.npy")
    # the last byte of label's data: the local header's own lengths lead to it
    name_length = int.from_bytes(data[info.header_offset + 26: info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28: info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size - 1] ^= 0x01
    with open(os.path.join(GOLDEN, "bad", "npz_crc.npz"), "wb") as f:
        f.write(data)
    with open(savez, "rb") as f:
        whole = f.read()
    with open(os.path.join(GOLDEN, "bad", "npz_truncated.npz"), "wb") as f:
        f.write(whole[: len(whole) // 2])


if __name__ == "__main__":
    main()
