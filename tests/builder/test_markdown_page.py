"""Behaviour of the Markdown reference-page parser on the vendor seeds, on synthetic pages
with other events and deeper nesting, and on malformed pages (error and line number)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qevcontract.builder._markdown_page import parse, sniff
from qevcontract.builder._model import DocPage, EventDoc, Field, PageError

SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"
PAGES = Path(__file__).parent / "pages" / "markdown"


def seed_text(name: str) -> str:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"vendor seed page {path} is not available in this checkout")
    return path.read_text(encoding="utf-8")


def seed_page(name: str) -> DocPage:
    return parse(seed_text(name), name)


def synthetic_page(name: str) -> DocPage:
    path = PAGES / name
    return parse(path.read_text(encoding="utf-8"), str(path))


def event(page: DocPage, event_type: str) -> EventDoc:
    matches = [e for e in page.events if e.type == event_type]
    assert len(matches) == 1, f"{event_type} appears {len(matches)} times"
    return matches[0]


def prop(fields: list[Field] | None, dotted: str) -> Field:
    """Follow `a.b.c` through nested properties."""
    field: Field | None = None
    for name in dotted.split("."):
        assert fields is not None, f"no properties before {name!r} in {dotted!r}"
        matches = [f for f in fields if f.name == name]
        assert len(matches) == 1, f"{name!r} appears {len(matches)} times in {dotted!r}"
        field = matches[0]
        fields = field.properties
    assert field is not None
    return field


def names(fields: list[Field] | None) -> list[str]:
    assert fields is not None
    return [f.name for f in fields]


# --- sniffing ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tasks.md", "alerting-tasks.md", "automations.md"])
def test_sniff_accepts_markdown_seed_pages(name: str) -> None:
    assert sniff(seed_text(name)) is True


@pytest.mark.parametrize("name", ["apps.txt", "changelog-new-system-events.txt"])
def test_sniff_rejects_text_seed_pages(name: str) -> None:
    assert sniff(seed_text(name)) is False


def test_sniff_accepts_synthetic_pages_and_rejects_plain_prose() -> None:
    assert sniff((PAGES / "users.md").read_text(encoding="utf-8"))
    assert not sniff("# Notes\n\n### heading\n\nNo property table here.\n")


# --- seed: tasks.md ------------------------------------------------------------------------


def test_tasks_page_header_front_matter_and_toc() -> None:
    page = seed_page("tasks.md")
    assert page.format == "markdown"
    assert page.path == "tasks.md"
    assert (page.title, page.domain) == ("Tasks", "tasks")
    assert page.source_url == "https://qlik.dev/apis/event/scheduling/tasks/"
    assert page.last_updated == "2026-06-18T10:30:42+01:00"
    assert page.toc == {
        "system-events.task": [
            "com.qlik.scheduling.task.created",
            "com.qlik.scheduling.task.deleted",
            "com.qlik.scheduling.task.updated",
        ]
    }


def test_tasks_page_events_and_attributes() -> None:
    page = seed_page("tasks.md")
    assert [(e.type, e.line) for e in page.events] == [
        ("com.qlik.scheduling.task.created", 18),
        ("com.qlik.scheduling.task.deleted", 128),
        ("com.qlik.scheduling.task.updated", 238),
    ]
    created = event(page, "com.qlik.scheduling.task.created")
    assert created.channel == "system-events.task"
    assert created.domain == "tasks"
    assert (created.title, created.action) == ("Task created", "send")
    assert (created.visibility, created.stability) == ("public", "stable")
    assert created.description is not None
    assert created.description.startswith("Published when a new task is created.")


def test_tasks_created_data_is_named_type_with_inline_properties() -> None:
    created = event(seed_page("tasks.md"), "com.qlik.scheduling.task.created")
    data = prop(created.payload, "data")
    assert (data.type.kind, data.type.name, data.line) == ("named", "taskEntryObject", 40)
    assert data.required is False
    assert data.properties is not None and len(data.properties) == 20
    required = {f.name for f in data.properties if f.required}
    assert required == {
        "id", "name", "action", "ownerId", "createdBy", "resourceId", "resourceType"
    }  # fmt: skip
    usage = prop(data.properties, "usage")
    assert usage.enum == ["ANALYTICS", "DATA_PREPARATION", "DATAFLOW_PREP", "SINGLE_TABLE_PREP"]
    assert usage.description.endswith("Defaults to `ANALYTICS` when not specified.")
    assert "Allowed values" not in usage.description
    action_params = prop(data.properties, "actionParams")
    assert action_params.type.kind == "array"
    assert action_params.type.items is not None and action_params.type.items.kind == "string"


def test_tasks_description_clauses_become_enum_and_metadata() -> None:
    created = event(seed_page("tasks.md"), "com.qlik.scheduling.task.created")
    event_type = prop(created.payload, "eventType")
    assert event_type.enum == ["com.qlik.scheduling.task.created"]
    assert event_type.description == "Unique identifier for the event type."
    time = prop(created.payload, "time")
    assert time.metadata == [("minLength", 1), ("format", "date-time")]
    assert time.description == (
        "Timestamp of when the occurrence happened. Must adhere to RFC 3339."
    )
    assert prop(created.payload, "id").required is True


def test_tasks_updated_has_object_array_items_nested_in_data() -> None:
    updated = event(seed_page("tasks.md"), "com.qlik.scheduling.task.updated")
    assert "extensions" not in names(updated.payload)
    updates = prop(updated.payload, "data._updates")
    assert updates.type.raw == "object[]"
    assert names(updates.properties) == ["path", "newValue", "oldValue"]


def test_tasks_examples_are_kept_verbatim_with_key_order() -> None:
    page = seed_page("tasks.md")
    created = event(page, "com.qlik.scheduling.task.created")
    assert len(created.examples) == 1
    example = created.examples[0]
    assert example.line == 86
    # The page's example carries a wrong event type; the parser must not fix it.
    assert example.value["type"] == "com.qlik.scheduling.tasks.created"
    assert list(example.value)[:3] == ["id", "time", "type"]
    assert list(example.value["data"])[-1] == "statusDetails"
    deleted = event(page, "com.qlik.scheduling.task.deleted")
    assert deleted.examples[0].value["type"] == "com.qlik.scheduling.tasks.created"


def test_tasks_schemas_section() -> None:
    page = seed_page("tasks.md")
    assert list(page.schemas) == [
        "cloudEventsContextAttributes",
        "cloudEventsQlikExtensionsAttributes",
        "taskEntryObject",
    ]
    task = page.schemas["taskEntryObject"]
    assert task.line == 387
    assert task.type is not None and task.type.kind == "object"
    assert task.description.startswith("Represents the full state of a task resource")
    assert task.properties is not None and len(task.properties) == 20
    assert prop(task.properties, "resourceType").enum == ["app"]
    assert page.schemas["cloudEventsContextAttributes"].description == (
        "CloudEvents Specification JSON Schema"
    )


# --- seed: alerting-tasks.md ---------------------------------------------------------------


def test_alerting_page_events_and_channel() -> None:
    page = seed_page("alerting-tasks.md")
    assert page.domain == "alerting-tasks"
    assert page.last_updated == "2026-04-23T17:22:43+01:00"
    assert len(page.events) == 5
    assert {e.channel for e in page.events} == {"system-events.alerting"}
    assert [e.type for e in page.events] == page.toc["system-events.alerting"]


def test_alerting_created_recipients_user_ids_is_string_array() -> None:
    created = event(seed_page("alerting-tasks.md"), "com.qlik.v1.alerting-task.created")
    recipients = prop(created.payload, "data.recipients")
    assert recipients.description == ""
    user_ids = prop(created.payload, "data.recipients.userIds")
    assert user_ids.type.kind == "array"
    assert user_ids.type.items is not None and user_ids.type.items.kind == "string"
    access = prop(created.payload, "data.accessType")
    assert access.enum == ["SOURCE_ACCESS", "TARGET_ACCESS"]
    # Prose whitespace is tidied (the page has a double space in this cell).
    assert prop(created.payload, "type").description == (
        "Unique identifier for the event type. This event indicates that data alert has been "
        "created."
    )
    assert prop(created.payload, "type").metadata == [
        ("default", "com.qlik.v1.alerting-task.created")
    ]


def test_alerting_status_changed_nested_properties_are_truncated() -> None:
    changed = event(seed_page("alerting-tasks.md"), "com.qlik.v1.alerting-task.task-status.changed")
    for parent in ("oldTask", "currentTask"):
        recipients = prop(changed.payload, f"data.{parent}.recipients")
        assert recipients.truncated is True
        assert recipients.properties is None
        assert prop(changed.payload, f"data.{parent}.alertingTaskErrors").truncated is True
        enabled = prop(changed.payload, f"data.{parent}.enabledByUser")
        assert (enabled.truncated, enabled.properties) == (False, None)


def test_alerting_object_array_without_details_has_no_properties() -> None:
    summary_event = event(
        seed_page("alerting-tasks.md"), "com.qlik.v1.alerting-task.execution-summary.created"
    )
    info = prop(summary_event.payload, "data.summary.failedExecutionsRecipientsInfo")
    assert info.type.raw == "object[]"
    assert (info.properties, info.truncated) == (None, False)
    assert names(prop(summary_event.payload, "data.tracking").properties) == [
        "alertId",
        "workflowId",
    ]


# --- seed: automations.md ------------------------------------------------------------------


def test_automations_untyped_field_and_named_data() -> None:
    page = seed_page("automations.md")
    assert page.source_url == "https://qlik.dev/apis/event/automations/"
    run_ended = event(page, "com.qlik.v1.automation.run.ended")
    data = prop(run_ended.payload, "data")
    assert (data.type.kind, data.type.name) == ("named", "metricsObject")
    automation = prop(run_ended.payload, "data.automation")
    assert automation.type.kind == "untyped"
    assert automation.type.raw == ""


def test_automations_metadata_duplicates_are_kept_in_order() -> None:
    run_ended = event(seed_page("automations.md"), "com.qlik.v1.automation.run.ended")
    total = prop(run_ended.payload, "data.metrics.totalApiCalls")
    assert total.metadata == [("default", 0), ("default", 0)]
    assert prop(run_ended.payload, "source").metadata == [
        ("minLength", 1),
        ("format", "uri-reference"),
        ("default", "com.qlik/automations"),
    ]
    uuid = prop(run_ended.payload, "data.id")
    assert (uuid.description, uuid.metadata) == ("", [("format", "uuid")])


def test_automations_enum_values_with_spaces() -> None:
    run_ended = event(seed_page("automations.md"), "com.qlik.v1.automation.run.ended")
    status = prop(run_ended.payload, "data.status")
    assert status.description == ""
    assert status.enum is not None and len(status.enum) == 10
    assert "finished with warnings" in status.enum
    assert status.enum[-1] == "stopped"


def test_automations_sibling_details_at_each_level() -> None:
    run_ended = event(seed_page("automations.md"), "com.qlik.v1.automation.run.ended")
    assert prop(run_ended.payload, "data.metrics.blocks").truncated is True
    assert prop(run_ended.payload, "data.metrics.network").truncated is True
    blocks = prop(run_ended.payload, "data.blocks")
    assert blocks.truncated is False
    assert names(blocks.properties)[:3] == ["type", "params", "rxBytes"]
    assert prop(run_ended.payload, "data.network.rxBytes").metadata == [
        ("default", 0),
        ("default", 0),
    ]


def test_automations_schema_details_nest() -> None:
    page = seed_page("automations.md")
    run = page.schemas["runObject"]
    blocks = prop(run.properties, "metrics.blocks")
    assert {f.name for f in blocks.properties or [] if f.required} == {
        "type",
        "rxBytes",
        "txBytes",
    }
    assert names(page.schemas["metricsObject"].properties) == [
        "blocks",
        "network",
        "totalApiCalls",
    ]
    assert page.schemas["metricsObject"].description == ""


# --- synthetic pages -----------------------------------------------------------------------


def test_synthetic_users_page_header_and_channels() -> None:
    page = synthetic_page("users.md")
    assert (page.title, page.domain) == ("Directory users", "directory-users")
    assert page.source_url == "https://example.test/events/identity/users/"
    assert page.last_updated == "2031-02-03T04:05:06Z"
    assert page.toc == {
        "directory.users": ["org.example.user.invited", "org.example.user.removed"],
        "directory.audit": ["org.example.user.login.failed"],
    }
    assert [(e.type, e.channel) for e in page.events] == [
        ("org.example.user.invited", "directory.users"),
        ("org.example.user.removed", "directory.users"),
        ("org.example.user.login.failed", "directory.audit"),
    ]
    assert {e.domain for e in page.events} == {"directory-users"}


def test_synthetic_event_attributes_and_multi_paragraph_description() -> None:
    page = synthetic_page("users.md")
    invited = event(page, "org.example.user.invited")
    assert (invited.visibility, invited.stability) == ("internal", "beta")
    assert invited.description == (
        "Emitted once an administrator sends an invitation.\n"
        "The invitee has not accepted yet.\n\n"
        "A second paragraph with a `code span`."
    )
    removed = event(page, "org.example.user.removed")
    # Attribute lines without blank lines between them.
    assert (removed.title, removed.action, removed.visibility) == ("User removed", "send", None)
    assert removed.description == "Emitted after removal."
    failed = event(page, "org.example.user.login.failed")
    assert (failed.description, failed.examples) == (None, [])


def test_synthetic_metadata_keys_and_clause_positions() -> None:
    invited = event(synthetic_page("users.md"), "org.example.user.invited")
    event_id = prop(invited.payload, "eventId")
    assert event_id.metadata == [("maxLength", 64), ("pattern", "^[a-z0-9-]+$")]
    attempt = prop(invited.payload, "attempt")
    assert attempt.metadata == [("minimum", 1), ("maximum", 5), ("default", 1)]
    assert attempt.description == "Delivery attempt counter."
    channel = prop(invited.payload, "channel")
    assert channel.enum == ["email", "sms", "in app"]
    assert channel.metadata == [("default", "email")]
    assert channel.description == "How the invitation travels."
    tier = prop(invited.payload, "tier")
    assert (tier.enum, tier.metadata) == (["free plan", "paid plan"], [("deprecated", True)])
    assert tier.description == "Plan tier."
    assert prop(invited.payload, "note").description == "Free text; renders a | b literally."
    groups = prop(invited.payload, "payload.groups")
    assert groups.metadata == [("maxItems", 10), ("uniqueItems", True)]
    level = prop(invited.payload, "payload.groups.grants.level")
    assert level.metadata == [("exclusiveMinimum", 0), ("multipleOf", 0.5)]


def test_synthetic_deep_nesting_through_object_arrays() -> None:
    invited = event(synthetic_page("users.md"), "org.example.user.invited")
    assert names(prop(invited.payload, "payload").properties) == ["inviteId", "groups", "labels"]
    grants = prop(invited.payload, "payload.groups.grants")
    assert grants.type.raw == "object[]"
    assert names(grants.properties) == ["scope", "level"]
    kind = prop(invited.payload, "payload.groups.grants.scope.kind")
    assert (kind.enum, kind.description, kind.line) == (["space"], "", 77)
    ref = prop(invited.payload, "payload.groups.grants.scope.ref")
    assert (ref.truncated, ref.properties) == (True, None)
    assert prop(invited.payload, "payload.labels").properties is None


def test_synthetic_multiple_examples_keep_order_and_lines() -> None:
    invited = event(synthetic_page("users.md"), "org.example.user.invited")
    assert [x.line for x in invited.examples] == [97, 107]
    assert invited.examples[0].value["payload"]["groups"][0]["groupId"] == "g-1"
    assert list(invited.examples[1].value) == ["eventId", "zeta", "alpha"]


def test_synthetic_untyped_and_schema_without_properties() -> None:
    page = synthetic_page("users.md")
    extra = prop(event(page, "org.example.user.removed").payload, "extra")
    assert (extra.type.kind, extra.description, extra.required) == ("untyped", "", False)
    assert list(page.schemas) == ["inviteBody", "auditCode"]
    assert names(prop(page.schemas["inviteBody"].properties, "groups").properties) == ["groupId"]
    audit = page.schemas["auditCode"]
    assert audit.type is not None and audit.type.kind == "string"
    assert (audit.properties, audit.description) == (None, "")


def test_synthetic_spaces_page_without_front_matter() -> None:
    page = synthetic_page("spaces.md")
    assert (page.source_url, page.last_updated, page.toc, page.schemas) == (None, None, {}, {})
    renamed = event(page, "org.example.space.renamed")
    assert renamed.channel == "workspace.spaces"
    assert renamed.stability == "experimental"
    assert prop(renamed.payload, "spaceId").metadata == [("minLength", 1), ("maxLength", 36)]
    before = prop(renamed.payload, "names.before")
    assert before.metadata == [("title", "Old, previous name"), ("examples", ["a", "b"])]
    assert prop(renamed.payload, "names.after").metadata == [("const", None)]
    members = prop(renamed.payload, "members")
    assert members.type.items is not None and members.type.items.name == "memberEntry"
    assert prop(renamed.payload, "members.roles").metadata == [("minItems", 1)]


# --- malformed pages -----------------------------------------------------------------------

BASE = """\
---
source: https://example.test/events/widgets/
last_updated: 2030-01-01
---

# Widgets

## Table of Contents

### shop.widgets

- [org.example.widget.made](#orgexamplewidgetmade)

## Events published on the `shop.widgets` channel

### org.example.widget.made

**Title:** Widget made

**Action:** `send`

Emitted when a widget is made.

**Payload**

| Name | Type | Required | Description |
| --- | --- | --- | --- |
| `id` | `string` | Yes | Widget key. Metadata: minLength = 1. |
| `color` | `string` | No | Paint. Allowed values: red \\| blue. |
| `parts` | `object[]` | No | Components. |

<details>
<summary>Properties of `parts`</summary>

| Name | Type | Required | Description |
| --- | --- | --- | --- |
| `partId` | `string` | Yes | Part key. |

</details>

**Example**

```json
{
  "id": "w-1",
  "color": "red"
}
```

## Schemas

### widgetPart

**Type:** `object`

**Properties**

| Name | Type | Required | Description |
| --- | --- | --- | --- |
| `sku` | `string` | Yes | Stock unit. |
"""

ID_ROW = "| `id` | `string` | Yes | Widget key. Metadata: minLength = 1. |"

# Structure that cannot be read at all: an error naming the file and line.
# (case id, text to replace, replacement, marker on the line the error must name, message part)
MALFORMED = [
    ("unclosed-details", "</details>\n", "", "<details>", "not closed"),
    ("too-few-cells", ID_ROW, "| `id` | `string` | Yes |", "`id`", "has 3 cells"),
    ("unescaped-pipe", "red \\| blue", "red | blue", "`color`", "has 5 cells"),
    (
        "bad-table-header",
        "| Name | Type | Required | Description |\n| --- | --- | --- | --- |\n" + ID_ROW,
        "| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n" + ID_ROW,
        "| Field |",
        "expected the table header",
    ),
    (
        "unclosed-fence",
        '  "color": "red"\n}\n```\n',
        '  "color": "red"\n}\n',
        "```json",
        "never closed",
    ),
    (
        "no-event-sections",
        "### org.example.widget.made\n",
        "#### org.example.widget.made\n",
        "---",
        "no event sections",
    ),
]

# A construct whose meaning cannot be read: left out (no constraint), a warning with the
# line, and the rest of the page still parsed.
QUIRKS = [
    ("bad-required", ID_ROW, ID_ROW.replace("Yes", "Maybe"), "`id`", "not Yes or No"),
    (
        "unknown-type",
        ID_ROW,
        ID_ROW.replace("`string`", "`string or null`"),
        "`id`",
        "unknown type `string or null`",
    ),
    (
        "summary-names-missing-field",
        "Properties of `parts`",
        "Properties of `pieces`",
        "Properties of `pieces`",
        "not a property at this level",
    ),
    ("invalid-example-json", '"color": "red"', '"color": red', '"color": red', "invalid JSON"),
    (
        "unknown-metadata-key",
        "minLength = 1",
        "minLenght = 1",
        "minLenght",
        "unknown Metadata key `minLenght`",
    ),
    (
        "unparseable-metadata-value",
        "minLength = 1",
        "format = date-time",
        "format = date-time",
        "not a JSON literal: `date-time`",
    ),
    ("empty-allowed-value", "red \\| blue", "red \\| \\| blue", "`color`", "empty value"),
    (
        "event-without-payload",
        "## Schemas",
        "### org.example.widget.lost\n\n**Title:** Widget lost\n\n## Schemas",
        "### org.example.widget.lost",
        "has no **Payload** table",
    ),
    (
        "table-without-payload-marker",
        "**Payload**\n\n| Name",
        "| Name",
        "| Name | Type",
        "no **Payload** marker",
    ),
    ("unknown-section", "## Schemas", "## Notes", "## Notes", "not a known section"),
    (
        "unknown-event-attribute",
        "**Action:** `send`",
        "**Owner:** `team`",
        "**Owner:**",
        "unknown event attribute `**Owner:**`",
    ),
    ("duplicate-example-key", '"color": "red"', '"id": "w-2"', "```json", "appears twice"),
    (
        "details-without-table",
        "<summary>Properties of `parts`</summary>\n\n| Name | Type | Required | Description |\n"
        "| --- | --- | --- | --- |\n| `partId` | `string` | Yes | Part key. |\n",
        "<summary>Properties of `parts`</summary>\n\nSome words.\n",
        "<details>",
        "gives no properties",
    ),
    (
        "second-details-for-same-field",
        "</details>\n",
        "</details>\n\n<details>\n<summary>Properties of `parts` </summary>\n\n"
        "_Properties truncated due to depth limit._\n\n</details>\n",
        "Properties of `parts` </summary>",
        "already has a <details> block",
    ),
    (
        "details-names-duplicated-field",
        "| `parts` | `object[]` | No | Components. |",
        "| `parts` | `object[]` | No | Components. |\n| `parts` | `object` | No | Again. |",
        "Properties of `parts`",
        "listed 2 times",
    ),
]

# Presentation only: the same page model, no warning.
PRESENTATION = [
    ("type-cell-without-backticks", ID_ROW, ID_ROW.replace("`string`", "string")),
    ("prose-after-payload", "**Example**\n", "Stray remark.\n\n**Example**\n"),
    ("star-toc-bullet", "- [org.example", "* [org.example"),
    ("text-before-first-section", "# Widgets\n", "# Widgets\n\nIntro text.\n"),
    ("unknown-front-matter-key", "source:", "title: Widgets\nsource:"),
    ("admonition", "Emitted when", "> **Note:** widgets are made in batches.\n\nEmitted when"),
]


def test_duplicate_rows_are_kept_for_the_checker() -> None:
    row = "| `color` | `string` | No | Paint. Allowed values: red \\| blue. |"
    text = BASE.replace(row, row + "\n| `color` | `integer` | Yes | Paint code. |")
    made = event(parse(text, "widgets.md"), "org.example.widget.made")
    colors = [f for f in made.payload or [] if f.name == "color"]
    assert [(f.type.kind, f.required, f.line) for f in colors] == [
        ("string", False, 29),
        ("integer", True, 30),
    ]


def line_of(text: str, marker: str) -> int:
    return next(no for no, line in enumerate(text.split("\n"), 1) if marker in line)


def test_base_page_for_malformed_cases_is_valid() -> None:
    page = parse(BASE, "widgets.md")
    made = event(page, "org.example.widget.made")
    assert names(made.payload) == ["id", "color", "parts"]
    assert prop(made.payload, "color").enum == ["red", "blue"]
    assert names(prop(made.payload, "parts").properties) == ["partId"]
    assert made.examples[0].value == {"id": "w-1", "color": "red"}
    assert names(page.schemas["widgetPart"].properties) == ["sku"]


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_malformed_page_reports_line(old: str, new: str, marker: str, message: str) -> None:
    assert BASE.count(old) == 1, "the case must change exactly one place of the base page"
    text = BASE.replace(old, new)
    with pytest.raises(PageError) as caught:
        parse(text, "widgets.md")
    error = caught.value
    assert error.path == "widgets.md"
    assert error.line == line_of(text, marker), error.message
    assert message in error.message
    assert str(error).startswith(f"widgets.md:{error.line}: ")
    assert "\n" not in error.message


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [case[1:] for case in QUIRKS],
    ids=[case[0] for case in QUIRKS],
)
def test_unreadable_construct_is_a_warning_with_its_line(
    old: str, new: str, marker: str, message: str
) -> None:
    assert BASE.count(old) == 1, "the case must change exactly one place of the base page"
    text = BASE.replace(old, new)
    page = parse(text, "widgets.md")
    found = [w for w in page.warnings if message in w.message]
    assert found, [str(w) for w in page.warnings]
    assert found[0].line == line_of(text, marker), str(found[0])
    assert str(found[0]).startswith(f"widgets.md:{found[0].line}: ")
    assert "\n" not in found[0].message
    # The rest of the page is still read.
    assert event(page, "org.example.widget.made").title == "Widget made"


@pytest.mark.parametrize(
    ("old", "new"),
    [case[1:] for case in PRESENTATION],
    ids=[case[0] for case in PRESENTATION],
)
def test_presentation_changes_parse_to_the_same_model(old: str, new: str) -> None:
    assert BASE.count(old) == 1, "the case must change exactly one place of the base page"
    base = parse(BASE, "widgets.md")
    page = parse(BASE.replace(old, new), "widgets.md")
    assert page.warnings == []
    assert _shape(event(page, "org.example.widget.made")) == _shape(
        event(base, "org.example.widget.made")
    )
    assert page.toc == base.toc and page.last_updated == base.last_updated


def _shape(ev: EventDoc) -> object:
    def fields(fs: list[Field] | None) -> object:
        if fs is None:
            return None
        return [
            (f.name, f.type.kind, f.required, f.enum, f.metadata, fields(f.properties)) for f in fs
        ]

    return (ev.title, ev.action, ev.description, fields(ev.payload), [e.value for e in ev.examples])


def test_unknown_type_constrains_nothing() -> None:
    from qevcontract.builder._schema import EventSource, event_contract

    page = parse(BASE.replace(ID_ROW, ID_ROW.replace("`string`", "`string or null`")), "w.md")
    contract = event_contract(EventSource(event(page, "org.example.widget.made"), page))
    id_schema = contract["properties"]["id"]
    assert "type" not in id_schema and id_schema["x-qev-unknown-type"] == "string or null"
    assert id_schema["minLength"] == 1  # the readable metadata is still honoured
    assert "id" in contract["required"]


# --- typed enums ---------------------------------------------------------------------------

COLOR_ROW = "| `color` | `string` | No | Paint. Allowed values: red \\| blue. |"


def typed_rows(*rows: str) -> str:
    assert BASE.count(COLOR_ROW) == 1
    return BASE.replace(COLOR_ROW, "\n".join([COLOR_ROW, *rows]))


def test_allowed_values_take_the_declared_json_type() -> None:
    text = typed_rows(
        "| `level` | `integer` | No | Allowed values: 1 \\| 2 \\| 3. |",
        "| `ratio` | `number` | No | Allowed values: 0.5 \\| 1 \\| 2.5e1. |",
        "| `on` | `boolean` | No | Allowed values: true \\| false. |",
        "| `codes` | `string` | No | Allowed values: 1 \\| true \\| null. |",
    )
    made = event(parse(text, "widgets.md"), "org.example.widget.made")
    assert prop(made.payload, "level").enum == [1, 2, 3]
    assert prop(made.payload, "ratio").enum == [0.5, 1, 25.0]
    assert prop(made.payload, "on").enum == [True, False]
    assert prop(made.payload, "codes").enum == ["1", "true", "null"]  # strings stay text
    assert [type(v) for v in prop(made.payload, "level").enum or []] == [int, int, int]


def test_allowed_values_of_an_array_field_constrain_its_items() -> None:
    """`string[]` with `Allowed values: red | blue` allows ["red", "blue"], not "red"; an
    array of integers takes integers, an array of arrays constrains the innermost values."""
    from jsonschema import Draft202012Validator

    from qevcontract.builder._schema import EventSource, event_contract

    text = typed_rows(
        "| `tags` | `string[]` | No | Allowed values: red \\| blue. |",
        "| `levels` | `integer[]` | No | Allowed values: 1 \\| 2. |",
        "| `grid` | `integer[][]` | No | Allowed values: 0 \\| 1. |",
    )
    page = parse(text, "widgets.md")
    made = event(page, "org.example.widget.made")
    assert prop(made.payload, "levels").enum == [1, 2]
    props = event_contract(EventSource(made, page))["properties"]

    def valid(name: str, value: object) -> bool:
        return Draft202012Validator(props[name]).is_valid(value)

    assert valid("tags", ["red", "blue", "red"]) and valid("tags", [])
    assert not valid("tags", ["green"]) and not valid("tags", "red")
    assert valid("levels", [1, 2]) and not valid("levels", ["1"]) and not valid("levels", [3])
    assert valid("grid", [[0, 1], [1]]) and not valid("grid", [[2]]) and not valid("grid", [0])


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("| `level` | `integer` | No | Allowed values: 1 \\| two. |", "'two' is not an integer"),
        ("| `level` | `integer` | No | Allowed values: 1 \\| 1.5. |", "'1.5' is not an integer"),
        ("| `level` | `integer` | No | Allowed values: 1 \\| true. |", "'true' is not an integer"),
        ("| `ratio` | `number` | No | Allowed values: NaN. |", "'NaN' is not a number"),
        ("| `on` | `boolean` | No | Allowed values: yes \\| no. |", "'yes' is not a boolean"),
    ],
)
def test_allowed_values_that_do_not_fit_the_type_name_file_and_line(row: str, message: str) -> None:
    text = typed_rows(row)
    page = parse(text, "widgets.md")
    (warning,) = page.warnings
    assert (warning.path, warning.line) == ("widgets.md", line_of(text, row))
    assert message in warning.message
    assert "Allowed values" in warning.message
    name = row.split("`")[1]
    assert prop(event(page, "org.example.widget.made").payload, name).enum is None


# --- Metadata keys: one list shared with the schema step -------------------------------------


def test_metadata_value_keywords_are_accepted_and_build() -> None:
    from qevcontract.builder._schema import EventSource, event_contract

    row = (
        "| `tags` | `string[]` | No | Metadata: maxContains = 2, minContains = 1, "
        "dependentRequired = {}. |"
    )
    text = typed_rows(row)
    page = parse(text, "widgets.md")
    made = event(page, "org.example.widget.made")
    assert prop(made.payload, "tags").metadata == [
        ("maxContains", 2),
        ("minContains", 1),
        ("dependentRequired", {}),
    ]
    tags = event_contract(EventSource(made, page))["properties"]["tags"]
    assert (tags["maxContains"], tags["minContains"], tags["dependentRequired"]) == (2, 1, {})


@pytest.mark.parametrize(
    ("clause", "hint"),
    [
        ('enum = ["a"]', "Allowed values:"),
        ('type = "integer"', "Type column"),
        ("required = true", "Required column"),
        ('description = "x"', "description"),
    ],
)
def test_metadata_keys_with_their_own_page_syntax_are_refused(clause: str, hint: str) -> None:
    row = f"| `n` | `string` | No | Metadata: {clause}, minLength = 2. |"
    text = typed_rows(row)
    page = parse(text, "widgets.md")
    (warning,) = page.warnings
    assert warning.line == line_of(text, row)
    assert hint in warning.message
    # Left out, and the entry after it is still read.
    assert prop(event(page, "org.example.widget.made").payload, "n").metadata == [("minLength", 2)]


@pytest.mark.parametrize("key", ["items", "properties", "$ref", "allOf", "contains", "not"])
def test_metadata_keys_that_hold_subschemas_are_refused(key: str) -> None:
    row = f"| `n` | `string` | No | Metadata: {key} = {{}}. |"
    page = parse(typed_rows(row), "widgets.md")
    assert [w.message for w in page.warnings] == [
        f"unknown Metadata key `{key}` of `n` ignored; only JSON Schema keywords with a literal "
        "value are read"
    ]
    assert prop(event(page, "org.example.widget.made").payload, "n").metadata == []


def test_every_metadata_key_the_parser_accepts_the_schema_step_accepts() -> None:
    from qevcontract.builder import _markdown_page as markdown_page
    from qevcontract.builder import _schema as schema

    assert markdown_page.METADATA_KEYWORDS is schema.METADATA_KEYWORDS
