"""Driving a validation run: records in, located results out, in input order.

One process by default. With `jobs > 1`, JSONL input is cut into batches of raw lines that
worker processes parse, validate and locate; results come back in input order. Workers get
the validator by pickling (its settings and the catalogue's location), so each rebuilds
its compiled schemas once and nothing is shared.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO

from .readers import Record, iter_records
from .results import EventResult
from .validator import Validator, unreadable_result

BATCH_LINES = 2000


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


def _work_lines(job: tuple[str, int, int, list[bytes]]) -> list[EventResult]:
    """Parse, validate and locate one batch of JSONL lines (in a worker)."""
    from .readers import iter_jsonl_lines

    source, first_line, first_index, lines = job
    validator, locator = _WORKER["validator"], _WORKER["locator"]
    return [
        check_record(validator, rec, locator)
        for rec in iter_jsonl_lines(lines, source, first_line=first_line, first_index=first_index)
    ]


def _work_records(records: list[Record]) -> list[EventResult]:
    validator, locator = _WORKER["validator"], _WORKER["locator"]
    return [check_record(validator, rec, locator) for rec in records]


def _jobs_for(
    paths: Sequence[str], stdin: BinaryIO | None
) -> Iterator[tuple[Callable[..., Any], Any]]:
    """Units of work in input order: JSONL files as raw line batches, the rest as records."""
    from .readers import JSONL_EXTENSIONS, expand_paths

    pending: list[Record] = []
    for path in expand_paths(paths):
        if path != "-" and path.lower().endswith(JSONL_EXTENSIONS):
            if pending:
                yield _work_records, pending
                pending = []
            yield from _line_batches(path)
            continue
        for record in iter_records([path], stdin=stdin):
            # Whole-document inputs: the worker's locator re-reads the file if needed.
            pending.append(
                record if record.kind == "jsonl" else dataclasses.replace(record, raw=None)
            )
            if len(pending) >= BATCH_LINES:
                yield _work_records, pending
                pending = []
    if pending:
        yield _work_records, pending


def _line_batches(path: str) -> Iterator[tuple[Callable[..., Any], Any]]:
    from .readers import InputError

    try:
        handle = open(path, "rb", buffering=1 << 20)  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
    with handle:
        first_line, first_index, batch = 1, 0, []
        events_in_batch = 0
        for raw in handle:
            batch.append(raw)
            if raw.strip():
                events_in_batch += 1
            if len(batch) >= BATCH_LINES:
                yield _work_lines, (path, first_line, first_index, batch)
                first_line += len(batch)
                first_index += events_in_batch
                batch, events_in_batch = [], 0
        if batch:
            yield _work_lines, (path, first_line, first_index, batch)


def _parallel(
    validator: Validator, paths: Sequence[str], *, stdin: BinaryIO | None, jobs: int
) -> Iterator[EventResult]:
    import multiprocessing
    from collections import deque

    ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(validator,)) as pool:
        window: deque[Any] = deque()
        for func, arg in _jobs_for(paths, stdin):
            window.append(pool.apply_async(func, (arg,)))
            # Bounded read-ahead keeps memory constant whatever the input size.
            while len(window) > jobs * 4:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


def results_for_events(validator: Validator, events: Iterable[Any]) -> Iterator[EventResult]:
    """In-memory events (no files): index only, no lines."""
    for i, ev in enumerate(events):
        yield validator.check(ev, index=i)
