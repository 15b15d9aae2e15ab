#!/usr/bin/env python3
"""Writes Scripts/data/digits.jsonl: scikit-learn's handwritten digits
(1,797 images of 8x8 pixels) as JSON Lines, one document per image:

    {"_id": "digits-0", "digit": 0, "pixels": [0, 0, 5, 13, ...]}

`pixels` (64 numbers, 0..16) is the vector field, `digit` the ground truth.
"""
import json
import pathlib

from sklearn.datasets import load_digits


def main() -> None:
    digits = load_digits()
    out = pathlib.Path(__file__).resolve().parent / "data" / "digits.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for i, (pixels, digit) in enumerate(zip(digits.data, digits.target)):
            doc = {"_id": f"digits-{i}", "digit": int(digit), "pixels": [int(p) for p in pixels]}
            f.write(json.dumps(doc) + "\n")
    print(f"wrote {len(digits.target)} documents to {out}")


if __name__ == "__main__":
    main()
