#!/usr/bin/env python3
"""Writes Tests/Golden/data/topics.jsonl (60 short documents on three topics,
8-d vectors, labels under _cluster_.embedding.topics) and
Tests/Golden/data/topics.describe.json, what `describe text=text` must print
for it, computed here independently with NumPy and scikit-learn:

- typical: the 5 documents of each cluster nearest (Euclidean) to the mean
  of its vectors, nearest first, with their distances;
- doubtful: the 5 with the lowest silhouette (sklearn silhouette_samples);
- terms: class-based TF-IDF as BERTopic's c-TF-IDF: the cluster's documents
  as one document, score = (count of t in c / words in c)
  * log(1 + mean words per cluster / count of t over all clusters);
  tokens are runs of Unicode letters and digits, lower-cased, at least two
  characters, not in the stop-word list of Sources/ClusLang/StopWords.swift.

The vectors are float32 values written in their shortest form, so clus
reads the same numbers. Run from the repository root; needs numpy, sklearn.
"""
import json
import math
import re

import numpy as np
from sklearn.metrics import silhouette_samples

N_PER_TOPIC = 20
TOP = 5
TOPICS = [
    "coffee espresso roast bean grinder milk latte café barista cup aroma",
    "guitar chord string amplifier riff tuning pedal melody song drummer",
    "tomato basil garden soil seedling compost harvest watering greenhouse pepper",
]
SHARED = "good daily new review price quality"
FILLER = "the a of and with for is it this very really Really The"


def stop_words():
    text = open("Sources/ClusLang/StopWords.swift", encoding="utf-8").read()
    body = text.split('Set("""', 1)[1].split('"""', 1)[0]
    return set(body.split())


def tokens(text, stop):
    return [t for t in re.findall(r"[^\W_]+", text.lower()) if len(t) >= 2 and t not in stop]


def main():
    rng = np.random.default_rng(18)
    centres = rng.normal(0, 3, size=(3, 8))
    docs = []
    for topic in range(3):
        vocab = TOPICS[topic].split()
        for i in range(N_PER_TOPIC):
            vector = (centres[topic] + rng.normal(0, 1.5, size=8)).astype(np.float32)
            words = list(rng.choice(vocab, size=rng.integers(4, 9))) + list(rng.choice(SHARED.split(), size=2)) \
                + list(rng.choice(FILLER.split(), size=3))
            rng.shuffle(words)
            text = " ".join(words).capitalize() + "."
            docs.append({"topic": topic, "vector": vector, "text": text})
    order = rng.permutation(len(docs))
    docs = [docs[i] for i in order]
    labels = np.array([d["topic"] for d in docs])
    # a few documents filed under another cluster, so some sit badly
    for i in rng.choice(len(docs), size=4, replace=False):
        labels[i] = (labels[i] + 1) % 3
    with open("Tests/Golden/data/topics.jsonl", "w", encoding="utf-8") as f:
        for i, d in enumerate(docs):
            row = {"_id": f"doc-{i}", "topic": ["coffee", "music", "garden"][d["topic"]], "text": d["text"],
                   "views": int(rng.integers(1, 1000)),
                   "embedding": [float(repr_float32(v)) for v in d["vector"]],
                   "_cluster_": {"embedding": {"topics": f"cluster_{labels[i]}"}}}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")

    x = np.array([[float(repr_float32(v)) for v in d["vector"]] for d in docs], dtype=np.float32).astype(np.float64)
    sil = silhouette_samples(x, labels)
    stop = stop_words()
    counts = [dict() for _ in range(3)]
    for d, c in zip(docs, labels):
        for t in tokens(d["text"], stop):
            counts[c][t] = counts[c].get(t, 0) + 1
    words = [sum(c.values()) for c in counts]
    mean_words = sum(words) / len(words)
    total = {}
    for c in counts:
        for t, n in c.items():
            total[t] = total.get(t, 0) + n
    clusters = []
    for c in range(3):
        members = np.flatnonzero(labels == c)
        centroid = x[members].mean(axis=0)
        distances = np.sqrt(((x[members] - centroid) ** 2).sum(axis=1))
        typical = sorted(zip(distances, members))[:TOP]
        doubtful = sorted(zip(sil[members], members))[:TOP]
        scores = {t: n / words[c] * math.log(1 + mean_words / total[t]) for t, n in counts[c].items()}
        terms = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:TOP]
        clusters.append({
            "cluster": f"cluster_{c}", "size": int(len(members)),
            "typical": [f"doc-{i}" for _, i in typical], "distances": [float(v) for v, _ in typical],
            "doubtful": [f"doc-{i}" for _, i in doubtful], "silhouettes": [float(v) for v, _ in doubtful],
            "terms": [[t, s] for t, s in terms],
        })
    with open("Tests/Golden/data/topics.describe.json", "w") as f:
        json.dump({"clusters": clusters}, f, indent=1)
        f.write("\n")


def repr_float32(v):
    """The shortest decimal that reads back as this float32."""
    return np.format_float_positional(np.float32(v), unique=True, trim="-")


if __name__ == "__main__":
    main()
