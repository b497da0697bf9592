"""Pages the builder has never seen that differ from the real ones in presentation only.

Each variant rewrites every real qlik.dev page (and the seed pages) in one way a publisher
might: new prose, notes and admonitions, tables that are not property tables, an unknown
event attribute, escaped pipes, CRLF line endings, no final newline, extra `Metadata:`
keywords. The contracts built from the variant must equal those built from the page as it
is, apart from what the variant states on purpose (an extra keyword), and the build must
print exactly the warnings the variant introduces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from qevcontract.builder._build import build_from_pages
from qevcontract.builder._markdown_page import parse

from ..conftest import QLIK_PAGES, SEEDS

HERE = Path(__file__).parent / "pages" / "markdown"


def _real_pages() -> list[Path]:
    pages = sorted(QLIK_PAGES.glob("*.md")) + sorted(SEEDS.glob("*.md"))
    skip = ("README.md", "_index.md", "verify-webhook-signatures-hmac.md")
    return [p for p in pages if p.name not in skip]


REAL = _real_pages()
if not REAL:  # pragma: no cover - CI has the pages beside the repository
    pytestmark = pytest.mark.skip(reason="doc pages not found beside the repository")


def contracts(text: str, name: str) -> tuple[dict[str, Any], list[str]]:
    """Event contracts (catalogue and envelopes left out) and the warnings, line numbers cut."""
    page = parse(text, name)
    files = build_from_pages([page]).files
    built = {k: v for k, v in files.items() if "/" in k and not k.startswith("envelope/")}
    for contract in built.values():
        for prov in contract["x-qev-provenance"]:
            prov.pop("line")  # a variant may move the event's heading
    return built, [w.message for w in page.warnings]


# --- presentation-only rewrites: same contracts, no warning -------------------------------


def add_intro_and_notes(text: str) -> str:
    """Prose under the title, an admonition before each payload, a note after each table."""
    text = re.sub(
        r"^(# .+)$",
        r"\1\n\nA second introduction, with [a link](https://example.test/) and `code`.\n\n"
        r"> **Note:** this page is a variant written for a test.",
        text,
        count=1,
        flags=re.M,
    )
    text = text.replace(
        "\n**Payload**\n", "\n> **Tip:** subscribe with a webhook.\n\n**Payload**\n"
    )
    return re.sub(
        r"\n\n\*\*Example\*\*\n", "\n\nThe table above lists the fields.\n\n**Example**\n", text
    )


def add_other_tables(text: str) -> str:
    """A table that is not a property table in the introduction and before each example."""
    other = "| Field | Meaning |\n| --- | --- |\n| `a` | pipes \\| escaped |\n"
    text = re.sub(r"^(# .+)$", r"\1\n\n" + other.replace("\\", "\\\\"), text, count=1, flags=re.M)
    return text.replace("\n**Example**\n", "\n" + other + "\n**Example**\n")


def crlf_without_final_newline(text: str) -> str:
    return text.rstrip("\n").replace("\n", "\r\n")


def subheadings_and_star_bullets(text: str) -> str:
    """`####` subheadings inside event sections and `*` bullets in the table of contents."""
    text = text.replace("\n**Payload**\n", "\n#### Payload\n\n**Payload**\n")
    return re.sub(r"^- \[", "* [", text, flags=re.M)


@pytest.mark.parametrize(
    "variant",
    [add_intro_and_notes, add_other_tables, crlf_without_final_newline,
     subheadings_and_star_bullets],
    ids=lambda f: f.__name__,
)  # fmt: skip
@pytest.mark.parametrize("page", REAL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_presentation_changes_give_the_same_contracts(
    page: Path, variant: Callable[[str], str]
) -> None:
    text = page.read_text(encoding="utf-8")
    varied = variant(text)
    assert varied != text
    expected, warnings = contracts(text, page.name)
    got, new_warnings = contracts(varied, page.name)
    assert got == expected
    assert new_warnings == warnings


# --- variants that state something: the contract changes only there ----------------------


@pytest.mark.parametrize("page", REAL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_unknown_event_attribute_is_a_warning_and_nothing_else(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    varied, count = re.subn(r"^(\*\*Stability:\*\* .*)$", r"\1\n\n**Owner:** `team-a`", text,
                            flags=re.M)  # fmt: skip
    expected, warnings = contracts(text, page.name)
    got, new_warnings = contracts(varied, page.name)
    assert got == expected
    added = [w for w in new_warnings if w not in warnings]
    assert len(added) == count
    assert all(w.startswith("unknown event attribute `**Owner:**` ignored") for w in added)


# `minLength = 1` rows gain a keyword of each kind the pages use or might use.
EXTRA = [
    ("maxLength = 64", {"maxLength": 64}),
    ('pattern = "^\\\\S+$"', {"pattern": "^\\S+$"}),
    ('format = "uuid"', {"format": "uuid"}),
    ('format = "uid"', {"x-qev-format": "uid"}),
]


@pytest.mark.parametrize(("clause", "keyword"), EXTRA, ids=[c for c, _ in EXTRA])
def test_extra_metadata_keywords_are_honoured_where_stated(
    clause: str, keyword: dict[str, Any], qlik_pages: Path
) -> None:
    page = qlik_pages / "users.md"
    text = page.read_text(encoding="utf-8")
    row = "| `id` | `string` | Yes | Identifies the event. Metadata: minLength = 1. |"
    assert row in text
    varied = text.replace(row, row.replace("minLength = 1.", f"minLength = 1, {clause}."))
    expected, _ = contracts(text, page.name)
    got, warnings = contracts(varied, page.name)
    assert warnings == []
    for name, contract in expected.items():
        # The row is the event's `id` and the page's shared CloudEvents schema's `id`.
        _add_where(contract, "Identifies the event.", keyword)
        assert got[name] == contract


def _add_where(node: Any, description: str, keyword: dict[str, Any]) -> None:
    if isinstance(node, dict):
        if node.get("description") == description:
            node.update(keyword)
        for value in node.values():
            _add_where(value, description, keyword)
    elif isinstance(node, list):
        for value in node:
            _add_where(value, description, keyword)


def test_a_hand_written_page_and_its_variant_build_the_same_contracts() -> None:
    """Our own page (no vendor text) with every construct, and a rewrite of it in another
    presentation: CRLF, notes, another table, escaped pipes, an unknown attribute."""
    base = (HERE / "gadgets.md").read_text(encoding="utf-8")
    varied = (HERE / "gadgets-varied.md").read_bytes().decode("utf-8")
    assert "\r\n" in varied and not varied.endswith("\n")
    expected, warnings = contracts(base, "gadgets.md")
    got, new_warnings = contracts(varied, "gadgets.md")
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert warnings == [
        "Metadata value of `format` of `size` is not a JSON literal: `int64`; ignored"
    ]
    assert new_warnings == [
        "unknown event attribute `**Team:**` ignored (known: **Title:**, **Action:**, "
        "**Visibility:**, **Stability:**, **Deprecated:**)",
        *warnings,
    ]


# --- what the hand-written page states ------------------------------------------------------


def _validator(contract: dict[str, Any]) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(contract, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_one_of_becomes_an_any_of_that_accepts_each_documented_option() -> None:
    built, _ = contracts((HERE / "gadgets.md").read_text(encoding="utf-8"), "gadgets.md")
    contract = built["gadgets/org.example.gadget.built.schema.json"]
    contract = {k: v for k, v in contract.items() if k != "allOf"}  # the page's part only
    owner = contract["properties"]["data"]["properties"]["owner"]
    assert "oneOf" not in owner and len(owner["anyOf"]) == 2
    assert "anyOf" in owner["x-qev-one-of"]
    v = _validator(contract)
    example = contract["examples"][0]
    assert v.is_valid(example)
    for shape in ({"name": "Ada"}, {"name": "R2", "model": "astromech"}):
        assert v.is_valid({**example, "data": {**example["data"], "owner": shape}})
    # A robot is also a person (open objects): oneOf would reject it, anyOf accepts it.
    from jsonschema import Draft202012Validator

    as_one_of = {**owner, "oneOf": owner["anyOf"]}
    del as_one_of["anyOf"]
    robot = {"name": "R2", "model": "astromech"}
    assert not Draft202012Validator(as_one_of).is_valid(robot)
    assert not v.is_valid({**example, "data": {**example["data"], "owner": {"model": "x"}}})


def test_metadata_keywords_deprecation_and_the_unreadable_value() -> None:
    built, _ = contracts((HERE / "gadgets.md").read_text(encoding="utf-8"), "gadgets.md")
    data = built["gadgets/org.example.gadget.built.schema.json"]["properties"]["data"]
    props = data["properties"]
    assert props["serial"]["pattern"] == "^G-[0-9]+$"
    # `format = int64.` is unreadable: left out, the readable bounds kept.
    assert props["size"] == {
        "type": "integer", "description": "Size class.", "minimum": 1, "maximum": 9
    }  # fmt: skip
    assert props["tags"]["maxItems"] == 3 and props["tags"]["items"]["enum"] == ["red", "blue"]
    assert props["extras"]["minProperties"] == 1 and props["extras"]["default"] == {"a": 1}
    scrapped = built["gadgets/org.example.gadget.scrapped.schema.json"]
    assert scrapped["deprecated"] is True and scrapped["x-qev-event"]["deprecated"] is True
    assert scrapped["x-qev-event"]["type"] == "org.example.gadget.scrapped"  # heading mark cut
    assert "deprecated" not in built["gadgets/org.example.gadget.built.schema.json"]


def test_unnamed_options_cut_off_by_the_renderer_accept_every_documented_shape(
    qlik_pages: Path,
) -> None:
    """`oneOf(Option 1 | Option 2)` whose options are truncated: a string or a list of
    strings, the page says in prose; the contract accepts both (and adds no type)."""
    built, _ = contracts((qlik_pages / "core__web-integrations.md").read_text(), "w.md")
    contract = built["web-integrations/com.qlik.core.web-integration.updated.schema.json"]
    updates = contract["properties"]["data"]["properties"]["_updates"]["items"]["properties"]
    new_value = updates["newValue"]
    assert new_value["anyOf"] == [{"x-qev-truncated": True}, {"x-qev-truncated": True}]
    v = _validator(new_value)
    assert v.is_valid("https://a.example") and v.is_valid(["https://a.example"])
