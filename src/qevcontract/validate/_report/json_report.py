"""The json report: one versioned JSON document for programs, written as results arrive.

The layout is fixed (docs/validate-report.md, docs/schemas/validate-report.schema.json): the
header, then `"results": [` with one event per line, then the summary. Writing each result as
it comes keeps memory flat on huge runs and lets a reader tail the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TextIO

import orjson

from ..._report.envelope import header as report_header
from ..._report.envelope import report_version
from .._results import EventResult, Summary
from . import ArrayElements, Locate, unreadable_reason, violation_position

FORMAT_VERSION = report_version(1, 0)


def dumps(value: Any) -> str:
    """orjson for speed; the standard library for the rare text orjson refuses (lone
    surrogates from a lenient reader), escaped so the output stays valid JSON."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        import json

        return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def result_object(result: EventResult, locate: Locate | None) -> dict[str, Any]:
    """One event as the report shows it; keys in the documented order."""
    violations = []
    for v in result.violations:
        line, column = violation_position(result, v, locate)
        violations.append(
            {
                "pointer": v.pointer,
                "line": line,
                "column": column,
                "message": v.message,
                "keyword": v.keyword,
                "rule": v.rule,
                "code": v.code,
                "schema_path": v.schema_path,
                "severity": v.severity,
            }
        )
    return {
        "source": result.source,
        "index": result.index,
        "line": result.line,
        "column": result.column,
        "id": result.event_id,
        "type": result.event_type,
        "contract": result.contract,
        "envelope": result.envelope,
        "status": result.status,
        "violations": violations,
        "error": unreadable_reason(result) if result.status == "unreadable" else result.error,
    }


def render_results(results: Sequence[EventResult]) -> str:
    """The report's lines for consecutive results (a worker's batch), comma-separated."""
    return ",\n".join([dumps(result_object(result, None)) for result in results])


def summary_counts(summary: Summary) -> dict[str, int]:
    """The run's counts, as the json and sarif reports both give them."""
    return {
        "read": summary.read,
        "valid": summary.valid,
        "invalid": summary.invalid,
        "unreadable": summary.unreadable,
        "violations": summary.violations,
        "warnings": summary.warnings,
        "notes": summary.notes,
    }


def summary_object(summary: Summary) -> dict[str, Any]:
    return {
        **summary_counts(summary),
        "by_type": dict(sorted(summary.by_type.items())),
        "by_envelope": dict(sorted(summary.by_envelope.items())),
    }


class JsonReporter:
    """Streams the report: nothing but the array's state is kept between results."""

    def __init__(self, stream: TextIO, *, locate: Locate | None = None) -> None:
        self._stream = stream
        self._locate = locate
        self._started = False
        self._results = ArrayElements(stream)

    def start(self, *, contracts: str, engine: str, strict: bool) -> None:
        header = dumps(
            {
                **report_header(FORMAT_VERSION),
                "contracts": contracts,
                "engine": engine,
                "strict": strict,
            }
        )
        # The header object, left open so that the results array can follow it.
        self._stream.write(header[:-1] + ',"results":[')
        self._started = True

    def _check_started(self, method: str) -> None:
        if not self._started:
            raise RuntimeError(f"JsonReporter.{method}() called before start()")

    def result(self, result: EventResult) -> None:
        self._check_started("result")
        self._results.write(dumps(result_object(result, self._locate)))

    def renderer(self) -> Callable[[Sequence[EventResult]], str] | None:
        """Each result's line depends on nothing else: workers may render (with no locate)."""
        return render_results if self._locate is None else None

    def write_rendered(self, text: str) -> None:
        self._check_started("write_rendered")
        self._results.write(text)

    def write_rendered_file(self, path: str) -> None:
        self._check_started("write_rendered_file")
        self._results.write_file(path)

    def finish(self, summary: Summary) -> None:
        self._check_started("finish")
        summary_json = dumps(summary_object(summary))
        self._stream.write(f'{self._results.closing()},"summary":{summary_json}}}\n')
        self._stream.flush()
