"""The shared reporting toolkit (`qevcontract._report`), against the rules it implements."""

from __future__ import annotations

import io

import pytest

from qevcontract._report.github import workflow_command
from qevcontract._report.sarif import artifact_location
from qevcontract._report.style import color_wanted


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_color_is_any_non_empty_value_and_an_explicit_choice_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """https://no-color.org: "when present and not an empty string (regardless of its
    value), prevents the addition of ANSI color"."""
    monkeypatch.setenv("NO_COLOR", "")
    assert color_wanted(Terminal()) is True
    assert color_wanted(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "0")
    assert color_wanted(Terminal()) is False
    assert color_wanted(io.StringIO(), True) is True


def test_a_relative_artifact_is_a_uri_reference_under_srcroot() -> None:
    """SARIF 2.1.0 §3.4.3: a relative `uri` comes with a `uriBaseId`; RFC 3986: a space is
    not allowed in a URI reference unencoded, `..` segments are."""
    assert artifact_location("events/day one.ndjson") == {
        "uri": "events/day%20one.ndjson",
        "uriBaseId": "%SRCROOT%",
    }
    assert artifact_location("../pages/a#b.md")["uri"] == "../pages/a%23b.md"
    assert artifact_location("/srv/x y.json") == {"uri": "file:///srv/x%20y.json"}


def test_a_workflow_command_leaves_out_unknown_properties() -> None:
    line = workflow_command("error", {"file": "a,b.json", "line": None, "title": "T: x"}, "m%")
    assert line == "::error file=a%2Cb.json,title=T%3A x::m%25"
    assert workflow_command("notice", {}, "m") == "::notice::m"
