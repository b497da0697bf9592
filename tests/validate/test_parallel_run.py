"""What `--jobs` relies on: chunks numbered from the parent's counts read exactly as the whole
file does, and reports rendered in workers are the reports one process writes."""

from __future__ import annotations

import io
import itertools
import json
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qevcontract.validate.readers import count_jsonl_lines, iter_jsonl_lines
from qevcontract.validate.report import REPORTERS, drive, drive_batches, make_reporter
from qevcontract.validate.results import Batch, EventResult, Summary

from .test_report_properties import ROOT, event_results

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EVENT = b'{"specversion":"1.0","id":"1","source":"s","type":"t"}'
# Lines a JSONL file may hold: events, blank and whitespace-only lines, a BOM, a CR inside an
# event, broken JSON, and a line that is only JSON whitespace of every kind.
LINES = st.sampled_from(
    [
        EVENT,
        EVENT + b"\r",
        b"  " + EVENT,
        EVENT.replace(b",", b",\r", 1),
        b"",
        b" ",
        b"\t",
        b"\r",
        b" \t\r ",
        b"\xef\xbb\xbf",
        b"\xef\xbb\xbf" + EVENT,
        b"\xef\xbb\xbf ",
        b"{broken",
        b"\x0c",
        b"[1]",
    ]
)


def numbered(records: object) -> list[tuple[int, int | None, str | None]]:
    return [(r.index, r.line, r.error) for r in records]  # type: ignore[attr-defined]


@SETTINGS
@given(
    lines=st.lists(LINES, min_size=1, max_size=30),
    final_newline=st.booleans(),
    cuts=st.sets(st.integers(1, 29)),
)
def test_chunks_numbered_from_the_counts_read_as_the_whole_file_does(
    lines: list[bytes], final_newline: bool, cuts: set[int]
) -> None:
    data = b"\n".join(lines) + (b"\n" if final_newline else b"")
    whole = numbered(iter_jsonl_lines(io.BytesIO(data), "f.jsonl"))
    # Cut after whole lines, as the parent does, and number each chunk from the counts.
    offsets = [0]
    for cut in sorted(c for c in cuts if c < len(lines)):
        offsets.append(len(b"\n".join(lines[:cut])) + 1)
    offsets.append(len(data))
    chunked = []
    line, index = 1, 0
    for start, end in itertools.pairwise(offsets):
        chunk = data[start:end]
        if not chunk:
            continue
        chunked += numbered(
            iter_jsonl_lines(io.BytesIO(chunk), "f.jsonl", first_line=line, first_index=index)
        )
        lines_in, events_in = count_jsonl_lines(chunk, file_start=start == 0)
        line, index = line + lines_in, index + events_in
    assert chunked == whole
    total_lines, total_events = count_jsonl_lines(data, file_start=True)
    assert total_events == len(whole)
    assert total_lines == len(lines) - (1 if lines[-1] == b"" and not final_newline else 0)


def test_counting_takes_the_fast_path_only_when_no_line_can_be_blank() -> None:
    assert count_jsonl_lines(EVENT + b"\n" + EVENT + b"\n", file_start=True) == (2, 2)
    assert count_jsonl_lines(EVENT + b"\n\n" + EVENT, file_start=True) == (3, 2)
    assert count_jsonl_lines(b"\r\n" + EVENT, file_start=False) == (2, 1)
    assert count_jsonl_lines(b"\xef\xbb\xbf\n" + EVENT, file_start=True) == (2, 1)
    # Past the file's start a BOM is not stripped: the line is broken input, an event.
    assert count_jsonl_lines(b"\xef\xbb\xbf\n" + EVENT, file_start=False) == (2, 2)
    assert count_jsonl_lines(b"", file_start=True) == (0, 0)


def _summary(results: list[EventResult]) -> Summary:
    summary = Summary()
    for result in results:
        summary.add(result)
    return summary


def _worker_batches(results: list[EventResult], cuts: set[int], renderer: object) -> list[Batch]:
    """Batches as workers return them: the renderer crossed a process boundary (pickled)."""
    render = pickle.loads(pickle.dumps(renderer))
    edges = [0, *sorted(c for c in cuts if c < len(results)), len(results)]
    batches = []
    for start, end in itertools.pairwise(edges):
        part = pickle.loads(pickle.dumps(results[start:end]))
        if render is None:
            batches.append(Batch(_summary(part), part))
        else:
            batches.append(Batch(_summary(part), text=render(part)))
    return pickle.loads(pickle.dumps(batches))


REPORTER_OPTIONS = [
    pytest.param(name, options, id=f"{name}-{'-'.join(options) or 'default'}")
    for name, options in [
        ("text", {"color": False}),
        ("text", {"color": True, "verbose": True}),
        ("text", {"quiet": True}),
        ("text", {"max_errors": 2}),
        ("json", {}),
        ("github", {"root": ROOT}),
        ("junit", {}),
        ("sarif", {"root": ROOT}),
    ]
]


@pytest.mark.parametrize(("name", "options"), REPORTER_OPTIONS)
@SETTINGS
@given(results=st.lists(event_results(), max_size=8), cuts=st.sets(st.integers(1, 7)))
def test_a_report_from_worker_batches_is_the_report_one_process_writes(
    name: str, options: dict[str, object], results: list[EventResult], cuts: set[int]
) -> None:
    one = io.StringIO()
    expected = drive(make_reporter(name, one, **options), results)
    many = io.StringIO()
    reporter = make_reporter(name, many, **options)
    renderer = getattr(reporter, "renderer", lambda: None)()
    got = drive_batches(reporter, _worker_batches(results, cuts, renderer))
    assert many.getvalue() == one.getvalue()
    assert got == expected


def test_formats_that_keep_state_between_events_render_in_the_parent() -> None:
    def renders(name: str, **options: object) -> bool:
        reporter = make_reporter(name, io.StringIO(), **options)
        return getattr(reporter, "renderer", lambda: None)() is not None

    assert renders("text") and renders("json") and renders("github")
    # A limit counts problems across batches; a locate callback cannot cross processes;
    # JUnit groups events per file and SARIF lists rules and artifacts once.
    assert not renders("text", max_errors=5)
    assert not renders("json", locate=lambda result, violation: None)
    assert not renders("junit") and not renders("sarif")
    assert set(REPORTERS) == {"text", "json", "github", "junit", "sarif"}


@SETTINGS
@given(st.lists(event_results(), max_size=10), st.integers(0, 10))
def test_summaries_merge_to_the_summary_of_the_whole(results: list[EventResult], cut: int) -> None:
    merged = _summary(results[:cut])
    merged.merge(_summary(results[cut:]))
    assert merged == _summary(results)
    assert merged.read == merged.valid + merged.invalid + merged.unreadable == len(results)


def test_an_empty_batch_writes_nothing_between_results() -> None:
    out = io.StringIO()
    reporter = make_reporter("json", out)
    result = EventResult("a.jsonl", 0, 1)
    text = reporter.renderer()([result])  # type: ignore[attr-defined]
    batches = [Batch(Summary(), text=""), Batch(_summary([result]), text=text), Batch(Summary())]
    drive_batches(reporter, batches)
    document = json.loads(out.getvalue())
    assert [r["index"] for r in document["results"]] == [0]
    assert document["summary"]["read"] == 1


def test_the_documented_worker_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "validate-report.md").read_text()
    section = doc.split("### Reports from worker processes", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "invalid" / "apps"
    archive = b"".join(p.read_bytes() for p in sorted(fixture.glob("*.jsonl")))
    (tmp_path / "archive.jsonl").write_bytes(archive)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(code, "validate-report.md", "exec"), namespace)
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == json.loads(json.dumps(summary_as_dict(namespace["summary"])))
    assert len(report["results"]) == archive.count(b"\n") > 0


def summary_as_dict(summary: object) -> dict[str, object]:
    from qevcontract.validate.report.json_report import summary_object

    return summary_object(summary)  # type: ignore[arg-type]
