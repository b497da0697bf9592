"""The check reporters: JSON against its documented schema, SARIF against the OASIS schema,
GitHub annotations (escaping, file and line), and the text format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker

from qevcontract._report.github import escape_data, escape_property
from qevcontract.builder._pages import parse_pages
from qevcontract.check._report import Where, renderer
from qevcontract.check._report.text import render as render_text
from qevcontract.check._runner import CheckReport, run_check
from qevcontract.contracts import load as load_catalog

from .conftest import TYPE, event, good_example, markdown_page, write_set

REPO = Path(__file__).resolve().parents[2]
REPORT_SCHEMA = REPO / "docs" / "schemas" / "check-report.schema.json"
SARIF_SCHEMA = REPO / "tests" / "validate" / "data" / "sarif-schema-2.1.0.json"


def _render(fmt: str, report: CheckReport, where: Where) -> str:
    return renderer(fmt)(report, where)


def test_json_report_matches_its_documented_schema(
    report_and_where: tuple[CheckReport, Where],
) -> None:
    report, where = report_and_where
    doc = json.loads(_render("json", report, where))
    schema = json.loads(REPORT_SCHEMA.read_text())
    Draft202012Validator.check_schema(schema)
    errors = list(Draft202012Validator(schema).iter_errors(doc))
    assert errors == []
    # one entry per cause, every occurrence kept (infos included)
    assert doc["summary"]["causes"] == len(doc["findings"]) > 0
    assert doc["summary"]["findings"] == sum(f["count"] for f in doc["findings"])
    assert sorted(o["fingerprint"] for f in doc["findings"] for o in f["occurrences"]) == sorted(
        f.fingerprint for f in report.findings
    )
    assert doc["summary"]["error"] == sum(
        f["count"] for f in doc["findings"] if f["severity"] == "error"
    )
    wrong = [f for f in doc["findings"] if f["rule"] == "QEV301"]
    assert wrong[0]["location"] == "/examples/0/type" and wrong[0]["event_type"] == TYPE
    assert doc["summary"]["failed"] is True


def test_the_report_schema_rejects_a_malformed_finding() -> None:
    schema = json.loads(REPORT_SCHEMA.read_text())
    finding = schema["$defs"]["finding"]
    validator = Draft202012Validator(finding)
    good = {
        "rule": "QEV301", "name": "example-type-mismatch", "severity": "error",
        "event_type": TYPE, "location": "/examples/0/type", "message": "m", "hint": "",
        "file": "w/x.json", "doc": None, "fingerprint": "0123456789abcdef0123",
    }  # fmt: skip
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "severity": "fatal"})
    assert not validator.is_valid({**good, "location": "examples/0/type"})


def test_sarif_is_valid_2_1_0_and_points_at_the_offending_line(
    report_and_where: tuple[CheckReport, Where],
) -> None:
    if not SARIF_SCHEMA.is_file():
        pytest.skip("SARIF 2.1.0 schema not available")
    report, where = report_and_where
    doc = json.loads(_render("sarif", report, where))
    validator = Draft4Validator(
        json.loads(SARIF_SCHEMA.read_text()), format_checker=FormatChecker()
    )
    assert list(validator.iter_errors(doc)) == []
    run: dict[str, Any] = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    wrong = next(r for r in run["results"] if r["ruleId"] == "QEV301")
    # with --docs the location is the doc page in the user's repository, at its line
    physical = wrong["locations"][0]["physicalLocation"]
    finding = next(f for f in report.findings if f.rule == "QEV301")
    assert physical["artifactLocation"]["uri"] == "widgets.md"
    assert physical["region"]["startLine"] == int(str(finding.doc).rsplit(":", 1)[1])
    logical = wrong["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
    assert logical == f"{TYPE}#/examples/0/type"
    assert wrong["partialFingerprints"]["qevcontract/v1"] == finding.fingerprint
    assert wrong["properties"]["occurrences"][0]["fingerprint"] == finding.fingerprint
    page_result = next(r for r in run["results"] if r["ruleId"] == "QEV611")
    page_location = page_result["locations"][0]["physicalLocation"]
    assert page_location["artifactLocation"]["uri"] == "widgets.md"
    line = page_location["region"]["startLine"]
    assert (
        "default = 0, default = 0" in (where.cwd / "widgets.md").read_text().splitlines()[line - 1]
    )


def test_without_docs_sarif_points_at_the_contract_line(
    report_and_where: tuple[CheckReport, Where],
) -> None:
    _, where = report_and_where
    catalog_report = run_check(load_catalog(where.contracts_root))
    doc = json.loads(_render("sarif", catalog_report, where))
    wrong = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "QEV301")
    physical = wrong["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == f"contracts/widgets/{TYPE}.schema.json"
    text = (where.contracts_root / "widgets" / f"{TYPE}.schema.json").read_text().splitlines()
    assert '"com.example.wrong"' in text[physical["region"]["startLine"] - 1]


def test_github_annotations_carry_file_line_and_level(
    report_and_where: tuple[CheckReport, Where],
) -> None:
    report, where = report_and_where
    lines = _render("github", report, where).splitlines()
    wrong = next(line for line in lines if "QEV301" in line)
    assert wrong.startswith("::error file=widgets.md,line=")
    assert not [line for line in lines if line.startswith("::notice ")], "infos hidden"
    report.show = "info"
    lines = _render("github", report, where).splitlines()
    assert [line for line in lines if line.startswith("::notice ")], "infos become notices"
    assert lines[-1].startswith(f"{len(report.findings)} findings")


@settings(max_examples=60, deadline=None)
@given(st.text())
def test_github_escaping_never_leaks_a_line_break_or_separator(text: str) -> None:
    data = escape_data(text)
    prop = escape_property(text)
    assert "\n" not in data and "\r" not in data
    assert ":" not in prop and "," not in prop and "\n" not in prop
    unescaped = (
        prop.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r")
    ).replace("%25", "%")
    assert unescaped == text


def test_text_report_names_the_event_pointer_rule_and_doc_line(
    report_and_where: tuple[CheckReport, Where],
) -> None:
    report, where = report_and_where
    text = click.unstyle(render_text(report, where))
    lines = text.splitlines()
    assert lines[0].startswith(f"{len(report.findings)} findings in ")  # summary first
    assert any(line.endswith("widgets.md") and not line.startswith(" ") for line in lines)
    assert re.search(
        rf"^  error QEV301 example-type-mismatch  :\d+ {re.escape(TYPE)}: ", text, re.M
    )
    assert "    hint: " in text
    quiet = click.unstyle(render_text(report, where, quiet=True))
    assert "hint:" not in quiet
    shown = [g for g in report.groups() if g.severity != "info"]
    entries = [line for line in quiet.splitlines() if re.match(r"  (error|warning) QEV", line)]
    assert len(entries) == len(shown)


def test_bundled_json_report_is_valid_too(catalog) -> None:  # type: ignore[no-untyped-def]
    report = run_check(catalog)
    doc = json.loads(_render("json", report, Where(catalog.root)))
    schema = json.loads(REPORT_SCHEMA.read_text())
    assert list(Draft202012Validator(schema).iter_errors(doc)) == []
    assert len({f["fingerprint"] for f in doc["findings"]}) == len(doc["findings"])


def test_with_docs_annotations_name_the_page_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 15: with --docs, SARIF and GitHub annotations name the doc page and line as the
    user gave it (relative, even outside the working directory), not a contract file."""
    contract = event(examples=[good_example(TYPE, {"name": "w"}, type="com.example.wrong")])
    catalog = write_set(tmp_path / "contracts", [contract])
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "widgets.md").write_text(markdown_page([(TYPE, "")]))
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    report = run_check(catalog, parse_pages(["../pages/widgets.md"]))
    wrong = next(f for f in report.findings if f.rule == "QEV301")
    line = int(str(wrong.doc).rsplit(":", 1)[1])
    where = Where(catalog.root)
    sarif = json.loads(_render("sarif", report, where))
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "QEV301")
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "../pages/widgets.md"
    assert physical["region"]["startLine"] == line
    github = _render("github", report, where)
    assert f"::error file=../pages/widgets.md,line={line}," in github
