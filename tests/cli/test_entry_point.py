"""The console entry point as a shell sees it: one-line errors and documented exit codes."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CMD = [sys.executable, "-m", "qevcontract"]


def sh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CMD, *args], capture_output=True, text=True, check=False)


def test_usage_errors_are_one_line_with_a_pointer_to_help() -> None:
    for args, needle in [
        (("validate", "--format", "xml", "x"), "Invalid value for '--format'"),
        (("valdate",), "Did you mean 'validate'?"),
        (("fake", "--seed", "abc", "com.qlik.app.created"), "'abc' is not a valid integer"),
    ]:
        r = sh(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert r.stderr.count("\n") == 1 and needle in r.stderr
        assert "--help')" in r.stderr and "Traceback" not in r.stderr


def test_no_sub_command_prints_help_and_succeeds() -> None:
    r = sh()
    assert r.returncode == 0 and r.stdout.startswith("Usage: qevcontract")


def test_a_closed_output_pipe_is_not_reported_as_violations() -> None:
    p = subprocess.Popen(
        [*CMD, "fake", "--all", "-n", "3000"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert p.stdout is not None
    p.stdout.readline()
    p.stdout.close()  # what `| head -1` does
    p.wait(timeout=60)
    assert p.returncode == 141
    assert p.stderr is not None and b"Traceback" not in p.stderr.read()


def test_version_flags_print_the_installed_version() -> None:
    from importlib.metadata import version

    for flag in ("-V", "--version"):
        r = sh(flag)
        assert r.returncode == 0
        assert r.stdout == f"qevcontract, version {version('qevcontract')}\n"


# --- shell completion: click's protocol, driven through a real bash ---------------------------

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_completion_line() -> str:
    """The bash set-up line the README prints (the one users paste into ~/.bashrc)."""
    lines = [
        line.strip()
        for line in README.read_text(encoding="utf-8").splitlines()
        if "_QEVCONTRACT_COMPLETE=bash_source" in line and line.strip().startswith("eval ")
    ]
    assert len(lines) == 1, lines
    return lines[0]


def bash_complete(*words: str) -> list[str]:
    """What TAB offers after `words` (the last one being completed), in bash with the
    README's set-up: the function `complete` registered for `qevcontract`, called as bash
    calls it, with COMP_WORDS / COMP_CWORD."""
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    script = "\n".join(
        [
            _readme_completion_line(),
            "spec=$(complete -p qevcontract) || exit 97",
            'func=$(sed -E "s/.* -F ([^ ]+) .*/\\1/" <<< "$spec")',
            f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})",
            f"COMP_CWORD={len(words) - 1}",
            'COMPREPLY=(); "$func" qevcontract "${COMP_WORDS[COMP_CWORD]}" '
            '"${COMP_WORDS[COMP_CWORD-1]}"',
            'printf "%s\\n" "${COMPREPLY[@]}"',
        ]
    )
    # The console script of this environment, as an activated venv puts it first on PATH.
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    r = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    return [line for line in r.stdout.splitlines() if line]


def test_bash_completes_a_sub_command() -> None:
    assert bash_complete("qevcontract", "val") == ["validate"]
    assert bash_complete("qevcontract", "webhook", "se") == ["send", "serve"]


def test_bash_completes_options_and_their_choices() -> None:
    assert bash_complete("qevcontract", "validate", "--form") == ["--format"]
    assert bash_complete("qevcontract", "validate", "--format", "j") == ["json", "junit"]


def test_bash_completes_event_types_from_the_contract_set() -> None:
    offered = bash_complete("qevcontract", "fake", "com.qlik.v1.app.rel")
    assert offered == ["com.qlik.v1.app.reload.finished"]


# --- extras: a missing one is one line naming the install ------------------------------------


def _without(modules: list[str], code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter in which `modules` cannot be imported."""
    hide = "; ".join(f"sys.modules[{m!r}] = None" for m in modules)
    return subprocess.run(
        [sys.executable, "-c", f"import sys; {hide}; {code}"],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("module", ["uvicorn", "httptools", "httpx"])
@pytest.mark.parametrize("command", [["serve"], ["send", "http://127.0.0.1:9/", "x.jsonl"]])
def test_webhook_serve_without_its_extra_names_the_install(module: str, command: list[str]) -> None:
    """Any module the extra brings may be the missing one (uvicorn installed without
    httptools was an 'internal error', exit 3): serve imports uvicorn's httptools protocol."""
    r = _without([module], f"from qevcontract._cli import main; main(['webhook', *{command!r}])")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr == (
        "qevcontract: error: webhook serve and send need the 'webhook' extra (module "
        f"{module!r} is not installed): pip install 'qevcontract[webhook]'\n"
    )


def test_the_pytest_plugin_imports_without_hypothesis_and_names_the_extra() -> None:
    r = _without(
        ["hypothesis", "hypothesis_jsonschema"],
        "import qevcontract.pytest_plugin as p\n"
        "try:\n    p.qlik_events('com.qlik.v1.app.*')\n"
        "except ImportError as exc:\n    print(exc)",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith(": pip install 'qevcontract[testing]'\n"), r.stdout
