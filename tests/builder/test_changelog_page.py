"""The changelog page parser: the seed entry, a synthetic page and malformed input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from qevcontract.builder import _changelog_page as changelog_page
from qevcontract.builder import _flat_text_page as flat_text_page
from qevcontract.builder._model import DocPage, PageError

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
PAGES = Path(__file__).resolve().parent / "pages"
SEED_NAME = "changelog-new-system-events.txt"


def seed_text(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed page {path} is absent (vendor snapshots not checked out)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed() -> DocPage:
    return changelog_page.parse(seed_text(SEED_NAME), SEED_NAME)


@pytest.fixture(scope="module")
def gadgets() -> DocPage:
    path = PAGES / "changelog" / "gadgets.txt"
    return changelog_page.parse(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize(
    "name", ["apps.txt", SEED_NAME, "tasks.md", "alerting-tasks.md", "automations.md"]
)
def test_sniff_accepts_only_the_changelog_seed(name: str) -> None:
    assert changelog_page.sniff(seed_text(name)) is (name == SEED_NAME)


def test_sniff_accepts_the_synthetic_changelog() -> None:
    text = (PAGES / "changelog" / "gadgets.txt").read_text()
    assert changelog_page.sniff(text)
    assert not flat_text_page.sniff(text)


# --- the seed -----------------------------------------------------------------------------


def test_seed_lists_21_entries(seed: DocPage) -> None:
    assert seed.format == "changelog"
    assert len(seed.events) == 21
    assert len({e.type for e in seed.events}) == 21


def test_seed_domain_counts(seed: DocPage) -> None:
    assert Counter(e.domain for e in seed.events) == {
        "automations": 1,
        "licenses": 10,
        "roles": 4,
        "web-integrations": 3,
        "ip-policies": 3,
    }


def test_seed_only_the_volume_consumption_event_is_deprecated(seed: DocPage) -> None:
    assert [e.type for e in seed.events if e.deprecated] == [
        "com.qlik.license.data.volume.consumption.aggregated"
    ]


def test_seed_glued_entries_are_split_at_type_names(seed: DocPage) -> None:
    licenses = [e for e in seed.events if e.domain == "licenses"]
    assert licenses[0].type == "com.qlik.license.assignment.deleted"
    assert licenses[0].title == "license assignment deleted"
    assert licenses[1].type == "com.qlik.license.assignment.rejected"
    assert [e.type for e in seed.events if e.domain == "web-integrations"] == [
        "com.qlik.web-integration.created",
        "com.qlik.web-integration.deleted",
        "com.qlik.web-integration.updated",
    ]
    for e in seed.events:
        assert "com.qlik" not in (e.title or "")
        assert e.title == e.description


def test_seed_entries_carry_no_payload(seed: DocPage) -> None:
    lines = seed_text(SEED_NAME).split("\n")
    for e in seed.events:
        assert e.payload is None
        assert e.documents_required is False
        assert e.type in lines[e.line - 1]
    (automation,) = [e for e in seed.events if e.domain == "automations"]
    assert automation.type == "com.qlik.v1.automation.run.ended"


# --- synthetic page -----------------------------------------------------------------------


def test_gadgets_entries(gadgets: DocPage) -> None:
    assert [(e.domain, e.type, e.deprecated, e.line) for e in gadgets.events] == [
        ("gadgets", "com.example.gadget.created", False, 7),
        ("gadgets", "com.example.v2.gadget.moved", True, 7),
        ("gadgets", "com.example.gadget.deleted", False, 7),
        ("sprocket-teams", "org.sample.sprocket-team.synced", False, 10),
        ("sprocket-teams", "com.example.sprocket-team.joined", False, 11),
        ("sprocket-teams", "org.sample.sprocket-team.audit.logged", False, 11),
    ]
    assert gadgets.title == "New events for gadgets and sprocket teams"


def test_gadgets_descriptions_with_dots_stay_whole(gadgets: DocPage) -> None:
    titles = [e.title for e in gadgets.events]
    assert titles[0] == "gadget created (first seen in release 2.4.1)"
    assert titles[1] == "gadget moved between racks, e.g. rack A to rack B"
    assert titles[4] == "member joined a team"  # split before a second vendor's prefix


# --- malformed input ----------------------------------------------------------------------

HEAD = ["Changelog title", "Intro prose.", "New event types", "Gadgets"]  # lines 1-4


def page(*lines: str) -> str:
    return "\n".join(HEAD + list(lines))


MALFORMED = [
    ("no list start", "Title\nSome prose only.", 2, "New event types"),
    (
        "entry before list start",
        "Title\ncom.example.a.b: early\nNew event types\nGadgets\ncom.example.a.c: x",
        2,
        "before the 'New event types'",
    ),
    (
        "entry before any heading",
        "Title\nNew event types\ncom.example.a.b: orphan",
        3,
        "before any domain heading",
    ),
    ("empty description", page("com.example.a.b: com.example.a.c: text"), 5, "no description"),
    ("entry at end of line", page("com.example.a.b: textcom.example.a.c:"), 5, "no description"),
    ("type without colon", page("com.example.a.b is new"), 5, "starts with an event type"),
    (
        "glued unknown vendor",
        page("com.example.a.b: firstnet.other.c.d: second"),
        5,
        "run-together",
    ),
    ("bulleted entry", page("com.example.a.b: x", "- com.example.a.c: y"), 6, "inside prose"),
    ("heading without entries", page("Prose.", "Sprockets", "com.example.a.b: x"), 4, "no event"),
    ("last heading without entries", page("com.example.a.b: x", "Sprockets"), 6, "no event"),
    ("empty page", "", 1, "empty"),
]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [pytest.param(text, line, msg, id=name) for name, text, line, msg in MALFORMED],
)
def test_malformed_changelogs_raise_page_error_with_line(
    text: str, line: int, message: str
) -> None:
    with pytest.raises(PageError) as caught:
        changelog_page.parse(text, "log.txt")
    assert (caught.value.path, caught.value.line) == ("log.txt", line)
    assert message in caught.value.message
