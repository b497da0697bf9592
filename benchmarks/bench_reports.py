"""Report rendering throughput: every validate format, on the same synthetic results.

    .venv/bin/python benchmarks/bench_reports.py [-n 100000] [--repeat 3]

Renders N results (two in three invalid, with two violations each; a few unreadable) in
every `validate --format`, into memory, best of --repeat rounds, interleaved. The text
format is timed plain and coloured. To compare two trees in one run, run this file with
each tree's `src` first on PYTHONPATH, one after the other, and compare the figures; the
ratio column is each format against `json` in the same process.
"""

from __future__ import annotations

import argparse
import io
import time

from qevcontract.validate._report import drive, make_reporter
from qevcontract.validate._results import EventResult, Violation

TYPE = "com.qlik.v1.app.reload.finished"
ENUM = Violation("/data/status", "data.status: 'x' is not one of a, b", "enum", "enum", "/p")
MISSING = Violation("/time", "time: required property is missing", "required", "required")


def results(n: int) -> list[EventResult]:
    out = []
    for i in range(n):
        source = f"events/part-{i % 7}.ndjson"
        if i % 50 == 49:
            out.append(EventResult(source, i, i + 1, 1, status="unreadable", error="not JSON"))
        elif i % 3:
            out.append(EventResult(source, i, i + 1, 1, f"e{i}", TYPE, TYPE, "cloudevents",
                                   "invalid", [ENUM, MISSING]))  # fmt: skip
        else:
            out.append(EventResult(source, i, i + 1, 1, f"e{i}", TYPE, TYPE, "cloudevents"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = results(args.n)
    cases = {
        "json": {},
        "text": {"color": False},
        "text+colour": {"color": True},
        "junit": {},
        "sarif": {},
        "github": {},
    }
    best = dict.fromkeys(cases, float("inf"))
    for _ in range(args.repeat):
        for name, options in cases.items():
            out = io.StringIO()
            start = time.perf_counter()
            drive(make_reporter(name.split("+")[0], out, **options), data)
            best[name] = min(best[name], time.perf_counter() - start)
    print(f"{args.n:,} results, best of {args.repeat}")
    for name, seconds in best.items():
        ratio = best["json"] / seconds
        print(f"  {name:<12} {args.n / seconds:>12,.0f} results/s  {ratio:5.2f}x json")


if __name__ == "__main__":
    main()
