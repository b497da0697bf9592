"""Fixtures for driving the real `pre-commit`, `pip` and `git` against this checkout.

pre-commit installs hooks from a git repository at a revision, and pip installs from a git
URL at a tag. To test what is on disk (in a developer's tree with uncommitted or untracked
files, and in a clean CI clone alike), the session commits a snapshot of the working tree to
a scratch repository, tags it with the release the docs name, and points the tools at that.
Every pre-commit run shares one PRE_COMMIT_HOME, so the hook environment (a pip install of
the snapshot) is built once per session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .support import RELEASE_TAG, REPO, HookRepo, isolated_env


@pytest.fixture(scope="session")
def scratch_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for pre-commit and git in scratch repositories, with a shared store."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    return isolated_env(os.environ, pre_commit_home=home)


def _working_tree_files(root: Path) -> list[str]:
    """Tracked and untracked-but-not-ignored files, as `git add -A` would see them."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip(f"{root} is not a git checkout: pre-commit installs hooks from git")
    return [os.fsdecode(p) for p in listed.split(b"\0") if p]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, scratch_env: dict[str, str]) -> HookRepo:
    """This checkout's working tree, committed to a scratch repository."""
    dest = tmp_path_factory.mktemp("qevcontract-snapshot")
    for rel in _working_tree_files(REPO):
        source, target = REPO / rel, dest / rel
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree, not yet in the index
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=dest, env=scratch_env, capture_output=True, text=True, check=True
        ).stdout.strip()

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "snapshot of the working tree")
    git("tag", RELEASE_TAG)  # the release the docs pin (`rev:`, `@tag` in git URLs)
    return HookRepo(dest, git("rev-parse", "HEAD"))
