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


def _work_chunk(job: tuple[str, int, int, int]) -> list[EventResult]:
    """Read, parse, validate and locate one byte range of a JSONL file (in a worker).

    The worker reads the file itself: the parent only finds line boundaries, so it never
    touches the events. Indices are relative to the chunk; the parent shifts them.
    """
    from .readers import iter_jsonl_lines

    source, start, end, first_line = job
    with open(source, "rb") as handle:
        handle.seek(start)
        # Lines end at b"\n" only, as the serial reader splits them (a bare CR is JSON
        # whitespace inside an event, not a line break).
        lines = io.BytesIO(handle.read(end - start))
    validator, locator = _WORKER["validator"], _WORKER["locator"]
    return [
        check_record(validator, rec, locator)
        for rec in iter_jsonl_lines(lines, source, first_line=first_line)
    ]


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
    """Byte ranges of whole lines, about CHUNK_BYTES each, with their first line number."""
    from .readers import InputError

    try:
        handle = open(path, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
    with handle:
        start, first_line, carry = 0, 1, b""
        while True:
            block = handle.read(CHUNK_BYTES)
            data = carry + block
            cut = data.rfind(b"\n") + 1 if block else len(data)
            if cut:
                end = start + cut
                yield _work_chunk, (path, start, end, first_line)
                first_line += data.count(b"\n", 0, cut)
                start = end
            carry = data[cut:]
            if not block:
                return


def _parallel(
    validator: Validator, paths: Sequence[str], *, stdin: BinaryIO | None, jobs: int
) -> Iterator[EventResult]:
    import multiprocessing
    from collections import deque

    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(validator,)) as pool:
        window: deque[tuple[Any, bool]] = deque()
        offsets: dict[str, int] = {}  # events seen so far per JSONL source, to shift indices

        def drain() -> Iterator[EventResult]:
            pending, chunked = window.popleft()
            results: list[EventResult] = pending.get()
            if chunked and results:
                source = results[0].source
                shift = offsets.get(source, 0)
                for r in results:
                    r.index += shift
                offsets[source] = shift + len(results)
            yield from results

        for func, arg in _jobs_for(paths, stdin):
            window.append((pool.apply_async(func, (arg,)), func is _work_chunk))
            # Bounded read-ahead keeps memory constant whatever the input size.
            while len(window) > jobs * 4:
                yield from drain()
        while window:
            yield from drain()
