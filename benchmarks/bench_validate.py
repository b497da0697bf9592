"""Validation throughput, memory and start-up, measured in one run (issue: the validator).

Prints figures; asserts nothing. The machine these run on is shared and noisy, so every
rate is also given as a ratio to `orjson.loads` alone on the same lines, measured in the
same run: that ratio is what to compare across machines and days.

    python benchmarks/bench_validate.py                 # 100,000 events, all sections
    python benchmarks/bench_validate.py --events 20000 --skip memory,startup
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

CLI = [sys.executable, "-m", "qevcontract._cli"]


def make_input(path: Path, n: int, seed: int = 7) -> None:
    """~n mixed events of every documented type, about 10% broken in one way each."""
    from qevcontract.contracts import load
    from qevcontract.generate import Generator

    gen = Generator(load())
    types = [e.type for e in gen.catalog.entries if e.payload_documented]
    per_type = max(1, n // len(types))
    lines: list[bytes] = []
    for i, t in enumerate(types):
        valid = gen.events(t, per_type - per_type // 10, seed=seed + i, label=False)
        broken = [b.event for b in gen.invalid_events(t, per_type // 10, seed=seed + i)]
        lines.extend(orjson.dumps(e) for e in valid + broken)
    import random

    random.Random(seed).shuffle(lines)
    path.write_bytes(b"\n".join(lines) + b"\n")


def make_split_inputs(work: Path, n: int, seed: int = 11) -> tuple[Path, Path]:
    """Two JSONL files of the same types, in the same numbers: all valid, and all invalid
    (each event broken in one way), for the failure-path ratio."""
    from qevcontract.contracts import load
    from qevcontract.generate import Generator

    gen = Generator(load())
    types = [e.type for e in gen.catalog.entries if e.payload_documented]
    per_type = max(1, n // len(types))
    valid: list[bytes] = []
    invalid: list[bytes] = []
    for i, t in enumerate(types):
        broken = [b.event for b in gen.invalid_events(t, per_type, seed=seed + i)]
        invalid.extend(orjson.dumps(e) for e in broken)
        valid.extend(
            orjson.dumps(e) for e in gen.events(t, len(broken), seed=seed + i, label=False)
        )
    paths = work / "valid-only.jsonl", work / "invalid-only.jsonl"
    for path, lines in zip(paths, (valid, invalid), strict=True):
        path.write_bytes(b"\n".join(lines) + b"\n")
    return paths


def failures(work: Path, n: int) -> None:
    """An all-invalid stream against an all-valid one of the same types and sizes.

    Three rounds, the two streams taking turns in each (a neighbour's burst then hits both
    alike); each rate is measured as CPU time of this process and as wall time, and the
    ratio is taken within each round. Printed: the median and the spread of the rounds.
    """
    from qevcontract.validate._run import iter_results
    from qevcontract.validate._validator import Validator

    good, bad = make_split_inputs(work, n)
    validator = Validator()
    count = {p: sum(1 for _ in iter_results(validator, [str(p)])) for p in (good, bad)}
    floor = EngineFloor(validator)
    rounds: list[dict[Path, tuple[float, float]]] = []
    floors: list[dict[Path, tuple[float, float]]] = []
    for _ in range(ROUNDS):
        rounds.append(
            {p: in_process(lambda p=p: sum(1 for _ in iter_results(validator, [str(p)])))
             for p in (good, bad)}
        )  # fmt: skip
        floors.append({p: in_process(lambda p=p: floor.run(p)) for p in (good, bad)})
    for label, p in (("valid-only stream (library)", good), ("invalid-only stream (library)", bad)):
        print(
            f"{label:42s} CPU {spread([count[p] / r[p][1] for r in rounds], ',.0f')} events/s "
            f"({spread([r[p][1] / count[p] * 1e6 for r in rounds], '.1f')} µs each), "
            f"wall {spread([count[p] / r[p][0] for r in rounds], ',.0f')}"
        )
    # rate(bad) / rate(good) = time(good) / time(bad), per round
    cpu = [r[good][1] / count[good] / (r[bad][1] / count[bad]) for r in rounds]
    wall = [r[good][0] / count[good] / (r[bad][0] / count[bad]) for r in rounds]
    print(
        f"invalid-only / valid-only rate: CPU {spread(cpu, '.2f')}x, wall {spread(wall, '.2f')}x "
        "(target >= 0.50x)"
    )
    # The same ratio for the engine alone: what no code around jsonschema-rs can beat.
    bare = [f[good][1] / count[good] / (f[bad][1] / count[bad]) for f in floors]
    for label, p in (("valid-only, engine floor", good), ("invalid-only, engine floor", bad)):
        print(
            f"{label:42s} CPU {spread([count[p] / f[p][1] for f in floors], ',.0f')} events/s "
            f"({spread([f[p][1] / count[p] * 1e6 for f in floors], '.1f')} µs each)"
        )
    print(
        f"engine floor, invalid-only / valid-only: CPU {spread(bare, '.2f')}x (the most any "
        "validator on jsonschema-rs reaches: orjson.loads, one is_valid, and for an invalid "
        "event its iter_errors, nothing else)"
    )


class EngineFloor:
    """The least work a jsonschema-rs verdict takes: per line `orjson.loads`, a dict lookup
    for the type's compiled contract, `is_valid`, and for an invalid event the engine's own
    `iter_errors` drained (its error objects as it builds them; nothing wrapped, located,
    explained or reported). Events of a type without a contract are skipped, so the floor
    is, if anything, too low.

    Measured beside the product in the same run, it shows how much of a figure is the
    engine's and how much is ours (issue 14's ratios are bounded by it)."""

    def __init__(self, validator: Any) -> None:
        self._validator = validator
        self._compiled: dict[str, Any] = {}

    def _compiled_for(self, event_type: Any) -> Any:
        compiled = self._compiled.get(event_type)
        if (
            compiled is None
            and isinstance(event_type, str)
            and event_type in self._validator.catalog
        ):
            # the very jsonschema-rs validator the product compiled for this type, without
            # the product's wrapper (which turns each engine error into its own record)
            compiled = self._validator._compiled_for(event_type)._v
            self._compiled[event_type] = compiled
        return compiled

    def run(self, path: Path) -> int:
        loads = orjson.loads
        errors = 0
        with path.open("rb") as lines:
            for line in lines:
                event = loads(line)
                compiled = self._compiled_for(event.get("type"))
                if compiled is not None and not compiled.is_valid(event):
                    errors += sum(1 for _ in compiled.iter_errors(event))
        return errors


ROUNDS = 3


def spread(values: list[float], fmt: str) -> str:
    """`median [min-max]` of the rounds."""
    return f"{statistics.median(values):{fmt}} [{min(values):{fmt}}-{max(values):{fmt}}]"


def versus(a: list[str], b: list[str]) -> str:
    """Commands `a` and `b` taking turns for ROUNDS rounds: their seconds and a/b, as
    `median [min-max]` of wall and CPU time (user + sys of the child)."""
    runs = [(child(a), child(b)) for _ in range(ROUNDS)]
    out = []
    for what, i in (("wall", 0), ("CPU", 1)):
        mine = [x[i] for x, _ in runs]
        theirs = [y[i] for _, y in runs]
        ratio = [x[i] / y[i] for x, y in runs]
        out.append(
            f"{what} {spread(mine, '.2f')} s vs {spread(theirs, '.2f')} s = {spread(ratio, '.2f')}x"
        )
    return "; ".join(out)


def in_process(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call in this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def child(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process; CPU is its user + sys time (and that of
    the processes it waited for, e.g. --jobs workers), from getrusage."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def rate(n: int, fn: Callable[[], object], repeat: int = 3) -> float:
    """Best of `repeat` runs, in items per second."""
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return n / best


def throughput(path: Path, work: Path) -> None:
    from jsonschema import Draft202012Validator

    from qevcontract.contracts import load
    from qevcontract.validate._run import iter_results
    from qevcontract.validate._validator import Validator

    lines = path.read_bytes().splitlines()
    ceiling = rate(len(lines), lambda: [orjson.loads(x) for x in lines])
    print(f"events: {len(lines):,} ({path.stat().st_size / len(lines):.0f} bytes each on average)")
    print(f"{'orjson.loads alone (ceiling)':42s} {ceiling:>12,.0f} events/s   1.00x")

    def show(label: str, value: float) -> None:
        print(f"{label:42s} {value:>12,.0f} events/s   {value / ceiling:.2f}x")

    catalog = load()
    events = [orjson.loads(x) for x in lines[:10_000]]
    registry = catalog.registry()
    plain: dict[str, Draft202012Validator] = {}

    def plain_jsonschema() -> None:
        for e in events:
            t = e.get("type")
            if t not in catalog:
                continue
            v = plain.get(t)
            if v is None:
                v = plain[t] = Draft202012Validator(
                    catalog.schema(t),
                    registry=registry,
                    format_checker=Draft202012Validator.FORMAT_CHECKER,
                )
            v.is_valid(e)

    show("plain jsonschema (10,000-event slice)", rate(len(events), plain_jsonschema, 1))
    validator = Validator(catalog)
    show(
        "library: Validator.iter_results(file)",
        rate(len(lines), lambda: sum(1 for _ in iter_results(validator, [str(path)]))),
    )
    cli = [*CLI, "validate", str(path), "--format", "json", "-o", os.devnull]
    one = work / "one.jsonl"
    one.write_bytes(lines[0] + b"\n")

    def discard() -> None:
        loads = orjson.loads
        for x in lines:
            loads(x)

    # Rounds taking turns (see `failures`): the CLI in one process, the same CLI on one
    # event (its start-up), an orjson.loads loop in this process, --jobs 2, and the
    # machine's own two-process ceiling (on a shared VM two busy processes often run slower
    # each than one alone, whatever they do).
    floor = EngineFloor(validator)
    floor.run(path)  # compiles every contract once, as the CLI's start-up figure does
    rounds = []
    for _ in range(ROUNDS):
        serial, pooled = cpu_bound_pool()
        rounds.append(
            {"cli": child(cli), "start": child([*CLI, "validate", str(one)]),
             "loop": in_process(discard), "jobs2": child([*cli, "--jobs", "2"]),
             "floor": in_process(lambda: floor.run(path)),
             "serial": (serial, serial), "pooled": (pooled, pooled)}
        )  # fmt: skip
    n = len(lines)
    for label, key in (("CLI end to end, --format json, 1 process", "cli"),
                       ("CLI end to end, --format json, --jobs 2", "jobs2")):  # fmt: skip
        print(
            f"{label:42s} wall {spread([n / r[key][0] for r in rounds], ',.0f')} events/s, "
            f"CPU {spread([n / r[key][1] for r in rounds], ',.0f')}"
        )
    print(
        f"orjson.loads-per-line loop, discarding:  CPU "
        f"{spread([n / r['loop'][1] for r in rounds], ',.0f')} lines/s, "
        f"wall {spread([n / r['loop'][0] for r in rounds], ',.0f')}"
    )
    print(
        "start-up (the CLI on one event):         CPU "
        f"{spread([r['start'][1] * 1000 for r in rounds], '.0f')} ms, "
        f"wall {spread([r['start'][0] * 1000 for r in rounds], '.0f')} ms"
    )
    for what, i in (("CPU", 1), ("wall", 0)):
        e2e = [r["loop"][i] / r["cli"][i] for r in rounds]
        events_only = [r["loop"][i] / max(r["cli"][i] - r["start"][i], 1e-9) for r in rounds]
        print(
            f"CLI, 1 process, on this file (10% invalid) / the orjson.loop, {what}: "
            f"{spread(e2e, '.2f')}x end to end (target >= 0.25x); "
            f"{spread(events_only, '.2f')}x without the start-up"
        )
    bare = [r["loop"][1] / r["floor"][1] for r in rounds]
    print(
        f"engine floor on this file / the orjson loop, CPU: {spread(bare, '.2f')}x (the most "
        "a validator on jsonschema-rs reaches without start-up: orjson.loads, one is_valid, "
        "iter_errors for the invalid; nothing located, explained or written)"
    )
    speedup = [r["cli"][0] / r["jobs2"][0] for r in rounds]
    ceiling = [r["serial"][0] / r["pooled"][0] for r in rounds]
    print(f"--jobs 2 speed-up over --jobs 1 (wall): {spread(speedup, '.2f')}x "
          "(target >= 1.6x on 2 cores)")  # fmt: skip
    print(
        f"control: a CPU-bound Python loop, 2 processes over 1: {spread(ceiling, '.2f')}x "
        f"(what this machine allows right now; --jobs 2 reaches "
        f"{statistics.median([a / b for a, b in zip(speedup, ceiling, strict=True)]):.0%} of it)"
    )


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_bound_pool(tasks: int = 8, size: int = 1_000_000) -> tuple[float, float]:
    """Seconds for `tasks` pure-Python loops in this process, then in a pool of two."""
    import multiprocessing

    start = time.perf_counter()
    for _ in range(tasks):
        _spin(size)
    serial = time.perf_counter() - start
    with multiprocessing.get_context("fork").Pool(2) as pool:
        start = time.perf_counter()
        pool.map(_spin, [size] * tasks, chunksize=1)
        pooled = time.perf_counter() - start
    return serial, pooled


def memory(path: Path, work: Path) -> None:
    lines = path.read_bytes().splitlines(keepends=True)[:100_000]
    small, big = work / "100k.jsonl", work / "1m.jsonl"
    small.write_bytes(b"".join(lines))
    with big.open("wb") as f:
        for _ in range(10):
            f.write(b"".join(lines))
    cmd = [*CLI, "validate", "--format", "json", "-o", os.devnull, "--no-progress", "-q"]
    rss_small = _isolated_peak([*cmd, str(small)])
    rss_big = _isolated_peak([*cmd, str(big)])
    print(f"peak RSS, {len(lines):,} lines: {rss_small / 1024:.1f} MiB")
    print(
        f"peak RSS, {len(lines) * 10:,} lines: {rss_big / 1024:.1f} MiB "
        f"({rss_big / rss_small:.2f}x; target <= 1.2x)"
    )
    array = work / "100k.json"
    array.write_bytes(b"[\n" + b",\n".join(line.rstrip(b"\n") for line in lines) + b"\n]\n")
    rss_array = _isolated_peak([*cmd, str(array)])
    print(
        f"peak RSS, the same {len(lines):,} events as one .json array: {rss_array / 1024:.1f} MiB "
        f"({rss_array / rss_small:.2f}x the JSONL run; target <= 2x)"
    )
    print(f"line:column in the array = in the JSONL, one line down: {_same_positions(lines, work)}")


def _same_positions(lines: list[bytes], work: Path) -> str:
    """Every violation of the first 5,000 events is placed in the array where it is in the
    JSONL (one line further down: the array's "[" takes the first line)."""
    from qevcontract.validate._run import iter_results
    from qevcontract.validate._validator import Validator

    part = [line.rstrip(b"\n") for line in lines[:5000]]
    jsonl, array = work / "part.jsonl", work / "part.json"
    jsonl.write_bytes(b"\n".join(part) + b"\n")
    array.write_bytes(b"[\n" + b",\n".join(part) + b"\n]\n")
    v = Validator()

    def positions(path: Path, shift: int) -> list[tuple[int | None, int | None]]:
        return [
            (x.line + shift if x.line else None, x.column)
            for r in iter_results(v, [str(path)])
            for x in r.violations
        ]

    a, b = positions(jsonl, 1), positions(array, 0)
    return f"{'yes' if a == b else 'NO'} ({len(a):,} violations compared)"


def _isolated_peak(cmd: list[str]) -> int:
    """Peak RSS (KiB) of one command, measured in a fresh child so earlier runs do not count."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=-3, stderr=-3); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True)
    return int(out.stdout.strip())


def startup(work: Path) -> None:
    from qevcontract.contracts import load

    catalog = load()
    t = "com.qlik.app.deleted"
    event = work / "one-event.json"
    event.write_bytes(orjson.dumps(catalog.examples(t)[0]))
    ours_cmd = [*CLI, "validate", str(event)]
    search = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    exe = shutil.which("check-jsonschema", path=search)
    if exe is None:
        runs = [child(ours_cmd) for _ in range(ROUNDS)]
        print(
            f"start-up: qevcontract validate one-event.json: wall "
            f"{spread([w * 1000 for w, _ in runs], '.0f')} ms, CPU "
            f"{spread([c * 1000 for _, c in runs], '.0f')} ms"
        )
        print("start-up: check-jsonschema not installed (pip install check-jsonschema) - skipped")
        return
    # check-jsonschema resolves $refs itself: give it the contract with the envelope inlined.
    import jsonschema_rs

    bundled = jsonschema_rs.bundle(
        catalog.schema(t), registry=jsonschema_rs.Registry(list(catalog.resources().items()))
    )
    schema_file = work / "contract.json"
    schema_file.write_bytes(orjson.dumps(bundled))
    theirs_cmd = [exe, "--schemafile", str(schema_file), str(event)]
    print(
        "start-up, qevcontract validate one-event.json vs check-jsonschema --schemafile "
        f"contract.json one-event.json: {versus(ours_cmd, theirs_cmd)} (target <= 0.5x)"
    )


def yaml_figures(work: Path, n: int) -> None:
    """YAML: validate against JSONL on the same events, against check-jsonschema on the same
    files (one event per file: check-jsonschema reads one document per file), and
    `fake --format yaml` against `fake --format jsonl`."""
    from qevcontract.contracts import load
    from qevcontract.generate import Generator
    from qevcontract.generate._serialize import write_events

    catalog = load()
    t = "com.qlik.app.created"
    events = Generator(catalog).events(t, n, seed=5, label=False)
    as_yaml, as_jsonl = work / "events.yaml", work / "events-y.jsonl"
    with as_yaml.open("wb") as out:
        write_events(events, "yaml", out)
    with as_jsonl.open("wb") as out:
        write_events(events, "jsonl", out)
    quiet = ["--format", "json", "-o", os.devnull, "-q"]
    yaml_run = [*CLI, "validate", str(as_yaml), *quiet]
    jsonl_run = [*CLI, "validate", str(as_jsonl), *quiet]
    print(f"validate {n:,} events, YAML vs JSONL: {versus(yaml_run, jsonl_run)}")
    fake = [*CLI, "fake", t, "-n", str(n), "--seed", "1"]
    yaml_cmd = [*fake, "--format", "yaml", "-o", str(work / "f.yaml")]
    jsonl_cmd = [*fake, "--format", "jsonl", "-o", str(work / "f.jsonl")]
    print(f"fake -n {n:,} --format yaml vs jsonl: {versus(yaml_cmd, jsonl_cmd)} (target <= 3x)")
    search = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    exe = shutil.which("check-jsonschema", path=search)
    if exe is None:
        print("YAML vs check-jsonschema: not installed (pip install check-jsonschema) - skipped")
        return
    import jsonschema_rs

    folder = work / "yaml-files"
    folder.mkdir()
    files = []
    for i, event in enumerate(events[:500]):
        path = folder / f"e{i:04d}.yaml"
        with path.open("wb") as out:
            write_events([event], "yaml", out)
        files.append(str(path))
    bundled = jsonschema_rs.bundle(
        catalog.schema(t), registry=jsonschema_rs.Registry(list(catalog.resources().items()))
    )
    schema_file = work / "contract-y.json"
    schema_file.write_bytes(orjson.dumps(bundled))
    theirs_cmd = [exe, "--schemafile", str(schema_file), *files]
    print(
        f"{len(files)} YAML files, qevcontract validate vs check-jsonschema: "
        f"{versus([*CLI, 'validate', *files, *quiet], theirs_cmd)} (target <= 1x)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--input", type=Path, help="use this JSONL instead of generating one")
    ap.add_argument(
        "--skip", default="", help="comma-separated: failures,throughput,memory,startup,yaml"
    )
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    from _bytecode import compile_package

    print(compile_package())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = args.input or work / "events.jsonl"
        if args.input is None:
            make_input(path, args.events)
        if "failures" not in skip:
            failures(work, min(args.events, 20_000))
        if "throughput" not in skip:
            throughput(path, work)
        if "memory" not in skip:
            memory(path, work)
        if "startup" not in skip:
            startup(work)
        if "yaml" not in skip:
            yaml_figures(work, min(args.events, 20_000))


if __name__ == "__main__":
    main()
