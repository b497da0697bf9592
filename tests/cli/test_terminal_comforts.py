"""What a terminal gets and a pipe does not: fake's progress line, diff's and normalize's colour.

The terminal is a real pseudo-terminal (the commands run as subprocesses with a pty on the
stream in question), so the tests see what `isatty()` decides, not a flag set by the test.
NO_COLOR follows https://no-color.org: "Command-line software which adds ANSI color to its
output by default should check for a NO_COLOR environment variable that, when present and
not an empty string (regardless of its value), prevents the addition of ANSI color."
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

from qevcontract.contracts import load as load_contracts

REPO = Path(__file__).resolve().parents[2]
CMD = [sys.executable, "-m", "qevcontract"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
CLEAR = "\r\x1b[K"

pty = pytest.importorskip("pty")


def run_with_tty(
    args: list[str], tty: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[int, str, str]:
    """Run with `tty` ("stdout" or "stderr") on a pseudo-terminal and the other on a pipe,
    NO_COLOR unset unless `env` sets it; returns (exit code, what the terminal showed,
    what the pipe got)."""
    master, slave = pty.openpty()
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, tty: slave}
    full = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full.update(env or {})
    proc = subprocess.Popen([*CMD, *args], cwd=cwd, env=full, **streams)  # type: ignore[call-overload]
    os.close(slave)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end is closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    other = proc.communicate(timeout=120)[0 if tty == "stderr" else 1]
    return proc.returncode, shown.decode("utf-8", "replace"), other.decode("utf-8", "replace")


# --- fake: a progress line on a terminal, nothing when piped ---------------------------------


# Enough events that the line (redrawn at most 4 times a second) shows on a fast machine too.
# `fake --all` makes events of every bundled type.
N_TYPES = len(load_contracts().types)
MANY = 400  # 145 types: 58,000 events (the 36-type set needed 1,500 a type)


def test_fake_shows_progress_on_a_terminal_and_clears_it(tmp_path: Path) -> None:
    out = tmp_path / "load.jsonl"
    code, terminal, _ = run_with_tty(["fake", "--all", "-n", str(MANY), "-o", str(out)], "stderr")
    assert code == 0
    counts = [int(n.replace(",", "")) for n in re.findall(r"\r([\d,]+) events \(", terminal)]
    assert counts and counts == sorted(counts) and counts[-1] <= N_TYPES * MANY, terminal
    # The line is cleared before the closing message, which stands alone.
    closing = f"{CLEAR}{out}: {N_TYPES * MANY} event(s) written\r\n"
    assert terminal.endswith(closing), terminal[-200:]
    assert sum(1 for _ in out.open()) == N_TYPES * MANY


def test_fake_is_quiet_when_stderr_is_piped(tmp_path: Path) -> None:
    out = tmp_path / "load.jsonl"
    done = subprocess.run(
        [*CMD, "fake", "--all", "-n", "400", "-o", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stderr == f"{out}: {N_TYPES * 400} event(s) written\n"


def test_fake_keeps_a_terminal_that_shows_the_events_free_of_progress() -> None:
    # Events on the terminal: a progress line between them would garble both.
    code, terminal, errors = run_with_tty(["fake", "--all", "-n", "300"], "stdout")
    assert code == 0 and errors == ""
    lines = terminal.splitlines()
    assert len(lines) == N_TYPES * 300 and all(json.loads(line) for line in lines)


def test_fake_progress_can_be_forced_or_refused(tmp_path: Path) -> None:
    forced = subprocess.run(
        [*CMD, "fake", "--all", "-n", str(MANY), "--progress", "-o", str(tmp_path / "a.jsonl")],
        capture_output=True,
    )
    assert b" events (" in forced.stderr and CLEAR.encode() in forced.stderr
    _, terminal, _ = run_with_tty(
        ["fake", "--all", "-n", "400", "--no-progress", "-o", str(tmp_path / "b.jsonl")],
        "stderr",
    )
    assert " events (" not in terminal


# --- diff: colour on a terminal, honouring NO_COLOR ------------------------------------------


@pytest.fixture(scope="module")
def next_contracts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled set with one required property added (breaks producers)."""
    root = tmp_path_factory.mktemp("diff") / "contracts-next"
    shutil.copytree(REPO / "contracts", root)
    path = root / "tasks" / "com.qlik.scheduling.task.created.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["data"]["required"].append("spaceId")
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    return root


def diff_args(new: Path, *extra: str) -> list[str]:
    return ["diff", str(REPO / "contracts"), str(new), "--no-witness", *extra]


def test_diff_colours_verdicts_on_a_terminal(next_contracts: Path) -> None:
    code, terminal, _ = run_with_tty(diff_args(next_contracts), "stdout")
    assert code == 1
    red_bold = "\x1b[31m\x1b[1m"
    assert f"{red_bold}BREAKS producers" in terminal
    assert f"{red_bold}Result: BREAKING for producers" in terminal
    assert "\x1b[33m[producer]\x1b[0m required-added" in terminal


def test_diff_text_is_the_same_without_colour(next_contracts: Path) -> None:
    _, terminal, _ = run_with_tty(diff_args(next_contracts), "stdout")
    piped = subprocess.run([*CMD, *diff_args(next_contracts)], capture_output=True, text=True)
    assert not ANSI.search(piped.stdout)
    assert ANSI.sub("", terminal).replace("\r\n", "\n") == piped.stdout


@pytest.mark.parametrize("value", ["1", "false"])
def test_diff_honours_no_color_on_a_terminal(next_contracts: Path, value: str) -> None:
    _, terminal, _ = run_with_tty(diff_args(next_contracts), "stdout", env={"NO_COLOR": value})
    assert "BREAKS producers" in terminal and not ANSI.search(terminal)


def test_diff_color_flag_wins(next_contracts: Path) -> None:
    forced = subprocess.run(
        [*CMD, *diff_args(next_contracts, "--color")],
        capture_output=True,
        text=True,
        env=dict(os.environ, NO_COLOR="1"),
    )
    assert ANSI.search(forced.stdout)
    _, refused, _ = run_with_tty(diff_args(next_contracts, "--no-color"), "stdout")
    assert not ANSI.search(refused)


# --- normalize: coloured messages on a terminal's stderr -------------------------------------


@pytest.fixture
def captured(tmp_path: Path) -> Path:
    path = tmp_path / "captured.jsonl"
    legacy = {
        "cloudEventsVersion": "0.1",
        "eventId": "1",
        "eventType": "com.qlik.app.created",
        "source": "com.qlik/engine",
        "extensions": {"changes": [1, 2]},
    }
    path.write_text(json.dumps(legacy) + "\nnot json\n", encoding="utf-8")
    return path


def test_normalize_colours_its_messages_on_a_terminal(captured: Path) -> None:
    code, terminal, events = run_with_tty(["normalize", str(captured)], "stderr")
    assert code == 1 and len(events.splitlines()) == 1  # one converted, one unreadable
    assert f"\x1b[1m{captured}:1\x1b[0m: \x1b[33mwarning\x1b[0m: extensions.changes" in terminal
    assert f"\x1b[1m{captured}:2:1\x1b[0m: \x1b[31m\x1b[1munreadable\x1b[0m: " in terminal
    piped = subprocess.run([*CMD, "normalize", str(captured)], capture_output=True, text=True)
    assert not ANSI.search(piped.stderr)
    assert ANSI.sub("", terminal).replace("\r\n", "\n") == piped.stderr


def test_normalize_honours_no_color(captured: Path) -> None:
    _, terminal, _ = run_with_tty(["normalize", str(captured)], "stderr", env={"NO_COLOR": "1"})
    assert "warning: extensions.changes" in terminal and not ANSI.search(terminal)
