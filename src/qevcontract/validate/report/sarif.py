"""The sarif report: SARIF 2.1.0, what code-scanning dashboards (GitHub, Azure DevOps) read.

One run; the rules are the QEV codes; one result per violation, located in the input file
when it is a file. Everything the document needs up front is known at `start` (the rules
never depend on the input), so results stream out as they arrive and nothing is buffered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO
from urllib.parse import quote

from ... import __version__
from ..results import CODES, DEFAULT_SEVERITY, EventResult, Summary, Violation
from . import (
    ArrayElements,
    Locate,
    format_location,
    is_pseudo_source,
    located,
    relative_path,
    unreadable_reason,
    violation_text,
)
from .json_report import dumps

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://github.com/qevcontract/qevcontract"
SOURCE_ROOT = "%SRCROOT%"
_LEVELS = MappingProxyType({"error": "error", "warning": "warning", "info": "note"})
_RULE_INDEX = MappingProxyType(
    {code: index for index, (code, _summary) in enumerate(CODES.values())}
)


def rule_descriptors() -> list[dict[str, Any]]:
    """Every QEV validation code, in code order, as SARIF reporting descriptors."""
    return [
        {
            "id": code,
            "name": "".join(word.capitalize() for word in rule.split("-")),
            "shortDescription": {"text": summary},
            "defaultConfiguration": {"level": _LEVELS[DEFAULT_SEVERITY.get(rule, "error")]},
        }
        for rule, (code, summary) in CODES.items()
    ]


def file_uri(path: Path) -> str:
    """`file:///...` for an absolute path; never fails, even on names that are not UTF-8
    (which Python carries as lone surrogates)."""
    posix = path.as_posix()
    return "file://" + ("" if posix.startswith("/") else "/") + _quote(posix)


def _quote(path: str) -> str:
    return quote(path, safe="/", errors="surrogatepass")


def artifact_uri(source: str, root: Path) -> tuple[str, bool]:
    """(uri, relative?): relative to `root` when the file is inside it, else a file: URI."""
    relative = relative_path(source, root)
    if relative is not None:
        return _quote(relative), True
    return file_uri(Path(source).absolute()), False


@dataclass(frozen=True)
class SarifResults:
    """The SARIF results for one event; picklable, with no state between events but a cache
    of artifact URIs, so worker processes can render their own batches (`--jobs`)."""

    root: Path
    _uris: dict[str, tuple[str, bool] | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    def lines(self, result: EventResult, locate: Locate | None = None) -> list[str]:
        """One JSON text per problem: an unreadable record, or each violation."""
        if result.status == "unreadable":
            why = unreadable_reason(result)
            return [dumps(self._sarif_result(result, "QEV100", "error", why, result.line,
                                             result.column, None))]  # fmt: skip
        return [
            dumps(
                self._sarif_result(
                    result,
                    violation.code,
                    violation.severity,
                    violation_text(violation),
                    line,
                    column,
                    violation,
                )
            )
            for violation, line, column in located(result, locate)
        ]

    def __call__(self, results: Sequence[EventResult]) -> str:
        """The results array's lines for consecutive events, as `SarifReporter` writes them."""
        return ",\n".join(line for result in results for line in self.lines(result))

    def _sarif_result(
        self,
        result: EventResult,
        code: str,
        severity: str,
        text: str,
        line: int | None,
        column: int | None,
        violation: Violation | None,
    ) -> dict[str, Any]:
        uri = self._uri(result.source)
        # Say which event when the result's location cannot.
        if uri is None:
            text = f"{format_location(result.source, result.index, line, column)}: {text}"
        elif line is None:
            text = f"event #{result.index}: {text}"
        out: dict[str, Any] = {
            "ruleId": code,
            "ruleIndex": _RULE_INDEX.get(code, _RULE_INDEX[CODES["schema"][0]]),
            "level": _LEVELS.get(severity, "error"),
            "message": {"text": text},
        }
        if uri is not None:
            artifact: dict[str, Any] = {"uri": uri[0]}
            if uri[1]:
                artifact["uriBaseId"] = SOURCE_ROOT
            physical: dict[str, Any] = {"artifactLocation": artifact}
            if line is not None and line >= 1:
                region = {"startLine": line}
                if column is not None and column >= 1:
                    region["startColumn"] = column
                physical["region"] = region
            out["locations"] = [{"physicalLocation": physical}]
        properties: dict[str, Any] = {"source": result.source, "index": result.index}
        if result.event_id is not None:
            properties["eventId"] = result.event_id
        if result.event_type is not None:
            properties["eventType"] = result.event_type
        if violation is not None:
            properties["pointer"] = violation.pointer
            properties["keyword"] = violation.keyword
            if violation.schema_path:
                properties["schemaPath"] = violation.schema_path
        out["properties"] = properties
        return out

    def _uri(self, source: str) -> tuple[str, bool] | None:
        if source not in self._uris:
            self._uris[source] = (
                None if is_pseudo_source(source) else artifact_uri(source, self.root)
            )
        return self._uris[source]


class SarifReporter:
    """Streams one SARIF log: header and rules at `start`, results as they come, counts last."""

    def __init__(
        self, stream: TextIO, *, locate: Locate | None = None, root: str | Path | None = None
    ) -> None:
        self._stream = stream
        self._locate = locate
        self._root = Path(root).absolute() if root is not None else Path.cwd()
        self._sarif = SarifResults(self._root)
        self._results = ArrayElements(stream)
        self._properties: dict[str, Any] = {}

    def start(self, *, contracts: str, engine: str, strict: bool) -> None:
        self._properties = {"contracts": contracts, "engine": engine, "strict": strict}
        run = {
            "tool": {
                "driver": {
                    "name": "qevcontract",
                    "version": __version__,
                    "semanticVersion": __version__,
                    "informationUri": INFORMATION_URI,
                    "rules": rule_descriptors(),
                }
            },
            "originalUriBaseIds": {SOURCE_ROOT: {"uri": file_uri(self._root).rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
        }
        head = dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0"})
        # The log and its run, left open so that the results array can follow.
        self._stream.write(head[:-1] + ',"runs":[' + dumps(run)[:-1] + ',"results":[')

    def result(self, result: EventResult) -> None:
        for line in self._sarif.lines(result, self._locate):
            self._results.write(line)

    def renderer(self) -> SarifResults | None:
        """Workers may render, unless `locate` (a callback) must place the violations."""
        return self._sarif if self._locate is None else None

    def write_rendered(self, text: str) -> None:
        self._results.write(text)

    def write_rendered_file(self, path: str) -> None:
        self._results.write_file(path)

    def finish(self, summary: Summary) -> None:
        properties = {
            **self._properties,
            "summary": {
                "read": summary.read,
                "valid": summary.valid,
                "invalid": summary.invalid,
                "unreadable": summary.unreadable,
                "violations": summary.violations,
                "warnings": summary.warnings,
                "notes": summary.notes,
            },
        }
        self._stream.write(
            f"{self._results.closing()},"
            f'"invocations":[{{"executionSuccessful":true}}],'
            f'"properties":{dumps(properties)}}}]}}\n'
        )
        self._stream.flush()
