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

from ..._report.levels import sarif_level
from ..._report.sarif import (
    artifact_location,
    log_header,
    physical_location,
    rule_descriptor,
    run_head,
)
from .._results import CODES, DEFAULT_SEVERITY, EventResult, Summary, Violation
from . import (
    ArrayElements,
    Locate,
    is_pseudo_source,
    located,
    relative_path,
    unreadable_reason,
    violation_text,
    which_event,
)
from .json_report import dumps, summary_counts

_RULE_INDEX = MappingProxyType(
    {code: index for index, (code, _summary) in enumerate(CODES.values())}
)


def rule_descriptors() -> list[dict[str, Any]]:
    """Every QEV validation code, in code order, as SARIF reporting descriptors."""
    return [
        rule_descriptor(
            code,
            "".join(word.capitalize() for word in rule.split("-")),
            summary,
            DEFAULT_SEVERITY.get(rule, "error"),
        )
        for rule, (code, summary) in CODES.items()
    ]


def artifact(source: str, root: Path) -> dict[str, Any]:
    """Relative to `root` (under `%SRCROOT%`) when the file is inside it, else a file: URI."""
    return artifact_location(relative_path(source, root) or str(Path(source).absolute()))


@dataclass(frozen=True)
class SarifResults:
    """The SARIF results for one event; picklable, with no state between events but a cache
    of artifact URIs, so worker processes can render their own batches (`--jobs`)."""

    root: Path
    _artifacts: dict[str, dict[str, Any] | None] = field(
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
        artifact = self._artifact(result.source)
        text = which_event(result, text, artifact is not None, line, column)
        out: dict[str, Any] = {
            "ruleId": code,
            "ruleIndex": _RULE_INDEX.get(code, _RULE_INDEX[CODES["schema"][0]]),
            "level": sarif_level(severity),
            "message": {"text": text},
        }
        if artifact is not None:
            out["locations"] = [{"physicalLocation": physical_location(artifact, line, column)}]
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

    def _artifact(self, source: str) -> dict[str, Any] | None:
        if source not in self._artifacts:
            self._artifacts[source] = (
                None if is_pseudo_source(source) else artifact(source, self.root)
            )
        return self._artifacts[source]


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
        run = run_head(rule_descriptors(), self._root)
        head = dumps(log_header())
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
        properties = {**self._properties, "summary": summary_counts(summary)}
        self._stream.write(
            f"{self._results.closing()},"
            f'"invocations":[{{"executionSuccessful":true}}],'
            f'"properties":{dumps(properties)}}}]}}\n'
        )
        self._stream.flush()
