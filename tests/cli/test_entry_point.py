"""The console entry point as a shell sees it: one-line errors and documented exit codes."""

from __future__ import annotations

import subprocess
import sys

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
