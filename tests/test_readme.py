"""The README's console examples are real: each `$ command` is run and its output compared.

Only ```console blocks are run. In expected output, a line `...` stands for any number of
lines, and a line ending in `...` matches any line starting with the text before it. The
examples run in a scratch directory laid out like the repository (fixtures/, contracts/,
../shared/seeds) plus `contracts-next`, a copy of the contracts with three edits, for the
`diff` example.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, SEEDS

README = REPO / "README.md"


def console_examples() -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for every `$ ` line of every console block."""
    out: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", README.read_text(encoding="utf-8"), re.S):
        for line in block.splitlines():
            stripped = line.strip()
            if stripped.startswith("$ "):
                out.append((stripped[2:], []))
            elif out:
                out[-1][1].append(stripped)
    for _, expected in out:
        while expected and not expected[-1]:
            expected.pop()
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    ok = actual[0].startswith(head[:-3]) if head.endswith("...") else actual[0] == head
    return ok and matches(rest, actual[1:])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"doc pages not found at {SEEDS}")
    root = tmp_path_factory.mktemp("readme")
    work = root / "work"
    work.mkdir()
    (root / "shared").symlink_to(SEEDS.parent)
    for name in ("fixtures", "contracts"):
        (work / name).symlink_to(REPO / name)
    nxt = work / "contracts-next"
    shutil.copytree(REPO / "contracts", nxt)
    f = nxt / "tasks/com.qlik.scheduling.task.created.schema.json"
    schema = json.loads(f.read_text())
    data = schema["properties"]["data"]
    data["required"].append("spaceId")
    data["properties"]["status"]["enum"].remove("aborted")
    data["properties"]["usage"]["enum"].append("NEW")
    f.write_text(json.dumps(schema, indent=2))
    bindir = root / "bin"
    bindir.mkdir()
    shim = bindir / "qevcontract"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m qevcontract "$@"\n')
    shim.chmod(0o755)
    return work


EXAMPLES = console_examples()


def test_the_readme_has_console_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_output_is_real(workdir: Path, command: str, expected: list[str]) -> None:
    env = dict(os.environ, PATH=f"{workdir.parent / 'bin'}{os.pathsep}{os.environ['PATH']}",
               NO_COLOR="1", COLUMNS="200")  # fmt: skip
    proc = subprocess.run(
        ["bash", "-c", command], cwd=workdir, env=env, capture_output=True, text=True, check=False
    )
    actual = [line.strip() for line in (proc.stdout + proc.stderr).splitlines()]
    assert matches(expected, actual), (
        f"README example drifted: $ {command}\n--- expected\n"
        + "\n".join(expected)
        + "\n--- actual\n"
        + "\n".join(actual)
    )
