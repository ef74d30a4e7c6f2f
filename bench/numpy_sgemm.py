"""The reference of `poa bench gradient`: numpy float32 matmul (OpenBLAS sgemm) of the scoring shapes.

Scores N random inference vectors (N x k) against C contributor vectors (C x k) the way the Java
kernel does, block by block (rows x k times k x C, as InfluenceTask's blocks), then as one GEMM of
--big-rows rows per call, then (when --full-max-gb allows the N x C output) as one GEMM of all N,
each with 1 thread and with all cores (threadpoolctl). Prints one JSON object on stdout.
GFLOP/s = 2 * rows * C * k / seconds; best of --repeats after a warm-up.
"""
import argparse
import json
import os
import platform
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits


def gflops(rows, cols, k, seconds):
    return 2.0 * rows * cols * k / seconds / 1e9


def best_of(repeats, fn):
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return min(runs), runs


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--inferences", type=int, default=1_000_000)
    p.add_argument("--contributors", type=int, default=1000)
    p.add_argument("--k", type=int, default=128)
    p.add_argument("--block", type=int, default=256)
    p.add_argument("--big-rows", type=int, default=65536)
    p.add_argument("--full-max-gb", type=float, default=6.0)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    n, c, k, block = a.inferences, a.contributors, a.k, a.block

    rng = np.random.default_rng(a.seed)
    inferences = (rng.random((n, k), dtype=np.float32) * 2 - 1)
    contributors = (rng.random((c, k), dtype=np.float32) * 2 - 1)
    contributors_t = contributors.T  # a view: matmul hands BLAS the transpose flag, as ScoreKernel does
    out_block = np.empty((block, c), dtype=np.float32)
    big = min(n, a.big_rows)
    out_big = np.empty((big, c), dtype=np.float32)

    def blockwise():
        for start in range(0, n - block + 1, block):
            np.matmul(inferences[start:start + block], contributors_t, out=out_block)
        tail = n % block
        if tail:
            np.matmul(inferences[n - tail:], contributors_t, out=out_block[:tail])

    def big_calls():
        for start in range(0, n, big):
            rows = min(big, n - start)
            np.matmul(inferences[start:start + rows], contributors_t, out=out_big[:rows])

    # Correctness of the kernel being timed: one block against float64.
    check = inferences[:block].astype(np.float64) @ contributors.astype(np.float64).T
    np.matmul(inferences[:block], contributors_t, out=out_block[:min(block, n)])
    max_abs_error = float(np.max(np.abs(out_block[:min(block, n)] - check[:min(block, n)])))

    cores = os.cpu_count()
    report = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": [{key: lib.get(key) for key in ("internal_api", "version", "architecture", "num_threads", "threading_layer")}
                 for lib in threadpool_info() if lib.get("user_api") == "blas"],
        "openblas_env": {key: os.environ.get(key) for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS")},
        "cores": cores,
        "block_rows": block,
        "big_rows": big,
        "max_abs_error_vs_float64": max_abs_error,
        "repeats": a.repeats,
    }
    flops_rows = n
    for threads in sorted({1, cores}):
        with threadpool_limits(limits=threads, user_api="blas"):
            blockwise()  # warm-up (thread pool, pages)
            seconds, runs = best_of(a.repeats, blockwise)
            report[f"blockwise_{threads}t_seconds"] = seconds
            report[f"blockwise_{threads}t_runs"] = runs
            report[f"blockwise_{threads}t_gflops"] = gflops(flops_rows, c, k, seconds)
            big_calls()
            seconds, runs = best_of(max(1, a.repeats - 1), big_calls)
            report[f"big_{threads}t_seconds"] = seconds
            report[f"big_{threads}t_gflops"] = gflops(flops_rows, c, k, seconds)
    del out_big
    if n * c * 4 <= a.full_max_gb * 2**30:
        out_full = np.empty((n, c), dtype=np.float32)
        for threads in sorted({1, cores}):
            with threadpool_limits(limits=threads, user_api="blas"):
                np.matmul(inferences, contributors_t, out=out_full)
                seconds, _ = best_of(1, lambda: np.matmul(inferences, contributors_t, out=out_full))
                report[f"full_{threads}t_seconds"] = seconds
                report[f"full_{threads}t_gflops"] = gflops(n, c, k, seconds)
        report["full_rows"] = n
    else:
        report["full_rows"] = 0
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
