"""`-o FILE`: a regular file is replaced only by a complete output; anything else (a device,
a FIFO) is written in place and never replaced; a link keeps pointing where it did."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ..conftest import REPO

EVENTS = REPO / "fixtures" / "valid" / "apps" / "com.qlik.app.deleted.jsonl"
COMMANDS = {
    "validate": ["validate", str(EVENTS), "--format", "json", "-o"],
    "normalize": ["normalize", str(EVENTS), "-o"],
}


def qevcontract(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "qevcontract._cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fifo_is_written_and_stays_a_fifo(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    done = qevcontract(*COMMANDS[command], str(fifo))
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # not replaced by a regular file
    assert received and received[0].strip()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pipe"]  # no temporary left


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_link_keeps_pointing_at_its_file_which_gets_the_output(
    tmp_path: Path, command: str
) -> None:
    real = tmp_path / "reports" / "latest.out"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "report.out"
    link.symlink_to(real)
    done = qevcontract(*COMMANDS[command], str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text() != "old\n" and real.read_text().strip()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_replaced_file_keeps_its_permissions_and_a_new_one_gets_the_usual(
    tmp_path: Path, command: str
) -> None:
    kept = tmp_path / "kept.out"
    kept.write_text("old\n")
    kept.chmod(0o640)
    assert qevcontract(*COMMANDS[command], str(kept)).returncode == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    new = tmp_path / "new.out"
    assert qevcontract(*COMMANDS[command], str(new)).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask


def test_a_device_that_refuses_the_report_is_one_line_and_exit_2() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    done = qevcontract(*COMMANDS["validate"], "/dev/full")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "qevcontract: error: /dev/full: cannot write the report: No space left on device"
    ]
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)


def test_an_unwritable_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = qevcontract(*COMMANDS["validate"], str(tmp_path / "missing" / "report.json"))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"qevcontract: error: {tmp_path / 'missing' / 'report.json'}: cannot write: "
        "No such file or directory"
    )


def test_the_report_written_through_a_temporary_file_is_the_whole_report(
    tmp_path: Path,
) -> None:
    out = tmp_path / "report.json"
    assert qevcontract(*COMMANDS["validate"], str(out)).returncode == 0
    assert json.loads(out.read_text())["summary"]["read"] == len(EVENTS.read_text().splitlines())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_dev_stdout_writes_to_the_pipe_it_names(tmp_path: Path) -> None:
    done = qevcontract(*COMMANDS["validate"], "/dev/stdout")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["read"] == len(EVENTS.read_text().splitlines())


def test_dev_stdout_appended_to_a_log_keeps_what_the_log_held(tmp_path: Path) -> None:
    log = tmp_path / "ci.log"
    log.write_text("EARLIER\n")
    script = (
        f"{sys.executable} -m qevcontract._cli {' '.join(COMMANDS['validate'])} /dev/stdout "
        f">> {log} && echo LATER >> {log}"
    )
    subprocess.run(["sh", "-c", script], check=True, timeout=120)
    text = log.read_text()
    assert text.startswith("EARLIER\n{") and text.endswith("}\nLATER\n")


def test_a_file_that_cannot_be_replaced_is_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A single bind-mounted file (Docker's -v report.json:/out/report.json) refuses
    os.replace with EBUSY; a read-only folder refuses the temporary file."""
    import errno

    from qevcontract._cli.output import OutputFile

    target = tmp_path / "report.json"
    target.write_text("old")

    def busy(src: object, dst: object) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy")

    monkeypatch.setattr(os, "replace", busy)
    out = OutputFile(target)
    with out.open() as handle:
        handle.write(b"new report")
    out.commit()
    assert target.read_bytes() == b"new report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]

    real_open = os.open

    def read_only_folder(path: str, flags: int, mode: int = 0o777) -> int:
        if str(path).endswith(".partial"):
            raise OSError(errno.EACCES, "Permission denied")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", read_only_folder)
    out = OutputFile(target)
    with out.open() as handle:
        handle.write(b"newer")
    out.commit()
    assert target.read_bytes() == b"newer"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_file_names_that_are_not_utf8_reach_the_report_file(tmp_path: Path, jobs: str) -> None:
    """Linux file names are bytes: one read as `café` in Latin-1 must not crash the report."""
    folder = os.fsencode(tmp_path)
    source = os.path.join(folder, b"caf\xe9.jsonl")
    with open(source, "wb") as handle:
        handle.write(b'{"id": 1}\n')
    report = os.path.join(folder, b"r\xe9port.txt")
    cmd = [sys.executable, "-m", "qevcontract._cli", "validate", source, "-o", report]
    done = subprocess.run([*cmd, "--jobs", jobs], capture_output=True, check=False)
    assert done.returncode == 1, done.stderr
    with open(report, "rb") as handle:
        lines = handle.read().splitlines()
    assert lines[0].startswith(source + b":1:")  # the name's own bytes, as the shell shows it
    assert lines[-1].startswith(b"1 event read: 0 valid, 1 invalid")
