"""Configuration (severities, suppressions, discovery) and baselines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qevcontract.builder._build import build_contracts, write_contracts
from qevcontract.builder._pages import parse_pages
from qevcontract.check._baseline import BaselineError, load_baseline, write_baseline
from qevcontract.check._config import ConfigError, find_config, load_config
from qevcontract.check._findings import Finding
from qevcontract.check._report import Where
from qevcontract.check._report.text import render as render_text
from qevcontract.check._runner import run_check
from qevcontract.contracts import load

from .conftest import TYPE, event, good_example, markdown_page, write_set

T2 = "com.example.widget.deleted"


def _quirky_set(root: Path):  # type: ignore[no-untyped-def]
    """Two example-type mismatches (QEV301 errors) and one deprecated field (QEV607 info)."""
    data = {
        "type": "object",
        "description": "The widget.",
        "properties": {"old": {"type": "string", "description": "Old.", "deprecated": True}},
    }
    return write_set(
        root,
        [
            event(TYPE, data=data, examples=[good_example(TYPE, {}, type="com.example.x")]),
            event(T2, examples=[good_example(T2, {"name": "w"}, type="com.example.y")]),
        ],
    )


def _codes(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return sorted((f.rule, f.event_type) for f in findings)


# ------------------------------------------------------------------------------ config


def test_yaml_config_changes_severities_switches_rules_off_and_suppresses(tmp_path: Path) -> None:
    catalog = _quirky_set(tmp_path / "c")
    cfg = tmp_path / ".qevcontract.yaml"
    cfg.write_text(
        "check:\n"
        "  fail-on: warning\n"
        "  severity:\n"
        "    example-type-mismatch: warning\n"
        "    QEV607: off\n"
        "  ignore:\n"
        "    - rule: QEV301\n"
        f"      event-type: {T2}\n"
        "      location: /examples/*\n"
        "      reason: the vendor confirmed this one\n"
    )
    config = load_config(cfg)
    report = run_check(catalog, config=config)
    relevant = [f for f in report.findings if f.rule in ("QEV301", "QEV607")]
    assert [(f.rule, f.event_type, f.severity) for f in relevant] == [("QEV301", TYPE, "warning")]
    assert report.suppressed >= 1
    assert report.fail_on == "warning"
    assert report.failed


def test_pyproject_section_is_found_from_a_subdirectory(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.qevcontract.check]\nfail-on = "info"\n'
        '[tool.qevcontract.check.severity]\nQEV301 = "info"\n'
    )
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "pyproject.toml"
    config = load_config(start=sub)
    assert config.fail_on == "info"
    assert config.severities == {"QEV301": "info"}


def test_yaml_beats_pyproject_in_the_same_directory_and_search_stops_at_the_repo_root(
    tmp_path: Path,
) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.qevcontract.check]\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_config(repo) is None  # the pyproject above the repository is not ours
    (repo / "pyproject.toml").write_text("[tool.qevcontract.check]\n")
    (repo / ".qevcontract.yaml").write_text("check: {}\n")
    assert find_config(repo) == repo / ".qevcontract.yaml"


def test_a_pyproject_without_our_section_is_skipped(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    assert find_config(tmp_path) is None
    assert load_config(start=tmp_path).severities == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("check:\n  severity:\n    QEV999: warning\n", "QEV999"),
        ("check:\n  severity:\n    QEV30: warning\n", "did you mean"),
        ("check:\n  severity:\n    QEV301: loud\n", "'loud' is not one of"),
        ("check:\n  fail-on: sometimes\n", "check.fail-on"),
        ("check:\n  severty: {}\n", "check.severty: unknown setting"),
        ("check:\n  ignore:\n    - reason: x\n", "at least one of rule, event-type, location"),
        ("check:\n  show: everything\n", "check.show: 'everything' is not one of"),
        ("check:\n  ignore:\n    - rule: QEV301\n      where: x\n", "unknown key 'where'"),
        ("check: [1, 2]\n", "must be a table/mapping"),
        ("check:\n  severity: [\n", "not valid YAML"),
    ],
)
def test_config_mistakes_are_one_line_errors_naming_the_key(
    tmp_path: Path, text: str, message: str
) -> None:
    cfg = tmp_path / ".qevcontract.yaml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    assert message in str(info.value)
    assert str(cfg) in str(info.value)
    assert "\n" not in str(info.value)


def test_yaml_off_without_quotes_switches_a_rule_off(tmp_path: Path) -> None:
    cfg = tmp_path / ".qevcontract.yaml"
    cfg.write_text("check:\n  severity:\n    QEV609: off\n")  # YAML 1.1 reads this as False
    assert load_config(cfg).severities == {"QEV609": "off"}


# ---------------------------------------------------------------------------- baseline


def test_baseline_hides_known_findings_and_reports_new_and_fixed_ones(tmp_path: Path) -> None:
    before = run_check(_quirky_set(tmp_path / "before"))
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, before.findings)
    baseline = load_baseline(baseline_file)

    same = run_check(_quirky_set(tmp_path / "same"), baseline=baseline)
    assert same.findings == []
    assert same.baselined == len(before.findings)
    assert not same.failed

    # One quirk fixed (T2's example type), one new quirk (a third event with a wrong type).
    later = [
        event(TYPE, data=_quirky_set(tmp_path / "x").schema(TYPE)["properties"]["data"],
              examples=[good_example(TYPE, {}, type="com.example.x")]),
        event(T2),
        event("com.example.widget.moved",
              examples=[good_example("com.example.widget.moved", {"name": "w"}, type="nope")]),
    ]  # fmt: skip
    after = run_check(write_set(tmp_path / "after", later), baseline=baseline)
    assert _codes(after.findings) == [("QEV301", "com.example.widget.moved")]
    assert after.baseline_stale >= 1
    assert after.failed


def test_fingerprints_ignore_wording_and_page_lines() -> None:
    a = Finding("QEV301", "n", "error", TYPE, "/examples/0/type", "one wording", "h")
    b = Finding("QEV301", "n", "warning", TYPE, "/examples/0/type", "another", "", doc="p.md:9")
    assert a.fingerprint == b.fingerprint
    page_a = Finding("QEV611", "n", "warning", None, "page.md:10", "m", key="page.md|x|default")
    page_b = Finding("QEV611", "n", "warning", None, "page.md:42", "m", key="page.md|x|default")
    assert page_a.fingerprint == page_b.fingerprint
    other = Finding("QEV301", "n", "error", TYPE, "/examples/1/type", "one wording")
    assert other.fingerprint != a.fingerprint


def test_baseline_file_is_sorted_and_readable(tmp_path: Path) -> None:
    report = run_check(_quirky_set(tmp_path / "c"))
    path = tmp_path / "deep" / "baseline.json"
    count = write_baseline(path, report.findings)
    doc = json.loads(path.read_text())
    assert doc["version"] == 1 and count == len(doc["findings"]) == len(report.findings)
    keys = [(e["rule"], e["event_type"] or "", e["location"]) for e in doc["findings"]]
    assert keys == sorted(keys)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline not found"),
        ("{nope", "not JSON"),
        ('{"version": 7, "findings": []}', "not a qevcontract baseline"),
        ('{"version": 1, "findings": [{"rule": "QEV301"}]}', "fingerprint"),
    ],
)
def test_bad_baselines_are_one_line_errors(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(BaselineError) as info:
        load_baseline(path)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_entries_of_rules_switched_off_or_suppressed_are_not_stale(tmp_path: Path) -> None:
    catalog = _quirky_set(tmp_path / "c")
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, run_check(catalog).findings)
    cfg = tmp_path / ".qevcontract.yaml"
    cfg.write_text(
        "check:\n  severity:\n    QEV607: off\n  ignore:\n    - rule: QEV301\n"
        f"      event-type: {T2}\n"
    )
    report = run_check(catalog, config=load_config(cfg), baseline=load_baseline(baseline_file))
    assert report.findings == []
    assert report.baseline_stale == 0
    assert report.suppressed == 1


def test_ignores_by_page_line_and_by_event_type_pattern_alone(tmp_path: Path) -> None:
    catalog = _quirky_set(tmp_path / "c")
    page = tmp_path / "widgets.md"
    page.write_text(markdown_page([(TYPE, "| `old` | `string` | No | Old. |"), (T2, "")]))
    pages = parse_pages([page])
    before = run_check(catalog, pages)
    wrong = next(f for f in before.findings if f.rule == "QEV301" and f.event_type == TYPE)
    assert wrong.doc is not None
    line = wrong.doc.rsplit(":", 1)[1]
    cfg = tmp_path / ".qevcontract.yaml"
    cfg.write_text(
        "check:\n  ignore:\n"
        f"    - location: widgets.md:{line}\n"  # a page line, by file name: every rule there
        "    - event-type: com.example.widget.del*\n"  # every rule, a pattern of types
    )
    report = run_check(catalog, pages, config=load_config(cfg))
    left = {(f.rule, f.event_type) for f in report.findings}
    assert ("QEV301", TYPE) not in left
    assert not any(event_type == T2 for _, event_type in left)
    assert report.unused_ignores == []
    assert report.suppressed == len(before.findings) - len(report.findings) > 1


def test_an_ignore_that_matches_nothing_is_reported(tmp_path: Path) -> None:
    catalog = _quirky_set(tmp_path / "c")
    cfg = tmp_path / ".qevcontract.yaml"
    cfg.write_text(
        "check:\n  ignore:\n"
        "    - rule: QEV301\n      event-type: com.example.gone.*\n"  # matches nothing
        f"    - rule: QEV301\n      event-type: {T2}\n"  # matches
        "    - rule: QEV611\n"  # a page-only rule that did not run (no --docs): not reported
    )
    report = run_check(catalog, config=load_config(cfg))
    assert report.unused_ignores == [
        f"{cfg}: check.ignore[0] (rule QEV301, event-type com.example.gone.*)"
    ]
    assert "check.ignore[0] (rule QEV301, event-type com.example.gone.*) matched no finding" in (
        render_text(report, Where(catalog.root))
    )


def test_a_baseline_written_before_grouping_still_suppresses(tmp_path: Path, seeds: Path) -> None:
    """`data/baseline-v1-seeds.json` was written by the checker before findings were grouped
    and rules recalibrated (`check --contracts <seeds built> --docs seeds --write-baseline`):
    every finding today is in it, so nothing is reported and it fails nothing."""
    out = tmp_path / "contracts"
    write_contracts(build_contracts([seeds]), out)
    baseline = load_baseline(Path(__file__).parent / "data" / "baseline-v1-seeds.json")
    report = run_check(load(out), parse_pages([seeds]), baseline=baseline)
    # Only the findings of changed and new rules are new: the placeholder 'string' where a
    # description names a shape moved from QEV706 to QEV203 (info), and QEV410 (added later)
    # reports the newlines in the alerting-tasks page's five `authclaims` examples (warnings).
    # Stale: those four QEV706 entries, two QEV708 (past clauses) and three QEV502 (the
    # pages' envelope copies).
    moved = [
        ("com.qlik.scheduling.task." + e, "/examples/0/data/duration")
        for e in ("created", "deleted", "updated")
    ] + [("com.qlik.v1.app.reload.finished", "/examples/0/data/status")]
    added = [
        ("com.qlik.v1.alerting-task." + e, "/examples/0/authclaims")
        for e in ("created", "deleted", "execution-summary.created", "recipient.removed",
                  "task-status.changed")
    ]  # fmt: skip
    assert sorted((f.rule, f.event_type, f.location) for f in report.findings) == sorted(
        [("QEV203", event_type, location) for event_type, location in moved]
        + [("QEV410", event_type, location) for event_type, location in added]
    )
    assert report.baselined == 259 - 4 - 2 - 3 and report.baseline_stale == 4 + 2 + 3
    assert not report.failed  # infos and warnings only
