"""The github report: GitHub Actions workflow commands, shown as annotations on the files.

`::error file=events.ndjson,line=3,col=15,title=QEV112 <type>::<message>` per violation
(`::warning` and `::notice` for the lower severities), then a plain summary line. Values are
escaped by the workflow-command rules, so no message can end its line early or smuggle in a
command of its own.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import TextIO

from ..results import EventResult, Summary
from . import (
    Locate,
    format_location,
    is_pseudo_source,
    located,
    relative_path,
    summary_line,
    unreadable_reason,
    violation_text,
)

_COMMANDS = MappingProxyType({"error": "error", "warning": "warning", "info": "notice"})


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property: the message escapes, plus the separators `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, properties: dict[str, str], message: str) -> str:
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return (
        f"::{command} {props}::{escape_data(message)}"
        if props
        else (f"::{command}::{escape_data(message)}")
    )


class GitHubReporter:
    """One annotation per problem, paths relative to `root` (the checkout, by default cwd)."""

    def __init__(
        self, stream: TextIO, *, locate: Locate | None = None, root: str | Path | None = None
    ) -> None:
        self._stream = stream
        self._locate = locate
        self._root = Path(root).absolute() if root is not None else Path.cwd()
        self._files: dict[str, str | None] = {}

    def start(self, *, contracts: str, engine: str, strict: bool) -> None:
        """Nothing to say up front: annotations need no header."""

    def result(self, result: EventResult) -> None:
        if result.status == "unreadable":
            self._annotate(
                result,
                "error",
                "QEV100 unreadable",
                unreadable_reason(result),
                result.line,
                result.column,
            )
            return
        for violation, line, column in located(result, self._locate):
            title = violation.code
            if result.event_type:
                title += f" {result.event_type}"
            self._annotate(
                result,
                _COMMANDS.get(violation.severity, "error"),
                title,
                violation_text(violation),
                line,
                column,
            )

    def _annotate(
        self,
        result: EventResult,
        command: str,
        title: str,
        message: str,
        line: int | None,
        column: int | None,
    ) -> None:
        file = self._file(result.source)
        properties: dict[str, str] = {}
        if file is not None:
            properties["file"] = file
            if line is not None:
                properties["line"] = str(line)
                if column is not None:
                    properties["col"] = str(column)
        properties["title"] = title
        # Say which event when the annotation's own location cannot.
        if file is None:
            where = format_location(result.source, result.index, line, column)
            message = f"{where}: {message}"
        elif line is None:
            message = f"event #{result.index}: {message}"
        self._stream.write(workflow_command(command, properties, message) + "\n")

    def _file(self, source: str) -> str | None:
        """The path GitHub matches against the checkout, or None for stdin."""
        if source not in self._files:
            self._files[source] = (
                None if is_pseudo_source(source) else relative_path(source, self._root) or source
            )
        return self._files[source]

    def finish(self, summary: Summary) -> None:
        self._stream.write(summary_line(summary) + "\n")
        self._stream.flush()
