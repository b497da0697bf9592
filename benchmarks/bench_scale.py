"""Archives on Dask and Spark versus `validate --jobs 2`, measured in one run (issue 19).

Prints figures; asserts nothing. The same mixed events (about 10% broken), cut into
daily-style JSONL files, go through:

* the CLI: ``qevcontract validate --jobs 2 --format json -o FILE`` (the baseline; and
  ``--jobs 1`` for scale), end to end, process start included;
* Dask: a LocalCluster of 2 single-threaded worker processes on 127.0.0.1,
  ``validate(read_jsonl(files)).to_parquet(dir)``;
* Spark ``local[2]``: ``validate(read_jsonl(spark, files)).write_parquet(dir)``; then with
  each file split in four by Spark, with the first pass that counts the lines of each split
  (the default) and without it (``exact_lines=False``).

Cluster start-up is timed apart: it is paid once per job, not per event. Every rate is
also a ratio to ``--jobs 2`` in the same run (this machine is shared and noisy). A last
section times the pieces in one process (the CLI's checker, then row building, then the
pandas frame), which is where the per-event overhead of the adapters goes.

    python benchmarks/bench_scale.py                   # 1,000,000 events
    python benchmarks/bench_scale.py --events 100000 --skip spark
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import make_input  # the same mixed events as there

CLI = [sys.executable, "-m", "qevcontract._cli"]


def split_input(source: Path, folder: Path, files: int) -> list[str]:
    """`source` cut into `files` JSONL files of whole lines, as days of an archive."""
    lines = source.read_bytes().splitlines(keepends=True)
    per = -(-len(lines) // files)
    paths = []
    for n in range(files):
        path = folder / f"day-{n:02d}.jsonl"
        path.write_bytes(b"".join(lines[n * per : (n + 1) * per]))
        paths.append(str(path))
    return paths


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


class Table:
    def __init__(self, events: int) -> None:
        self.events = events
        self.baseline: float | None = None

    def row(self, label: str, seconds: float) -> None:
        rate = self.events / seconds
        if self.baseline is None:
            self.baseline = rate
        print(
            f"{label:52s} {seconds:8.1f} s {rate:>10,.0f} events/s  {rate / self.baseline:5.2f}x",
            flush=True,
        )


def cli(paths: list[str], jobs: int, out: Path) -> float:
    cmd = [*CLI, "validate", "--jobs", str(jobs), "--format", "json", "-o", str(out), *paths]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    seconds, done = timed(lambda: subprocess.run(cmd, check=False, **quiet))
    assert done.returncode in (0, 1), done.returncode
    return seconds


def run_dask(paths: list[str], work: Path, table: Table) -> None:
    import distributed

    import qevcontract.dask as qd

    start, cluster = timed(
        lambda: distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None,
        )
    )  # fmt: skip
    with cluster, distributed.Client(cluster):
        print(f"{'  Dask LocalCluster start-up (once per job)':52s} {start:8.1f} s", flush=True)
        qd.validate(qd.read_jsonl(paths[0])).summary()  # warm up: workers import, compile
        seconds, summary = timed(
            lambda: qd.validate(qd.read_jsonl(paths)).to_parquet(str(work / "dask"))
        )
        table.row("Dask, 2 workers: validate -> Parquet", seconds)
        assert summary["read"] == table.events, summary["read"]


def run_spark(paths: list[str], work: Path, table: Table) -> None:
    # Imported before the clock, as ever: the start-up figure is the session's alone.
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401
    import pyspark.sql  # noqa: F401

    import qevcontract.spark as qs

    start, spark = timed(qs.local_session)
    try:
        print(
            f"{'  Spark local[2] session start-up (once per job)':52s} {start:8.1f} s", flush=True
        )
        # Warm up (Python workers, JIT): what a nightly job pays once, not per event.
        qs.validate(qs.read_jsonl(spark, paths[0])).summary()
        # As read (files up to 128 MB are not split: no counting pass), then with each file
        # split in four, with the pass that numbers later splits and without it.
        split = max(1 << 20, max(os.path.getsize(p) for p in paths) // 4)
        for label, max_bytes, exact in (
            ("Spark local[2]: validate -> Parquet", None, True),
            ("  the same, files split in 4: counting pass + validate", split, True),
            ("  the same, files split in 4, exact_lines=False", split, False),
        ):
            if max_bytes is not None:
                spark.conf.set("spark.sql.files.maxPartitionBytes", str(max_bytes))
            out = str(work / f"spark-{max_bytes}-{exact}")
            seconds, summary = timed(
                lambda exact=exact, out=out: qs.validate(
                    qs.read_jsonl(spark, paths), exact_lines=exact
                ).write_parquet(out)
            )
            table.row(label, seconds)
            assert summary["read"] == table.events, summary["read"]
    finally:
        spark.stop()


def pieces(path: str) -> None:
    """One process, one file: the CLI's checker, then the adapters' extra steps."""
    from qevcontract import Validator
    from qevcontract._scale import Rows, check_lines
    from qevcontract.dask import _frame
    from qevcontract.validate._run import iter_results

    validator = Validator()
    lines = Path(path).read_bytes().splitlines(keepends=True)
    n = len(lines)
    list(iter_results(validator, [path]))  # compile the schemas first
    t_cli, _ = timed(lambda: sum(1 for _ in iter_results(validator, [path])))

    def rows() -> Rows:
        out = Rows()
        check_lines(validator, lines, path, out)
        return out

    t_rows, built = timed(rows)
    t_frame, _ = timed(lambda: _frame(built))
    print(f"\nin one process, {n:,} events of {path}:")
    print(f"  {'the CLI reader + checker (iter_results)':50s} {n / t_cli:>10,.0f} events/s")
    print(f"  {'the same, building result rows (_scale)':50s} {n / t_rows:>10,.0f} events/s")
    print(f"  {'rows -> pandas (Arrow-backed) frame':50s} {n / t_frame:>10,.0f} events/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="default 1000000")
    parser.add_argument("--files", type=int, default=8, help="JSONL files (default 8)")
    parser.add_argument("--skip", default="", help="comma-separated: dask, spark, pieces")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        t_make, _ = timed(lambda: make_input(work / "all.jsonl", args.events))
        paths = split_input(work / "all.jsonl", work, args.files)
        events = sum(1 for p in paths for line in open(p, "rb") if line.strip())  # noqa: SIM115
        size = sum(os.path.getsize(p) for p in paths)
        print(
            f"{events:,} events in {len(paths)} files, {size / 1e6:,.0f} MB "
            f"(generated in {t_make:.0f} s); cores: {os.cpu_count()}\n",
            flush=True,
        )
        table = Table(events)
        table.row("CLI validate --jobs 2 --format json (baseline)", cli(paths, 2, work / "o.json"))
        table.row("CLI validate --jobs 1 --format json", cli(paths, 1, work / "o.json"))
        if "dask" not in skip:
            run_dask(paths, work, table)
        if "spark" not in skip:
            run_spark(paths, work, table)
        # The baseline again: on a shared machine, how much the load moved during the run.
        table.row("CLI validate --jobs 2 again (load drift check)", cli(paths, 2, work / "o.json"))
        if "pieces" not in skip:
            pieces(paths[0])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
