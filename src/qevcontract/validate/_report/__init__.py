"""Validation reporters: one module per output format, all fed the same stream of results.

A reporter gets `start`, then one `result` per event in input order, then `finish`. Nothing
here keeps valid results around, so a run of millions of events reports in constant memory.
Format modules are imported on first use: `--format text` never pays for XML or SARIF code.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, TextIO, cast

from ..._pointer import unescape
from ..._report.summary import plural
from .._results import Batch, EventResult, Summary, Violation

__all__ = [
    "OPTIONS",
    "REPORTERS",
    "ArrayElements",
    "BatchReporter",
    "Locate",
    "Renderer",
    "Reporter",
    "ReporterSpec",
    "append_file",
    "drive",
    "drive_batches",
    "make_reporter",
    "render",
    "renderer_for",
]

# Given by the CLI for violations that do not carry their own line: where one sits in its
# source, from a position-aware re-parse of the failed event. None means "not known":
# reporters then fall back to where the event starts.
Locate = Callable[[EventResult, Violation], tuple[int, int] | None]


class Reporter(Protocol):
    """What the validate command drives; `result` is called once per event, in input order."""

    def start(self, *, contracts: str, engine: str, strict: bool) -> None: ...
    def result(self, result: EventResult) -> None: ...
    def finish(self, summary: Summary) -> None: ...


# Renders a run of consecutive results to exactly the text `result` would write for them.
Renderer = Callable[[Sequence[EventResult]], str]


class BatchReporter(Reporter, Protocol):
    """A reporter whose text for an event depends on nothing but that event.

    Its `renderer` runs in worker processes (`--jobs`), so the parent only writes text.
    """

    def renderer(self) -> Renderer | None:
        """A picklable renderer, or None when this reporter's options keep state between
        events (a limit on problems shown, a `locate` callback)."""
        ...

    def write_rendered(self, text: str) -> None:
        """Write what the renderer made of the next events, as `result` would have."""
        ...

    def write_rendered_file(self, path: str) -> None:
        """`write_rendered` for text a worker left in a UTF-8 file (see `append_file`)."""
        ...


@dataclass(frozen=True, slots=True)
class ReporterSpec:
    """A registered format: where its class lives, and which `make_reporter` options it uses."""

    name: str
    module: str
    class_name: str
    summary: str
    options: frozenset[str]

    def load(self) -> Callable[..., Reporter]:
        module = importlib.import_module(self.module, __name__)
        factory: Callable[..., Reporter] = getattr(module, self.class_name)
        return factory


REPORTERS: Mapping[str, ReporterSpec] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            ReporterSpec(
                "text",
                ".text",
                "TextReporter",
                "for people: one line per violation, then a summary",
                frozenset({"locate", "color", "quiet", "verbose", "max_errors"}),
            ),
            ReporterSpec(
                "json",
                ".json_report",
                "JsonReporter",
                "one versioned JSON document (docs/schemas/validate-report.schema.json)",
                frozenset({"locate"}),
            ),
            ReporterSpec(
                "junit",
                ".junit",
                "JUnitReporter",
                "JUnit XML: a test suite per input file, a test case per event",
                frozenset({"locate"}),
            ),
            ReporterSpec(
                "sarif",
                ".sarif",
                "SarifReporter",
                "SARIF 2.1.0, for code-scanning dashboards",
                frozenset({"locate", "root"}),
            ),
            ReporterSpec(
                "github",
                ".github",
                "GitHubReporter",
                "GitHub Actions annotations (workflow commands)",
                frozenset({"locate", "root"}),
            ),
        )
    }
)

# Every option some format understands. A format ignores the ones it has no use for, so the
# CLI can pass the same options whatever the format; a name outside this set is a bug.
OPTIONS = frozenset().union(*(spec.options for spec in REPORTERS.values()))


def make_reporter(name: str, stream: TextIO, **options: object) -> Reporter:
    """The reporter for format `name`, writing to `stream` (which the caller closes).

    Options: `locate` (all formats), `color` (None = auto), `quiet`, `verbose`, `max_errors`
    (text), `root` (sarif, github: directory that paths are made relative to; default cwd).
    """
    spec = REPORTERS.get(name)
    if spec is None:
        raise ValueError(f"unknown report format {name!r} (choose from {', '.join(REPORTERS)})")
    unknown = sorted(set(options) - OPTIONS)
    if unknown:
        raise TypeError(f"unknown reporter option(s): {', '.join(unknown)}")
    accepted = {key: value for key, value in options.items() if key in spec.options}
    return spec.load()(stream, **accepted)


# ------------------------------------------------------------- helpers shared by the formats


def violation_position(
    result: EventResult, violation: Violation, locate: Locate | None
) -> tuple[int | None, int | None]:
    """Where a violation sits: its own line, else `locate`'s answer, else the event's start.

    `locate` is only asked when there is something to print, so quiet runs never re-parse."""
    if violation.line is not None:
        return violation.line, violation.column
    if locate is not None and result.status != "unreadable":
        found = locate(result, violation)
        if found is not None:
            return found
    return result.line, result.column


def located(
    result: EventResult, locate: Locate | None
) -> list[tuple[Violation, int | None, int | None]]:
    """An event's violations with their positions, in reading order (top to bottom)."""
    placed = [(v, *violation_position(result, v, locate)) for v in result.violations]
    placed.sort(key=lambda item: (item[1] is None, item[1] or 0, item[2] or 0))
    return placed


def unreadable_reason(result: EventResult) -> str:
    """Why a record could not be read, whichever field the reader filled in."""
    return result.error or "; ".join(v.message for v in result.violations) or "unreadable"


def is_pseudo_source(source: str) -> bool:
    """`<stdin>` and `<input>` name a stream, not a file a tool could open."""
    return source.startswith("<") and source.endswith(">")


def relative_path(source: str, root: Path) -> str | None:
    """`source` relative to `root` with forward slashes, or None when it lies outside."""
    path = Path(source)
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        relative = Path(os.path.normpath(absolute)).relative_to(os.path.normpath(root))
    except ValueError:
        return None
    return relative.as_posix()


def format_location(source: str, index: int, line: int | None, column: int | None) -> str:
    """`path:line:col`, `path:line`, or `path#index` (0-based) when the line is not known."""
    if line is None:
        return f"{source}#{index}"
    if column is None:
        return f"{source}:{line}"
    return f"{source}:{line}:{column}"


def which_event(
    result: EventResult, message: str, has_file: bool, line: int | None, column: int | None
) -> str:
    """`message`, led by which event when the report's own location cannot say it: the
    whole location for a stream (no file to point at), the index for a file without a line."""
    if not has_file:
        return f"{format_location(result.source, result.index, line, column)}: {message}"
    if line is None:
        return f"event #{result.index}: {message}"
    return message


def _control_escapes() -> Mapping[int, str]:
    table = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}
    table.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\t"})
    return MappingProxyType(table)


_CONTROL_ESCAPES = _control_escapes()


def one_line(text: str) -> str:
    """`text` on one line, with no character that could move a terminal's cursor or change
    its colours: line breaks and control characters are shown as escapes."""
    if text.isprintable():  # the usual case, checked in C; controls are never printable
        return text
    return text.translate(_CONTROL_ESCAPES)


def summary_line(summary: Summary) -> str:
    """`3 events read: 1 valid, 1 invalid, 1 unreadable (2 violations)`: same in every format.

    Warnings and notes (info) are named after the violations when there are any.
    """
    counted = plural(summary.violations, "violation")
    if summary.warnings:
        counted += ", " + plural(summary.warnings, "warning")
    if summary.notes:
        counted += ", " + plural(summary.notes, "note")
    return (
        f"{plural(summary.read, 'event')} read: {summary.valid} valid, "
        f"{summary.invalid} invalid, {summary.unreadable} unreadable ({counted})"
    )


def human_path_forms(pointer: str) -> tuple[str, ...]:
    """How a message may spell `pointer` for people: `data.items[0]` (or `data.items.0`)."""
    if not pointer.startswith("/"):
        return ()
    tokens = pointer[1:].split("/")
    if "~" in pointer:
        tokens = [unescape(t) for t in tokens]
    as_key = ".".join(tokens)
    if not any(t.isdigit() for t in tokens):
        return (as_key,)
    as_index = ""
    for token in tokens:
        if token.isdigit():
            as_index += f"[{token}]"
        else:
            as_index += ("." if as_index else "") + token
    return (as_index, as_key)


def violation_text(violation: Violation) -> str:
    """`pointer: message`, without the pointer when the message already names that place."""
    message = violation.message
    if not violation.pointer:
        return message
    for form in human_path_forms(violation.pointer):
        if message.startswith(form + ": "):
            return message
    return f"{violation.pointer}: {message}"


def drive(
    reporter: Reporter,
    results: Iterable[EventResult],
    *,
    contracts: str = "bundled",
    engine: str = "rs",
    strict: bool = False,
) -> Summary:
    """Feed `results` to `reporter` (start, one `result` each, finish); return the counts.

    The one loop every caller of a reporter needs: the CLI, tests, and library users who
    render reports of their own results.
    """
    reporter.start(contracts=contracts, engine=engine, strict=strict)
    summary = Summary()
    for result in results:
        summary.add(result)
        reporter.result(result)
    reporter.finish(summary)
    return summary


def renderer_for(reporter: Reporter) -> Renderer | None:
    """The reporter's renderer for worker processes, if it has one (see `BatchReporter`)."""
    method = getattr(reporter, "renderer", None)
    return method() if callable(method) else None


def drive_batches(
    reporter: Reporter,
    batches: Iterable[Batch],
    *,
    contracts: str = "bundled",
    engine: str = "rs",
    strict: bool = False,
) -> Summary:
    """`drive` for batches from worker processes: text a batch carries is written as it is
    (only a `BatchReporter`'s renderer makes it), results are reported one by one."""
    reporter.start(contracts=contracts, engine=engine, strict=strict)
    summary = Summary()
    for batch in batches:
        summary.merge(batch.summary)
        if batch.text_file is not None:
            _write_file(cast(BatchReporter, reporter), batch.text_file)
        elif batch.text is not None:
            cast(BatchReporter, reporter).write_rendered(batch.text)
        else:
            for result in batch.results:
                reporter.result(result)
    reporter.finish(summary)
    return summary


class ArrayElements:
    """The elements of a streamed JSON array, one per line (the json and sarif reports):
    the separators between them, whether they come one by one, as a worker's rendered text
    (elements already joined with `,\\n`) or as the file a worker left."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._empty = True

    def write(self, text: str) -> None:
        """One element, or several already joined; nothing for empty text."""
        if text:
            self._stream.write(("\n" if self._empty else ",\n") + text)
            self._empty = False

    def write_file(self, path: str) -> None:
        """`write` for a worker's file (see `append_file`)."""
        if os.path.getsize(path):
            self._stream.write("\n" if self._empty else ",\n")
            append_file(self._stream, path)
            self._empty = False

    def closing(self) -> str:
        """What ends the array: on a line of its own after elements."""
        return "]" if self._empty else "\n]"


def _write_file(reporter: BatchReporter, path: str) -> None:
    """Write a worker's text file into the report, then delete it."""
    try:
        write_file = getattr(reporter, "write_rendered_file", None)
        if write_file is not None:
            write_file(path)
        else:  # a reporter of the library's users, written before files existed
            with open(path, encoding="utf-8") as handle:
                reporter.write_rendered(handle.read())
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


# sendfile refuses some targets (a terminal on older kernels, anything but a socket on
# macOS): those get the text through Python instead.
_NO_SENDFILE = frozenset(
    getattr(errno, name)
    for name in ("EINVAL", "ENOSYS", "EOPNOTSUPP", "ENOTSUP", "ENOTSOCK", "EBADF", "EXDEV")
    if hasattr(errno, name)
)


def append_file(stream: TextIO, path: str) -> None:
    """Append a UTF-8 file to `stream`: in the kernel (os.sendfile) when the stream has a
    file descriptor and writes UTF-8, else through the stream (an in-memory stream, another
    encoding, a platform without sendfile). The bytes are copied as they are: for a stream
    that translates newlines, write the text with `write_rendered` instead."""
    with open(path, "rb") as source:
        size = os.fstat(source.fileno()).st_size
        sent = 0
        target: int | None = None
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if encoding in ("utf-8", "utf8") and os.linesep == "\n":
            try:
                target = stream.fileno()
            except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation: memory
                target = None
        if size and target is not None and hasattr(os, "sendfile"):
            stream.flush()  # what the stream holds goes first
            try:
                while sent < size:
                    count = os.sendfile(target, source.fileno(), sent, size - sent)
                    if count == 0:
                        break
                    sent += count
            except OSError as exc:
                if sent or exc.errno not in _NO_SENDFILE:
                    raise
        if sent < size:
            source.seek(sent)
            stream.write(source.read().decode("utf-8"))


def render(name: str, results: Iterable[EventResult], **options: Any) -> str:
    """A whole report as a string (for small result sets: tests, notebooks, messages).

    Keyword options are `make_reporter`'s, plus `drive`'s `contracts`, `engine`, `strict`.
    """
    import io

    run_options = {k: options.pop(k) for k in ("contracts", "engine", "strict") if k in options}
    out = io.StringIO()
    drive(make_reporter(name, out, **options), results, **run_options)
    return out.getvalue()
