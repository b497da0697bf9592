"""The append-only delivery log of `webhook serve`: one JSON line per delivery it handled.

Guarantees, and how they are kept:

* A line is in the file before its delivery is answered: the server answers only once
  `LogWriter` says the line's batch went to the kernel with `os.write` (no Python buffer
  that a crash could lose). With `fsync=True` it also waits for the disk (survives a
  power cut, not only a crash of the process).
* Never a half-written line: each batch of lines is handed to the kernel in writes on an
  ``O_APPEND`` descriptor, and a write that fails part-way (disk full) is undone by
  truncating back to where the batch started, so its deliveries are answered with a 500
  and nothing partial stays. A signal cannot cut a write to a regular file in two.
* Exactly once: each line is written by one `write_batch` call, never retried.
* A file left with an incomplete last line by a process killed some other way (``kill -9``
  mid-write is the only way) is not touched: new lines start after a newline, and the
  server reports it.

fsync costs 0.5 to 3 ms per call on this class of machine (a hundred times a write), so it
is amortised: concurrent deliveries share one fsync (group commit); without fsync, the
deliveries decided in one turn of the event loop share one write. `webhook serve` syncs by
default (`--no-fsync` to skip it): with 8 or more deliveries in flight it costs no
throughput; one at a time it adds about 0.6 ms a delivery (benchmarks/bench_webhook.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import os
import socket
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["DeliveryLog", "Done", "LogWriter", "file_identity"]

# Told once a line is in the log: None, or the error that kept it out.
Done = Callable[[OSError | None], None]
# With fsync, a batch of this many deliveries or more is split (`LogWriter`): deciding half
# of them takes about as long as an fsync (0.1 ms a delivery, 1 to 3 ms an fsync here).
SPLIT_FROM = 32


def file_identity(status: os.stat_result) -> str:
    """A short id for one file on this machine: the same for every name of the file.

    `webhook serve` shows its log's id on /healthz; `webhook send` computes it for the
    files it reads, to refuse feeding a server its own log. A digest of host name, device
    and inode, so it tells nothing about the file to whoever can reach /healthz.
    """
    key = f"{socket.gethostname()}:{status.st_dev}:{status.st_ino}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


class DeliveryLog:
    """An open, append-only JSONL file; `write_batch` is all-or-nothing per batch."""

    def __init__(self, path: str | os.PathLike[str], *, fsync: bool = False) -> None:
        self.path = Path(path)
        self.fsync = fsync
        self.repaired_tail = False  # True when the file ended mid-line and we started afresh
        self.lines_written = 0
        self._lock = threading.Lock()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            self._start_on_a_fresh_line()
            self.identity = file_identity(os.fstat(self._fd))
        except OSError:
            os.close(self._fd)
            raise

    def _start_on_a_fresh_line(self) -> None:
        size = os.fstat(self._fd).st_size
        if size == 0:
            return
        with open(self.path, "rb") as reader:
            reader.seek(size - 1)
            last = reader.read(1)
        if last != b"\n":
            self.repaired_tail = True
            self._write_all(b"\n")

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        written = 0
        try:
            while written < len(data):
                written += os.write(self._fd, view[written:])
        except OSError:
            if written:  # undo the part that went in (only we append to this file)
                with contextlib.suppress(OSError):  # nothing more we can do then
                    os.ftruncate(self._fd, os.fstat(self._fd).st_size - written)
            raise

    def write_batch(self, lines: Sequence[bytes]) -> None:
        """Append `lines` (each ending in a newline) or, on error, leave the file as it was."""
        data = b"".join(lines) if len(lines) > 1 else lines[0]
        with self._lock:
            self._write_all(data)
            if self.fsync:
                try:
                    os.fsync(self._fd)
                except OSError:
                    with contextlib.suppress(OSError):
                        os.ftruncate(self._fd, os.fstat(self._fd).st_size - len(data))
                    raise
            self.lines_written += len(lines)

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1

    @property
    def closed(self) -> bool:
        return self._fd < 0


class LogWriter:
    """Async front of a `DeliveryLog` for the server's event loop: group commit.

    Lines handed over while the loop is busy are written together: without fsync, at the
    end of the loop's turn (one `write` for every delivery decided in it, the answers
    right after: a write costs about as much as the rest of a delivery's logging); with
    fsync, lines queue up while the previous batch is being synced in a worker thread, and
    the next batch takes them all at once: one fsync for every delivery waiting. Either
    way a delivery is told its line is in only once its batch is (see `DeliveryLog`).
    """

    def __init__(self, log: DeliveryLog) -> None:
        self.log = log
        self._waiting: list[tuple[bytes, Done]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._turn_end: asyncio.Handle | None = None  # without fsync: the pending write

    async def append(self, line: bytes) -> None:
        """Return once `line` is in the log (and on disk, with fsync); raise OSError if not."""
        if not self.log.fsync:
            self._write_waiting()  # lines decided earlier go first
            self.log.write_batch((line,))
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue(line, functools.partial(_settle, future))
        # A caller cancelled meanwhile cancels its future: settling skips futures that are
        # done, and the line (already queued) is still written, unanswered.
        await future

    def append_then(self, line: bytes, done: Done) -> None:
        """`append` without a coroutine: `done(None)` once `line` is in the log (on disk,
        with fsync), `done(error)` if it could not be written.

        Called at the end of this turn of the loop without fsync, else from the batch's
        flush: the server's fast path answers from `done`, with no task per delivery.
        """
        if self.log.fsync:
            self._queue(line, done)
            return
        self._waiting.append((line, done))
        if self._turn_end is None:
            self._turn_end = asyncio.get_running_loop().call_soon(self._write_waiting)

    def _write_waiting(self) -> None:
        """Without fsync: write what this turn queued, in one batch, and tell each delivery."""
        if self._turn_end is not None:
            self._turn_end.cancel()
            self._turn_end = None
        if not self._waiting:
            return
        batch, self._waiting = self._waiting, []
        error: OSError | None = None
        try:
            self.log.write_batch([line for line, _ in batch])
        except OSError as exc:
            error = exc
        _tell(batch, error)

    def _queue(self, line: bytes, done: Done) -> None:
        self._waiting.append((line, done))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.get_running_loop().create_task(self._flush_waiting())

    async def _flush_waiting(self) -> None:
        synced = 0  # deliveries in the batch just synced
        while self._waiting:
            # A burst all in one batch leaves the CPU idle during its fsync and the disk
            # idle while the next burst is decided, and that repeats once it starts (the
            # answers of one batch come back as the next burst). So a large batch takes
            # half of the deliveries in play, rounded up (those waiting, those just synced):
            # the groups settle into two that take turns, each synced while the other is
            # being decided. A small one is taken whole: deciding half of it takes less
            # than an fsync, so holding that half back would only make it wait longer.
            waiting = len(self._waiting)
            take = waiting if waiting < SPLIT_FROM else (waiting + synced + 1) // 2
            batch, self._waiting = self._waiting[:take], self._waiting[take:]
            error: OSError | None = None
            try:
                await asyncio.to_thread(self.log.write_batch, [line for line, _ in batch])
            except OSError as exc:
                error = exc
            _tell(batch, error)
            synced = len(batch)

    async def drain(self) -> None:
        """Wait until everything queued is written (shutdown calls this before closing)."""
        if not self.log.fsync:
            self._write_waiting()
        while self._flusher is not None and not self._flusher.done():
            await asyncio.shield(self._flusher)


def _tell(batch: list[tuple[bytes, Done]], error: OSError | None) -> None:
    """Tell each delivery of a batch how its write went."""
    for _, done in batch:
        try:
            done(error)
        except Exception as exc:  # a bug in one answer must not strand the others
            asyncio.get_running_loop().call_exception_handler(
                {"message": "answering a logged delivery failed", "exception": exc}
            )


def _settle(future: asyncio.Future[None], error: OSError | None) -> None:
    if future.done():  # its caller was cancelled
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)
