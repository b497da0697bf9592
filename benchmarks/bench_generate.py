"""Events per second: the compiled bulk generator next to hypothesis-jsonschema, one run.

Both draw from the same contracts: the bulk generator from its compiled closures, Hypothesis
(under `@given`, as property tests use it) from the same self-contained schemas
`qevcontract.generate.strategy` feeds hypothesis-jsonschema. Every bulk event is then
validated with the project's validator (not timed) to show that speed costs no validity.

    .venv/bin/python benchmarks/bench_generate.py                  # n=100,000, documented types
    .venv/bin/python benchmarks/bench_generate.py --types all --n 200000
    .venv/bin/python benchmarks/bench_generate.py --json benchmarks/out/generate.json

One process, one thread: the figures are per core. "per CPU s" divides by the process's CPU
time rather than the wall clock, so other load on the machine distorts it less.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from random import Random
from typing import Any


def bench_bulk(catalog: Any, types: list[str], n: int, seed: int) -> dict[str, Any]:
    from qevcontract.generate._bulk import BulkGenerator
    from qevcontract.validate._validator import Validator

    generator = BulkGenerator(catalog)
    start = time.perf_counter()
    for t in types:
        generator.compiled(t)
    compile_s = time.perf_counter() - start

    r = Random(seed)
    k = len(types)
    events: list[dict[str, Any]] = []
    append = events.append
    generate = generator.generate
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        append(generate(types[int(r.random() * k)], r))
    gen_s, gen_cpu = time.perf_counter() - start, time.process_time() - cpu

    validator = Validator(catalog)
    start = time.perf_counter()
    invalid = sum(1 for e in events if not validator.is_valid(e))
    validate_s = time.perf_counter() - start
    return {
        "events": n,
        "seconds": gen_s,
        "events_per_s": n / gen_s,
        "events_per_cpu_s": n / gen_cpu,
        "compile_seconds": compile_s,
        "invalid": invalid,
        "validate_events_per_s": n / validate_s,
    }


def bench_hypothesis(catalog: Any, types: list[str], per_type: int) -> dict[str, Any]:
    from hypothesis import HealthCheck, Phase, given, settings

    from qevcontract.generate import Generator

    generator = Generator(catalog)
    strategies = [generator.strategy(t) for t in types]
    drawn: list[dict[str, Any]] = []
    config = settings(
        max_examples=per_type,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    start, cpu = time.perf_counter(), time.process_time()
    for strategy in strategies:

        @config
        @given(strategy)
        def collect(event: dict[str, Any]) -> None:
            drawn.append(event)

        collect()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    return {
        "events": len(drawn),
        "seconds": seconds,
        "events_per_s": len(drawn) / seconds,
        "events_per_cpu_s": len(drawn) / cpu_seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="bulk events (default 100000)")
    parser.add_argument(
        "--hypothesis-per-type",
        type=int,
        default=25,
        help="events hypothesis-jsonschema draws per type (default 25)",
    )
    parser.add_argument(
        "--types",
        choices=["documented", "all"],
        default="documented",
        help="documented: types whose payload the docs specify (default); all: every type",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    args = parser.parse_args(argv)

    from qevcontract.contracts import load

    catalog = load()
    entries = catalog.entries
    types = [e.type for e in entries if args.types == "all" or e.payload_documented]

    bulk = bench_bulk(catalog, types, args.n, args.seed)
    hyp = bench_hypothesis(catalog, types, args.hypothesis_per_type)
    ratio = bulk["events_per_cpu_s"] / hyp["events_per_cpu_s"]

    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"{len(types)} event types ({args.types}), mixed at random")
    print(f"{'generator':<24}{'events':>10}{'wall s':>9}{'events/s':>12}{'per CPU s':>12}")
    for name, row in (("bulk (compiled)", bulk), ("hypothesis-jsonschema", hyp)):
        print(
            f"{name:<24}{row['events']:>10}{row['seconds']:>9.2f}"
            f"{row['events_per_s']:>12,.1f}{row['events_per_cpu_s']:>12,.1f}"
        )
    print(f"bulk / hypothesis-jsonschema (per CPU second): {ratio:,.0f}x")
    print(
        f"bulk: compiled {len(types)} types in {bulk['compile_seconds']:.2f}s; "
        f"{bulk['invalid']} of {bulk['events']} events invalid "
        f"(validated at {bulk['validate_events_per_s']:,.0f} events/s, not timed above)"
    )
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        result = {"types": types, "bulk": bulk, "hypothesis": hyp, "ratio": ratio}
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if bulk["invalid"] else 0


if __name__ == "__main__":
    sys.exit(main())
