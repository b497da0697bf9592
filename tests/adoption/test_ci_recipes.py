"""docs/ci.md's recipes, run as printed on sample events, so the page cannot rot.

Every shell line of the page's GitHub Actions and GitLab CI jobs and of its contract-pinning
story is run with bash in a scratch directory, and must give the exit code and the report
the page promises: 0 on valid events, a failing job with the problem in every report format
on a broken one, and `qevcontract diff` failing exactly when a release breaks consumers.
The fast tests use the installed package; the `slow` ones run each job from its first line,
`pip install` from the git URL included (the URL swapped for a snapshot of this checkout
tagged with the release the page names), in a fresh virtual environment.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

import qevcontract
from qevcontract.contracts import bundled_path

from .support import (
    DOCS,
    FIXTURES,
    RELEASE_TAG,
    REPO_URL,
    SAMPLE_TYPE,
    HookRepo,
    code_blocks,
    event_file_text,
    fresh_venv,
    isolated_env,
    local_install_line,
    run_in,
    sample_events,
)

CI_DOC = DOCS / "ci.md"
EVENTS_DIR = "qlik-events"
BROKEN_FILE = f"{EVENTS_DIR}/task-created-broken.json"
# Tolerates "violations" (exit 1) but not a usage or internal error: the SARIF step's idiom.
TOLERATE_VIOLATIONS = "|| [ $? -eq 1 ]"


@dataclass(frozen=True)
class Line:
    """One shell line of the page and the block it comes from."""

    text: str
    block_line: int


def _shell_lines(node: Any) -> Iterator[str]:
    """`run:` strings (GitHub) and `script:` lists (GitLab), anywhere in a YAML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "run" and isinstance(value, str):
                yield from value.splitlines()
            elif key == "script" and isinstance(value, list):
                yield from (str(v) for v in value)
            else:
                yield from _shell_lines(value)
    elif isinstance(node, list):
        for item in node:
            yield from _shell_lines(item)


def page_lines() -> list[Line]:
    """Every shell line of docs/ci.md in page order, comments and blank lines left out."""
    lines: list[Line] = []
    for block in code_blocks(CI_DOC):
        if block.lang == "yaml":
            found = list(_shell_lines(yaml.safe_load(block.text)))
        elif block.lang == "sh":
            found = block.text.splitlines()
        else:
            continue
        lines += [Line(t.strip(), block.line) for t in found if t.strip() and not t.startswith("#")]
    return lines


def the_line(predicate: Callable[[str], bool], what: str) -> Line:
    """The one page line matching `predicate`; a missing or doubled one fails clearly."""
    matches = [line for line in page_lines() if predicate(line.text)]
    assert len(matches) == 1, f"docs/ci.md should have exactly one line that {what}: {matches}"
    return matches[0]


def validate_lines() -> list[Line]:
    """The CI jobs' validation lines (those on the events folder with the bundled set)."""
    return [
        line
        for line in page_lines()
        if line.text.startswith("qevcontract validate") and "--contracts" not in line.text
    ]


def output_file(line: Line) -> str:
    """The `-o FILE` of a line's first command."""
    words = shlex.split(line.text.split("||")[0])
    return words[words.index("-o") + 1]


@dataclass(frozen=True)
class Ran:
    returncode: int
    output: str


class Workdir:
    """A scratch project: a git repository with a `qlik-events/` folder, like a user's."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.env = isolated_env(os.environ)

    def run(self, line: Line | str) -> Ran:
        text = line.text if isinstance(line, Line) else line
        done = subprocess.run(
            ["bash", "-c", text],
            cwd=self.path,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
        )
        return Ran(done.returncode, done.stdout)

    def git(self, *args: str) -> None:
        subprocess.run(["git", *args], cwd=self.path, env=self.env, check=True, capture_output=True)


@pytest.fixture
def work(tmp_path: Path) -> Workdir:
    """Valid events of every type (the committed fixtures) in `qlik-events/`, committed."""
    shutil.copytree(FIXTURES / "valid", tmp_path / EVENTS_DIR)
    work = Workdir(tmp_path)
    work.git("init", "-q", "-b", "main")
    work.git("add", "-A")
    work.git("commit", "-q", "-m", "events")
    return work


def test_the_page_has_the_recipes_it_promises() -> None:
    formats = set()
    for line in validate_lines():
        words = shlex.split(line.text.split("||")[0])
        if "--format" in words:
            formats.add(words[words.index("--format") + 1])
    assert {"github", "junit", "sarif"} <= formats


def test_install_lines_pin_this_release() -> None:
    installs = [line for line in page_lines() if line.text.startswith("pip install")]
    assert len(installs) == 2, "docs/ci.md should show how each job installs qevcontract"
    # Not `qevcontract==X` until it is on PyPI: that line fails at the job's first step.
    expected = f'pip install "qevcontract @ git+{REPO_URL}@{RELEASE_TAG}"'
    assert f"v{qevcontract.__version__}" == RELEASE_TAG
    for line in installs:
        assert line.text == expected, (
            f"docs/ci.md:{line.block_line}: the CI recipes should install the current release "
            f"from its tag ({expected}): {line.text}"
        )


def test_github_job_uploads_the_sarif_file_it_writes() -> None:
    (block,) = [b for b in code_blocks(CI_DOC, "yaml") if "upload-sarif" in b.text]
    workflow = yaml.safe_load(block.text)
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    upload = next(s for s in job["steps"] if "upload-sarif" in s.get("uses", ""))
    sarif_line = the_line(lambda t: "--format sarif" in t, "writes SARIF")
    assert upload["with"]["sarif_file"] == output_file(sarif_line)
    # A failing validation step must not skip the report steps.
    writer = next(s for s in job["steps"] if s.get("run") == sarif_line.text)
    assert "always()" in writer["if"] or "!cancelled()" in writer["if"]
    assert "always()" in upload["if"] or "!cancelled()" in upload["if"]


def test_gitlab_job_publishes_the_junit_file_it_writes() -> None:
    (block,) = [b for b in code_blocks(CI_DOC, "yaml") if "junit:" in b.text]
    (job,) = yaml.safe_load(block.text).values()
    junit_line = the_line(lambda t: "--format junit" in t, "writes JUnit")
    assert job["artifacts"]["reports"]["junit"] == output_file(junit_line)
    assert job["artifacts"]["when"] == "always"


def _junit_totals(path: Path) -> tuple[int, int]:
    root = ET.parse(path).getroot()
    return int(root.get("tests", "0")), int(root.get("failures", "0"))


def _sarif_results(path: Path) -> list[dict[str, Any]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == "2.1.0"
    return [r for run in doc["runs"] for r in run["results"]]


def test_every_ci_line_passes_on_valid_events(work: Workdir) -> None:
    events = sum(1 for p in (work.path / EVENTS_DIR).rglob("*.jsonl") for _ in p.open())
    for line in validate_lines():
        ran = work.run(line)
        assert ran.returncode == 0, f"{line.text}\n{ran.output}"
        assert "::error" not in ran.output
        if "--format junit" in line.text:
            assert _junit_totals(work.path / output_file(line)) == (events, 0)
        if "--format sarif" in line.text:
            assert _sarif_results(work.path / output_file(line)) == []


def test_every_ci_line_fails_on_a_broken_event_and_reports_it(work: Workdir) -> None:
    _, bad = sample_events()
    (work.path / BROKEN_FILE).write_text(event_file_text(bad), encoding="utf-8")
    for line in validate_lines():
        ran = work.run(line)
        expected = 0 if line.text.endswith(TOLERATE_VIOLATIONS) else 1
        assert ran.returncode == expected, f"{line.text}\n{ran.output}"
        if "--format github" in line.text:
            assert re.search(rf"^::error file={re.escape(BROKEN_FILE)},line=\d+", ran.output, re.M)
        if "--format junit" in line.text:
            assert _junit_totals(work.path / output_file(line))[1] == 1
            # The job log shows the problem too, not only the test report.
            assert f"{BROKEN_FILE}:" in ran.output and "[QEV111]" in ran.output
        if "--format sarif" in line.text:
            (result,) = _sarif_results(work.path / output_file(line))
            location = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            assert location.endswith(BROKEN_FILE)


def _make_pinned_copy_older(pinned: Path) -> str:
    """Remove one enum value from the pinned copy: the installed release then adds it."""
    path = pinned / "tasks" / f"{SAMPLE_TYPE}.schema.json"
    contract = json.loads(path.read_text(encoding="utf-8"))
    status = contract["properties"]["data"]["properties"]["status"]
    status["enum"].remove("aborted")
    path.write_text(json.dumps(contract, indent=2), encoding="utf-8")
    return "aborted"


def test_pinning_story_flags_a_release_that_breaks_consumers(work: Workdir) -> None:
    copy_line = the_line(lambda t: t.startswith("cp ") and "bundled_path()" in t, "copies")
    pinned_validate = the_line(
        lambda t: t.startswith("qevcontract validate") and "--contracts" in t,
        "validates against the pinned copy",
    )
    upgrade_check = the_line(
        lambda t: t.startswith("qevcontract diff") and "bundled_path()" in t,
        "diffs the pinned copy against the installed release",
    )
    review = the_line(
        lambda t: t.startswith("qevcontract diff") and "main:" in t,
        "diffs the committed copy against the working tree",
    )
    setup = [line for line in page_lines() if line.text.startswith("mkdir")]

    for line in [*setup, copy_line]:
        assert work.run(line).returncode == 0, line.text
    pinned = work.path / shlex.split(copy_line.text)[-1]
    assert (pinned / "catalog.json").read_bytes() == (bundled_path() / "catalog.json").read_bytes()
    assert work.run(pinned_validate).returncode == 0
    # Just pinned: the installed release is what we were built against.
    fresh = work.run(upgrade_check)
    assert fresh.returncode == 0, fresh.output

    # We were built against an older set; the installed release allows one more value.
    added = _make_pinned_copy_older(pinned)
    work.git("add", "-A")
    work.git("commit", "-q", "-m", "pin the contracts")
    upgraded = work.run(upgrade_check)
    assert upgraded.returncode == 1, upgraded.output
    assert SAMPLE_TYPE in upgraded.output and f'"{added}"' in upgraded.output

    # Adapt the code, refresh the copy: the check passes, the review shows what was accepted.
    assert work.run(copy_line).returncode == 0
    assert work.run(upgrade_check).returncode == 0
    reviewed = work.run(review)
    assert reviewed.returncode == 1, reviewed.output
    assert SAMPLE_TYPE in reviewed.output and f'"{added}"' in reviewed.output


def job_lines(marker: str) -> list[Line]:
    """The shell lines of the one job block of the page that contains `marker`, in order."""
    (block,) = [b for b in code_blocks(CI_DOC, "yaml") if marker in b.text]
    found = _shell_lines(yaml.safe_load(block.text))
    return [Line(t.strip(), block.line) for t in found if t.strip() and not t.startswith("#")]


@pytest.mark.slow
@pytest.mark.parametrize("marker", ["upload-sarif", "junit:"], ids=["github", "gitlab"])
def test_each_job_runs_as_printed_in_a_fresh_environment(
    marker: str, work: Workdir, hook_repo: HookRepo, tmp_path_factory: pytest.TempPathFactory
) -> None:
    _, bad = sample_events()
    (work.path / BROKEN_FILE).write_text(event_file_text(bad), encoding="utf-8")
    bindir = fresh_venv(tmp_path_factory.mktemp("ci-job") / "venv", work.env)
    lines = job_lines(marker)
    assert lines[0].text.startswith("pip install"), "the job should install qevcontract first"

    installed = run_in(
        bindir, local_install_line(lines[0].text, hook_repo.path), work.path, work.env
    )
    assert installed.returncode == 0, installed.stdout
    where = run_in(bindir, "command -v qevcontract", work.path, work.env)
    assert where.stdout.strip() == str(bindir / "qevcontract")  # not this checkout's

    for line in lines[1:]:
        ran = run_in(bindir, line.text, work.path, work.env)
        expected = 0 if line.text.endswith(TOLERATE_VIOLATIONS) else 1
        assert ran.returncode == expected, f"{line.text}\n{ran.stdout}"
        assert BROKEN_FILE in ran.stdout or "-o" in shlex.split(line.text.split("||")[0])
        if "-o" in line.text:
            report = (work.path / output_file(line)).read_text(encoding="utf-8")
            assert BROKEN_FILE in report, line.text
