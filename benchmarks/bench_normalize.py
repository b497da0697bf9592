"""`normalize` throughput next to `validate`'s, on the same file, in one process.

    .venv/bin/python benchmarks/bench_normalize.py [-n 100000] [--repeat 3] [--shape legacy]

Generates N realistic events (the bulk fake-event generator, every documented type, Qlik's
extensions and auth attributes) and writes them as JSON Lines in the legacy shape (or
hybrid), plus their CloudEvents 1.0 twin. Then, best of --repeat rounds, interleaved:

* validate, library: `iter_records` + `Validator().check` on the legacy file (the brief's
  baseline: validate's library throughput on the same file), and on the 1.0 twin;
* normalize, library: `iter_records` + `to_cloudevents` + JSON serialisation (no output);
* normalize, command: the `normalize` click command in-process, writing a file;
* validate, envelope-aware (projected): `iter_records` + `to_cloudevents(exact=False)` +
  `Validator().check` of the result, i.e. what `validate` costs on legacy input once it
  converts before checking (issue 8), for comparison.

Ratios are normalize / validate (above 1: normalize is the faster of the two). Figures are
per core (one process, one thread).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from random import Random
from typing import Any

import orjson
from click.testing import CliRunner

from qevcontract._cli.normalize_cmd import normalize
from qevcontract._input import iter_records
from qevcontract.contracts import load
from qevcontract.envelopes import to_cloudevents, to_hybrid, to_legacy
from qevcontract.generate._bulk import BulkGenerator
from qevcontract.validate._validator import Validator


def write_files(directory: Path, n: int, shape: str, seed: int) -> tuple[Path, Path]:
    """N events in `shape` and their 1.0 twin, as JSON Lines; returns both paths."""
    catalog = load()
    types = [t for t in catalog.types if catalog.entry(t).payload_documented]
    generator = BulkGenerator(catalog)
    convert = to_legacy if shape == "legacy" else to_hybrid
    r = Random(seed)
    shaped, twin = directory / f"{shape}.jsonl", directory / "cloudevents.jsonl"
    with shaped.open("wb") as out, twin.open("wb") as out_twin:
        for i in range(n):
            event = generator.generate(types[i % len(types)], r, label=False)
            out.write(orjson.dumps(convert(event).event) + b"\n")
            out_twin.write(orjson.dumps(event) + b"\n")
    return shaped, twin


def best_times(repeat: int, runs: dict[str, Callable[[], int]]) -> dict[str, tuple[float, int]]:
    """Best wall time (and the count returned) of each run, rounds interleaved so that
    machine noise hits every run alike."""
    best = {name: (float("inf"), 0) for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            count = run()
            elapsed = time.perf_counter() - start
            if elapsed < best[name][0]:
                best[name] = (elapsed, count)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100_000, help="events (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (best kept)")
    parser.add_argument("--shape", choices=("legacy", "hybrid"), default="legacy")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    validator = Validator()
    with tempfile.TemporaryDirectory() as tmp:
        shaped, twin = write_files(Path(tmp), args.n, args.shape, args.seed)
        output = Path(tmp) / "normalized.jsonl"

        def validate(path: Path) -> Callable[[], int]:
            def run() -> int:
                count = 0
                check = validator.check
                for rec in iter_records([str(path)]):
                    check(rec.event, source=rec.source, index=rec.index, line=rec.line)
                    count += 1
                return count

            return run

        def normalize_library() -> int:
            count = 0
            dumps = orjson.dumps
            for rec in iter_records([str(shaped)]):
                dumps(to_cloudevents(rec.event).event)
                count += 1
            return count

        def validate_converted() -> int:
            count = 0
            check = validator.check
            for rec in iter_records([str(shaped)]):
                event = to_cloudevents(rec.event, exact=False).event
                check(event, source=rec.source, index=rec.index, line=rec.line)
                count += 1
            return count

        def normalize_command() -> int:
            result = CliRunner().invoke(normalize, [str(shaped), "-o", str(output)])
            if result.exit_code != 0:
                raise SystemExit(f"normalize failed: {result.stderr.strip()[-300:]}")
            return sum(1 for _ in output.open("rb"))

        times = best_times(
            args.repeat,
            {
                f"validate, library ({args.shape} file)": validate(shaped),
                "validate, library (1.0 twin)": validate(twin),
                f"normalize, library ({args.shape} file)": normalize_library,
                f"normalize, command ({args.shape} file)": normalize_command,
                "validate, envelope-aware (projected)": validate_converted,
            },
        )
        size = shaped.stat().st_size
        same = _check_output(output, twin)

    counts = {count for _, count in times.values()}
    if counts != {args.n}:
        raise SystemExit(f"runs saw {counts} events, expected {args.n}")
    print(
        f"events: {args.n}  shape: {args.shape}  file: {size / 1e6:.1f} MB "
        f"({size / args.n:.0f} B/event)  cpus: {os.cpu_count()}"
    )
    rates: dict[str, float] = {}
    for label, (seconds, n) in times.items():
        rates[label] = n / seconds
        print(
            f"  {label:38s} {n / seconds:>9,.0f} events/s  {seconds:7.3f} s"
            f"  {seconds / n * 1e6:6.2f} µs/event"
        )
    names = list(rates)
    baseline = rates[names[0]]
    print(f"  ratio normalize library / validate   {rates[names[2]] / baseline:9.2f}x")
    print(f"  ratio normalize command / validate   {rates[names[3]] / baseline:9.2f}x")
    twin_ratio = rates[names[3]] / rates[names[1]]
    print(f"  ratio normalize command / validate of the 1.0 twin {twin_ratio:7.2f}x")
    projected = rates[names[3]] / rates[names[4]]
    print(f"  ratio normalize command / envelope-aware validate  {projected:7.2f}x")
    print(f"  normalized output equals the 1.0 twin: {same}")


def _check_output(output: Path, twin: Path) -> str:
    """Whether the command's output is the 1.0 twin, event for event (it should be)."""
    with output.open("rb") as got, twin.open("rb") as expected:
        for i, (a, b) in enumerate(zip(got, expected, strict=True)):
            event: Any = orjson.loads(a)
            if event != orjson.loads(b):
                return f"no (first difference at event {i})"
    return "yes"


if __name__ == "__main__":
    main()
