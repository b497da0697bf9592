"""`qevcontract validate` as users run it: inputs, bad input, formats, exit codes, --jobs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qevcontract._cli import cli

from ..conftest import REPO

FIXTURES = REPO / "fixtures"
VALID = FIXTURES / "valid" / "apps" / "com.qlik.app.deleted.jsonl"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, ["validate", *args, "--no-progress"], input=stdin)
    return r.exit_code, r.stdout, r.stderr


def good_event() -> dict:
    return json.loads(VALID.read_text().splitlines()[0])


def summary(out: str) -> str:
    return out.strip().splitlines()[-1]


def test_valid_fixtures_pass_and_invalid_fixtures_fail() -> None:
    code, out, _ = run(str(FIXTURES / "valid"))
    assert code == 0
    assert summary(out) == "435 events read: 435 valid, 0 invalid, 0 unreadable (0 violations)"
    code, out, _ = run(str(FIXTURES / "invalid"), "-q")
    assert code == 1 and " 0 valid, " in summary(out)


# Each bad input: what the file holds, the message we expect, and its line:column.
BAD_LINES = [
    pytest.param(b'{"id": "1", "type": \n', "incomplete JSON", "2:21", id="malformed-json"),
    pytest.param(b'{"id": "\xff\xfe"}\n', "UTF-8", "2:", id="invalid-utf8"),
    pytest.param(b"[1, 2]\n", "must be a JSON object", "2:1", id="non-object"),
    pytest.param(b'{"id": "1", "id": "2"}\n', "duplicate key", "2:", id="duplicate-key"),
    pytest.param(
        b'{"id": "1", "data": {"n": 123456789012345678901234567890}}\n', "64", "2:", id="big-int"
    ),
    pytest.param(b'{"id": NaN}\n', "NaN", "2:", id="nan"),
]


@pytest.mark.parametrize(("bad", "needle", "where"), BAD_LINES)
def test_bad_input_is_reported_with_file_and_line_and_the_rest_is_validated(
    tmp_path: Path, bad: bytes, needle: str, where: str
) -> None:
    good = json.dumps(good_event()).encode()
    f = tmp_path / "events.jsonl"
    f.write_bytes(good + b"\n" + bad + good + b"\n")
    code, out, _ = run(str(f))
    assert code == 1
    lines = out.strip().splitlines()
    unreadable = [line for line in lines if "unreadable" in line and line.startswith(str(f))]
    assert len(unreadable) == 1, out
    assert unreadable[0].startswith(f"{f}:{where}"), unreadable[0]
    assert needle.lower() in unreadable[0].lower()
    assert summary(out).startswith("3 events read: 2 valid, 0 invalid, 1 unreadable")


def test_counts_always_add_up_in_the_json_report(tmp_path: Path) -> None:
    good = json.dumps(good_event())
    bad = dict(good_event(), specversion="0.3")
    f = tmp_path / "mixed.jsonl"
    f.write_text("\n".join([good, "{oops", json.dumps(bad), "", good, "7"]) + "\n")
    code, out, _ = run(str(f), "--format", "json")
    doc = json.loads(out)
    s = doc["summary"]
    assert (s["read"], s["valid"], s["invalid"], s["unreadable"]) == (5, 2, 1, 2)
    assert s["read"] == s["valid"] + s["invalid"] + s["unreadable"] == len(doc["results"])
    assert [r["line"] for r in doc["results"]] == [1, 2, 3, 5, 6]
    assert code == 1


def test_line_and_column_point_at_the_failing_value_in_multiline_json(tmp_path: Path) -> None:
    ev = good_event()
    ev["data"]["usage"] = "NOPE"
    f = tmp_path / "one.json"
    text = json.dumps([good_event(), ev], indent=2)
    f.write_text(text)
    code, out, _ = run(str(f))
    assert code == 1
    [line] = [x for x in out.splitlines() if "NOPE" in x]
    expected_line = next(i for i, t in enumerate(text.splitlines(), 1) if '"NOPE"' in t)
    col = text.splitlines()[expected_line - 1].index('"NOPE"') + 1
    assert line.startswith(f"{f}:{expected_line}:{col}: com.qlik.app.deleted: data.usage:")


def test_yaml_documents_are_validated_with_their_lines(tmp_path: Path) -> None:
    import yaml

    ev = good_event()
    bad = dict(ev, time="yesterday")
    f = tmp_path / "events.yaml"
    f.write_text(yaml.safe_dump(ev) + "---\n" + yaml.safe_dump(bad))
    code, out, _ = run(str(f))
    assert code == 1
    [line] = [x for x in out.splitlines() if "yesterday" in x]
    lineno = f.read_text().splitlines().index("time: yesterday") + 1
    assert line.startswith(f"{f}:{lineno}:")


def test_stdin_json_and_jsonl_are_detected() -> None:
    ev = json.dumps(good_event())
    assert run("-", stdin=ev.encode())[0] == 0
    code, out, _ = run("-", stdin=(ev + "\n" + ev + "\n").encode())
    assert code == 0 and summary(out).startswith("2 events read: 2 valid")
    code, out, _ = run("-", stdin=b"[" + ev.encode() + b"," + ev.encode() + b"]")
    assert code == 0 and summary(out).startswith("2 events read")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ((), "no input"),
        (("nope.jsonl",), "nope.jsonl"),
        (("--contracts", "/nonexistent"), "contract directory not found"),
        (("--type", "com.qlik.nope"), "no contract for event type"),
        (("--format", "xml"), "Invalid value for '--format'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: tuple[str, ...], needle: str) -> None:
    extra = () if any(a.endswith(".jsonl") for a in args) or not args else (str(VALID),)
    code, _, err = run(*args, *extra)
    assert code == 2
    assert needle in err


def test_nothing_readable_exits_2(tmp_path: Path) -> None:
    f = tmp_path / "junk.jsonl"
    f.write_text("not json\n")
    code, _, err = run(str(f))
    assert code == 2 and "nothing could be read" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(str(empty))
    assert code == 2 and "no events found" in err


def test_type_forces_a_contract(tmp_path: Path) -> None:
    ev = good_event()
    ev["type"] = "com.qlik.app.deletd"
    f = tmp_path / "e.json"
    f.write_text(json.dumps(ev))
    code, out, _ = run(str(f))
    assert code == 1 and "did you mean com.qlik.app.deleted?" in out
    code, out, _ = run(str(f), "--type", "com.qlik.app.deleted")
    assert code == 1 and "type: 'com.qlik.app.deletd' should be 'com.qlik.app.deleted'" in out


@pytest.mark.parametrize("fmt", ["json", "junit", "sarif", "github"])
def test_every_format_runs_end_to_end(fmt: str, tmp_path: Path) -> None:
    out_file = tmp_path / f"report.{fmt}"
    code, _, _ = run(str(FIXTURES / "invalid" / "apps"), "--format", fmt, "-o", str(out_file))
    assert code == 1
    text = out_file.read_text(encoding="utf-8")
    if fmt in ("json", "sarif"):
        json.loads(text)
    elif fmt == "junit":
        from junitparser import JUnitXml

        suites = list(JUnitXml.fromfile(str(out_file)))
        events = sum(
            len(p.read_text().splitlines()) for p in (FIXTURES / "invalid" / "apps").iterdir()
        )
        assert sum(s.tests for s in suites) == events
    else:
        assert text.startswith("::error file=")


@pytest.fixture(scope="module")
def mixed_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every kind of work unit --jobs cuts: a JSONL file of several chunks, whole JSON and
    YAML files (a multi-line array whose bad value must be located), blank lines, a broken
    line, and a file that cannot be opened."""
    root = tmp_path_factory.mktemp("mixed")
    events = root / "events"
    (events / "docs").mkdir(parents=True)
    with (events / "big.jsonl").open("wb") as f:
        for src in sorted((FIXTURES / "invalid").rglob("*.jsonl")) * 15:
            f.write(src.read_bytes() + b"\n")  # a blank line after every file's events
        f.write(b"{broken\n")
    for i, src in enumerate(sorted((FIXTURES / "invalid").rglob("*.jsonl"))[:40]):
        found = [json.loads(x) for x in src.read_text().splitlines()]
        if i % 2:
            (events / "docs" / f"{i:02}.json").write_text(json.dumps(found, indent=2))
        else:
            import yaml

            (events / "docs" / f"{i:02}.yaml").write_text(yaml.safe_dump_all(found))
    (events / "docs" / "zz_broken.json").symlink_to(root / "missing.json")
    return events


# json and sarif render in the workers (text and github share that path); junit does not.
@pytest.mark.parametrize("fmt", ["json", "junit", "sarif"])
def test_jobs_gives_the_same_report_in_the_same_order(mixed_inputs: Path, fmt: str) -> None:
    cmd = [sys.executable, "-m", "qevcontract._cli", "validate", str(mixed_inputs), "-"]
    cmd += ["--format", fmt]
    stdin = (FIXTURES / "invalid" / "apps" / "com.qlik.app.deleted.jsonl").read_bytes()
    one = subprocess.run(cmd, input=stdin, capture_output=True, check=False)
    two = subprocess.run([*cmd, "--jobs", "2"], input=stdin, capture_output=True, check=False)
    assert one.returncode == two.returncode == 1
    assert one.stdout == two.stdout
    if fmt == "json":
        doc = json.loads(one.stdout)
        assert doc["summary"]["read"] > 3000 and doc["summary"]["unreadable"] == 2
        assert {r["source"] for r in doc["results"]} >= {"<stdin>", str(mixed_inputs / "big.jsonl")}
        located = [v["line"] for r in doc["results"] if r["source"].endswith(".json")
                   and r["status"] == "invalid" for v in r["violations"]]  # fmt: skip
        assert located and all(line and line > 1 for line in located)


def test_jobs_keeps_lines_and_indices_across_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks split a file at line boundaries; blank lines and a final line without a
    newline must not shift any event's line or index."""
    from qevcontract.validate import _run as run_module
    from qevcontract.validate._run import iter_results
    from qevcontract.validate._validator import Validator

    good = json.dumps(good_event())
    bad = json.dumps(dict(good_event(), specversion="9"))
    lines = []
    for i in range(400):
        lines.append(bad if i % 37 == 0 else good)
        if i % 50 == 0:
            lines.append("")
    f = tmp_path / "many.jsonl"
    f.write_text("\n".join(lines))  # no final newline
    v = Validator()
    monkeypatch.setattr(run_module, "CHUNK_BYTES", 4096)  # many small chunks
    monkeypatch.setattr(run_module, "MIN_CHUNK_BYTES", 512)
    assert len(list(run_module._line_chunks(str(f), 2))) > 20
    two = [(r.index, r.line, r.status) for r in iter_results(v, [str(f)], jobs=2)]
    one = [(r.index, r.line, r.status) for r in iter_results(v, [str(f)])]
    assert two == one
    assert [i for i, _, _ in one] == list(range(400))


def test_a_file_that_cannot_be_opened_is_unreadable_and_the_run_goes_on(tmp_path: Path) -> None:
    d = tmp_path / "events"
    d.mkdir()
    (d / "a_broken.json").symlink_to(tmp_path / "does-not-exist.json")
    (d / "z.jsonl").write_text(json.dumps(good_event()) + "\n")
    for jobs in ("1", "2"):
        code, out, _ = run(str(d), "--jobs", jobs)
        assert code == 1
        assert "a_broken.json#0: unreadable: cannot open" in out
        assert summary(out).startswith("2 events read: 1 valid, 0 invalid, 1 unreadable")


def test_the_report_file_never_clobbers_or_joins_the_inputs(tmp_path: Path) -> None:
    events = tmp_path / "events"
    events.mkdir()
    data = (json.dumps(good_event()) + "\n") * 3
    (events / "a.jsonl").write_text(data)
    code, _, err = run(str(events / "a.jsonl"), "-o", str(events / "a.jsonl"))
    assert code == 2 and "is also an input" in err
    assert (events / "a.jsonl").read_text() == data
    report = events / "report.json"
    for _ in range(2):  # the second run must not read the first run's report as an event
        code, _, err = run(str(events), "--format", "json", "-o", str(report))
        assert code == 0, err
        assert json.loads(report.read_text())["summary"]["read"] == 3
    assert sorted(p.name for p in events.iterdir()) == ["a.jsonl", "report.json"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jobs_agrees_on_cr_bytes_stdin_documents_and_bad_paths(tmp_path: Path, jobs: str) -> None:
    ev = good_event()
    cr = tmp_path / "cr.jsonl"
    line = json.dumps(ev).replace(', "source"', ',\r"source"', 1)
    cr.write_text(line + "\n" + json.dumps(ev) + "\n", newline="")
    code, out, _ = run(str(cr), "--jobs", jobs)
    assert code == 0 and summary(out).startswith("2 events read: 2 valid")
    bad = dict(ev, time="yesterday")
    doc = json.dumps([ev, bad], indent=2)
    code, out, _ = run("-", "--jobs", jobs, stdin=doc.encode())
    lineno = next(i for i, t in enumerate(doc.splitlines(), 1) if '"yesterday"' in t)
    assert code == 1 and f"<stdin>:{lineno}:" in out
    notes = tmp_path / "notes.txt"
    notes.write_text("not events")
    code, out, err = run(str(cr), str(notes), "--jobs", jobs, "--format", "json")
    assert code == 2 and out == "" and "unsupported extension .txt" in err
