"""The junit report: JUnit XML, which every CI server can show as a test run.

One `<testsuite>` per input file, one `<testcase>` per event: `<failure>` lists an invalid
event's violations, `<error>` says why a record could not be read. A suite's counts must
appear before its test cases, so test cases go to a spooled temporary file (memory first,
disk past a few MiB) and the document is assembled at the end: memory stays flat however
many events a run checks. The output is pure ASCII (anything else becomes a character
reference), so it survives any stream encoding.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import IO, TextIO

from ..._report.junit import xml_attribute, xml_text
from ..._report.summary import plural
from .._results import EventResult, Summary, Violation
from . import (
    Locate,
    format_location,
    located,
    one_line,
    unreadable_reason,
    violation_text,
)

_SPOOL_IN_MEMORY = 4 * 1024 * 1024
_COPY_CHUNK = 64 * 1024


def violation_line(
    result: EventResult, violation: Violation, line: int | None, column: int | None
) -> str:
    """`events.ndjson:3:15: data.status: ... [QEV112]`, as the text report prints it."""
    where = format_location(result.source, result.index, line, column)
    tag = violation.code
    if violation.severity != "error":
        tag += f" {violation.severity}"
    return f"{one_line(where)}: {one_line(violation_text(violation))} [{tag}]"


def testcase_name(result: EventResult) -> str:
    name = f"{result.event_type or '?'} #{result.index}"
    return name if result.line is None else f"{name} (line {result.line})"


@dataclass(slots=True)
class _Suite:
    """One input file: its counts and where its test cases sit in the spool."""

    name: str
    classname: str  # the name as an XML attribute, escaped once
    tests: int = 0
    failures: int = 0
    errors: int = 0
    ranges: list[tuple[int, int]] = field(default_factory=list)


class JUnitReporter:
    """Spools test cases, then writes `<testsuites>` with exact counts at `finish`."""

    def __init__(self, stream: TextIO, *, locate: Locate | None = None) -> None:
        self._stream = stream
        self._locate = locate
        # Lives from the first result to `finish`, which closes it (the garbage collector
        # does if a run dies half-way): a context manager cannot span the protocol's calls.
        self._spool: IO[bytes] = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=_SPOOL_IN_MEMORY
        )
        self._suites: dict[str, _Suite] = {}
        self._current: _Suite | None = None
        self._range_start = 0
        self._properties: list[tuple[str, str]] = []

    def start(self, *, contracts: str, engine: str, strict: bool) -> None:
        self._properties = [
            ("contracts", contracts),
            ("engine", engine),
            ("strict", "true" if strict else "false"),
        ]

    def result(self, result: EventResult) -> None:
        suite = self._suites.get(result.source)
        if suite is None:
            suite = _Suite(result.source, xml_attribute(result.source))
            self._suites[result.source] = suite
        if suite is not self._current:
            self._close_range()
            self._current = suite
            self._range_start = self._spool.tell()
        suite.tests += 1
        if result.status == "invalid":
            suite.failures += 1
        elif result.status == "unreadable":
            suite.errors += 1
        self._spool.write(self._testcase(result, suite.classname).encode("ascii"))

    def _close_range(self) -> None:
        if self._current is None:
            return
        end = self._spool.tell()
        ranges = self._current.ranges
        if ranges and ranges[-1][1] == self._range_start:
            ranges[-1] = (ranges[-1][0], end)  # the same file again, right after itself
        else:
            ranges.append((self._range_start, end))

    def _testcase(self, result: EventResult, classname: str) -> str:
        opening = f"    <testcase name={xml_attribute(testcase_name(result))} classname={classname}"
        if result.status == "unreadable":
            why = unreadable_reason(result)
            where = format_location(result.source, result.index, result.line, result.column)
            return (
                f'{opening}>\n      <error message={xml_attribute(why)} type="QEV100">'
                f"{xml_text(f'{where}: {why}')}</error>\n    </testcase>\n"
            )
        if not result.violations:
            return f"{opening}/>\n"
        placed = located(result, self._locate)
        lines = "\n".join(
            xml_text(violation_line(result, v, line, column)) for v, line, column in placed
        )
        if result.status == "valid":  # warnings only: the test passes, the notes stay visible
            return f"{opening}>\n      <system-out>{lines}</system-out>\n    </testcase>\n"
        errors = [v for v, _, _ in placed if v.severity == "error"] or result.violations
        codes = " ".join(dict.fromkeys(v.code for v in errors))
        first = violation_text(errors[0])
        message = first if len(errors) == 1 else f"{plural(len(errors), 'violation')}; {first}"
        return (
            f"{opening}>\n      <failure message={xml_attribute(message)} "
            f"type={xml_attribute(codes)}>{lines}</failure>\n    </testcase>\n"
        )

    def finish(self, summary: Summary) -> None:
        """Write the document; the counts are the suites' own, so they match the test cases."""
        self._close_range()
        suites = list(self._suites.values())
        write = self._stream.write
        write('<?xml version="1.0" encoding="UTF-8"?>\n')
        write(
            f'<testsuites name="qevcontract validate" tests="{sum(s.tests for s in suites)}" '
            f'failures="{sum(s.failures for s in suites)}" '
            f'errors="{sum(s.errors for s in suites)}">\n'
        )
        for suite in suites:
            write(
                f'  <testsuite name={xml_attribute(suite.name)} tests="{suite.tests}" '
                f'failures="{suite.failures}" errors="{suite.errors}" skipped="0">\n'
            )
            if self._properties:
                write("    <properties>\n")
                for name, value in self._properties:
                    write(f'      <property name="{name}" value={xml_attribute(value)}/>\n')
                write("    </properties>\n")
            for begin, end in suite.ranges:
                self._copy(begin, end)
            write("  </testsuite>\n")
        write("</testsuites>\n")
        self._spool.close()
        self._stream.flush()

    def _copy(self, begin: int, end: int) -> None:
        self._spool.seek(begin)
        left = end - begin
        while left > 0:
            chunk = self._spool.read(min(left, _COPY_CHUNK))
            if not chunk:
                break
            left -= len(chunk)
            self._stream.write(chunk.decode("ascii"))
