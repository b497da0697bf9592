"""Open one side of a diff: a contract directory, or a git revision of one.

`OLD`/`NEW` name a directory when one exists at that path; otherwise a git revision in the
repository (`REV` means `REV:contracts`, `REV:PATH` any directory at that revision). A
revision is exported with `git archive` into a temporary directory that lives as long as
the context manager: local objects only, never a fetch.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..contracts import Catalog, ContractError, load

DEFAULT_SUBDIR = "contracts"
GIT_TIMEOUT_S = 60


class SideError(Exception):
    """A side that names no readable contract set; the message says which and why."""


@dataclass(frozen=True)
class OpenedSide:
    label: str  # how reports name this side: the directory, or REV:PATH
    catalog: Catalog
    root_in_repo: str | None  # for a git side, the contract directory inside the repository


@contextmanager
def open_side(spec: str, *, repo: str | Path | None = None) -> Iterator[OpenedSide]:
    """The contract set `spec` names, loaded; a git export is removed on exit."""
    path = Path(spec)
    if path.is_dir():
        yield OpenedSide(spec, _load(path, spec), None)
        return
    if path.exists():
        raise SideError(f"{spec}: not a directory (give a contract directory or a git revision)")
    rev, _, subdir = spec.partition(":")
    subdir = subdir.strip("/") or DEFAULT_SUBDIR
    repo_dir = Path(repo) if repo is not None else Path.cwd()
    top = _git_toplevel(repo_dir, spec)
    _verify_revision(top, rev, spec)
    label = f"{rev}:{subdir}"
    with tempfile.TemporaryDirectory(prefix="qevcontract-diff-") as tmp:
        _export(top, rev, subdir, Path(tmp), label)
        yield OpenedSide(label, _load(Path(tmp), label), subdir)


def _load(path: Path, label: str) -> Catalog:
    try:
        catalog = load(path)
        catalog.resources()  # read every schema now: a broken file is an input error
    except ContractError as exc:
        message = str(exc).replace(str(path), label) if label != str(path) else str(exc)
        raise SideError(f"{message} (not a contract set?)") from None
    return catalog


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError:
        raise SideError("git is not installed; give two contract directories instead") from None
    except subprocess.TimeoutExpired:
        raise SideError(f"git {' '.join(args)} took longer than {GIT_TIMEOUT_S} s") from None


def _git_toplevel(repo: Path, spec: str) -> Path:
    if not repo.is_dir():
        raise SideError(f"{repo}: repository directory not found")
    done = _git(["rev-parse", "--show-toplevel"], repo)
    if done.returncode != 0:
        raise SideError(
            f"{spec}: no such directory, and {repo} is not in a git repository "
            "(give a contract directory or a git revision)"
        )
    return Path(done.stdout.decode().strip())


def _verify_revision(top: Path, rev: str, spec: str) -> None:
    if not rev or rev.startswith("-"):
        raise SideError(f"{spec}: not a directory or a git revision")
    done = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top)
    if done.returncode != 0:
        raise SideError(f"{spec}: no such directory, and {rev!r} is not a git revision in {top}")


def _export(top: Path, rev: str, subdir: str, dest: Path, label: str) -> None:
    kind = _git(["cat-file", "-t", f"{rev}:{subdir}"], top)
    if kind.returncode != 0 or kind.stdout.decode().strip() != "tree":
        raise SideError(f"{label}: no directory {subdir}/ at revision {rev}")
    done = _git(["archive", "--format=tar", f"{rev}:{subdir}"], top)
    if done.returncode != 0:
        first = done.stderr.decode(errors="replace").strip().splitlines()[:1]
        raise SideError(f"{label}: git archive failed ({first[0] if first else 'no message'})")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(dest, filter="data")
