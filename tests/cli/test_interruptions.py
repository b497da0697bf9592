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
# The invalid fixtures once; inputs repeat them to a size, not a count: the bundled set grew
# from 36 to 145 types, and these runs must stay as long as they were designed to be.
INVALID_EVENTS = b"".join(src.read_bytes() for src in INVALID)


def repeats(size: int) -> int:
    """How many copies of the invalid fixtures make about `size` bytes."""
    return max(2, size // len(INVALID_EVENTS))


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough invalid events for a run of several seconds and a long text report."""
    path = tmp_path_factory.mktemp("big") / "events.jsonl"
    with path.open("wb") as f:
        for _ in range(repeats(9_000_000)):
            f.write(INVALID_EVENTS)
    return path


def start(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "qevcontract._cli", "validate", *args, "--no-progress"],
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


# Who gets the signal: the whole process group (Ctrl-C in a terminal, `kill -- -PGID`,
# systemd, some CI runners, a closed terminal) or the command alone (`timeout`, most runners).
SIGNALS = [
    pytest.param(signal.SIGINT, "group", 130, id="ctrl-c"),
    pytest.param(signal.SIGTERM, "alone", 143, id="sigterm"),
    pytest.param(signal.SIGTERM, "group", 143, id="sigterm-to-the-group"),
    pytest.param(signal.SIGHUP, "group", 129, id="terminal-closed"),
]


@pytest.mark.parametrize(("sig", "to", "code"), SIGNALS)
def test_an_interrupted_run_leaves_no_worker_no_partial_report_and_no_traceback(
    tmp_path: Path, sig: signal.Signals, to: str, code: int
) -> None:
    report = tmp_path / "report.json"
    report.write_text("previous report\n")
    spool = tmp_path / "tmp"  # where the run spools what it reads from stdin for workers
    spool.mkdir()
    args = ["validate", "-", "--jobs", "2", "--format", "json", "-o", str(report)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "qevcontract._cli", *args, "--no-progress"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell job has
        env={**os.environ, "TMPDIR": str(spool)},
    )
    assert proc.stdin is not None
    # A stream that has not ended (a live feed): the run is mid-way when the signal comes.
    for _ in range(repeats(15_000_000)):  # more than the units --jobs keeps in flight
        proc.stdin.write(INVALID_EVENTS)
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 10_000 for p in tmp_path.glob(".report.json.*")):
        assert time.monotonic() < deadline and proc.poll() is None, "no report being written"
        time.sleep(0.05)
    if to == "group":
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    assert proc.wait(timeout=60) == code
    proc.stdin.close()
    err = proc.stderr.read() if proc.stderr else b""
    assert b"Traceback" not in err, err.decode()
    assert group_is_gone(proc.pid)
    assert report.read_text() == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "tmp"]
    assert list(spool.iterdir()) == []


def test_a_worker_killed_midway_is_one_line_exit_3_and_nothing_left(
    big_input: Path, tmp_path: Path
) -> None:
    """The OOM killer picks a worker: the run stops with a message instead of hanging."""
    spool = tmp_path / "tmp"
    spool.mkdir()
    report = tmp_path / "report.json"
    args = [str(big_input), "--jobs", "2", "--format", "json", "-o", str(report)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "qevcontract._cli", "validate", *args, "--no-progress"],
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "TMPDIR": str(spool)},
    )
    deadline = time.monotonic() + 60
    while not (workers := _children(proc.pid)):
        assert time.monotonic() < deadline and proc.poll() is None, "no worker started"
        time.sleep(0.01)
    os.kill(workers[0], signal.SIGKILL)
    assert proc.wait(timeout=60) == 3
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert err.startswith("qevcontract: error: a worker process stopped before finishing")
    assert len(err.strip().splitlines()) == 1
    assert group_is_gone(proc.pid)
    assert not report.exists() and list(spool.iterdir()) == []


def _children(pid: int) -> list[int]:
    """Process ids whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_jobs_work_when_the_spool_folder_cannot_be_written(
    big_input: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spooling is an optimisation: records and report text that cannot be written to the
    spool folder (a full disk, no folder at all) go through the pool's pipes instead."""
    import io

    from qevcontract.validate import _run as run
    from qevcontract.validate._report import drive, drive_batches, make_reporter, renderer_for
    from qevcontract.validate._validator import Validator

    stdin = INVALID[0].read_bytes() * 30  # records only the parent can read
    expected = io.StringIO()
    drive(make_reporter("json", expected), run.iter_results(
        Validator(), ["-", str(big_input)], stdin=io.BytesIO(stdin)))  # fmt: skip
    for spool in (None, str(tmp_path / "gone")):  # none made; made, then unwritable
        monkeypatch.setattr(run, "_make_spool", lambda spool=spool: spool)
        got = io.StringIO()
        reporter = make_reporter("json", got)
        batches = run.iter_batches(Validator(), ["-", str(big_input)], stdin=io.BytesIO(stdin),
                                   render=renderer_for(reporter), text_files=True)  # fmt: skip
        drive_batches(reporter, batches)
        assert got.getvalue() == expected.getvalue()
