#!/usr/bin/env python3
"""clus k-means vs scikit-learn (Lloyd and Elkan) and faiss on the same data, in
one run: time per Lloyd iteration over a grid of n, k and d, and mini-batch
k-means at n = 10^6. Prints the CPU model, medians and the ratios (reference /
clus; above 1 means clus is faster). Ward and HDBSCAN are in
Scripts/bench/hierarchy.py.

    python3 Scripts/bench/methods.py            # the issue's grid (about half an hour)
    python3 Scripts/bench/methods.py --quick    # n = 10^4 and 10^5 only (a few minutes)
    python3 Scripts/bench/methods.py --cases 100000:100:512,100000:1000:512 --minibatch-n 0
    python3 Scripts/bench/methods.py --cases debian:20,debian:100 --minibatch-n 0   # real embeddings (n=8000 d=384)
    python3 Scripts/bench/methods.py --as-cpu znver3 --quick   # as on a CPU without AVX-512 (see below)
    python3 Scripts/bench/methods.py --cases 100000:100:128 --minibatch-n 0 --rounds 5   # on a noisy host

--rounds N times both sides N times, alternating which goes first, and
prints the medians over the rounds, the median of the rounds' ratios and
each round's ratio against scikit-learn's lloyd: on a host whose neighbours
load its cores, one run of each side can fall in different weather (the
same case moved by a third between runs).

--as-cpu znver3 (or haswell) times both sides as they run on an AVX2-only
CPU such as AMD Zen 3, on this machine: clus built for that CPU
(CLUS_TARGET_CPU, its own .build-bench-NAME: no AVX-512 code, so its own
choices are that CPU's: the int16 scan, the portable epilogue), and
OpenBLAS (clus's, NumPy's and faiss's) and faiss on their AVX2 kernels. Both
sides lose AVX-512 alike; it is an estimate of such a CPU, not a measurement
on one (cache sizes and clocks stay this machine's).

The grid (n:k:d): d = 512 for every n in {10^4, 10^5, 10^6} and k in
{10, 100, 1000}, plus d = 128 and d = 1536 at n = 10^5, k = 100.

Data: float32 blobs (10 centres in [-10, 10]^d, standard deviation 60, so
they overlap and Lloyd keeps moving), written raw to bench-data/*.f32; each
(n, d) file is shared by its cases. Both sides start from the same centres
(k-means++ by scikit-learn when n * k <= 10^7, else k distinct random rows).
The clus side runs `swift test -c release --filter MethodBenchmark` on a plan
file, so both sides time the same arrays in-process.

Per-iteration time is (t(1 + m iterations) - t(1 iteration)) / m with tol = 0,
so fixed costs cancel; m = 20 for small cases, fewer when n * k * d is large.
clus picks its bounds itself (Yinyang's group bounds for k >= 30, Hamerly's
below; the plan output names the one used); its later iterations get cheaper as
the centres settle, so a small m understates its speed. scikit-learn's Elkan is
skipped when its n x k bounds would not fit (n * k > 2 * 10^8).
"""
import argparse
import gzip
import io
import os
import statistics
import subprocess
import sys
from pathlib import Path

# --as-cpu NAME: OpenBLAS reads OPENBLAS_CORETYPE and faiss FAISS_OPT_LEVEL
# when they load, so they are set here, before NumPy is imported.
AS_CPU = {"znver3": "Zen", "haswell": "Haswell"}   # LLVM CPU name: the OpenBLAS core it gets
if "--as-cpu" in sys.argv[:-1]:
    _cpu = sys.argv[sys.argv.index("--as-cpu") + 1]
    if _cpu not in AS_CPU:
        sys.exit(f"--as-cpu: one of {', '.join(AS_CPU)}")
    os.environ.update(OPENBLAS_CORETYPE=AS_CPU[_cpu], FAISS_OPT_LEVEL="avx2",
                      CLUS_TARGET_CPU=_cpu)

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans, kmeans_plusplus

from machine import cpu_model, median_time

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "bench-data"
GRID = ("10000:10:512,10000:100:512,10000:1000:512,"
        "100000:10:512,100000:100:512,100000:1000:512,100000:100:128,100000:100:1536,"
        "1000000:10:512,1000000:100:512,1000000:1000:512")
QUICK = "10000:10:512,10000:100:512,10000:1000:512,100000:10:512,100000:100:512,100000:100:1536"

try:
    import faiss
except ImportError:
    faiss = None


def data(n, d):
    """Overlapping float32 blobs, written once per (n, d) and read back."""
    path = DATA / f"blobs_{n}_{d}.f32"
    if not path.exists() or path.stat().st_size != n * d * 4:
        DATA.mkdir(exist_ok=True)
        rng = np.random.default_rng(0)
        centres = rng.uniform(-10, 10, (10, d)).astype(np.float32)
        x = np.empty((n, d), dtype=np.float32)
        for lo in range(0, n, 65536):  # in slices: no float64 copy of the whole set
            hi = min(n, lo + 65536)
            x[lo:hi] = centres[rng.integers(0, 10, hi - lo)] + rng.standard_normal((hi - lo, d), dtype=np.float32) * 60
        x.tofile(path)
        return x, path
    return np.fromfile(path, dtype=np.float32).reshape(n, d), path


def debian():
    """The demo's real embeddings (Scripts/data/debian.npy.gz), written raw for the clus side."""
    path = DATA / "debian_8000_384.f32"
    with gzip.open(ROOT / "Scripts" / "data" / "debian.npy.gz") as f:
        x = np.ascontiguousarray(np.load(io.BytesIO(f.read())), dtype=np.float32)
    if not path.exists() or path.stat().st_size != x.nbytes:
        DATA.mkdir(exist_ok=True)
        x.tofile(path)
    return x, path


def iterations_for(n, k, d):
    work = n * k * d
    return 20 if work <= 1e10 else 5 if work <= 1e11 else 2


def lloyd_case(x, path, n, k, d, repeats):
    """The case's seeds (written for the clus side), its plan line, and a
    function timing the references once (a dict: reference -> seconds)."""
    rng = np.random.default_rng(1)
    if n * k <= 10**7:
        _, seeds = kmeans_plusplus(x, k, random_state=0)
    else:
        seeds = rng.choice(n, size=k, replace=False)
    seeds = np.asarray(seeds, dtype=np.int64)
    seeds_path = DATA / f"seeds_{n}_{k}_{d}.i64"
    seeds.tofile(seeds_path)
    centres = np.ascontiguousarray(x[seeds])
    m = iterations_for(n, k, d)
    r = repeats   # a single run of a large case left the difference to noise (once negative)

    def references():
        refs = {}
        for algorithm in ("lloyd", "elkan"):
            if algorithm == "elkan" and n * k > 2 * 10**8:
                continue
            fit = lambda it: KMeans(k, init=centres, n_init=1, max_iter=it, tol=0, algorithm=algorithm).fit(x)
            t1, m1 = median_time(r, lambda: fit(1))
            tm, mm = median_time(r, lambda: fit(1 + m))
            refs[f"sklearn {algorithm}"] = (tm - t1) / max(1, mm.n_iter_ - m1.n_iter_)
        if faiss is not None:
            def faiss_fit(it):
                km = faiss.Kmeans(d, k, niter=it, seed=0, max_points_per_centroid=1 << 30)
                km.train(x, init_centroids=centres)
            f1, _ = median_time(r, lambda: faiss_fit(1))
            fm, _ = median_time(r, lambda: faiss_fit(1 + m))
            refs["faiss"] = (fm - f1) / m
        return refs

    return f"Lloyd per iteration n={n} k={k} d={d}", f"kmeans {path} {n} {d} {k} {m} {r} {seeds_path}", references


def clus_timings(plan, repeats, as_cpu, build):
    """One run of the clus side over the plan: {case: seconds}, {case: note}."""
    plan_path = DATA / "plan.txt"
    plan_path.write_text("\n".join(plan) + "\n")
    env = dict(os.environ, CLUS_BENCH=str(plan_path), CLUS_BENCH_REPEATS=str(repeats))
    out = subprocess.run(["swift", "test", "-c", "release", "-Xswiftc", "-enable-testing",
                          # its own flags, so .build/release stays as built; one per target CPU
                          "--scratch-path", ".build-bench" + (f"-{as_cpu}" if as_cpu else ""),
                          *([] if build else ["--skip-build"]),
                          "--filter", "MethodBenchmark"], cwd=ROOT, env=env, capture_output=True, text=True)
    clus, notes = {}, {}
    for line in out.stdout.splitlines():
        if line.startswith("BENCH\t"):
            fields = line.split("\t")
            clus[fields[1]] = float(fields[2])
            if len(fields) > 3:
                notes[fields[1]] = fields[3]
    if not clus:
        print(out.stdout[-3000:], out.stderr[-3000:])
        raise SystemExit("the clus side printed no timings")
    return clus, notes


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cases", default=None, help="n:k:d,... (default: the grid above)")
    p.add_argument("--minibatch-n", default="1000000", help="n for mini-batch k-means (k=10, d=512); 0 skips")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--rounds", type=int, default=1,
                   help="time both sides this many times, alternating which goes first (medians over the rounds)")
    p.add_argument("--quick", action="store_true", help="n = 10^4 and 10^5 only, mini-batch at 10^5")
    p.add_argument("--as-cpu", choices=sorted(AS_CPU), help="time both sides as on this AVX2-only CPU (see above)")
    a = p.parse_args()
    cases_spec = a.cases or (QUICK if a.quick else GRID)
    if a.quick and a.minibatch_n == "1000000":
        a.minibatch_n = "100000"
    print(f"CPU: {cpu_model()}; {os.cpu_count()} cores; faiss {'installed' if faiss else 'not installed'}"
          + (f"; as {a.as_cpu}" if a.as_cpu else ""))
    r = a.repeats
    cases = []  # (case name, plan line for Swift, function timing the references once)

    for spec in cases_spec.split(","):
        if spec.startswith("debian:"):
            # real sentence embeddings with cluster structure (the demo's 8,000 × 384)
            x, path = debian()
            (n, d), k = x.shape, int(spec.split(":")[1])
        else:
            n, k, d = (int(v) for v in spec.split(":"))
            x, path = data(n, d)
        cases.append(lloyd_case(x, path, n, k, d, r))

    for n in [int(v) for v in a.minibatch_n.split(",") if v and int(v) > 0]:
        x, path = data(n, 512)
        # One epoch (n / 1024 steps) with early stopping off on both sides: with
        # it on, the step count hangs on the noise of the second batch's inertia
        # (here 12 steps for scikit-learn, 1,346 for clus, from their own seeds).
        def minibatch(x=x):
            fit = lambda: MiniBatchKMeans(10, random_state=0, n_init=1, batch_size=1024, max_iter=1,
                                          max_no_improvement=None).fit(x)
            return {"sklearn": median_time(r, fit)[0]}
        cases.append((f"mini-batch k-means n={n} k=10 d=512 ({n // 1024} steps)", f"minibatch {path} {n} 512 10",
                      minibatch))

    # Rounds: each times every reference and then clus (every other round clus
    # first), so a neighbour's load on the host's cores falls on both sides alike;
    # the ratio column is the median of the rounds' ratios.
    plan = [line for _, line, _ in cases]
    refs = {name: [] for name, _, _ in cases}
    clus, notes = {name: [] for name, _, _ in cases}, {}
    for round_index in range(a.rounds):
        def time_references():
            for name, _, references in cases:
                refs[name].append(references())
                print(f"  round {round_index + 1}: timed the references for {name}", flush=True)
        def time_clus():
            timings, more = clus_timings(plan, r, a.as_cpu, build=round_index == 0)
            for name in clus:
                clus[name].append(timings.get(name))
            notes.update(more)
        if round_index % 2 == 0:
            time_references(); time_clus()
        else:
            time_clus(); time_references()

    load = os.getloadavg()
    print(f"CPU: {cpu_model()}" + (f", as {a.as_cpu}: clus built for it, "
                                   f"OPENBLAS_CORETYPE={AS_CPU[a.as_cpu]}, FAISS_OPT_LEVEL=avx2" if a.as_cpu else ""))
    print(f"median of up to {r} runs" + (f" in each of {a.rounds} rounds (medians over the rounds)" if a.rounds > 1 else "")
          + f"; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; ratio = reference / clus (above 1: clus faster)")
    names = ["sklearn lloyd", "sklearn elkan", "faiss", "sklearn"]
    print("| case | clus | clus bounds | " + " | ".join(f"{nm} | ratio" for nm in names) + " |")
    print("|---|---:|---|" + "---:|---:|" * len(names))
    spread = []
    for name, _, _ in cases:
        c = [v for v in clus[name] if v is not None]
        cells = [name, f"{statistics.median(c) * 1000:.1f} ms" if c else "n/a", notes.get(name, "")]
        for nm in names:
            pairs = [(round_refs[nm], v) for round_refs, v in zip(refs[name], clus[name]) if nm in round_refs and v]
            t = [ref for ref, _ in pairs]
            ratios = [ref / v for ref, v in pairs]
            cells.append(f"{statistics.median(t) * 1000:.1f} ms" if t else "—")
            cells.append(f"{statistics.median(ratios):.2f}×" if ratios else "—")
            if nm == "sklearn lloyd" and len(ratios) > 1:
                spread.append(f"{name}: " + ", ".join(f"{v:.2f}×" for v in ratios))
        print("| " + " | ".join(cells) + " |")
    if spread:
        print("per-round ratios against scikit-learn's lloyd:\n  " + "\n  ".join(spread))

if __name__ == "__main__":
    main()
