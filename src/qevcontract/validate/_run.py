"""Driving a validation run: records in, located results out, in input order.

One process by default. With `jobs > 1`, the work is cut into units that worker processes
read, parse, validate and locate themselves: JSONL files as byte ranges of whole lines,
other regular files a few at a time, and only what cannot be read twice (stdin, a pipe) as
records the parent reads. Units come back as `Batch`es, in input order. Workers get the
validator by pickling (its settings and the catalogue's location), so each compiles its
own schemas once and nothing is shared.

When the reporter can render in the workers (`report.renderer_for`), a batch carries its
report text and counts instead of its results: the parent then does almost nothing per
event, which is what lets two processes go nearly twice as fast as one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO

from .._input import Record, iter_records
from ._results import Batch, EventResult, Summary, Violation, placed
from ._validator import Validator, unreadable_result

if TYPE_CHECKING:  # the report package is the one place the renderer type is defined
    from ._report import Renderer

BATCH_LINES = 2000  # records per unit for input only the parent can read (stdin, pipes)
CHUNK_BYTES = 1 << 21  # bytes per unit of JSONL, or of other files taken together
MIN_CHUNK_BYTES = 1 << 16  # the smallest JSONL unit, near a file's end
FILES_PER_UNIT = 64  # most small files per unit, so that each unit is worth sending


def check_record(validator: Validator, record: Record, locator: Any) -> EventResult:
    """The result for one record, with each violation located in its input when possible."""
    if record.error is not None:
        return unreadable_result(
            record.source, record.index, record.line, record.column, record.error
        )
    result = validator.check(record.event, source=record.source, index=record.index,
                             line=record.line)  # fmt: skip
    if record.problems:
        result.violations = [
            *result.violations,
            *(Violation(p, m, "x-qev-string", "string-characters") for p, m in record.problems),
        ]
        result.status = "invalid"
    if result.violations:
        located = []
        for v in result.violations:
            pos = locator.locate(record, v.pointer) if v.pointer or record.kind != "jsonl" else None
            if pos is None and record.kind == "jsonl":
                pos = (record.line, 1) if record.line else None
            located.append(placed(v, pos[0], pos[1]) if pos else v)
        result.violations = located
    return result


def iter_results(
    validator: Validator,
    paths: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    jobs: int = 1,
) -> Iterator[EventResult]:
    """Stream results for the inputs in `paths` (files, directories, `-`)."""
    from .._input.locate import Locator

    if jobs > 1:
        for batch in iter_batches(validator, paths, stdin=stdin, jobs=jobs):
            yield from batch.results
        return
    locator = Locator()
    for record in iter_records(paths, stdin=stdin):
        yield check_record(validator, record, locator)


class WorkerError(RuntimeError):
    """A worker process stopped before finishing its work (killed: out of memory, a signal)."""


def iter_batches(
    validator: Validator,
    paths: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    jobs: int = 2,
    render: Renderer | None = None,
    text_files: bool = False,
) -> Iterator[Batch]:
    """Results for `paths` from `jobs` worker processes, as batches in input order.

    With `render` (a picklable function from results to report text, with no state between
    calls), each batch carries the text and counts, not the results. With `text_files` too,
    the text may stay in a file the worker wrote (`Batch.text_file`), whose bytes go to the
    report as they are (`report.drive_batches` appends and deletes it): for a report stream
    that writes UTF-8 without newline translation. Such a file lives in a private folder
    that is removed when the run ends, so take each batch in turn rather than collecting
    them. Read-ahead is bounded: memory and disk use stay flat whatever the input size.
    Raises `WorkerError` if a worker dies (killed for lack of memory, say).
    """
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    spool = _make_spool()
    settings = (validator, render, spool if render is not None and text_files else None)
    # concurrent.futures rather than multiprocessing.Pool: a worker that dies (the OOM
    # killer, a signal to the whole process group) fails its task instead of hanging the run.
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=settings)
    try:
        window: deque[Any] = deque()
        for func, arg in _units(paths, stdin, jobs):
            if func is _work_records and spool is not None:
                # Tasks stay a few bytes where possible: bulk goes through the spool folder.
                func, arg = _spool_records(spool, arg)
            window.append(pool.submit(func, arg))
            # Report what is done as soon as it is (a slow stream may take long to fill the
            # next unit); wait only when too much is in flight.
            while window and (len(window) > jobs * 4 or window[0].done()):
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    except BrokenProcessPool:
        _stop(pool)
        raise WorkerError(
            "a worker process stopped before finishing (killed: out of memory, or a signal)"
        ) from None
    except BaseException:
        # Interrupted (Ctrl-C, SIGTERM) or the consumer stopped: drop queued work and go;
        # workers finish the unit in hand and exit.
        _stop(pool)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        if spool is not None:
            _remove_spool(spool)


def _stop(pool: Any, timeout: float = 5.0) -> None:
    """Stop a pool without waiting for queued work, and let its manager thread end before
    the interpreter does. Python 3.11's exit handler wakes that thread through a pipe the
    thread closes as it ends; when the two race, a traceback ("Bad file descriptor") reaches
    stderr after a clean Ctrl-C or SIGTERM. The thread only waits for the workers' units in
    hand, so the wait is short; bounded all the same, so a stuck worker cannot hold the exit.
    (The thread is taken first: `shutdown` drops the pool's reference to it.)"""
    thread = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    if thread is not None:
        thread.join(timeout)


def _remove_spool(spool: str) -> None:
    """Remove the spool folder, even while a stopped run's workers still finish a unit: it
    is renamed first, so a file a worker makes after that fails instead of landing in it."""
    import shutil

    removing = f"{spool}.removing"
    try:
        os.rename(spool, removing)
    except OSError:
        removing = spool
    shutil.rmtree(removing, ignore_errors=True)


def _make_spool() -> str | None:
    """The run's private folder (mkdtemp makes it 0700) for what goes between processes in
    bulk: records only the parent could read, and rendered text. None when no temporary
    folder can be made: everything then goes through the pool's pipes."""
    import tempfile

    try:
        return tempfile.mkdtemp(prefix="qevcontract-")
    except OSError:
        return None


def _spool_records(folder: str, records: list[Record]) -> tuple[Callable[..., Any], Any]:
    """The unit for records the parent read: in a file of the spool folder when it can be
    written (a big task in the pool's pipe blocks its feeder), else as they are."""
    import pickle

    path = os.path.join(folder, f"{os.urandom(8).hex()}.records")
    try:
        with open(path, "xb") as handle:
            pickle.dump(records, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:  # a full disk: the pipe is slower, but it works
        with contextlib.suppress(OSError):
            os.unlink(path)
        return _work_records, records
    return _work_spooled, path


# ------------------------------------------------------------------------------ workers

_WORKER: dict[str, Any] = {}  # per worker: its Validator, Locator, renderer, spool folder


def _init_worker(validator: Validator, render: Renderer | None, spool: str | None) -> None:
    import signal

    # First of all, before any import: a fork inherits the parent's clean-up handlers, and
    # a worker stopped with SIGTERM must just end. Ctrl-C reaches the whole process group:
    # the parent stops the pool, and workers must not print tracebacks of their own.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    from .._input.locate import Locator

    _WORKER.update(validator=validator, locator=Locator(), render=render, spool=spool)


def _batch(records: Iterator[Record] | list[Record]) -> Batch:
    """Check `records` in this worker; render them too when the reporter allows it."""
    validator, locator, render = _WORKER["validator"], _WORKER["locator"], _WORKER["render"]
    summary = Summary()
    results = []
    for record in records:
        result = check_record(validator, record, locator)
        summary.add(result)
        results.append(result)
    if render is None:
        return Batch(summary, results)
    text = render(results)
    spool = _WORKER.get("spool")
    if spool is None or not text:
        return Batch(summary, text=text)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (an undecodable file name): in the batch
        return Batch(summary, text=text)
    # The parent appends the file to the report, in the kernel when it can: it then copies
    # nothing per event, which is most of what it did.
    path = os.path.join(spool, f"{os.urandom(8).hex()}.text")
    try:
        with open(path, "xb") as handle:
            handle.write(data)
    except OSError:  # a full disk, the folder gone (the run was stopped): send it instead
        with contextlib.suppress(OSError):
            os.unlink(path)
        return Batch(summary, text=text)
    return Batch(summary, text_file=path)


def _work_chunk(job: tuple[str, int, int, int, int]) -> Batch:
    """Read, parse and check one byte range of whole lines of a JSONL file.

    The parent counted the lines and events before the range, so records carry their
    numbers in the whole file and the batch can be rendered here.
    """
    import io

    from .._input import iter_jsonl_lines

    source, start, end, first_line, first_index = job
    problem: str | None = None
    try:
        with open(source, "rb") as handle:
            handle.seek(start)
            data = handle.read(end - start)
    except OSError as exc:
        data, problem = b"", f"cannot read: {exc.strerror}"
    else:
        if len(data) != end - start:
            problem = "the file got shorter during the run"
    if problem is not None:
        # Removed or cut short since the parent counted it: one unreadable record says so.
        error = f"{problem} (bytes {start}-{end})"
        return _batch([Record(source, first_line, first_index, error=error, kind="jsonl")])
    # Lines end at b"\n" only, as the serial reader splits them (a bare CR is JSON
    # whitespace inside an event, not a line break).
    lines = io.BytesIO(data)
    return _batch(iter_jsonl_lines(lines, source, first_line=first_line, first_index=first_index))


def _work_files(files: list[str]) -> Batch:
    """Read and check whole regular files (JSON, YAML): every file numbers its own events."""
    from .._input import iter_file_records

    return _batch([record for path in files for record in iter_file_records(path)])


def _work_records(records: list[Record]) -> Batch:
    """Check records the parent read (stdin, pipes: they cannot be read twice)."""
    return _batch(records)


def _work_spooled(path: str) -> Batch:
    """`_work_records` for records the parent left in a spool file (see `iter_batches`)."""
    import pickle

    with open(path, "rb") as handle:
        records: list[Record] = pickle.load(handle)
    os.unlink(path)
    return _batch(records)


# ------------------------------------------------------------------------------ the parent


def _units(
    paths: Sequence[str], stdin: BinaryIO | None, jobs: int
) -> Iterator[tuple[Callable[..., Any], Any]]:
    """Units of work in input order, each as (worker function, its argument)."""
    from .._input import JSONL_EXTENSIONS, expand_paths, iter_file_records, prepare_paths

    files = expand_paths(paths)
    streams = prepare_paths(files)  # unsupported files fail here, before any result
    pending_records: list[Record] = []
    pending_files: list[str] = []
    pending_bytes = 0

    def flush() -> Iterator[tuple[Callable[..., Any], Any]]:
        nonlocal pending_records, pending_files, pending_bytes
        if pending_records:
            yield _work_records, pending_records
            pending_records = []
        if pending_files:
            yield _work_files, pending_files
            pending_files, pending_bytes = [], 0

    for path in files:
        # Workers read only regular files they can open: a pipe cannot be read twice, and
        # an unopenable file is reported by the parent's reader like any other.
        readable = path not in streams and os.path.isfile(path) and os.access(path, os.R_OK)
        if readable and path.lower().endswith(JSONL_EXTENSIONS):
            yield from flush()
            yield from _line_chunks(path, jobs)
        elif readable:
            if pending_records:
                yield from flush()
            pending_files.append(path)
            with contextlib.suppress(OSError):  # gone since: the worker reports it
                pending_bytes += os.path.getsize(path)
            if pending_bytes >= CHUNK_BYTES or len(pending_files) >= FILES_PER_UNIT:
                yield from flush()
        else:
            if pending_files:
                yield from flush()
            for record in iter_file_records(path, stdin=stdin, stream=path in streams):
                pending_records.append(record)
                if len(pending_records) >= BATCH_LINES:
                    yield from flush()
    yield from flush()


def _line_chunks(path: str, jobs: int) -> Iterator[tuple[Callable[..., Any], Any]]:
    """Byte ranges of whole lines, with the numbers of their first line and first event,
    counted at memchr speed without parsing (`count_jsonl_lines`).

    Ranges are CHUNK_BYTES until the file's last few, which shrink so that the workers
    finish together rather than one waiting for another's last big range.
    """
    from .._input import count_jsonl_lines

    try:
        handle = open(path, "rb")  # noqa: SIM115
        size = os.fstat(handle.fileno()).st_size
    except OSError as exc:  # gone or locked since it was listed: as one process reports it
        error = f"cannot open: {exc.strerror}"
        yield _work_records, [Record(path, None, 0, error=error, kind="jsonl")]
        return
    with handle:
        start, line, index = 0, 1, 0
        while data := handle.read(
            max(MIN_CHUNK_BYTES, min(CHUNK_BYTES, (size - start) // (2 * jobs)))
        ):
            if not data.endswith(b"\n"):
                data += handle.readline()  # to the end of the line (one may be longer)
            yield _work_chunk, (path, start, start + len(data), line, index)
            lines, events = count_jsonl_lines(data, file_start=start == 0)
            start, line, index = start + len(data), line + lines, index + events
