"""Driving a validation run: records in, located results out, in input order.

One process by default. With `jobs > 1`, JSONL input is cut into batches of raw lines that
worker processes parse, validate and locate; results come back in input order. Workers get
the validator by pickling (its settings and the catalogue's location), so each rebuilds
its compiled schemas once and nothing is shared.
"""

from __future__ import annotations

import dataclasses
import io
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO

from .readers import Record, iter_records
from .results import EventResult
from .validator import Validator, unreadable_result

BATCH_LINES = 2000  # records per batch for whole-document inputs
CHUNK_BYTES = 1 << 21  # bytes per JSONL chunk a worker reads itself


def check_record(validator: Validator, record: Record, locator: Any) -> EventResult:
    """The result for one record, with each violation located in its input when possible."""
    if record.error is not None:
        return unreadable_result(
            record.source, record.index, record.line, record.column, record.error
        )
    result = validator.check(record.event, source=record.source, index=record.index,
                             line=record.line)  # fmt: skip
    if result.violations:
        located = []
        for v in result.violations:
            pos = locator.locate(record, v.pointer) if v.pointer or record.kind != "jsonl" else None
            if pos is None and record.kind == "jsonl":
                pos = (record.line, 1) if record.line else None
            located.append(dataclasses.replace(v, line=pos[0], column=pos[1]) if pos else v)
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
    from .locate import Locator

    if jobs > 1:
        yield from _parallel(validator, paths, stdin=stdin, jobs=jobs)
        return
    locator = Locator()
    for record in iter_records(paths, stdin=stdin):
        yield check_record(validator, record, locator)


# ------------------------------------------------------------------------------ parallel

_WORKER: dict[str, Any] = {}  # per worker process: its own Validator and Locator


def _init_worker(validator: Validator) -> None:
    from .locate import Locator

    _WORKER["validator"] = validator
    _WORKER["locator"] = Locator()


def _work_chunk(job: tuple[str, int, int]) -> tuple[list[EventResult], int]:
    """Read, parse, validate and locate one byte range of a JSONL file (in a worker).

    The worker reads the file itself: the parent only finds chunk boundaries, so it never
    reads the events. Lines and indices are numbered within the chunk (the first chunk from
    1, others from 2 so that only a file's first line may carry a BOM); the parent shifts
    them, using the line count returned with the results.
    """
    from .readers import iter_jsonl_lines

    source, start, end = job
    with open(source, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    validator, locator = _WORKER["validator"], _WORKER["locator"]
    # Lines end at b"\n" only, as the serial reader splits them (a bare CR is JSON
    # whitespace inside an event, not a line break).
    records = iter_jsonl_lines(io.BytesIO(data), source, first_line=1 if start == 0 else 2)
    results = [check_record(validator, rec, locator) for rec in records]
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return results, lines


def _work_records(records: list[Record]) -> list[EventResult]:
    validator, locator = _WORKER["validator"], _WORKER["locator"]
    return [check_record(validator, rec, locator) for rec in records]


def _jobs_for(
    paths: Sequence[str], stdin: BinaryIO | None
) -> Iterator[tuple[Callable[..., Any], Any]]:
    """Units of work in input order: JSONL files as raw line batches, the rest as records."""
    from .readers import JSONL_EXTENSIONS, expand_paths, iter_file_records, prepare_paths

    pending: list[Record] = []
    files = expand_paths(paths)
    streams = prepare_paths(files)  # unsupported files fail here, before any result
    for path in files:
        # Byte ranges only for regular files: a pipe cannot be read twice.
        if (
            path.lower().endswith(JSONL_EXTENSIONS)
            and os.path.isfile(path)
            and os.access(path, os.R_OK)
        ):
            if pending:
                yield _work_records, pending
                pending = []
            yield from _line_batches(path)
            continue
        for record in iter_file_records(path, stdin=stdin, stream=path in streams):
            # Whole documents from a regular file: the worker's locator re-reads the file
            # if it must; anything else (stdin, a pipe) keeps its bytes.
            rereadable = record.kind != "jsonl" and os.path.isfile(record.source)
            pending.append(dataclasses.replace(record, raw=None) if rereadable else record)
            if len(pending) >= BATCH_LINES:
                yield _work_records, pending
                pending = []
    if pending:
        yield _work_records, pending


def _line_batches(path: str) -> Iterator[tuple[Callable[..., Any], Any]]:
    """Byte ranges of whole lines, about CHUNK_BYTES each: the parent seeks to each cut and
    reads up to the next newline, never the events themselves."""
    from .readers import InputError

    try:
        handle = open(path, "rb")  # noqa: SIM115
        size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
    with handle:
        start = 0
        while start < size:
            end = min(start + CHUNK_BYTES, size)
            if end < size:
                handle.seek(end - 1)
                end += len(handle.readline()) - 1  # to just after the next newline
            yield _work_chunk, (path, start, end)
            start = end


def _parallel(
    validator: Validator, paths: Sequence[str], *, stdin: BinaryIO | None, jobs: int
) -> Iterator[EventResult]:
    import multiprocessing
    from collections import deque

    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(validator,)) as pool:
        window: deque[tuple[Any, str | None]] = deque()
        # Per JSONL source: events and lines in the chunks already reported, to shift the
        # chunk-relative numbers workers return.
        seen: dict[str, tuple[int, int]] = {}

        def drain() -> Iterator[EventResult]:
            pending, chunk_source = window.popleft()
            if chunk_source is None:
                yield from pending.get()
                return
            results, lines = pending.get()
            events_before, lines_before = seen.get(chunk_source, (0, 0))
            # Chunks after the first number their lines from 2 (see _work_chunk).
            shift = lines_before - (1 if lines_before else 0)
            for r in results:
                r.index += events_before
                if r.line is not None:
                    r.line += shift
                if r.violations and shift:
                    r.violations = [
                        dataclasses.replace(v, line=v.line + shift) if v.line else v
                        for v in r.violations
                    ]
            seen[chunk_source] = (events_before + len(results), lines_before + lines)
            yield from results

        for func, arg in _jobs_for(paths, stdin):
            source = arg[0] if func is _work_chunk else None
            window.append((pool.apply_async(func, (arg,)), source))
            # Bounded read-ahead keeps memory constant whatever the input size.
            while len(window) > jobs * 4:
                yield from drain()
        while window:
            yield from drain()
