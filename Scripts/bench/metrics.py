#!/usr/bin/env python3
"""clus `metrics` against scikit-learn on the same data in the same run.

    python3 Scripts/bench/metrics.py                          # n = 2k, 10k, 20k; euclidean, cosine
    python3 Scripts/bench/metrics.py --sizes 20000,50000 --runs 3 --sample 2000
    python3 Scripts/bench/metrics.py --sizes 2000,10000,20000,50000 --large   # the issue's whole table

With `--large` it adds the cases at a million documents (data written as
.npy plus a labels CSV, which clus loads with `labels=`):
- CH + DB at 10⁶ × 512: `metrics silhouette=off` against
  `calinski_harabasz_score` + `davies_bouldin_score`.
- ARI + NMI + AMI at 10⁶ labels (100 classes, 100 clusters): `compare`
  (which also computes FMI and the matched contingency table) against the
  three sklearn functions.
- sampled silhouette at 10⁶ × 512: `metrics sample=2000` (each sampled
  document against all 10⁶, plus CH and DB) against
  `silhouette_score(sample_size=2000)` (the sample against itself) + CH + DB.

For each n (d = 512, k = 10 make_blobs clusters, float32, seed 0) it writes
the data once as .npy (read by both tools; clus takes the labels from a CSV
column stored under the alias blobs), then alternates runs of the two tools
and prints medians, the ratio, and each tool's peak memory:

- clus: the `elapsed_s` of `metrics alias=blobs metric=M` (exact silhouette,
  plus Calinski-Harabasz and Davies-Bouldin); peak memory is the child's
  maximum resident set from /usr/bin/time (it includes reading the file).
- scikit-learn: `silhouette_score(x, labels, metric=M)` timed in a fresh
  Python process, peak memory from resource.getrusage in that process.

It also measures the machine's float32 matmul rate (NumPy, all cores) as the
attainable peak and prints how far clus's exact silhouette is from it: the
useful work is n²·d/2 multiply-adds (symmetry), 2 flops each (euclidean and
manhattan only: clus takes cosine and sqeuclidean from cluster sums). With
`--sample N` it adds clus's sampled silhouette (stratified, 95% CI) per n.
The machine is shared: the load average is printed; compare ratios, not times.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
D, K = 512, 10

SKLEARN_CHILD = r"""
import json, resource, sys, time
import numpy as np
from sklearn.metrics import silhouette_score
x = np.load(sys.argv[1]); labels = np.load(sys.argv[2]); metric = sys.argv[3]
start = time.perf_counter()
s = silhouette_score(x, labels, metric=metric)
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "silhouette": float(s),
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_labels_csv(path, labels):
    """Labels for clus's `load X.npy labels=CSV`: one column, stored under the alias blobs."""
    with open(path, "w") as f:
        f.write("_cluster_.vector.blobs\n")
        f.write("\n".join(f"c{v}" for v in labels) + "\n")


def clus_once(binary, path, options, script=None):
    # /usr/bin/time -f reports the child's maximum resident set (getrusage of the child).
    script = script or f'load {path}; metrics alias=blobs {options}'
    cmd = ["/usr/bin/time", "-f", "%M", binary, "--format", "json", "-c", script]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"clus failed: {proc.stderr}")
    result = json.loads(proc.stdout.splitlines()[-1])
    return result["elapsed_s"], result, child_peak_mib(proc)


def child_peak_mib(proc):
    """The maximum resident set /usr/bin/time printed last on stderr. (Not the
    child's own getrusage: Linux keeps the forking parent's peak across exec.)"""
    return int(proc.stderr.strip().splitlines()[-1]) / 1024


def sklearn_once(npy, lab, metric):
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-c", SKLEARN_CHILD, npy, lab, metric],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"scikit-learn failed: {proc.stderr}")
    r = json.loads(proc.stdout)
    return r["seconds"], r["silhouette"], child_peak_mib(proc)


LARGE_CHILD = r"""
import json, resource, sys, time
import numpy as np
from sklearn import metrics
case = sys.argv[1]
x = np.load(sys.argv[2], mmap_mode=None)
labels = np.load(sys.argv[3])
start = time.perf_counter()
if case == "chdb":
    values = [metrics.calinski_harabasz_score(x, labels), metrics.davies_bouldin_score(x, labels)]
elif case == "external":
    truth = x
    values = [metrics.adjusted_rand_score(truth, labels), metrics.normalized_mutual_info_score(truth, labels),
              metrics.adjusted_mutual_info_score(truth, labels)]
else:
    values = [metrics.silhouette_score(x, labels, sample_size=int(case), random_state=1),
              metrics.calinski_harabasz_score(x, labels), metrics.davies_bouldin_score(x, labels)]
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "values": values,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def large_cases(binary, tmp, runs, sample):
    """The cases at a million documents; data as .npy plus a labels CSV."""
    from sklearn.datasets import make_blobs
    n = 1_000_000
    x, labels = make_blobs(n_samples=n, n_features=D, centers=K, cluster_std=8.0, random_state=0)
    x = x.astype(np.float32)
    npy, lab, csv = (os.path.join(tmp, f"m.{ext}") for ext in ("x.npy", "labels.npy", "labels.csv"))
    np.save(npy, x)
    np.save(lab, labels)
    write_labels_csv(csv, labels)
    del x
    # 10⁶ labels: 100 classes, and clusters that agree with them 70% of the time
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 100, n)
    pred = np.where(rng.random(n) < 0.7, truth, rng.integers(0, 100, n))
    tnpy, pnpy, two, tcsv = (os.path.join(tmp, f) for f in ("t.npy", "p.npy", "two.npy", "t.csv"))
    np.save(tnpy, truth)
    np.save(pnpy, pred)
    np.save(two, np.zeros((n, 2), dtype=np.float32))
    with open(tcsv, "w") as f:
        f.write("_cluster_.vector.truth,_cluster_.vector.pred\n")
        f.write("\n".join(f"t{a},p{b}" for a, b in zip(truth, pred)) + "\n")

    def sk(case, a, b):
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-c", LARGE_CHILD, case, a, b],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"scikit-learn failed: {proc.stderr}")
        r = json.loads(proc.stdout)
        return r["seconds"], r["values"], child_peak_mib(proc)

    cases = [
        ("CH+DB 1M×512", f'load "{npy}" labels="{csv}"; metrics alias=blobs silhouette=off', ("chdb", npy, lab),
         lambda r: [r["calinski_harabasz"], r["davies_bouldin"]]),
        ("ARI+NMI+AMI 1M labels", f'load "{two}" labels="{tcsv}"; compare truth pred', ("external", tnpy, pnpy),
         lambda r: [r["adjusted_rand_index"], r["normalized_mutual_info"], r["adjusted_mutual_info"]]),
        (f"sampled {sample} of 1M +CH+DB", f'load "{npy}" labels="{csv}"; metrics alias=blobs sample={sample} seed=1',
         (str(sample), npy, lab), lambda r: [r["silhouette"], r["calinski_harabasz"], r["davies_bouldin"]]),
    ]
    for name, script, child, pick in cases:
        ours, theirs, our_mem, their_mem = [], [], [], []
        for _ in range(runs):
            seconds, result, mib = clus_once(binary, None, None, script=script)
            ours.append(seconds)
            our_mem.append(mib)
            seconds, values, mib = sk(*child)
            theirs.append(seconds)
            their_mem.append(mib)
        a, b = statistics.median(ours), statistics.median(theirs)
        got = ", ".join(f"{v:.6g}" for v in pick(result))
        want = ", ".join(f"{v:.6g}" for v in values)
        print(f"{name:<28} {a:>8.2f} {b:>10.2f} {b / a:>6.1f}x {max(our_mem):>9.0f} {max(their_mem):>12.0f} {'':>8}  {got} / {want}")
    print(f"  (n = 1,000,000: data {n * D * 4 / 2**20:.0f} MiB float32; load average {os.getloadavg()[0]:.2f})")


def matmul_peak():
    """float32 GFLOP/s of NumPy's matmul, best of 5 (the attainable peak)."""
    a = np.random.default_rng(0).standard_normal((4096, 4096), dtype=np.float32)
    best = 0.0
    for _ in range(5):
        start = time.perf_counter()
        a @ a
        best = max(best, 2 * 4096**3 / (time.perf_counter() - start) / 1e9)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="2000,10000,20000", help="comma-separated n (the issue's table adds 50000)")
    ap.add_argument("--metrics", default="euclidean,cosine")
    ap.add_argument("--runs", type=int, default=3, help="runs of each tool per case; medians are printed")
    ap.add_argument("--sample", type=int, default=0, help="also time clus's sampled silhouette with this sample size")
    ap.add_argument("--no-build", action="store_true", help="use the existing .build/release/clus")
    ap.add_argument("--large", action="store_true", help="add the cases at a million documents (needs ~12 GiB and a few minutes)")
    ap.add_argument("--only-large", action="store_true", help="run only the cases at a million documents")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "clus"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "clus")
    from sklearn.datasets import make_blobs

    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    peak = matmul_peak()
    print(f"measured peak: NumPy float32 matmul 4096², all cores: {peak:.0f} GFLOP/s")
    print()
    print(f"{'case':<28} {'clus s':>8} {'sklearn s':>10} {'ratio':>7} {'clus MiB':>9} {'sklearn MiB':>12} {'of peak':>8}  silhouette clus / sklearn")
    with tempfile.TemporaryDirectory() as tmp:
        if args.large or args.only_large:
            large_cases(binary, tmp, args.runs, args.sample or 2000)
        for n in ([] if args.only_large else [int(s) for s in args.sizes.split(",")]):
            x, labels = make_blobs(n_samples=n, n_features=D, centers=K, cluster_std=8.0, random_state=0)
            x = x.astype(np.float32)
            npy, lab, csv = (os.path.join(tmp, f"blobs{n}.{ext}") for ext in ("x.npy", "labels.npy", "labels.csv"))
            np.save(npy, x)
            np.save(lab, labels)
            write_labels_csv(csv, labels)
            path = f'"{npy}" labels="{csv}"'  # both tools read the same .npy
            data_mib = x.nbytes / 2**20
            for metric in args.metrics.split(","):
                ours, theirs, our_mem, their_mem = [], [], [], []
                for _ in range(args.runs):
                    seconds, result, mib = clus_once(binary, path, f"metric={metric}")
                    ours.append(seconds)
                    our_mem.append(mib)
                    seconds, s_sklearn, mib = sklearn_once(npy, lab, metric)
                    theirs.append(seconds)
                    their_mem.append(mib)
                a, b = statistics.median(ours), statistics.median(theirs)
                # Only euclidean (and manhattan) do the n²·d/2 pairwise work; cosine
                # and sqeuclidean come from cluster sums, O(n·k·d).
                useful = f"{n * n * D / 2 * 2 / a / 1e9 / peak:>7.0%}" if metric in ("euclidean", "manhattan") else "    n/a"
                print(f"{f'silhouette {metric} {n // 1000}k×{D}':<28} {a:>8.2f} {b:>10.2f} {b / a:>6.1f}x "
                      f"{max(our_mem):>9.0f} {max(their_mem):>12.0f} {useful:>8}  "
                      f"{result['silhouette']:.7f} / {s_sklearn:.7f}")
            if 0 < args.sample < n:
                times = []
                for _ in range(args.runs):
                    seconds, result, mib = clus_once(binary, path, f"sample={args.sample} seed=1")
                    times.append(seconds)
                print(f"{f'sampled {args.sample} of {n // 1000}k':<28} {statistics.median(times):>8.2f} {'—':>10} {'':>7} "
                      f"{mib:>9.0f} {'':>12} {'':>8}  {result['silhouette']:.4f} "
                      f"[{result['silhouette_ci_low']:.4f}, {result['silhouette_ci_high']:.4f}]")
            print(f"  (n = {n}: data {data_mib:.0f} MiB float32, memory goal 2 × data + 64 = {2 * data_mib + 64:.0f} MiB; "
                  f"load average {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
