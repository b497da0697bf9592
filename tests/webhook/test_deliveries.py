"""The delivery log: whole lines only, each once, and fsync shared between deliveries."""

from __future__ import annotations

import asyncio
import errno
import os
from pathlib import Path

import orjson
import pytest

from qevcontract.webhook import _deliveries as deliveries
from qevcontract.webhook._deliveries import DeliveryLog, LogWriter


def line(i: int) -> bytes:
    return orjson.dumps({"seq": i, "pad": "x" * 50}) + b"\n"


def test_batches_are_appended_in_order(tmp_path: Path) -> None:
    log = DeliveryLog(tmp_path / "d.jsonl")
    log.write_batch([line(1)])
    log.write_batch([line(2), line(3)])
    log.close()
    assert (tmp_path / "d.jsonl").read_bytes() == line(1) + line(2) + line(3)
    assert log.lines_written == 3
    assert log.closed


def test_an_existing_log_is_appended_to_not_truncated(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(line(1))
    log = DeliveryLog(path)
    log.write_batch([line(2)])
    log.close()
    assert path.read_bytes() == line(1) + line(2)
    assert not log.repaired_tail


def test_a_torn_last_line_is_kept_and_new_lines_start_after_it(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_bytes(line(1) + b'{"seq": 2, "pa')
    log = DeliveryLog(path)
    log.write_batch([line(3)])
    log.close()
    assert log.repaired_tail
    assert path.read_bytes() == line(1) + b'{"seq": 2, "pa\n' + line(3)


def test_a_write_that_fails_half_way_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "d.jsonl"
    log = DeliveryLog(path)
    log.write_batch([line(1)])
    real_write = os.write

    def disk_fills_up(fd: int, data: bytes | memoryview) -> int:
        if len(data) > 20:
            return real_write(fd, bytes(data[:20]))  # a short write ...
        raise OSError(errno.ENOSPC, "No space left on device")  # ... then the disk is full

    monkeypatch.setattr(deliveries.os, "write", disk_fills_up)
    with pytest.raises(OSError):
        log.write_batch([line(2), line(3)])
    monkeypatch.undo()
    assert path.read_bytes() == line(1)
    log.write_batch([line(4)])
    log.close()
    assert path.read_bytes() == line(1) + line(4)
    assert log.lines_written == 2


def test_without_fsync_append_writes_before_returning(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    log = DeliveryLog(path)

    async def run() -> None:
        await LogWriter(log).append(line(1))
        assert path.read_bytes() == line(1)  # already in the file, before anything else runs

    asyncio.run(run())
    log.close()


def test_without_fsync_one_turn_of_the_loop_shares_one_write_and_answers_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Group commit without fsync: deliveries decided in one turn are written together at
    its end, each told only once its line is in the file; a line `append`ed next (the
    ASGI path) lands after them, so the file keeps the order they were decided in."""
    path = tmp_path / "d.jsonl"
    log = DeliveryLog(path)
    writes: list[int] = []
    real_write = os.write

    def counting_write(fd: int, data: bytes) -> int:
        writes.append(len(data))
        return real_write(fd, data)

    monkeypatch.setattr(deliveries.os, "write", counting_write)
    writer = LogWriter(log)
    told: list[tuple[int, OSError | None, bool]] = []

    def done(i: int) -> deliveries.Done:
        return lambda error: told.append((i, error, line(i) in path.read_bytes()))

    async def run() -> None:
        for i in range(5):
            writer.append_then(line(i), done(i))
        assert told == []  # nobody is answered within the turn that decided them
        await asyncio.sleep(0)
        assert [i for i, _, _ in told] == list(range(5))
        writer.append_then(line(5), done(5))
        await writer.append(line(6))

    asyncio.run(run())
    log.close()
    assert told == [(i, None, True) for i in range(6)]
    assert len(writes) == 3  # lines 0-4, then 5 (written before 6 goes in), then 6
    assert path.read_bytes() == b"".join(line(i) for i in range(7))


def test_with_fsync_concurrent_deliveries_share_fsyncs_and_all_land_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "d.jsonl"
    syncs: list[int] = []
    real_fsync = os.fsync

    def counting_fsync(fd: int) -> None:
        syncs.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(deliveries.os, "fsync", counting_fsync)
    log = DeliveryLog(path, fsync=True)
    writer = LogWriter(log)

    async def run() -> None:
        await asyncio.gather(*(writer.append(line(i)) for i in range(200)))
        await writer.drain()

    asyncio.run(run())
    log.close()
    seqs = [orjson.loads(raw)["seq"] for raw in path.read_bytes().splitlines()]
    assert sorted(seqs) == list(range(200))
    assert 1 <= len(syncs) < 200  # grouped: far fewer fsyncs than deliveries


def test_with_fsync_a_large_burst_is_synced_in_halves_a_small_one_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst decided in one turn: a large one (40) syncs half while the other half would
    be decided, not all in one fsync with nothing left to overlap it; a small one (10) is
    synced in one go, as holding half of it back would only make it wait."""
    log = DeliveryLog(tmp_path / "d.jsonl", fsync=True)
    batches: list[int] = []
    real_write_batch = log.write_batch

    def recording(lines: list[bytes]) -> None:
        batches.append(len(lines))
        real_write_batch(lines)

    monkeypatch.setattr(log, "write_batch", recording)
    writer = LogWriter(log)
    told: list[int] = []

    async def burst(first: int, count: int) -> None:
        for i in range(first, first + count):
            writer.append_then(
                line(i), lambda error, i=i: told.append(i) if error is None else None
            )
        await writer.drain()

    asyncio.run(burst(0, 40))
    assert batches == [20, 20]
    asyncio.run(burst(40, 10))
    assert batches == [20, 20, 10]
    log.close()
    assert told == list(range(50))
    assert (tmp_path / "d.jsonl").read_bytes() == b"".join(line(i) for i in range(50))


def test_with_fsync_a_failed_batch_fails_every_waiting_delivery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = DeliveryLog(tmp_path / "d.jsonl", fsync=True)

    def failing_fsync(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(deliveries.os, "fsync", failing_fsync)
    writer = LogWriter(log)

    async def run() -> list[BaseException | None]:
        results = await asyncio.gather(
            *(writer.append(line(i)) for i in range(5)), return_exceptions=True
        )
        return list(results)

    results = asyncio.run(run())
    log.close()
    assert all(isinstance(r, OSError) for r in results)
    assert (tmp_path / "d.jsonl").read_bytes() == b""  # undone, not half there


def test_a_log_in_a_missing_directory_cannot_be_opened(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        DeliveryLog(tmp_path / "no" / "such" / "d.jsonl")
