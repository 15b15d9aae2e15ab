#!/usr/bin/env python3
"""The exact euclidean silhouette: clus `metrics` against scikit-learn's
silhouette_score on the same data in the same run, with clus's own Gram
kernel (what users run) and with OpenBLAS's sgemm, on the core clus chooses
for this CPU and on the one OpenBLAS picks alone; prints medians, the ratio,
and the useful GFLOP/s against this machine's FMA peak.

    python3 Scripts/bench/silhouette.py                # n = 20000 and 50000, d = 512, k = 10
    python3 Scripts/bench/silhouette.py --quick        # n = 5000, one run
    python3 Scripts/bench/silhouette.py --sizes 20000 --runs 5 --all
    python3 Scripts/bench/silhouette.py --sizes 50000 --before /tmp/old/.build/release/clus

Builds clus in release mode first. The data are make_blobs points (float32,
seed 0) written as .npy with their labels in a CSV, so clus reads exactly the
values sklearn gets. clus's time is the `elapsed_s` of its `metrics` command,
which also computes Calinski-Harabasz and Davies-Bouldin (two linear passes);
scikit-learn's is silhouette_score alone. Runs alternate between the tools.

Configurations: `default` is clus as users run it: the faster of the next
two as timed in the process (`clus --version` prints its timing at d = 512);
`gram` is clus's own GEMM micro-kernel on rows packed once
(CLUS_DISTANCE_KERNEL=gram); `sgemm` takes the dot products from OpenBLAS,
loaded with the core clus picks for the CPU's features (CLUS_DISTANCE_KERNEL=sgemm);
`sgemm-as-is` lets OpenBLAS pick its core alone (CLUS_BLAS=uncorrected: its
generic kernels on CPUs it does not know); `differences` (with --all) is
clus's kernel on the differences. Each is named as `clus --version` reports it.
`--before BINARY` adds `gram-before`: that clus binary (a build of an
earlier commit) with its own Gram kernel, for a before/after in the same run;
`--only gram,gram-before` times just the configurations named.

Useful work: n²·d multiply-adds halved by symmetry, i.e. n²·d flops; the peak
is Scripts/bench/fma_peak.c's all-core figure, built here with -march=native,
measured just before and just after each clus run: on shared cloud cores the
peak itself moves (175 to 350 GFLOP/s within minutes on a 2-vCPU Xeon), so
each run is set against the mean of its two neighbours, and the column is the
median of those shares.
"""

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

from machine import cpu_model

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
D, K = 512, 10


def build_fma_peak(tmp):
    binary = os.path.join(tmp, "fma_peak")
    subprocess.run(["clang", "-O3", "-march=native", "-pthread", os.path.join(ROOT, "Scripts/bench/fma_peak.c"),
                    "-o", binary], check=True)
    return binary


def fma_peak(binary):
    """(all-core GFLOP/s, vector width) now."""
    lines = subprocess.run([binary], check=True, capture_output=True, text=True).stdout.splitlines()
    return float(lines[-1].split(":")[1].split()[0]), lines[0].split(",")[0]


def kernel(binary, env):
    out = subprocess.run([binary, "--version"], env=env, check=True, capture_output=True, text=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("euclidean distances: "))
    return line.replace("euclidean distances: ", "")


def clus_metrics(binary, env, x_path, labels_path):
    script = f'load "{x_path}" labels="{labels_path}"; metrics alias=t'
    out = subprocess.run([binary, "--format", "json", "-c", script], env=env, check=True,
                         capture_output=True, text=True).stdout.splitlines()
    result = json.loads(out[-1])
    return result["elapsed_s"], result["silhouette"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="20000,50000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--all", action="store_true", help="also time the difference kernel")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--before", metavar="BINARY", help="also time this clus build's Gram kernel (gram-before)")
    parser.add_argument("--only", metavar="NAMES", help="time only these configurations (comma-separated names)")
    args = parser.parse_args()
    sizes = [5000] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 1 if args.quick else args.runs
    subprocess.run(["swift", "build", "-c", "release", "--product", "clus"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, ".build", "release", "clus")
    configurations = [("default", {}), ("gram", {"CLUS_DISTANCE_KERNEL": "gram"}),
                      ("sgemm", {"CLUS_DISTANCE_KERNEL": "sgemm"}),
                      ("sgemm-as-is", {"CLUS_DISTANCE_KERNEL": "sgemm", "CLUS_BLAS": "uncorrected"})]
    if args.all:
        configurations.append(("differences", {"CLUS_DISTANCE_KERNEL": "differences"}))
    if args.before:
        configurations.append(("gram-before", {"CLUS_DISTANCE_KERNEL": "gram"}))
    if args.only:
        wanted, known = args.only.split(","), [c[0] for c in configurations]
        unknown = [name for name in wanted if name not in known]
        if unknown:
            parser.error(f"--only: no configuration {', '.join(unknown)} here (known: {', '.join(known)}; "
                         "gram-before needs --before)")
        configurations = [c for c in configurations if c[0] in wanted]
    binaries = {name: os.path.abspath(args.before) if name == "gram-before" else binary for name, _ in configurations}
    with tempfile.TemporaryDirectory() as tmp:
        peak_binary = build_fma_peak(tmp)
        peak, width = fma_peak(peak_binary)
        peaks = [peak]
        print(f"CPU: {cpu_model()}; FMA peak ({width}, all cores): {peak:.0f} GFLOP/s at the start; "
              f"load average {os.getloadavg()[0]:.2f}")
        envs = []
        for name, extra in configurations:
            env = {**os.environ, **extra}
            env.pop("OPENBLAS_CORETYPE", None)
            if "CLUS_DISTANCE_KERNEL" not in extra:
                env.pop("CLUS_DISTANCE_KERNEL", None)
            envs.append((name, env))
            print(f"  {name:<11} {kernel(binaries[name], env)}")
        print(f"{'n':>7} {'d':>4} {'k':>3}  {'clus':<11} {'clus s':>7} {'sklearn s':>9} {'ratio':>6} "
              f"{'GFLOP/s':>8} {'of peak':>7}  silhouette (clus / sklearn)")
        for n in sizes:
            x, labels = make_blobs(n_samples=n, n_features=D, centers=K, cluster_std=8.0, random_state=0)
            x = x.astype(np.float32)
            x_path, labels_path = os.path.join(tmp, f"x{n}.npy"), os.path.join(tmp, f"l{n}.csv")
            np.save(x_path, x)
            with open(labels_path, "w") as f:
                f.write("t\n" + "".join(f"c{v}\n" for v in labels))
            ours = {name: [] for name, _ in envs}
            shares = {name: [] for name, _ in envs}
            theirs = []
            for _ in range(runs):
                for name, env in envs:
                    before = fma_peak(peak_binary)[0]
                    seconds, s_clus = clus_metrics(binaries[name], env, x_path, labels_path)
                    after = fma_peak(peak_binary)[0]
                    ours[name].append(seconds)
                    shares[name].append(n * n * D / seconds / 1e9 / ((before + after) / 2))
                    peaks += [before, after]
                start = time.perf_counter()
                s_sklearn = silhouette_score(x, labels)
                theirs.append(time.perf_counter() - start)
            b = statistics.median(theirs)
            for name, _ in envs:
                a = statistics.median(ours[name])
                gflops = n * n * D / a / 1e9
                print(f"{n:>7} {D:>4} {K:>3}  {name:<11} {a:>7.2f} {b:>9.2f} {b / a:>5.1f}x "
                      f"{gflops:>8.0f} {statistics.median(shares[name]):>6.0%}  {s_clus:.7f} / {s_sklearn:.7f}")
        print(f"FMA peak around the runs: {min(peaks):.0f}–{max(peaks):.0f} GFLOP/s (median {statistics.median(peaks):.0f})")


if __name__ == "__main__":
    main()
