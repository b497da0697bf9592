"""How a validate run ends when it is cut short: the reader of its output leaves, Ctrl-C, a
cancelled CI job (SIGTERM). Always a documented exit code, no traceback, no worker process
or temporary file left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import REPO

INVALID = sorted((REPO / "fixtures" / "invalid").rglob("*.jsonl"))


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough invalid events for a run of several seconds and a long text report."""
    path = tmp_path_factory.mktemp("big") / "events.jsonl"
    with path.open("wb") as f:
        for _ in range(60):
            for src in INVALID:
                f.write(src.read_bytes())
    return path


def start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "qevcontract.cli", "validate", *args, "--no-progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell job has
    )


def group_is_gone(pgid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_that_leaves_early_ends_the_run_quietly_with_141(
    big_input: Path, jobs: str
) -> None:
    proc = start(str(big_input), "--jobs", jobs)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()  # `| head -1`
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert proc.stderr.read() == b""
    assert group_is_gone(proc.pid)


@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "sigterm"]
)
def test_an_interrupted_run_leaves_no_worker_no_partial_report_and_no_traceback(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    report = tmp_path / "report.json"
    report.write_text("previous report\n")
    spool = tmp_path / "tmp"  # where the run spools what it reads from stdin for workers
    spool.mkdir()
    args = ["validate", "-", "--jobs", "2", "--format", "json", "-o", str(report)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "qevcontract.cli", *args, "--no-progress"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell job has
        env={**os.environ, "TMPDIR": str(spool)},
    )
    assert proc.stdin is not None
    # A stream that has not ended (a live feed): the run is mid-way when the signal comes.
    events = b"".join(src.read_bytes() for src in INVALID)
    for _ in range(100):  # more than the units --jobs keeps in flight
        proc.stdin.write(events)
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 10_000 for p in tmp_path.glob(".report.json.*")):
        assert time.monotonic() < deadline and proc.poll() is None, "no report being written"
        time.sleep(0.05)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C reaches every process of the terminal's group
    else:
        proc.send_signal(sig)  # a CI runner or `timeout` signals the command alone
    assert proc.wait(timeout=60) == code
    proc.stdin.close()
    err = proc.stderr.read() if proc.stderr else b""
    assert b"Traceback" not in err, err.decode()
    assert group_is_gone(proc.pid)
    assert report.read_text() == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "tmp"]
    assert list(spool.iterdir()) == []
