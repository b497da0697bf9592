"""The pre-commit hooks, driven through the real `pre-commit` tool.

The fast tests check the manifest and the default file patterns. The `slow` ones do what a
user does: `pre-commit try-repo` in a scratch repository, the configurations that
docs/pre-commit.md prints, `pre-commit install` and `git commit`. They need git and the
package registries (pre-commit pip-installs this checkout into its hook environment once per
session); everything else is local.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import qevcontract
from qevcontract._cli import cli
from qevcontract.contracts import bundled_path

from .support import (
    DOCS,
    RELEASE_TAG,
    REPO,
    REPO_URL,
    HookRepo,
    code_blocks,
    event_file_text,
    isolated_env,
    sample_events,
)

MANIFEST = REPO / ".pre-commit-hooks.yaml"
DOC = DOCS / "pre-commit.md"
DOC_REPO_URL = REPO_URL
VALIDATE, CHECK = "qevcontract-validate", "qevcontract-check"
GOOD_FILE = "qlik-events/task-created.json"
BAD_FILE = "qlik-events/task-created-broken.json"


def manifest_hooks() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))}


def precommit(
    args: Sequence[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )


# --- the manifest -------------------------------------------------------------------------


def test_manifest_is_accepted_by_pre_commit() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(manifest_hooks()) == {VALIDATE, CHECK}


@pytest.mark.parametrize("hook_id", [VALIDATE, CHECK])
def test_hook_entries_are_real_commands(hook_id: str) -> None:
    program, *command = manifest_hooks()[hook_id]["entry"].split()
    assert program == "qevcontract"
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output


def test_check_hook_gets_no_file_names() -> None:
    # `qevcontract check` takes no event files: names passed to it would be a usage error.
    assert manifest_hooks()[CHECK]["pass_filenames"] is False
    assert manifest_hooks()[VALIDATE].get("pass_filenames", True) is True


def _selects(hook_id: str, path: str) -> bool:
    """pre-commit's `files` / `exclude` rule: a Python regex searched in the path."""
    hook = manifest_hooks()[hook_id]
    return bool(re.search(hook.get("files", ""), path)) and not (
        "exclude" in hook and re.search(hook["exclude"], path)
    )


@pytest.mark.parametrize(
    "path",
    [
        "qlik-events/app-reloaded.json",
        "qlik-events/captured/2026-06.jsonl",
        "services/billing/qlik-events/stream.ndjson",
        "qlik-events/task.yaml",
        "qlik-events/task.yml",
    ],
)
def test_validate_hook_takes_event_files_under_qlik_events(path: str) -> None:
    assert _selects(VALIDATE, path)


@pytest.mark.parametrize(
    "path",
    [
        "package.json",
        "tsconfig.json",
        ".github/workflows/ci.yml",
        "docker-compose.yaml",
        "events/app-reloaded.json",
        "my-qlik-events/app.json",
        "qlik-events.json",
        "qlik-events/README.md",
        "qlik-events/notes.txt",
    ],
)
def test_validate_hook_leaves_other_files_alone(path: str) -> None:
    assert not _selects(VALIDATE, path)


@pytest.mark.parametrize(
    ("path", "triggers"),
    [
        ("contracts/catalog.json", True),
        ("qlik-contracts/apps/com.qlik.app.created.schema.json", True),
        ("contracts/overrides.yaml", True),
        (".qevcontract.yaml", True),
        (".qevcontract-baseline.json", True),
        ("pyproject.toml", True),
        ("package.json", False),
        ("qlik-events/app.json", False),
        ("README.md", False),
    ],
)
def test_check_hook_runs_when_a_contract_set_or_its_config_changes(
    path: str, triggers: bool
) -> None:
    assert _selects(CHECK, path) is triggers


# --- the documented configurations --------------------------------------------------------


def documented_configs() -> list[dict[str, Any]]:
    """Every configuration docs/pre-commit.md prints, fragments wrapped into a full one."""
    configs = []
    for block in code_blocks(DOC, "yaml"):
        doc = yaml.safe_load(block.text)
        if isinstance(doc, list):  # a fragment: hooks of the documented repository
            doc = {"repos": [{"repo": DOC_REPO_URL, "rev": RELEASE_TAG, "hooks": doc}]}
        configs.append(doc)
    return configs


def documented_config(*needles: str, without: Sequence[str] = ()) -> dict[str, Any]:
    """The one full configuration of the page containing every needle and none of `without`."""
    blocks = [
        b
        for b in code_blocks(DOC, "yaml")
        if "repos:" in b.text
        and all(n in b.text for n in needles)
        and not any(w in b.text for w in without)
    ]
    assert len(blocks) == 1, f"docs/pre-commit.md: expected one config with {needles}"
    config: dict[str, Any] = yaml.safe_load(blocks[0].text)
    return config


def at_snapshot(config: dict[str, Any], hook_repo: HookRepo) -> str:
    """A documented configuration, installing from the snapshot instead of the URL. `rev:`
    stays as printed: the snapshot carries the release tag the docs name."""
    for repo in config["repos"]:
        if repo["repo"] == DOC_REPO_URL:
            assert repo["rev"] == RELEASE_TAG, repo
            repo["repo"] = str(hook_repo.path)
    return yaml.safe_dump(config, sort_keys=False)


def test_documented_configs_pin_this_release_of_known_hooks(tmp_path: Path) -> None:
    configs = documented_configs()
    assert configs, "docs/pre-commit.md should show configurations"
    for n, config in enumerate(configs):
        for repo in config["repos"]:
            known = set(manifest_hooks()) if repo["repo"] == DOC_REPO_URL else {VALIDATE, CHECK}
            assert {h["id"] for h in repo["hooks"]} <= known
            if repo["repo"] == DOC_REPO_URL:
                assert repo["rev"] == RELEASE_TAG == f"v{qevcontract.__version__}"
        path = tmp_path / f"config-{n}.yaml"
        path.write_text(yaml.safe_dump(config), encoding="utf-8")
        done = precommit(["validate-config", str(path)], tmp_path, isolated_env(os.environ))
        assert done.returncode == 0, f"{yaml.safe_dump(config)}\n{done.stdout}"


# --- end to end ---------------------------------------------------------------------------


class Scratch:
    """A user's repository: git, a few files, pre-commit."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env
        self.git("init", "-q")

    def write(self, rel: str, text: str) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *args],
            cwd=self.path,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def precommit(self, *args: str) -> subprocess.CompletedProcess[str]:
        return precommit(args, self.path, self.env)

    def commits(self) -> int:
        done = self.git("rev-list", "--count", "HEAD")
        return int(done.stdout) if done.returncode == 0 else 0


@pytest.fixture
def scratch(tmp_path: Path, scratch_env: dict[str, str]) -> Scratch:
    return Scratch(tmp_path, scratch_env)


def _doc_failure_report() -> list[str]:
    """The lines of the failing run docs/pre-commit.md pastes."""
    (block,) = [b for b in code_blocks(DOC, "console") if "Failed" in b.text]
    return [line for line in block.text.splitlines() if line.strip()]


@pytest.mark.slow
def test_try_repo_fails_naming_the_bad_event_file(scratch: Scratch, hook_repo: HookRepo) -> None:
    good, bad = sample_events()
    scratch.write(GOOD_FILE, event_file_text(good))
    scratch.write(BAD_FILE, event_file_text(bad))
    scratch.write("package.json", '{"name": "not-an-event", "private": true}\n')
    scratch.git("add", "-A")

    # The page's own command line, installing from the snapshot instead of the URL.
    program, *args = shlex.split(_documented_shell_line("pre-commit try-repo"))
    assert program == "pre-commit" and args[:2] == ["try-repo", DOC_REPO_URL], args
    done = scratch.precommit("try-repo", str(hook_repo.path), *args[2:])

    assert done.returncode == 1, done.stdout
    assert f"{BAD_FILE}:" in done.stdout
    assert f"{GOOD_FILE}:" not in done.stdout
    assert "package.json" not in done.stdout  # unrelated JSON is not read as an event
    # What the docs show is what a user sees.
    output_lines = done.stdout.splitlines()
    for line in _doc_failure_report():
        assert line in output_lines, (
            f"docs/pre-commit.md shows a line the run did not print: {line}"
        )


@pytest.mark.slow
def test_commit_is_refused_for_a_bad_event_and_accepted_for_a_good_one(
    scratch: Scratch, hook_repo: HookRepo
) -> None:
    good, bad = sample_events()
    config = documented_config(DOC_REPO_URL, VALIDATE, without=("files:", "args:"))
    scratch.write(".pre-commit-config.yaml", at_snapshot(config, hook_repo))
    assert scratch.precommit("install").returncode == 0

    scratch.write(GOOD_FILE, event_file_text(good))
    scratch.git("add", "-A")
    accepted = scratch.git("commit", "-m", "a good event")
    assert accepted.returncode == 0, accepted.stdout
    assert "Validate Qlik Cloud events" in accepted.stdout and "Passed" in accepted.stdout

    scratch.write(BAD_FILE, event_file_text(bad))
    scratch.git("add", BAD_FILE)
    refused = scratch.git("commit", "-m", "a broken event")
    assert refused.returncode != 0
    assert f"{BAD_FILE}:" in refused.stdout and "[QEV111]" in refused.stdout
    assert scratch.commits() == 1


@pytest.mark.slow
def test_documented_files_override_points_the_hook_at_a_folder(
    scratch: Scratch, hook_repo: HookRepo
) -> None:
    good, bad = sample_events()
    config = documented_config(DOC_REPO_URL, VALIDATE, "files:")
    scratch.write(".pre-commit-config.yaml", at_snapshot(config, hook_repo))
    scratch.write("tests/events/task-created.json", event_file_text(good))
    scratch.write("tests/events/README.md", "Sample events for the tests.\n")
    scratch.write("tests/events/invalid/task-created-broken.json", event_file_text(bad))
    scratch.git("add", "-A")

    passed = scratch.precommit("run", "--all-files")
    assert passed.returncode == 0, passed.stdout  # README.md and the excluded folder skipped

    scratch.write("tests/events/more/task-created-broken.json", event_file_text(bad))
    scratch.git("add", "-A")
    failed = scratch.precommit("run", "--all-files")
    assert failed.returncode == 1, failed.stdout
    assert "tests/events/more/task-created-broken.json:" in failed.stdout
    assert "tests/events/invalid/" not in failed.stdout


@pytest.mark.slow
def test_local_system_hook_from_the_docs(scratch: Scratch) -> None:
    good, bad = sample_events()
    scratch.write(".pre-commit-config.yaml", yaml.safe_dump(documented_config("repo: local")))
    scratch.write(GOOD_FILE, event_file_text(good))
    scratch.git("add", "-A")
    assert scratch.precommit("run", "--all-files").returncode == 0

    scratch.write(BAD_FILE, event_file_text(bad))
    scratch.git("add", "-A")
    failed = scratch.precommit("run", "--all-files")
    assert failed.returncode == 1 and f"{BAD_FILE}:" in failed.stdout


def _documented_shell_line(start: str) -> str:
    lines = [
        line.strip()
        for block in code_blocks(DOC, "sh")
        for line in block.text.splitlines()
        if line.strip().startswith(start)
    ]
    assert len(lines) == 1, f"docs/pre-commit.md: expected one shell line starting {start!r}"
    return lines[0]


@pytest.mark.slow
def test_check_hook_fails_on_todays_quirks_until_a_baseline_accepts_them(
    scratch: Scratch, hook_repo: HookRepo
) -> None:
    config = documented_config(DOC_REPO_URL, CHECK, "--baseline", without=("--docs",))
    (hook,) = config["repos"][0]["hooks"]
    args = hook["args"]
    contracts_dir = args[args.index("--contracts") + 1]
    shutil.copytree(bundled_path(), scratch.path / contracts_dir)
    scratch.write("README.md", "A project that keeps its own contract set.\n")

    # Without the baseline: the doc pages' known quirks fail the hook.
    baseline_at = args.index("--baseline")
    hook["args"] = args[:baseline_at] + args[baseline_at + 2 :]
    scratch.write(".pre-commit-config.yaml", at_snapshot(config, hook_repo))
    scratch.git("add", "-A")
    failed = scratch.precommit("run", "--all-files")
    assert failed.returncode == 1, failed.stdout
    assert re.search(r"error QEV\d{3}", failed.stdout)

    # The documented baseline command, then the documented configuration: passes.
    write_baseline = subprocess.run(
        ["bash", "-c", _documented_shell_line("qevcontract check")],
        cwd=scratch.path,
        env=scratch.env,
        capture_output=True,
        text=True,
    )
    assert write_baseline.returncode == 0, write_baseline.stderr
    hook["args"] = args
    scratch.write(".pre-commit-config.yaml", at_snapshot(config, hook_repo))
    scratch.git("add", "-A")
    passed = scratch.precommit("run", "--all-files")
    assert passed.returncode == 0, passed.stdout

    # A commit that touches no contract file does not run the check at all.
    skipped = scratch.precommit("run", "--files", "README.md")
    assert skipped.returncode == 0
    assert "(no files to check)Skipped" in skipped.stdout
