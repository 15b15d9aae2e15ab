#!/usr/bin/env python3
"""Writes Tests/Golden/data/iris.db (SQLite) and iris.postgres.sql from
iris.jsonl: the same documents as tables, so a test can check that loading
them from JSON Lines, SQLite and PostgreSQL gives identical datasets and
metrics. Needs `pip install sqlite-vec` (its serialize_float32 writes the
BLOB layout sqlite-vec stores: little-endian float32, back to back).

iris.db holds
  iris_blob    features as sqlite-vec BLOBs
  iris_text    features as JSON text
  iris_f64     features as float64 BLOBs (load … vector_type=float64)
  bad_blob     a 13-byte BLOB among 16-byte ones
  ragged       a 2-number vector after 3-number ones
  mixed_text   a word after JSON arrays in a vector column
  no_id        vectors and a field, no _id column
iris.postgres.sql creates the table iris with features as real[], as
double precision[] (features64) and as pgvector's text form (features_text:
pgvector is not packaged for Debian 12, so its text form stands in)."""
import json, pathlib, sqlite3, struct
import sqlite_vec

data = pathlib.Path(__file__).resolve().parent.parent / "Tests/Golden/data"
docs = [json.loads(line) for line in open(data / "iris.jsonl", encoding="utf-8") if line.strip()]

def label(d):
    return d.get("_cluster_", {}).get("features", {}).get("kmeans_3")

path = data / "iris.db"
path.unlink(missing_ok=True)
db = sqlite3.connect(path)
db.execute("PRAGMA page_size = 1024")
db.execute("CREATE TABLE iris_blob (n INTEGER PRIMARY KEY, id TEXT, target INTEGER, species TEXT, features BLOB, kmeans_3 TEXT)")
db.execute("CREATE TABLE iris_text (n INTEGER PRIMARY KEY, id TEXT, target INTEGER, species TEXT, features TEXT, kmeans_3 TEXT)")
db.execute("CREATE TABLE iris_f64 (n INTEGER PRIMARY KEY, id TEXT, features BLOB)")
for n, d in enumerate(docs):
    row = (n, d["_id"], d.get("target"), d.get("species"))
    db.execute("INSERT INTO iris_blob VALUES (?, ?, ?, ?, ?, ?)", row + (sqlite_vec.serialize_float32(d["features"]), label(d)))
    db.execute("INSERT INTO iris_text VALUES (?, ?, ?, ?, ?, ?)", row + (json.dumps(d["features"]), label(d)))
    db.execute("INSERT INTO iris_f64 VALUES (?, ?, ?)", (n, d["_id"], struct.pack("<%dd" % len(d["features"]), *d["features"])))

db.execute("CREATE TABLE bad_blob (id INTEGER, v BLOB)")
db.executemany("INSERT INTO bad_blob VALUES (?, ?)", [(1, sqlite_vec.serialize_float32([1, 2, 3, 4])),
                                                      (2, sqlite_vec.serialize_float32([5, 6, 7, 8])),
                                                      (3, b"\x00" * 13)])
db.execute("CREATE TABLE ragged (id INTEGER, v BLOB)")
db.executemany("INSERT INTO ragged VALUES (?, ?)", [(1, sqlite_vec.serialize_float32([1, 2, 3])),
                                                    (2, sqlite_vec.serialize_float32([4, 5, 6])),
                                                    (3, sqlite_vec.serialize_float32([7, 8]))])
db.execute("CREATE TABLE mixed_text (id INTEGER, v TEXT)")
db.executemany("INSERT INTO mixed_text VALUES (?, ?)", [(1, "[1, 2]"), (2, "[3, 4]"), (3, "abc")])
db.execute("CREATE TABLE no_id (v BLOB, size INTEGER)")
db.executemany("INSERT INTO no_id VALUES (?, ?)", [(sqlite_vec.serialize_float32([i, i + 1]), i) for i in range(4)])
db.commit()
db.execute("VACUUM")
db.close()

def sql_text(value):
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"

with open(data / "iris.postgres.sql", "w", encoding="utf-8") as f:
    f.write("-- written by Scripts/make_sql_fixtures.py from iris.jsonl\n")
    f.write("CREATE TABLE iris (n integer PRIMARY KEY, id text, target integer, species text, features real[], "
            "features64 double precision[], features_text text, kmeans_3 text);\n")
    for n, d in enumerate(docs):
        numbers = ",".join(repr(x) for x in d["features"])
        values = [str(n), sql_text(d["_id"]), "NULL" if d.get("target") is None else str(d["target"]),
                  sql_text(d.get("species")), "'{%s}'" % numbers, "'{%s}'" % numbers, "'[%s]'" % numbers,
                  sql_text(label(d))]
        f.write("INSERT INTO iris VALUES (%s);\n" % ", ".join(values))
