"""What the adoption tests share: doc code blocks, sample events, scratch-repo settings.

The tests run what the docs print, so the docs are parsed here rather than copied into the
tests: a doc edit that breaks a recipe fails a test instead of a user's CI.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
FIXTURES = REPO / "fixtures"

_PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# The repository the docs install from (git URL, pre-commit `repo:`), and the release tag
# they name: the tests swap the URL for a local snapshot tagged the same way.
REPO_URL: str = _PROJECT["urls"]["Repository"]
VERSION: str = _PROJECT["version"]
RELEASE_TAG = f"v{VERSION}"

SAMPLE_TYPE = "com.qlik.scheduling.task.created"
# The one way the sample bad event is broken (a `qevbroken` label of the fixtures).
SAMPLE_BREAKAGE = "wrong-type /data/enabled"

_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w+-]*)\s*$")


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block of a Markdown file; `line` is the opening fence's line (1-based)."""

    lang: str
    text: str
    line: int


def code_blocks(path: Path, lang: str | None = None) -> list[CodeBlock]:
    """Every fenced block of `path` (only those in `lang` when given), in document order."""
    blocks: list[CodeBlock] = []
    fence: str | None = None
    body: list[str] = []
    start = block_lang = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fence is None:
            match = _FENCE.match(line)
            if match:
                fence, block_lang, start, body = match.group(1), match.group(2), str(number), []
        elif line.strip() == fence:
            blocks.append(CodeBlock(block_lang, "\n".join(body) + "\n", int(start)))
            fence = None
        else:
            body.append(line)
    assert fence is None, f"{path}: code block opened at line {start} is never closed"
    return [b for b in blocks if lang is None or b.lang == lang]


def fixture_events(event_type: str, kind: str) -> list[dict[str, Any]]:
    """The committed fixture events of a type, `kind` "valid" or "invalid"."""
    index = json.loads((FIXTURES / "index.json").read_text(encoding="utf-8"))
    path = FIXTURES / index["types"][event_type][kind]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def sample_events() -> tuple[dict[str, Any], dict[str, Any]]:
    """A valid event and one broken in exactly one way, without the fixtures' label."""
    good = fixture_events(SAMPLE_TYPE, "valid")[0]
    bad = next(
        e for e in fixture_events(SAMPLE_TYPE, "invalid") if e["qevbroken"] == SAMPLE_BREAKAGE
    )
    bad = {k: v for k, v in bad.items() if k != "qevbroken"}
    return good, bad


def event_file_text(event: dict[str, Any]) -> str:
    """How a person keeps an event in a repository: indented JSON, final newline."""
    return json.dumps(event, indent=2) + "\n"


@dataclass(frozen=True)
class HookRepo:
    """The snapshot pre-commit installs hooks from."""

    path: Path
    rev: str


def isolated_env(base: Mapping[str, str], pre_commit_home: Path | None = None) -> dict[str, str]:
    """`base` without the caller's git and pre-commit settings (a global hooks path, commit
    signing, a running hook's GIT_DIR), and with this environment's tools first on PATH, so
    that the docs' shell lines and `language: system` hooks run the qevcontract under test."""
    env = {k: v for k, v in base.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        {
            "PATH": str(Path(sys.executable).parent) + os.pathsep + base.get("PATH", ""),
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "qevcontract tests",
            "GIT_AUTHOR_EMAIL": "tests@qevcontract.invalid",
            "GIT_COMMITTER_NAME": "qevcontract tests",
            "GIT_COMMITTER_EMAIL": "tests@qevcontract.invalid",
            "PRE_COMMIT_COLOR": "never",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "NO_COLOR": "1",
        }
    )
    if pre_commit_home is not None:
        env["PRE_COMMIT_HOME"] = str(pre_commit_home)
    return env


def local_install_line(line: str, snapshot: Path) -> str:
    """A documented install line with the repository URL swapped for a local snapshot that
    carries the same release tag; everything else (extras, `@tag`, quoting) stays verbatim."""
    assert f"git+{REPO_URL}@" in line, f"not a git-URL install of {REPO_URL}: {line}"
    # `file://localhost/...`: PEP 508 (pip's parser) rejects a file URL with an empty host.
    return line.replace(f"git+{REPO_URL}@", f"git+file://localhost{snapshot.as_posix()}@")


def fresh_venv(path: Path, env: Mapping[str, str]) -> Path:
    """A new virtual environment at `path` (nothing but pip); returns its bin directory."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, env=dict(env))
    return path / ("Scripts" if os.name == "nt" else "bin")


def run_in(
    bindir: Path,
    command: str | Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    timeout: int = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a shell line (or an argv) with `bindir` first on PATH, as an activated venv does."""
    # Without this checkout's own environment on PATH: nothing falls back to the dev install.
    ours = str(Path(sys.executable).parent)
    path = [p for p in env.get("PATH", "").split(os.pathsep) if p and p != ours]
    full = dict(env, PATH=os.pathsep.join([str(bindir), *path]), VIRTUAL_ENV=str(bindir.parent))
    args = ["bash", "-c", command] if isinstance(command, str) else list(command)
    return subprocess.run(
        args,
        cwd=cwd,
        env=full,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )
