"""Opening a side: a directory, or a git revision exported with `git archive` (no network)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from qevcontract._cli.diff_cmd import diff
from qevcontract.diff._load import SideError, open_side

from .conftest import TYPE, contract, write_set

OLD_DATA = {"type": "object", "properties": {"status": {"enum": ["a", "b"]}}}
NEW_DATA = {"type": "object", "properties": {"status": {"enum": ["a"]}}}

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(repo: Path, *args: str) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "HOME": str(repo),
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two commits of contracts/: the second narrows an enum."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    write_set(root / "contracts", {TYPE: contract(OLD_DATA)})
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "old")
    _git(root, "tag", "v1")
    shutil.rmtree(root / "contracts")
    write_set(root / "contracts", {TYPE: contract(NEW_DATA)})
    write_set(root / "elsewhere" / "set", {TYPE: contract(NEW_DATA)})
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "new")
    return root


@needs_git
def test_git_revisions_are_diffed_like_directories(repo: Path) -> None:
    result = CliRunner().invoke(diff, ["v1", "HEAD", "--repo", str(repo), "--format", "json"])
    assert result.exit_code == 1, result.output
    import json

    report = json.loads(result.output)
    assert (report["old"], report["new"]) == ("v1:contracts", "HEAD:contracts")
    (td,) = report["types"]
    assert [c["kind"] for c in td["changes"]] == ["enum-value-removed"]
    assert td["producer"]["witness"]["data"]["status"] == "b"


@needs_git
def test_a_revision_and_a_directory_mix(repo: Path) -> None:
    result = CliRunner().invoke(diff, ["HEAD~1", str(repo / "contracts"), "--repo", str(repo)])
    assert result.exit_code == 1 and "enum-value-removed" in result.output


@needs_git
def test_rev_colon_path_names_another_directory(repo: Path) -> None:
    with open_side("HEAD:elsewhere/set", repo=repo) as side:
        assert side.label == "HEAD:elsewhere/set"
        assert side.catalog.types == [TYPE]
        exported = side.catalog.root
        assert exported.is_dir()
    assert not exported.exists(), "the export outlives the diff"


@needs_git
@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("no-such-rev", "not a git revision"),
        ("HEAD:missing", "no directory missing/ at revision HEAD"),
        ("-x", "not a directory or a git revision"),
    ],
)
def test_bad_revisions_are_one_line_input_errors(repo: Path, spec: str, message: str) -> None:
    with pytest.raises(SideError, match=message), open_side(spec, repo=repo):
        pass
    result = CliRunner().invoke(diff, ["--repo", str(repo), "--", spec, "HEAD"])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_a_directory_that_is_not_a_contract_set(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write_set(tmp_path / "ok", {TYPE: contract(OLD_DATA)})
    result = CliRunner().invoke(diff, [str(tmp_path / "empty"), str(tmp_path / "ok")])
    assert result.exit_code == 2
    assert "catalog.json" in result.output and "not a contract set" in result.output


def test_a_file_is_not_a_side(tmp_path: Path) -> None:
    (tmp_path / "f.json").write_text("{}")
    write_set(tmp_path / "ok", {TYPE: contract(OLD_DATA)})
    result = CliRunner().invoke(diff, [str(tmp_path / "f.json"), str(tmp_path / "ok")])
    assert result.exit_code == 2 and "not a directory" in result.output


def test_a_broken_contract_file_is_an_input_error(tmp_path: Path) -> None:
    write_set(tmp_path / "ok", {TYPE: contract(OLD_DATA)})
    write_set(tmp_path / "bad", {TYPE: contract(OLD_DATA)})
    (tmp_path / "bad" / "demo" / f"{TYPE}.schema.json").write_text("{not json")
    result = CliRunner().invoke(diff, [str(tmp_path / "ok"), str(tmp_path / "bad")])
    assert result.exit_code == 2 and "unreadable contract" in result.output


def test_outside_a_repository_a_missing_directory_is_explained(tmp_path: Path) -> None:
    write_set(tmp_path / "ok", {TYPE: contract(OLD_DATA)})
    result = CliRunner().invoke(diff, ["gone", str(tmp_path / "ok"), "--repo", str(tmp_path)])
    assert result.exit_code == 2
    assert "no such directory" in result.output
