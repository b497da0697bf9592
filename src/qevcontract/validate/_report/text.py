"""The text report: compiler-style lines people read in a terminal or a pre-commit log.

`events.ndjson:3:15: com.qlik.v1.app.reload.finished: data.status: ... [QEV112]`: editors and
terminals turn `path:line:col` into a link. Each event's lines stay together; valid events
print nothing unless asked. Control characters from the input are shown escaped, never sent
to the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from ..._report.style import SEVERITY_STYLES, color_wanted, sequences
from ..._report.summary import plural
from .._results import EventResult, Summary
from . import (
    Locate,
    append_file,
    format_location,
    located,
    one_line,
    summary_line,
    unreadable_reason,
    violation_text,
)

# click's sequences, asked for once: the report paints two or three parts of every line.
_BOLD = sequences(bold=True)
_RED = sequences(fg="red")
_GREEN = sequences(fg="green")
_SEVERITY = {severity: sequences(fg=style["fg"]) for severity, style in SEVERITY_STYLES.items()}
_CLEAN = sequences(fg="green", bold=True)
_FAILED = sequences(fg="red", bold=True)


@dataclass(frozen=True, slots=True)
class TextLines:
    """How one event reads in the text report; picklable, with no state between events, so
    worker processes can render their own batches (`--jobs`)."""

    color: bool = False
    quiet: bool = False
    verbose: bool = False

    def paint(self, text: str, style: tuple[str, str]) -> str:
        """`text` in `style` (one of click's sequence pairs above) when colour is on."""
        return style[0] + text + style[1] if self.color else text

    def valid_line(self, result: EventResult) -> str:
        where = format_location(one_line(result.source), result.index, result.line, result.column)
        kind = f"{one_line(result.event_type)}: " if result.event_type else ""
        return f"{self.paint(where, _BOLD)}: {kind}{self.paint('valid', _GREEN)}"

    def problem_lines(
        self, result: EventResult, locate: Locate | None = None, limit: int | None = None
    ) -> list[str]:
        """One line per problem of an event (at most `limit`), in reading order."""
        source = one_line(result.source)
        if result.status == "unreadable":
            where = format_location(source, result.index, result.line, result.column)
            return [
                f"{self.paint(where, _BOLD)}: {self.paint('unreadable', _RED)}: "
                f"{one_line(unreadable_reason(result))} {self.paint('[QEV100]', _RED)}"
            ][:limit]
        kind = f"{one_line(result.event_type)}: " if result.event_type else ""
        lines = []
        for violation, line, column in located(result, locate)[:limit]:
            where = self.paint(format_location(source, result.index, line, column), _BOLD)
            tag = violation.code
            if violation.severity != "error":
                tag += f" {violation.severity}"
            tag = self.paint(f"[{tag}]", _SEVERITY.get(violation.severity, _RED))
            lines.append(f"{where}: {kind}{one_line(violation_text(violation))} {tag}")
        return lines

    def __call__(self, results: Sequence[EventResult]) -> str:
        """The report's lines for consecutive results, as `TextReporter.result` writes them."""
        out: list[str] = []
        for result in results:
            if not result.violations and result.status == "valid":
                if self.verbose:
                    out.append(self.valid_line(result) + "\n")
            elif not self.quiet:
                out.extend(line + "\n" for line in self.problem_lines(result))
        return "".join(out)


class TextReporter:
    """One line per violation and per unreadable record, then one summary line."""

    def __init__(
        self,
        stream: TextIO,
        *,
        locate: Locate | None = None,
        color: bool | None = None,
        quiet: bool = False,
        verbose: bool = False,
        max_errors: int | None = None,
    ) -> None:
        if max_errors is not None and max_errors < 0:
            raise ValueError(f"max_errors must be 0 or more, not {max_errors}")
        self._stream = stream
        self._locate = locate
        self._lines = TextLines(
            color=color_wanted(stream, color),
            quiet=quiet,
            verbose=verbose and not quiet,
        )
        self._max_errors = max_errors
        self._shown = 0
        self._hidden = 0

    def _room(self) -> int | None:
        """How many more problem lines `max_errors` lets through (None: no limit)."""
        return None if self._max_errors is None else max(self._max_errors - self._shown, 0)

    def start(self, *, contracts: str, engine: str, strict: bool) -> None:
        if self._lines.verbose:
            from ... import __version__  # package metadata: read only when it is printed

            mode = "strict" if strict else "default"
            self._stream.write(
                f"qevcontract {__version__}: contracts {one_line(contracts)}, "
                f"engine {engine}, {mode} mode\n"
            )

    def result(self, result: EventResult) -> None:
        if not result.violations and result.status == "valid":
            if self._lines.verbose:
                self._stream.write(self._lines.valid_line(result) + "\n")
            return
        if self._lines.quiet:
            return
        problems = 1 if result.status == "unreadable" else len(result.violations)
        room = self._room()
        if room is not None and problems > room:
            self._hidden += problems - room
            if room == 0:  # nothing to print: skip locating, which re-parses the event
                return
        for line in self._lines.problem_lines(result, self._locate, room):
            self._shown += 1
            self._stream.write(line + "\n")

    def renderer(self) -> TextLines | None:
        """Workers may render unless a limit on problems shown, or `locate`, needs state."""
        return self._lines if self._max_errors is None and self._locate is None else None

    def write_rendered(self, text: str) -> None:
        self._stream.write(text)

    def write_rendered_file(self, path: str) -> None:
        append_file(self._stream, path)

    def finish(self, summary: Summary) -> None:
        if self._hidden:
            self._stream.write(
                f"... {plural(self._hidden, 'more problem')} not shown (limit {self._max_errors})\n"
            )
        clean = summary.invalid == 0 and summary.unreadable == 0
        self._stream.write(
            self._lines.paint(summary_line(summary), _CLEAN if clean else _FAILED) + "\n"
        )
        self._stream.flush()
