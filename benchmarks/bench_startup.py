"""Start-up cost of the pre-commit hook: `qevcontract validate` on a handful of small files.

A pre-commit hook runs on every commit, usually on a few files, so what users feel is the
process start-up, not the validation throughput. This script prints wall times (best of N,
all measured in one run) for:

- `qevcontract validate` on 5 small event files, and on one file alone;
- `check-jsonschema --schemafile <contract>` on the same files, the usual generic tool for
  the job; it is given the contract bundled with `jsonschema_rs.bundle` so that it has no
  external `$ref` to resolve;
- `python -c pass`, the interpreter's own floor, for scale.

It asserts nothing; the ratio ours/theirs is the figure to compare across machines.

    python benchmarks/bench_startup.py            # best of 10
    python benchmarks/bench_startup.py --repeat 20
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVENT_TYPE = "com.qlik.scheduling.task.created"
FILES = 5


def find_tool(name: str) -> str | None:
    """The console script next to this interpreter first (the venv), then PATH."""
    search = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    return shutil.which(name, path=search)


def best_walls(commands: dict[str, list[str]], repeat: int) -> dict[str, tuple[float, int]]:
    """Label -> (best wall time in seconds, exit code of the last run).

    The commands take turns, round after round, so that a burst of load on a shared machine
    slows every command a little rather than one command a lot.
    """
    best = dict.fromkeys(commands, float("inf"))
    codes = dict.fromkeys(commands, 0)
    for _ in range(repeat):
        for label, cmd in commands.items():
            start = time.perf_counter()
            done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            best[label] = min(best[label], time.perf_counter() - start)
            codes[label] = done.returncode
    return {label: (best[label], codes[label]) for label in commands}


def write_events(work: Path) -> list[Path]:
    """FILES small, valid events of one type, one event per .json file."""
    from qevcontract.contracts import load
    from qevcontract.generate import Generator

    events = Generator(load()).events(EVENT_TYPE, FILES, seed=11, label=False)
    paths = []
    for i, event in enumerate(events):
        path = work / f"event-{i}.json"
        path.write_text(json.dumps(event, indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def write_bundled_contract(work: Path) -> Path:
    """The contract with the envelope schemas embedded: one self-contained schema file."""
    import jsonschema_rs

    from qevcontract.contracts import load

    catalog = load()
    registry = jsonschema_rs.Registry(list(catalog.resources().items()))
    path = work / "contract.schema.json"
    path.write_text(json.dumps(jsonschema_rs.bundle(catalog.schema(EVENT_TYPE), registry=registry)))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs per command (best is kept)")
    args = parser.parse_args()

    ours = find_tool("qevcontract")
    theirs = find_tool("check-jsonschema")
    if ours is None:
        sys.exit("qevcontract is not installed in this environment (pip install -e .)")

    from _bytecode import compile_package

    print(compile_package())
    one = "qevcontract validate one-event.json"
    five = f"qevcontract validate ({FILES} files)"
    generic = f"check-jsonschema --schemafile <bundled contract> ({FILES} files)"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        events = [str(p) for p in write_events(work)]
        commands = {
            "python -c pass (the interpreter alone)": [sys.executable, "-c", "pass"],
            one: [ours, "validate", events[0]],
            five: [ours, "validate", *events],
        }
        if theirs is not None:
            schema = str(write_bundled_contract(work))
            commands[generic] = [theirs, "--schemafile", schema, *events]
        results = best_walls(commands, args.repeat)

    print(f"start-up, best of {args.repeat} runs ({EVENT_TYPE}, {FILES} small files)")
    for label, (seconds, code) in results.items():
        print(f"  {label:<62} {seconds * 1000:7.0f} ms  (exit {code})")
    if generic not in results:
        print("  check-jsonschema is not installed (pip install check-jsonschema): no ratio")
    else:
        ratio = results[five][0] / results[generic][0]
        print(f"  ratio qevcontract / check-jsonschema on {FILES} files: {ratio:.2f}x")


if __name__ == "__main__":
    main()
