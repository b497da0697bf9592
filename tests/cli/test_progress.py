"""The progress line: counts every event once, and never shares a line with report output."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from qevcontract._cli import progress as progress
from qevcontract.validate._results import Batch, EventResult, Summary, Violation

CLEAR = "\r\x1b[K"


class Clock:
    """A monotonic clock that moves a second on every reading: each update may redraw."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.fixture
def stderr(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    fake = io.StringIO()
    # Not sys.stderr: pytest re-installs its capture on it between phases.
    monkeypatch.setattr(progress, "STREAM", fake)
    monkeypatch.setattr(progress.time, "monotonic", Clock())
    return fake


def _batch(valid: int, bad: int = 0, text: str | None = None) -> Batch:
    summary = Summary()
    results = [EventResult("e.jsonl", i) for i in range(valid)]
    results += [
        EventResult("e.jsonl", i, status="invalid", violations=[Violation("", "m", "k", "enum")])
        for i in range(bad)
    ]
    for result in results:
        summary.add(result)
    return Batch(summary, text=text) if text is not None else Batch(summary, results)


def _drain(batches: Iterator[Batch], stderr: io.StringIO, log: list[str]) -> list[Batch]:
    """Consume batches as the reporter does, noting what stderr held when each arrived."""
    seen = []
    for batch in batches:
        log.append(stderr.getvalue())
        seen.append(batch)
    return seen


def test_batch_progress_counts_the_events_of_every_batch(stderr: io.StringIO) -> None:
    batches = [_batch(1000), _batch(2000), _batch(500)]
    log: list[str] = []
    seen = _drain(progress.with_batch_progress(iter(batches), enabled=True), stderr, log)
    assert seen == batches
    shown = stderr.getvalue()
    assert "1,000 events" in shown and "3,000 events" in shown and "3,500 events" in shown
    assert shown.endswith(CLEAR)  # nothing left on the terminal once the run is done


def test_the_line_is_cleared_before_a_batch_that_prints(stderr: io.StringIO) -> None:
    batches = [_batch(1000), _batch(10, text="a.jsonl:3: problem\n"), _batch(10, bad=1)]
    log: list[str] = []
    _drain(progress.with_batch_progress(iter(batches), enabled=True), stderr, log)
    # When a printing batch reaches the reporter, the progress line has just been cleared.
    assert log[1].endswith(CLEAR) and log[2].endswith(CLEAR)


def test_disabled_progress_writes_nothing(stderr: io.StringIO) -> None:
    batches = [_batch(1000, text="x\n")]
    assert list(progress.with_batch_progress(iter(batches), enabled=False)) == batches
    results = [EventResult("e.jsonl", i) for i in range(5000)]
    assert list(progress.with_progress(iter(results), enabled=False)) == results
    assert stderr.getvalue() == ""


def test_event_progress_counts_and_clears_before_a_problem(stderr: io.StringIO) -> None:
    results = [EventResult("e.jsonl", i) for i in range(3000)]
    results.append(
        EventResult("e.jsonl", 3000, status="invalid", violations=[Violation("", "m", "k", "enum")])
    )
    log: list[str] = []
    for _result in progress.with_progress(iter(results), enabled=True):
        log.append(stderr.getvalue())
    assert "1,024 events" in stderr.getvalue() and "2,048 events" in stderr.getvalue()
    assert log[-1].endswith(CLEAR)
    assert stderr.getvalue().endswith(CLEAR)
