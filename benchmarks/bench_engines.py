"""Counting 10 million values into drift bins: numpy in memory, DuckDB over Parquet, Spark local mode.

Run with ``make bench`` (or ``python benchmarks/bench_engines.py``; ``--rows`` for
another size). It needs the ``engines`` extra and Java 17+ for Spark.

The data: ``--rows`` draws from N(0, 1) (seeded, 1 % NaN), written by DuckDB to ten
Parquet files in a temporary folder; 10 quantile edges learned from an earlier
sample of 10,000. Every engine counts the same values with the same edges and
must give numpy's counts exactly (the benchmark stops otherwise).

* numpy: ``drift.bin_counts(values, edges, nan="bin")`` on the values already in
  memory; time (best of 3) and the peak of the memory it allocates (tracemalloc),
  next to the size of the values themselves.
* DuckDB: ``drift.count_query`` over the Parquet files, in a fresh Python
  process; time (first run and best of 3) and the process's peak resident memory
  (VmHWM), and its peak after the imports alone, before the query.
* ``drift_test_counts`` on the counts: its time depends on the bins and the number
  of permutations, not on the number of rows.
* Spark: the same query with ``dialect="spark"`` on ``spark.read.parquet`` of the
  same files, local mode with every core; the session's start-up time, the query's
  time (first and best of 3) and the JVM's peak resident memory (VmHWM).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from pathlib import Path

import numpy as np

from klteach import drift

ROOT = Path(__file__).resolve().parents[1]


def make_data(rows: int, folder: Path, seed: int = 18):
    """The values (in memory, for numpy), the edges, and ten Parquet files of the same values."""
    import duckdb
    rng = np.random.default_rng(seed)
    edges = drift.bin_edges(rng.normal(size=10_000), 10)
    values = rng.normal(size=rows)
    values[rng.random(rows) < 0.01] = np.nan
    con = duckdb.connect()
    for i, part in enumerate(np.array_split(values, 10)):
        chunk = {"x": part}   # noqa: F841  (DuckDB reads the local variable named in the query)
        con.execute(f"COPY (SELECT x FROM chunk) TO '{folder}/part-{i}.parquet' (FORMAT parquet)")
    con.close()
    return values, edges


def bench_numpy(values, edges):
    times = []
    for _ in range(3):
        start = time.perf_counter()
        counts = drift.bin_counts(values, edges, nan="bin")
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    drift.bin_counts(values, edges, nan="bin")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return counts, {"best_s": min(times), "peak_alloc_mb": peak / 1e6, "values_mb": values.nbytes / 1e6}


# Run in a fresh process, so that its peak resident memory is DuckDB's (and Python's).
# Its peak is read from /proc/self/status (VmHWM, Linux), not from resource.getrusage:
# on Linux ru_maxrss of a process started by subprocess carries over the parent's peak
# (a child of a parent holding 480 MB reported 483 MB, VmHWM 11 MB).
DUCKDB_CHILD = textwrap.dedent("""
    import json, sys, time
    import duckdb
    from klteach import drift
    def peak_mb():
        line = next(l for l in open("/proc/self/status") if l.startswith("VmHWM"))
        return int(line.split()[1]) * 1024 / 1e6
    folder, edges = sys.argv[1], json.loads(sys.argv[2])
    before = peak_mb()
    con = duckdb.connect()
    con.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet('{folder}/*.parquet')")
    sql, params = drift.count_query("events", "x", edges, dialect="duckdb")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        rows = con.execute(sql, params).fetchall()
        times.append(time.perf_counter() - start)
    counts = drift.counts_from_rows(rows, edges).tolist()
    after = peak_mb()
    print(json.dumps({"counts": counts, "first_s": times[0], "best_s": min(times),
                      "rss_imports_mb": before, "rss_peak_mb": after,
                      "threads": con.execute("SELECT current_setting('threads')").fetchone()[0]}))
""")

SPARK_CHILD = textwrap.dedent("""
    import json, os, sys, time
    from klteach import drift
    folder, edges = sys.argv[1], json.loads(sys.argv[2])
    start = time.perf_counter()
    from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master("local[*]").appName("klteach-bench")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    startup = time.perf_counter() - start
    spark.read.parquet(folder).createOrReplaceTempView("events")
    sql, params = drift.count_query("events", "x", edges, dialect="spark")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        rows = [tuple(r) for r in spark.sql(sql, args=list(params)).collect()]
        times.append(time.perf_counter() - start)
    counts = drift.counts_from_rows(rows, edges).tolist()
    hwm = None
    try:
        pid = spark.sparkContext._gateway.proc.pid
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM"):
                hwm = int(line.split()[1]) * 1024 / 1e6
    except Exception:
        pass
    spark.stop()
    print(json.dumps({"counts": counts, "startup_s": startup, "first_s": times[0],
                      "best_s": min(times), "jvm_peak_mb": hwm, "cores": os.cpu_count()}))
""")


def child(code: str, folder: Path, edges) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    out = subprocess.run([sys.executable, "-c", code, str(folder), json.dumps(edges.tolist())],
                         capture_output=True, text=True, env=env, timeout=1800)
    if out.returncode != 0:
        raise SystemExit(f"the engine's process failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--no-spark", action="store_true", help="skip Spark (no Java here)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="klteach-bench-"))
    try:
        values, edges = make_data(args.rows, folder)
        size = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
        print(f"Counting {args.rows:,} values (1% NaN) into {len(edges) + 2} bins; Parquet: {size:.0f} MB "
              f"in 10 files; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        expected, np_stats = bench_numpy(values, edges)
        print(f"numpy in memory:  {np_stats['best_s']:.3f} s (best of 3); allocates at most "
              f"{np_stats['peak_alloc_mb']:.0f} MB (tracemalloc) besides the {np_stats['values_mb']:.0f} MB "
              f"of values it needs in memory")
        del values
        start = time.perf_counter()
        test = drift.drift_test_counts(expected, expected, seed=0)
        print(f"drift_test_counts on the {len(expected)} counts of each side, {test.n_permutations} "
              f"permutations: {1e3 * (time.perf_counter() - start):.1f} ms (whatever the number of rows)")
        duck = child(DUCKDB_CHILD, folder, edges)
        assert duck["counts"] == expected.tolist(), ("DuckDB's counts differ from numpy's", duck["counts"])
        print(f"DuckDB, Parquet:  {duck['best_s']:.3f} s (best of 3; first {duck['first_s']:.3f} s, "
              f"{duck['threads']} threads); peak resident memory of its process {duck['rss_peak_mb']:.0f} MB "
              f"({duck['rss_imports_mb']:.0f} MB after the imports alone)")
        if not args.no_spark:
            spark = child(SPARK_CHILD, folder, edges)
            assert spark["counts"] == expected.tolist(), ("Spark's counts differ from numpy's", spark["counts"])
            hwm = f"{spark['jvm_peak_mb']:.0f} MB" if spark["jvm_peak_mb"] else "not measured"
            print(f"Spark local mode: {spark['best_s']:.3f} s (best of 3; first {spark['first_s']:.3f} s) "
                  f"on {spark['cores']} cores, after {spark['startup_s']:.1f} s of session start-up; "
                  f"JVM peak resident memory {hwm}")
        print("Counts equal on every engine: yes")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
