"""The github report: GitHub Actions workflow commands, shown as annotations on the files.

`::error file=events.ndjson,line=3,col=15,title=QEV112 <type>::<message>` per violation
(`::warning` and `::notice` for the lower severities), then a plain summary line. Values are
escaped by the workflow-command rules, so no message can end its line early or smuggle in a
command of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..._report.github import workflow_command
from ..._report.levels import github_command
from .._results import EventResult, Summary
from . import (
    Locate,
    append_file,
    is_pseudo_source,
    located,
    relative_path,
    summary_line,
    unreadable_reason,
    violation_text,
    which_event,
)


@dataclass(frozen=True)
class Annotations:
    """The workflow commands for one event; picklable, with no state between events but a
    cache of relative paths, so worker processes can render their own batches (`--jobs`)."""

    root: Path
    _files: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    def lines(self, result: EventResult, locate: Locate | None = None) -> list[str]:
        if result.status == "unreadable":
            return [
                self._annotate(
                    result,
                    "error",
                    "QEV100 unreadable",
                    unreadable_reason(result),
                    result.line,
                    result.column,
                )
            ]
        lines = []
        for violation, line, column in located(result, locate):
            title = violation.code
            if result.event_type:
                title += f" {result.event_type}"
            lines.append(
                self._annotate(
                    result,
                    github_command(violation.severity),
                    title,
                    violation_text(violation),
                    line,
                    column,
                )
            )
        return lines

    def __call__(self, results: Sequence[EventResult]) -> str:
        """The annotations for consecutive results, as `GitHubReporter.result` writes them."""
        return "".join(line + "\n" for result in results for line in self.lines(result))

    def _annotate(
        self,
        result: EventResult,
        command: str,
        title: str,
        message: str,
        line: int | None,
        column: int | None,
    ) -> str:
        file = self._file(result.source)
        properties: dict[str, str] = {}
        if file is not None:
            properties["file"] = file
            if line is not None:
                properties["line"] = str(line)
                if column is not None:
                    properties["col"] = str(column)
        properties["title"] = title
        return workflow_command(
            command, properties, which_event(result, message, file is not None, line, column)
        )

    def _file(self, source: str) -> str | None:
        """The path GitHub matches against the checkout, or None for stdin."""
        if source not in self._files:
            self._files[source] = (
                None if is_pseudo_source(source) else relative_path(source, self.root) or source
            )
        return self._files[source]


class GitHubReporter:
    """One annotation per problem, paths relative to `root` (the checkout, by default cwd)."""

    def __init__(
        self, stream: TextIO, *, locate: Locate | None = None, root: str | Path | None = None
    ) -> None:
        self._stream = stream
        self._locate = locate
        self._annotations = Annotations(Path(root).absolute() if root is not None else Path.cwd())

    def start(self, *, contracts: str, engine: str, strict: bool) -> None:
        """Nothing to say up front: annotations need no header."""

    def result(self, result: EventResult) -> None:
        for line in self._annotations.lines(result, self._locate):
            self._stream.write(line + "\n")

    def renderer(self) -> Annotations | None:
        """Workers may render, unless `locate` (a callback) must place the violations."""
        return self._annotations if self._locate is None else None

    def write_rendered(self, text: str) -> None:
        self._stream.write(text)

    def write_rendered_file(self, path: str) -> None:
        append_file(self._stream, path)

    def finish(self, summary: Summary) -> None:
        self._stream.write(summary_line(summary) + "\n")
        self._stream.flush()
