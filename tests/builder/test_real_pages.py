"""Building from every real page: what is skipped, and the complete list of warnings.

Each warning is a quirk of a page (the builder left the construct out); the list is the
one the issue's closing note reports, so a change to it is deliberate.
"""

from __future__ import annotations

from pathlib import Path

from qevcontract.builder._build import build_contracts


def test_every_page_builds_and_only_non_event_pages_are_skipped(
    seeds: Path, qlik_pages: Path
) -> None:
    result = build_contracts([seeds, qlik_pages])
    assert len(result.pages) == 43  # 38 qlik.dev event pages and the 5 seed pages
    assert sorted((p.name, why) for p, why in result.skipped) == [
        ("README.md", "not a doc page"),
        ("README.md", "not a doc page"),
        ("_index.md", "not an event reference page"),
        ("verify-webhook-signatures-hmac.md", "not an event reference page"),
    ]
    warnings = [(Path(w.path).name, w.line, w.message) for w in result.warnings()]
    unreadable = "Metadata value of `format` of `{}` is not a JSON literal: `int64`; ignored"
    assert warnings == [
        ("core__auth-settings.md", 49, unreadable.format("maxUserSessionLifespanMinutes")),
        ("core__auth-settings.md", 52, unreadable.format("userSessionInactivityTimeoutMinutes")),
        ("core__auth-settings.md", 132, unreadable.format("maxUserSessionLifespanMinutes")),
        ("core__auth-settings.md", 135, unreadable.format("userSessionInactivityTimeoutMinutes")),
    ]
    # The unreadable format is left out; nothing else about those fields changes.
    contract = result.files["auth-settings/com.qlik.core.auth-settings.updated.schema.json"]
    field = contract["properties"]["data"]["properties"]["maxUserSessionLifespanMinutes"]
    assert "format" not in field and "x-qev-format" not in field
