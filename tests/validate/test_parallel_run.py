"""What `--jobs` relies on: chunks numbered from the parent's counts read exactly as the whole
file does, and reports rendered in workers are the reports one process writes."""

from __future__ import annotations

import io
import itertools
import json
import pickle
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qevcontract._input import count_jsonl_lines, iter_jsonl_lines
from qevcontract.validate._report import REPORTERS, drive, drive_batches, make_reporter
from qevcontract.validate._results import Batch, EventResult, Summary

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


def _worker_batches(
    results: list[EventResult], cuts: set[int], renderer: object, spool: Path | None = None
) -> list[Batch]:
    """Batches as workers return them: the renderer crossed a process boundary (pickled);
    with `spool`, the text goes through a file when it encodes, as `run._batch` does."""
    render = pickle.loads(pickle.dumps(renderer))
    edges = [0, *sorted(c for c in cuts if c < len(results)), len(results)]
    batches = []
    for number, (start, end) in enumerate(itertools.pairwise(edges)):
        part = pickle.loads(pickle.dumps(results[start:end]))
        if render is None:
            batches.append(Batch(_summary(part), part))
            continue
        text = render(part)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            data = None
        if spool is None or data is None:
            batches.append(Batch(_summary(part), text=text))
        else:
            path = spool / f"{number}.text"
            path.write_bytes(data)
            batches.append(Batch(_summary(part), text_file=str(path)))
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


@pytest.mark.parametrize("via", ["in-band", "files"])
@pytest.mark.parametrize(("name", "options"), REPORTER_OPTIONS)
@SETTINGS
@given(results=st.lists(event_results(), max_size=8), cuts=st.sets(st.integers(1, 7)))
def test_a_report_from_worker_batches_is_the_report_one_process_writes(
    name: str,
    options: dict[str, object],
    via: str,
    results: list[EventResult],
    cuts: set[int],
) -> None:
    """In memory: text files are copied through Python (a StringIO has no descriptor)."""
    one = io.StringIO()
    expected = drive(make_reporter(name, one, **options), results)
    many = io.StringIO()
    reporter = make_reporter(name, many, **options)
    renderer = getattr(reporter, "renderer", lambda: None)()
    with tempfile.TemporaryDirectory() as spool:
        batches = _worker_batches(results, cuts, renderer, Path(spool) if via == "files" else None)
        got = drive_batches(reporter, batches)
        assert list(Path(spool).iterdir()) == []  # every text file deleted once written
    assert many.getvalue() == one.getvalue()
    assert got == expected


@pytest.mark.parametrize(("name", "options"), REPORTER_OPTIONS)
@SETTINGS
@given(results=st.lists(event_results(), max_size=8), cuts=st.sets(st.integers(1, 7)))
def test_text_files_appended_in_the_kernel_give_the_same_report_file(
    name: str, options: dict[str, object], results: list[EventResult], cuts: set[int]
) -> None:
    """To a real file the worker's text goes by os.sendfile, between Python's own writes."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        (folder / "spool").mkdir()

        def report_to(path: Path) -> Any:
            # As the CLI opens a report, but able to show a lone surrogate (hostile input).
            return open(path, "w", encoding="utf-8", errors="backslashreplace")

        with report_to(folder / "one") as one:
            expected = drive(make_reporter(name, one, **options), results)
        with report_to(folder / "many") as many:
            reporter = make_reporter(name, many, **options)
            renderer = getattr(reporter, "renderer", lambda: None)()
            batches = _worker_batches(results, cuts, renderer, folder / "spool")
            got = drive_batches(reporter, batches)
        assert (folder / "many").read_bytes() == (folder / "one").read_bytes()
        assert got == expected


def test_formats_that_keep_state_between_events_render_in_the_parent() -> None:
    def renders(name: str, **options: object) -> bool:
        reporter = make_reporter(name, io.StringIO(), **options)
        return getattr(reporter, "renderer", lambda: None)() is not None

    assert renders("text") and renders("json") and renders("github") and renders("sarif")
    # A limit counts problems across batches; a locate callback cannot cross processes;
    # JUnit prints each file's counts before its test cases.
    assert not renders("text", max_errors=5)
    assert not renders("json", locate=lambda result, violation: None)
    assert not renders("sarif", locate=lambda result, violation: None)
    assert not renders("junit")
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
    from qevcontract.validate._report.json_report import summary_object

    return summary_object(summary)  # type: ignore[arg-type]


@pytest.fixture
def worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process set up as a worker is (without the signal changes a worker makes)."""
    from qevcontract._input.locate import Locator
    from qevcontract.validate import _run as run
    from qevcontract.validate._validator import Validator

    monkeypatch.setitem(run._WORKER, "validator", Validator())
    monkeypatch.setitem(run._WORKER, "locator", Locator())
    monkeypatch.setitem(run._WORKER, "render", None)


@settings(
    SETTINGS,
    # Each example sets its own sizes; the worker set-up is the same for all of them.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    lines=st.lists(LINES, min_size=1, max_size=40),
    final_newline=st.booleans(),
    chunk=st.integers(1, 400),
)
@pytest.mark.usefixtures("worker")
def test_the_parents_ranges_read_by_workers_give_what_one_process_reads(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    lines: list[bytes],
    final_newline: bool,
    chunk: int,
) -> None:
    """The real cutting (sizes, shrinking near the end, lines longer than a range) and the
    real worker function, in this process."""
    from qevcontract._input import iter_records
    from qevcontract.validate import _run as run

    path = tmp_path_factory.mktemp("chunks") / "events.jsonl"
    path.write_bytes(b"\n".join(lines) + (b"\n" if final_newline else b""))
    monkeypatch.setattr(run, "CHUNK_BYTES", chunk)
    monkeypatch.setattr(run, "MIN_CHUNK_BYTES", max(1, chunk // 8))
    units = list(run._line_chunks(str(path), 2))
    assert all(func is run._work_chunk for func, _ in units)
    got = [numbered(run._work_chunk(job).results) for _, job in units]
    assert [r for part in got for r in part] == numbered(iter_records([str(path)]))


@pytest.mark.usefixtures("worker")
def test_a_range_that_vanished_or_shrank_since_it_was_counted_is_one_unreadable_record(
    tmp_path: Path,
) -> None:
    from qevcontract.validate import _run as run

    path = tmp_path / "events.jsonl"
    path.write_bytes(EVENT + b"\n")
    short = run._work_chunk((str(path), 0, 500, 7, 3))
    (result,) = short.results
    assert (result.status, result.line, result.index) == ("unreadable", 7, 3)
    assert result.error == "the file got shorter during the run (bytes 0-500)"
    assert (short.summary.read, short.summary.unreadable) == (1, 1)
    path.unlink()
    (gone,) = run._work_chunk((str(path), 0, 10, 1, 0)).results
    assert gone.status == "unreadable"
    assert gone.error == "cannot read: No such file or directory (bytes 0-10)"
