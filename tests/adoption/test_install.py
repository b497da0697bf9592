"""Getting qevcontract into a user's project, as the README and docs say to.

The fast tests keep the documented install lines, URLs and tags in step with pyproject.toml.
The `slow` ones do it: `python -m build` on a clone of this checkout (sdist and wheel, with
every contract inside), the wheel installed into a fresh virtual environment outside the
source tree (dependencies from the package index), and `validate`, `fake` and `check` run
from there; the pytest plugin without Hypothesis and, after the extra the README names, the
README's test module. The git-URL install line is the CI recipes' one, which
test_ci_recipes.py runs in a fresh environment against a tagged snapshot.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

import qevcontract
from qevcontract._report.sarif import INFORMATION_URI

from .support import (
    DOCS,
    RELEASE_TAG,
    REPO,
    REPO_URL,
    VERSION,
    HookRepo,
    code_blocks,
    fresh_venv,
    isolated_env,
    run_in,
)

README = REPO / "README.md"
CONTRACTS = REPO / "contracts"
INSTALL_DOCS = [README, DOCS / "ci.md", DOCS / "pre-commit.md"]
GIT_INSTALL = re.compile(r"git\+(https://[^\s\"'@]+)@([^\s\"']+)")


def readme_shell_lines() -> list[str]:
    return [
        line.strip()
        for block in code_blocks(README, "sh")
        for line in block.text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def readme_line(*needles: str) -> str:
    """The one README shell line containing every needle."""
    found = [line for line in readme_shell_lines() if all(n in line for n in needles)]
    assert len(found) == 1, f"README.md: expected one shell line with {needles}: {found}"
    return found[0]


# --- the documented names stay in step -------------------------------------------------------


def test_the_version_has_one_source() -> None:
    # pyproject.toml -> the installed metadata -> qevcontract.__version__ and `-V`.
    assert qevcontract.__version__ == VERSION
    assert "__version__ =" not in (REPO / "src/qevcontract/__init__.py").read_text("utf-8")


def test_docs_install_the_release_they_name_from_the_project_url() -> None:
    for path in INSTALL_DOCS:
        text = path.read_text(encoding="utf-8")
        assert "github.com/OWNER" not in text, f"{path.name}: a placeholder URL"
        for url, ref in GIT_INSTALL.findall(text):
            assert (url, ref) == (REPO_URL, RELEASE_TAG), f"{path.name}: git+{url}@{ref}"
        for repo_url, rev in re.findall(r"repo: (\S+)\s+rev: (\S+)", text):
            assert (repo_url, rev) == (REPO_URL, RELEASE_TAG), f"{path.name}: {repo_url} {rev}"
    assert GIT_INSTALL.search(README.read_text(encoding="utf-8"))


def test_sarif_reports_point_at_a_page_that_exists() -> None:
    # Not the PyPI page: the package is not published there yet.
    assert INFORMATION_URI == REPO_URL


def test_the_changelog_latest_release_is_this_version() -> None:
    # Keep a Changelog: the newest `## [X.Y.Z]` section is the version being released.
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, re.M)
    assert released and released[0] == VERSION, (released[:1], VERSION)


# --- build, install, run ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    return isolated_env(os.environ)


@pytest.fixture(scope="module")
def dist(
    hook_repo: HookRepo, tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]
) -> Path:
    """`python -m build` (sdist, then the wheel from the sdist) on a clone of the snapshot."""
    clone = tmp_path_factory.mktemp("clone") / "qevcontract"
    subprocess.run(["git", "clone", "-q", str(hook_repo.path), str(clone)], check=True, env=env)
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(clone)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def _contract_files() -> dict[str, bytes]:
    return {
        p.relative_to(CONTRACTS).as_posix(): p.read_bytes()
        for p in CONTRACTS.rglob("*")
        if p.is_file()
    }


@pytest.mark.slow
def test_sdist_and_wheel_carry_every_contract(dist: Path) -> None:
    # src/qevcontract/bundled is a symlink to ../../contracts: the archives must hold files.
    expected = _contract_files()
    assert "catalog.json" in expected and len(expected) > 30
    (wheel,) = dist.glob(f"qevcontract-{VERSION}-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as zf:
        prefix = "qevcontract/bundled/"
        in_wheel = {n[len(prefix) :]: zf.read(n) for n in zf.namelist() if n.startswith(prefix)}
        metadata = zf.read(f"qevcontract-{VERSION}.dist-info/METADATA").decode("utf-8")
    assert in_wheel == expected
    (sdist,) = dist.glob(f"qevcontract-{VERSION}.tar.gz")
    prefix = f"qevcontract-{VERSION}/src/qevcontract/bundled/"
    with tarfile.open(sdist) as tf:
        members = [m for m in tf.getmembers() if m.name.startswith(prefix) and m.isfile()]
        in_sdist = {m.name[len(prefix) :]: tf.extractfile(m).read() for m in members}  # type: ignore[union-attr]
    assert in_sdist == expected
    # The light core: the HTTP stack and Hypothesis only come with their extras.
    core = [r for r in re.findall(r"^Requires-Dist: (.+)$", metadata, re.M) if "extra ==" not in r]
    assert not [r for r in core if re.match(r"(starlette|uvicorn|httpx|hypothesis)\b", r)]
    assert "Provides-Extra: webhook" in metadata and "Provides-Extra: testing" in metadata


@pytest.fixture(scope="module")
def wheel_venv(dist: Path, tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> Path:
    """A fresh environment with the wheel installed as the README says (core only)."""
    bindir = fresh_venv(tmp_path_factory.mktemp("wheel-venv") / "venv", env)
    (wheel,) = dist.glob("*.whl")
    line = readme_line("pip install", ".whl").replace(
        f"dist/qevcontract-{VERSION}-py3-none-any.whl", str(wheel)
    )
    done = run_in(bindir, line, dist, env)
    assert done.returncode == 0, done.stdout
    return bindir


@pytest.mark.slow
def test_the_wheel_alone_runs_validate_fake_and_check(
    wheel_venv: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    def run(line: str) -> subprocess.CompletedProcess[str]:
        return run_in(wheel_venv, line, tmp_path, env)

    located = run("python -c 'import qevcontract; print(qevcontract.__file__)'")
    assert located.stdout.startswith(str(wheel_venv.parent)), located.stdout  # not the checkout
    assert run("qevcontract -V").stdout.strip() == f"qevcontract, version {VERSION}"
    assert run("python -c 'import starlette'").returncode == 1  # the core stays light

    faked = run("qevcontract fake --all -n 3 --seed 7 -o events.jsonl")
    assert faked.returncode == 0, faked.stdout
    validated = run("qevcontract validate events.jsonl")
    assert validated.returncode == 0, validated.stdout
    count = sum(1 for _ in (tmp_path / "events.jsonl").open())
    assert f"{count} events read: {count} valid" in validated.stdout
    broken = run("qevcontract fake com.qlik.app.created --invalid -n 3 | qevcontract validate -")
    assert broken.returncode == 1 and "3 events read: 0 valid, 3 invalid" in broken.stdout

    checked = run("qevcontract check --format json > findings.json")
    assert checked.returncode == 1, checked.stdout  # the doc pages' known errors
    assert json.loads((tmp_path / "findings.json").read_text(encoding="utf-8"))
    assert run("qevcontract check --fail-on never").returncode == 0


@pytest.mark.slow
def test_a_missing_extra_is_one_line_naming_the_install(
    wheel_venv: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    served = run_in(wheel_venv, "qevcontract webhook serve", tmp_path, env)
    assert served.returncode == 2
    assert served.stdout.count("\n") == 1, served.stdout
    assert "pip install 'qevcontract[webhook]'" in served.stdout
    assert "Traceback" not in served.stdout
    # Signing needs no HTTP stack.
    signed = run_in(
        wheel_venv,
        "printf '{}' | qevcontract webhook sign -",
        tmp_path,
        dict(env, QEV_WEBHOOK_SECRET="s" * 32),
    )
    assert signed.returncode == 0, signed.stdout


PLUGIN_WITHOUT_HYPOTHESIS = """
def test_fixtures_need_no_hypothesis(qlik_event, assert_valid_event):
    assert_valid_event(qlik_event("com.qlik.app.created", data__name="Sales"))


def test_the_strategy_names_the_extra():
    from qevcontract.pytest_plugin import qlik_events

    qlik_events("com.qlik.v1.app.*")
"""


@pytest.mark.slow
def test_pytest_plugin_without_hypothesis_then_the_readme_example_with_the_extra(
    wheel_venv: Path, dist: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    # A project with pytest but not the extra: the plugin (loaded into every pytest run
    # through its entry point) must not break collection, and its fixtures work.
    assert run_in(wheel_venv, "pip install -q pytest", tmp_path, env).returncode == 0
    assert run_in(wheel_venv, "python -c 'import hypothesis'", tmp_path, env).returncode == 1
    (tmp_path / "test_plugin.py").write_text(PLUGIN_WITHOUT_HYPOTHESIS, encoding="utf-8")
    ran = run_in(wheel_venv, "python -m pytest -q -p no:cacheprovider", tmp_path, env)
    assert "1 failed, 1 passed" in ran.stdout, ran.stdout
    assert "pip install 'qevcontract[testing]'" in ran.stdout

    # The README's install line for the extra (the wheel in place of the git URL), then
    # the README's test module, verbatim.
    (wheel,) = dist.glob("*.whl")
    line = readme_line("pip install", "[testing]")
    spec = shlex.split(line)[-1]
    assert spec == f"qevcontract[testing] @ git+{REPO_URL}@{RELEASE_TAG}", line
    assert run_in(wheel_venv, f"pip install -q '{wheel}[testing]'", tmp_path, env).returncode == 0
    (example,) = [b.text for b in code_blocks(README, "python") if "qlik_events" in b.text]
    (tmp_path / "test_plugin.py").unlink()
    (tmp_path / "test_reload_alerts.py").write_text(example, encoding="utf-8")
    ran = run_in(wheel_venv, "python -m pytest -q -p no:cacheprovider", tmp_path, env)
    assert ran.returncode == 0 and "4 passed" in ran.stdout, ran.stdout


def test_readme_git_url_install_is_the_line_the_ci_test_runs() -> None:
    # test_ci_recipes runs this very line in a fresh environment (slow): one check, not two.
    from .test_ci_recipes import job_lines

    line = readme_line("pip install", "git+", "qevcontract @")
    assert line == job_lines("upload-sarif")[0].text == job_lines("junit:")[0].text


def test_readme_pre_commit_snippet_is_the_one_the_pre_commit_test_commits_with() -> None:
    # test_precommit runs docs/pre-commit.md's configuration through `git commit` (slow).
    from .test_precommit import DOC_REPO_URL, VALIDATE, documented_config

    (block,) = [b for b in code_blocks(README, "yaml") if "repos:" in b.text]
    tested = documented_config(DOC_REPO_URL, VALIDATE, without=("files:", "args:"))
    assert yaml.safe_load(block.text) == tested
