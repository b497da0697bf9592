"""Characterization tests: the exact bytes of every check report format, pinned.

Written before the report packages moved onto the shared `qevcontract._report` toolkit
(issue 18), so that the move could not change a byte users parse without a test saying so.
The golden files in `golden/` were produced by the reporters as they stood on main (12383f8)
and read by hand; a change to one is a user-visible change and needs a CHANGELOG line.
The rule set itself (how many rules ran, the SARIF rule descriptors) is left out: it grows
with every new rule, which is not a change of the report's format.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qevcontract import __version__
from qevcontract.check._report import Where, renderer
from qevcontract.check._runner import CheckReport

GOLDEN = Path(__file__).parent / "golden"


def rendered(fmt: str, report_and_where: tuple[CheckReport, Where], show: str = "warning") -> str:
    """An error (wrong example type), a warning, infos and a page finding, in `fmt`."""
    report, where = report_and_where
    report.show = show
    text = renderer(fmt)(report, where)
    # Rules come and go (other issues add them): their count, descriptors and indices are
    # left out of the pin; the SARIF log's rule indexing is checked instead.
    rules = len(report.rules)
    text = text.replace(f"{rules} rules run", "<N> rules run")
    text = text.replace(f'"rules_run": {rules},', '"rules_run": "<N>",')
    if fmt == "sarif":
        log = json.loads(text)
        driver = log["runs"][0]["tool"]["driver"]
        for result in log["runs"][0]["results"]:
            assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
            result["ruleIndex"] = "<INDEX>"
        assert len(driver["rules"]) == rules
        driver["rules"] = "<RULES>"
        text = json.dumps(log, indent=2, ensure_ascii=False) + "\n"  # as the reporter writes
    return text.replace(str(where.cwd), "<ROOT>").replace(__version__, "<VERSION>")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_report_bytes_are_pinned(fmt: str, report_and_where: tuple[CheckReport, Where]) -> None:
    assert rendered(fmt, report_and_where) == (GOLDEN / f"report.{fmt}").read_text(encoding="utf-8")


def test_github_notices_bytes_are_pinned(report_and_where: tuple[CheckReport, Where]) -> None:
    expected = (GOLDEN / "report.info.github").read_text(encoding="utf-8")
    assert rendered("github", report_and_where, show="info") == expected
