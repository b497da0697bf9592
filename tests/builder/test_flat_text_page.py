"""The flattened-text page parser: the apps seed, synthetic pages and malformed input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from qevcontract.builder import _changelog_page as changelog_page
from qevcontract.builder import _flat_text_page as flat_text_page
from qevcontract.builder._model import DocPage, EventDoc, Field, PageError

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
PAGES = Path(__file__).resolve().parent / "pages"
SEED_FILES = [
    "apps.txt",
    "changelog-new-system-events.txt",
    "tasks.md",
    "alerting-tasks.md",
    "automations.md",
]


def seed_text(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"seed page {path} is absent (vendor snapshots not checked out)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def apps() -> DocPage:
    return flat_text_page.parse(seed_text("apps.txt"), "apps.txt")


@pytest.fixture(scope="module")
def widgets() -> DocPage:
    path = PAGES / "flat" / "widgets.txt"
    return flat_text_page.parse(path.read_text(encoding="utf-8"), str(path))


def event(page: DocPage, event_type: str) -> EventDoc:
    (found,) = [e for e in page.events if e.type == event_type]
    return found


def prop(fields: list[Field] | None, dotted: str) -> Field:
    """Walk `data.size.memory` through nested properties."""
    head, _, rest = dotted.partition(".")
    assert fields is not None, f"no properties to look up {dotted!r} in"
    (found,) = [f for f in fields if f.name == head]
    return prop(found.properties, rest) if rest else found


def walk(fields: list[Field] | None) -> Iterator[Field]:
    for f in fields or []:
        yield f
        yield from walk(f.properties)


# --- sniffing -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", SEED_FILES)
def test_sniff_accepts_only_the_flat_text_seed(name: str) -> None:
    assert flat_text_page.sniff(seed_text(name)) is (name == "apps.txt")


def test_sniff_accepts_the_synthetic_flat_page_but_not_the_changelog_one() -> None:
    assert flat_text_page.sniff((PAGES / "flat" / "widgets.txt").read_text())
    assert not flat_text_page.sniff((PAGES / "changelog" / "gadgets.txt").read_text())
    assert not changelog_page.sniff((PAGES / "flat" / "widgets.txt").read_text())


# --- the apps seed ------------------------------------------------------------------------

APPS_TYPES = [
    "com.qlik.v1.app.opened",
    "com.qlik.v1.app.reload.finished",
    "com.qlik.app.created",
    "com.qlik.app.data.updated",
    "com.qlik.app.deleted",
    "com.qlik.app.exported",
    "com.qlik.app.published",
]


def test_apps_page_header(apps: DocPage) -> None:
    assert (apps.format, apps.title, apps.domain) == ("flat-text", "Apps", "apps")


def test_apps_lists_seven_events_in_page_order(apps: DocPage) -> None:
    assert [e.type for e in apps.events] == APPS_TYPES


def test_apps_event_lines_point_at_the_event_type_lines(apps: DocPage) -> None:
    lines = seed_text("apps.txt").split("\n")
    for e in apps.events:
        assert lines[e.line - 1].strip() == e.type


def test_apps_titles_are_split_off_the_json_lines(apps: DocPage) -> None:
    assert [e.title for e in apps.events] == [
        "An app was opened.",
        "A reload of an app was finished v1",
        "An app was created.",
        "The data of an app was updated.",
        "An app was deleted.",
        "An app was exported.",
        "An app was published.",
    ]


def test_apps_examples_parse_with_their_names_and_key_order(apps: DocPage) -> None:
    lines = seed_text("apps.txt").split("\n")
    names = [e.examples[0].name for e in apps.events]
    assert names == [
        "AppOpened",
        "AppReloadFinished",
        "AppCreated",
        "AppDataUpdated",
        "AppDeleted",
        "AppExported",
        "AppPublished",
    ]
    for e in apps.events:
        (example,) = e.examples
        assert lines[example.line - 1].startswith("{")
        assert list(example.value)[:3] == ["id", "data", "host"]
        assert example.value["type"] == e.type  # parsed as printed, not rewritten


def test_apps_example_keeps_strings_holding_braces(apps: DocPage) -> None:
    claims = event(apps, "com.qlik.app.published").examples[0].value["authclaims"]
    assert claims.startswith("{") and claims.endswith("}")


def test_apps_reload_finished_memory_is_integer(apps: DocPage) -> None:
    payload = event(apps, "com.qlik.v1.app.reload.finished").payload
    memory = prop(payload, "data.size.memory")
    assert memory.type.kind == "integer"
    assert memory.description == "Data model size in memory (bytes)."


def test_apps_created_by_action_enum(apps: DocPage) -> None:
    field = prop(event(apps, "com.qlik.app.created").payload, "data.createdByAction")
    assert field.enum == ["create", "copy", "publish", "import", "restore"]
    assert field.description == ""  # the enum sentence is not left in the description


def test_apps_errors_is_deprecated_array_of_undefined(apps: DocPage) -> None:
    field = prop(event(apps, "com.qlik.v1.app.reload.finished").payload, "data.errors")
    assert field.type.kind == "array"
    assert field.type.items is None and field.type.items_undefined
    assert field.deprecated
    assert field.description == "Reload errors. Max items 5."


def test_apps_updates_is_array_of_objects_with_properties(apps: DocPage) -> None:
    field = prop(event(apps, "com.qlik.app.data.updated").payload, "data._updates")
    assert field.type.kind == "array"
    assert field.type.items is not None and field.type.items.kind == "object"
    assert [p.name for p in field.properties or []] == ["path", "newValue", "oldValue"]
    assert all(p.type.kind == "string" for p in field.properties or [])


def test_apps_root_properties_follow_data_after_nesting_closes(apps: DocPage) -> None:
    payload = event(apps, "com.qlik.v1.app.opened").payload or []
    names = [f.name for f in payload]
    assert names[:4] == ["id", "data", "host", "time"]
    assert names[-1] == "toplevelresourceid"
    assert prop(payload, "data").description == "An app was opened."


def test_apps_has_no_required_notion(apps: DocPage) -> None:
    for e in apps.events:
        assert e.documents_required is False
        assert e.channel is None
        assert e.domain == "apps"
        assert all(f.required is None for f in walk(e.payload))


def test_apps_every_property_line_becomes_a_field(apps: DocPage) -> None:
    declared = [
        line for line in seed_text("apps.txt").split("\n") if re.match(r"^(object)?- \S", line)
    ]
    assert sum(len(list(walk(e.payload))) for e in apps.events) == len(declared)


# --- synthetic pages ----------------------------------------------------------------------


def test_widgets_events_and_titles(widgets: DocPage) -> None:
    assert [(e.type, e.title) for e in widgets.events] == [
        ("com.example.v1.widget.assembled", "A widget left the assembly line."),
        ("com.example.widget.repainted", "Widget repainted"),
        ("com.example.widget.scrapped", "A widget was scrapped."),
    ]
    assert widgets.domain == "widgets"


def test_widgets_number_and_array_of_strings(widgets: DocPage) -> None:
    payload = event(widgets, "com.example.v1.widget.assembled").payload
    weight = prop(payload, "data.weight")
    assert weight.type.kind == "number"
    assert weight.description == "Weight in kilograms, measured after assembly."
    tags = prop(payload, "data.tags")
    assert tags.type.kind == "array"
    assert tags.type.items is not None and tags.type.items.kind == "string"
    history = prop(payload, "data.history")
    assert history.type.kind == "array" and history.type.items is None
    assert not history.type.items_undefined


def test_widgets_deep_nesting_through_array_of_objects(widgets: DocPage) -> None:
    payload = event(widgets, "com.example.v1.widget.assembled").payload
    width = prop(payload, "data.parts.spec.dimensions.width")
    assert (width.type.kind, width.description) == ("number", "Width in millimetres.")
    assert prop(payload, "data.parts.spec.dimensions.height").description == ""
    assert [f.name for f in prop(payload, "data.parts.spec").properties or []] == [
        "dimensions",
        "material",
    ]
    assert [f.name for f in prop(payload, "data.parts").properties or []] == [
        "sku",
        "spec",
        "quantity",
    ]
    assert [f.name for f in prop(payload, "data").properties or []][-3:] == [
        "stage",
        "legacyCode",
        "history",
    ]
    assert [f.name for f in payload or []] == ["id", "data", "time"]


def test_widgets_enum_after_other_text(widgets: DocPage) -> None:
    payload = event(widgets, "com.example.v1.widget.assembled").payload
    material = prop(payload, "data.parts.spec.material")
    assert material.enum == ["steel", "oak", "carbon-fibre"]
    assert material.description == "Main material."
    assert prop(payload, "data.stage").enum == ["draft", "final"]
    assert prop(payload, "data.legacyCode").deprecated


def test_widgets_event_without_description_lines(widgets: DocPage) -> None:
    repainted = event(widgets, "com.example.widget.repainted")
    fields = list(walk(repainted.payload))
    assert [f.name for f in fields] == ["id", "data", "colour", "coats", "finishes", "time"]
    assert all(f.description == "" for f in fields)
    assert prop(repainted.payload, "data.finishes").deprecated
    assert list(repainted.examples[0].value) == ["time", "id", "data"]


def test_widgets_object_without_nested_list_and_last_example(widgets: DocPage) -> None:
    scrapped = event(widgets, "com.example.widget.scrapped")
    assert [f.name for f in scrapped.payload or []] == ["id", "reason"]
    assert scrapped.examples[0].value == {"id": "w-3", "reason": "bent"}
    assert scrapped.examples[0].name == "WidgetScrapped"
    assembled = event(widgets, "com.example.v1.widget.assembled")
    assert assembled.examples[0].value["data"]["legacyCode"] == "X}Y"
    assert prop(assembled.payload, "data.parts.spec").properties is not None


# --- malformed input ----------------------------------------------------------------------

VALID = [
    "Gizmos",  # 1
    "Synthetic gizmo events.",  # 2
    "A gizmo spun.",  # 3
    "Payload",  # 4
    "object- idstring",  # 5
    "Event id.",  # 6
    "- dataobject",  # 7
    "data properties",  # 8
    "- rpminteger",  # 9
    "-",  # 10
    "com.example.gizmo.spun",  # 11
    'Example payload of the "GizmoSpun" event',  # 12
    '{"id": "1", "data": {"rpm": 3}}',  # 13
]


def edited(
    replace: dict[int, str | None] | None = None, insert: dict[int, str] | None = None
) -> str:
    """VALID with 1-based lines replaced (None deletes) and lines inserted before others."""
    out: list[str] = []
    for number, line in enumerate(VALID, start=1):
        if insert and number in insert:
            out.append(insert[number])
        new = (replace or {}).get(number, line)
        if new is not None:
            out.append(new)
    return "\n".join(out)


def test_the_malformed_cases_start_from_a_valid_page() -> None:
    page = flat_text_page.parse(edited(), "gizmos.txt")
    assert [e.type for e in page.events] == ["com.example.gizmo.spun"]
    assert prop(page.events[0].payload, "data.rpm").type.kind == "integer"


MALFORMED = [
    ("unknown type", edited({9: "- rpmfloat"}), 9, "known type"),
    ("array of unknown items", edited({9: "- rpmarray of widgets"}), 9, "known type"),
    ("unbalanced close", edited(insert={11: "-"}), 11, "closes no open"),
    ("unclosed nesting", edited({10: None}), 10, "not closed"),
    (
        "opener for an earlier field",
        edited({8: "- countinteger", 9: "data properties"}),
        9,
        "directly follow",
    ),
    ("opener for a scalar", edited({10: "rpm properties"}), 10, "only object"),
    ("properties listed twice", edited(insert={11: "data properties"}), 11, "already"),
    ("text attached to nothing", edited(insert={9: "Loose words."}), 9, "belongs to no property"),
    ("text after a close", edited(insert={11: "Loose words."}), 11, "belongs to no property"),
    ("missing event type", edited({11: None}), 11, "without an event type"),
    ("missing example header", edited({12: None}), 12, "Example payload"),
    ("unterminated json", edited({13: '{"id": "1", "data": {"rpm": 3}'}), 13, "JSON"),
    ("invalid json", edited({13: "{'id': 1}"}), 13, "JSON"),
    ("json missing at end", edited({13: None}), 12, "no JSON line"),
    ("trailing text is no title", edited({13: '{"id": "1"}Orphan'}), 13, "not followed"),
    ("non-object root", edited({5: "string- idstring"}), 5, "not 'object'"),
    ("no root prefix", edited({5: "- idstring"}), 5, "root type"),
    ("payload before type line", edited({11: "Payload"}), 11, "before this event's type"),
    ("page ends in properties", "\n".join(VALID[:9]), 9, "page ends"),
    ("unquoted enum", edited(insert={10: "Can be one of: slow, fast"}), 10, "quoted values"),
    (
        "two enum lists",
        edited(insert={10: 'Can be one of: "1"\nCan be one of: "2"'}),  # rpm is an integer
        11,
        "second",
    ),
    ("no payload at all", "Gizmos\nOnly prose here.", 2, "no 'Payload'"),
    ("payload without title", "\n".join(VALID[:1] + VALID[3:]), 2, "no event title"),
    ("empty page", "", 1, "empty"),
]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [pytest.param(text, line, msg, id=name) for name, text, line, msg in MALFORMED],
)
def test_malformed_pages_raise_page_error_with_line(text: str, line: int, message: str) -> None:
    with pytest.raises(PageError) as caught:
        flat_text_page.parse(text, "gizmos.txt")
    assert (caught.value.path, caught.value.line) == ("gizmos.txt", line)
    assert message in caught.value.message
    assert "\n" not in caught.value.message


# --- typed enums ----------------------------------------------------------------------------


def test_enum_values_take_the_declared_json_type() -> None:
    text = edited(insert={10: 'Revolutions. Can be one of: "1""2""3"'})
    page = flat_text_page.parse(text, "gizmos.txt")
    rpm = prop(page.events[0].payload, "data.rpm")
    assert rpm.enum == [1, 2, 3]
    assert rpm.description == "Revolutions."


def test_enum_values_of_boolean_and_number_fields_are_json_values() -> None:
    text = edited(
        {9: "- onboolean"},
        insert={10: 'Can be one of: "true""false"\n- ratenumber\nCan be one of: "0.5""2"'},
    )
    page = flat_text_page.parse(text, "gizmos.txt")
    data = page.events[0].payload
    assert prop(data, "data.on").enum == [True, False]
    assert prop(data, "data.rate").enum == [0.5, 2]


def test_enum_value_that_does_not_fit_the_type_names_file_and_line() -> None:
    text = edited(insert={10: 'Can be one of: "slow""fast"'})
    with pytest.raises(PageError) as caught:
        flat_text_page.parse(text, "gizmos.txt")
    assert (caught.value.path, caught.value.line) == ("gizmos.txt", 10)
    assert "'slow' is not an integer" in caught.value.message
