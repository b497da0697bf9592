"""`check` reporting cost next to the rules' own cost, in one process.

    .venv/bin/python benchmarks/bench_check.py [--docs ../shared/seeds] [--repeat 7]

Runs the rules once per round (`run_check` on the bundled contracts and the pages: the
baseline) and renders each report format from the same report; prints the median of
--repeat rounds for each, and each format's cost as a ratio to `run_check`. Rendering groups
the findings into causes (text, github, json, sarif) and, for sarif and github without
`--docs`, finds the contract line of each pointer.
"""

from __future__ import annotations

import argparse
import statistics
import time

from qevcontract.builder._pages import parse_pages
from qevcontract.check import run_check
from qevcontract.check._report import FORMATS, Where, renderer
from qevcontract.contracts import load


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="../shared/seeds")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    catalog = load()
    pages = parse_pages([args.docs]) if args.docs else None
    rules: list[float] = []
    formats: dict[str, list[float]] = {name: [] for name in FORMATS}
    report = run_check(catalog, pages)
    for _ in range(args.repeat):
        start = time.perf_counter()
        report = run_check(catalog, pages)
        rules.append(time.perf_counter() - start)
        for name in FORMATS:
            where = Where(catalog.root)
            start = time.perf_counter()
            renderer(name)(report, where)
            formats[name].append(time.perf_counter() - start)
    base = statistics.median(rules)
    print(
        f"{len(report.findings)} findings in {len(report.groups())} causes; "
        f"run_check (baseline) {base * 1000:.1f} ms"
    )
    for name, times in formats.items():
        took = statistics.median(times)
        print(f"  {name:<7} {took * 1000:7.1f} ms  {took / base:5.2f}x run_check")


if __name__ == "__main__":
    main()
