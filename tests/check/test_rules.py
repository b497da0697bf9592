"""Every rule: a small contract set (or page) that triggers it, and its fixed twin that does not.

Each case builds the quirky input and the same input with the quirk fixed; the rule must
report the quirk at the expected location, and nothing on the fixed twin. A meta-test makes
sure no rule is left without a case.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from qevcontract.builder._pages import parse_pages
from qevcontract.check._registry import all_rules, find_rule
from qevcontract.check._runner import run_check

from .conftest import TYPE, event, good_example, markdown_page, write_set

Contracts = list[dict[str, Any]]


@dataclass
class Case:
    quirky: Callable[[], Contracts]
    fixed: Callable[[], Contracts]
    location: str  # where the finding must be (a JSON pointer, or page:line)
    event_type: str | None = TYPE
    pages: tuple[str, str] | None = None  # (quirky page text, fixed page text)
    extra: dict[str, Any] = field(default_factory=dict)


def data(props: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "description": "The widget.", "properties": props, **extra}


def s(description: str = "A value.", **kw: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **kw}


def two_events(a: dict[str, Any], b: dict[str, Any]) -> Contracts:
    return [a, b]


T2 = "com.example.widget.deleted"
T3 = "com.example.widget.updated"

# ----------------------------------------------------------------------------- cases


def _recipients(items: dict[str, Any], example: Any) -> Contracts:
    return [
        event(
            data=data({"recipientIds": {"type": "array", "description": "IDs.", "items": items}}),
            example_data={"recipientIds": example},
        )
    ]


def _unreadable_ref() -> Contracts:
    c = event()
    c["allOf"].append({"$ref": "https://elsewhere.invalid/schema.json"})
    return [c]


def _versioned(types: list[str]) -> Contracts:
    return [event(t) for t in types]


def _spelled(first: str) -> Contracts:
    return [
        event(TYPE, data=data({first: s("The alert.")}), example_data={first: "a1"}),
        event(T2, data=data({"alertId": s("The alert.")}), example_data={"alertId": "a1"}),
        event(T3, data=data({"alertId": s("The alert.")}), example_data={"alertId": "a1"}),
    ]


def _enums(second_values: list[str]) -> Contracts:
    return [
        event(TYPE, data=data({"accessType": s("Access.", enum=["SOURCE", "TARGET"])}),
              example_data={"accessType": "SOURCE"}),
        event(T2, data=data({"accessMode": s("Access.", enum=second_values)}),
              example_data={"accessMode": second_values[0]}),
    ]  # fmt: skip


def _example_attr(**attrs: Any) -> Contracts:
    return [event(examples=[good_example(TYPE, {"name": "w"}, **attrs)])]


def _shared_ids(second_id: str) -> Contracts:
    return [
        event(TYPE, examples=[good_example(TYPE, {"name": "w"}, id="same")]),
        event(T2, examples=[good_example(T2, {"name": "w"}, id=second_id)]),
    ]


def _tenant(third_required: bool) -> Contracts:
    base = ["id", "type", "source", "specversion"]
    return [
        event(TYPE, required=[*base, "tenantid"]),
        event(T2, required=[*base, "tenantid"]),
        event(T3, required=[*base, "tenantid"] if third_required else base),
    ]


EXT_A = {
    "type": "object",
    "properties": {"tenantid": {"type": "string"}, "userid": {"type": "string"}},
    "required": ["tenantid"],
}


# A payload schema (its properties are not envelope attributes).
OWNER = {
    "type": "object",
    "properties": {"ownerId": {"type": "string"}, "ownerName": {"type": "string"}},
    "required": ["ownerId"],
}


def _defs_in_domains(
    second: dict[str, Any], name: str = "extAttrs", first: dict[str, Any] = EXT_A
) -> Contracts:
    return [
        event(TYPE, domain="widgets", defs={name: first}),
        event("com.example.gadget.created", domain="gadgets", defs={name: second}),
    ]


def _aliases(third_name: str) -> Contracts:
    ce = {"type": "object", "properties": {"id": s(), "type": s(), "source": s()}}
    return [
        event(TYPE, domain="widgets", defs={"ceContext": ce}),
        event("com.example.gadget.created", domain="gadgets", defs={"ceContext": ce}),
        event("com.example.gizmo.created", domain="gizmos", defs={third_name: ce}),
    ]


def _named_type(props: dict[str, Any]) -> Contracts:
    inline = data(props, **{"x-qev-named-type": "runObject"})
    run = {"type": "object", "properties": {"id": s("The run.")}}
    return [event(data=inline, example_data={"id": "r1"}, defs={"runObject": run})]


def _sizes(first_props: dict[str, Any]) -> Contracts:
    size = {"type": "object", "description": "Sizes.", "properties": {}}
    full = {"file": {"type": "integer", "description": "File."},
            "memory": {"type": "integer", "description": "Memory."}}  # fmt: skip
    out = []
    for t, props in ((TYPE, first_props), (T2, full), (T3, full)):
        out.append(
            event(t, data=data({"size": {**size, "properties": props}}),
                  example_data={"size": {k: 1 for k in props}})
        )  # fmt: skip
    return out


def _channel_attr(third_has: bool) -> Contracts:
    extra = {"ownerid": {"type": "string", "description": "The owner."}}
    return [
        event(TYPE, extra_props=extra),
        event(T2, extra_props=extra),
        event(T3, extra_props=extra if third_has else None),
    ]


def _event_type_attr(first: dict[str, Any]) -> Contracts:
    def prop(t: str) -> dict[str, Any]:
        return {"eventtype": {"type": "string", "description": "The type.", "default": t}}

    first_prop = {"eventtype": {"type": "string", "description": "The type.", **first}}
    return [
        event(TYPE, extra_props=first_prop),
        event(T2, extra_props=prop(T2)),
        event(T3, extra_props=prop(T3)),
    ]


def _node(schema: dict[str, Any], example: Any = None) -> Contracts:
    return [event(data=data({"field": schema}), example_data={"field": example} if example else {})]


def _dup_meta(default_twice: bool) -> str:
    meta = "Metadata: default = 0, default = 0." if default_twice else "Metadata: default = 0."
    return markdown_page([(TYPE, f"| `count` | `integer` | No | Count. {meta} |")])


def _toc(extra_listed: bool) -> str:
    listed = [TYPE, T2] if extra_listed else [TYPE]
    return markdown_page([(TYPE, "")], toc=listed)


def _claims(version: str) -> str:
    return (
        "New widget events\n"
        f"All new events follow the CloudEvents {version} specification.\n"
        "New event types\n"
        "Widgets\n"
        f"{TYPE}: a widget was created\n"
    )


PATH = "/properties/data/properties"

CASES: dict[str, Case] = {
    "QEV200": Case(_unreadable_ref, lambda: [event()], ""),
    "QEV201": Case(
        lambda: _recipients({"type": "string"}, [["a", "b"]]),
        lambda: _recipients({"type": "string"}, ["a", "b"]),
        "/examples/0/data/recipientIds/0",
    ),
    "QEV202": Case(
        lambda: [event(example_data={"name": "w", "colour": "red"})],
        lambda: [event(example_data={"name": "w"})],
        "/examples/0/data/colour",
    ),
    "QEV203": Case(
        lambda: [
            event(data=data({"spaceId": s("The space.")}), example_data={"spaceId": "string"})
        ],
        lambda: [event(data=data({"spaceId": s("The space.")}), example_data={"spaceId": "s-1"})],
        "/examples/0/data/spaceId",
    ),
    "QEV204": Case(
        lambda: _node(s("When.", format="date-time"), "2021-12-23T12:28:21.000000Z"),
        lambda: _node(s("When.", format="date-time"), "2021-12-23T12:28:21.123Z"),
        "/examples/0/data/field",
    ),
    "QEV205": Case(lambda: [event(examples=[])], lambda: [event()], "/examples"),
    "QEV301": Case(
        lambda: _example_attr(type="com.example.widgets.created"),
        lambda: _example_attr(),
        "/examples/0/type",
    ),
    "QEV302": Case(
        lambda: [event(extra_props={"eventType": s("Type.", enum=[T2])})],
        lambda: [event(extra_props={"eventType": s("Type.", enum=[TYPE])})],
        "/properties/eventType/enum",
    ),
    "QEV303": Case(
        lambda: [event()],
        lambda: [event()],
        "widgets.md:13",
        event_type=T2,
        pages=(_toc(True), _toc(False)),
    ),
    "QEV304": Case(
        lambda: _versioned(["com.example.v1.widget.created", T2, T3]),
        lambda: _versioned([TYPE, T2, T3]),
        "/x-qev-event/type",
        event_type="com.example.v1.widget.created",
    ),
    "QEV305": Case(lambda: _spelled("alertID"), lambda: _spelled("alertId"), f"{PATH}/alertID"),
    "QEV306": Case(
        lambda: _enums(["SOURCE", "TARGET"]),
        lambda: _enums(["READ", "WRITE"]),
        f"{PATH}/accessMode",
        event_type=T2,
    ),
    "QEV401": Case(
        lambda: _example_attr(specversion="1.0.2"),
        lambda: _example_attr(),
        "/examples/0/specversion",
    ),
    "QEV402": Case(
        lambda: [event(extra_props={"eventType": s("Type.")})],
        lambda: [event(extra_props={"eventtype": s("Type.")})],
        "/properties/eventType",
    ),
    "QEV403": Case(
        lambda: [
            event(
                extra_props={
                    "extensions": {
                        "type": "object",
                        "description": "Ext.",
                        "properties": {"userid": s()},
                    }
                }
            )
        ],
        lambda: [event(extra_props={"userid": s()})],
        "/properties/extensions",
    ),
    "QEV404": Case(
        lambda: _example_attr(datacontenttype="string"),
        lambda: _example_attr(),
        "/examples/0/datacontenttype",
    ),
    "QEV405": Case(
        lambda: _example_attr(time="yesterday"), lambda: _example_attr(), "/examples/0/time"
    ),
    "QEV406": Case(
        lambda: _example_attr(source="not a reference"),
        lambda: _example_attr(),
        "/examples/0/source",
    ),
    "QEV407": Case(
        lambda: _example_attr(source="com.example/widgets"),
        lambda: _example_attr(),
        "/examples/0/source",
    ),
    "QEV408": Case(
        lambda: _shared_ids("same"), lambda: _shared_ids("other"), "/examples/0/id", event_type=T2
    ),
    "QEV409": Case(
        lambda: [event(required=["id", "type", "specversion"])],
        lambda: [event()],
        "/properties/source",
    ),
    "QEV410": Case(
        lambda: _example_attr(authclaims='{\n  "sub": "u1"\n}'),
        lambda: _example_attr(authclaims='{"sub": "u1"}'),
        "/examples/0/authclaims",
    ),
    "QEV501": Case(
        lambda: _tenant(False), lambda: _tenant(True), "/properties/tenantid", event_type=T3
    ),
    "QEV502": Case(
        lambda: _defs_in_domains({**OWNER, "required": []}, "owner", first=OWNER),
        lambda: _defs_in_domains(copy.deepcopy(OWNER), "owner", first=OWNER),
        "/$defs/owner",
        event_type=None,
    ),
    "QEV503": Case(
        lambda: _aliases("ceAttrs"),
        lambda: _aliases("ceContext"),
        "/$defs/ceAttrs",
        event_type=None,
    ),
    "QEV504": Case(
        lambda: _named_type({"id": s("The run."), "title": s("The title.")}),
        lambda: _named_type({"id": s("The run.")}),
        "/properties/data",
    ),
    "QEV505": Case(
        lambda: _sizes({"memory": {"type": "integer", "description": "Memory."}}),
        lambda: _sizes(
            {
                "file": {"type": "integer", "description": "File."},
                "memory": {"type": "integer", "description": "Memory."},
            }
        ),
        f"{PATH}/size",
    ),
    "QEV506": Case(
        lambda: _channel_attr(False), lambda: _channel_attr(True), "/properties", event_type=T3
    ),
    "QEV507": Case(
        lambda: _event_type_attr({"enum": [TYPE]}),
        lambda: _event_type_attr({"default": TYPE}),
        "/properties/eventtype",
    ),
    "QEV601": Case(
        lambda: _node({"type": "object", "description": "Cut.", "x-qev-truncated": True}),
        lambda: _node({"type": "object", "description": "Cut.", "properties": {"a": s()}}),
        f"{PATH}/field",
    ),
    "QEV602": Case(
        lambda: _node({"description": "Anything.", "x-qev-untyped": True}),
        lambda: _node(s("Anything.")),
        f"{PATH}/field",
    ),
    "QEV603": Case(
        lambda: _node({"type": "array", "description": "Errors.", "x-qev-items-undefined": True}),
        lambda: _node({"type": "array", "description": "Errors.", "items": {"type": "string"}}),
        f"{PATH}/field",
    ),
    "QEV604": Case(
        lambda: _node({"type": "object", "description": "Custom."}),
        lambda: _node({"type": "object", "description": "Custom.", "properties": {"a": s()}}),
        f"{PATH}/field",
    ),
    "QEV605": Case(
        lambda: [event(payload_documented=False)], lambda: [event()], "/x-qev-payload-undocumented"
    ),
    "QEV606": Case(lambda: [event(deprecated=True)], lambda: [event()], "/x-qev-event/deprecated"),
    "QEV607": Case(
        lambda: _node(s("Old.", deprecated=True)), lambda: _node(s("Old.")), f"{PATH}/field"
    ),
    "QEV608": Case(
        lambda: [event(required_documented=False)],
        lambda: [event()],
        "/x-qev-event/required_documented",
    ),
    "QEV609": Case(
        lambda: _node({"type": "string"}), lambda: _node(s("Described.")), f"{PATH}/field"
    ),
    "QEV610": Case(
        lambda: [event(channel=None, stability=None)], lambda: [event()], "/x-qev-event"
    ),
    "QEV611": Case(
        lambda: [event()],
        lambda: [event()],
        "widgets.md:32",
        pages=(_dup_meta(True), _dup_meta(False)),
    ),
    "QEV701": Case(
        lambda: _node(s("Indicates whether the widget is enabled or not.")),
        lambda: _node(
            {"type": "boolean", "description": "Indicates whether the widget is enabled."}
        ),
        f"{PATH}/field",
    ),
    "QEV702": Case(
        lambda: _node(s("The tier. Defaults to `FREE` when not specified.")),
        lambda: _node(s("The tier. Defaults to `FREE` when not specified.", default="FREE")),
        f"{PATH}/field",
    ),
    "QEV703": Case(
        lambda: _node({"type": "array", "description": "Errors. Max items 5.", "items": s()}),
        lambda: _node(
            {"type": "array", "description": "Errors. Max items 5.", "items": s(), "maxItems": 5}
        ),
        f"{PATH}/field",
    ),
    "QEV704": Case(
        lambda: _node(s("The run duration in ISO 8601 format.")),
        lambda: _node(s("The run duration in ISO 8601 format.", format="duration")),
        f"{PATH}/field",
    ),
    "QEV705": Case(
        lambda: _node(s("Time when the widget was created.")),
        lambda: _node(s("Time when the widget was created.", format="date-time")),
        f"{PATH}/field",
    ),
    "QEV706": Case(
        lambda: _node(s("The run duration in ISO 8601 format."), "90 seconds"),
        lambda: _node(s("The run duration in ISO 8601 format."), "PT1M30S"),
        "/examples/0/data/field",
    ),
    "QEV707": Case(
        lambda: _node(s("Reload status - error or ok.")),
        lambda: _node(s("Reload status - error or ok.", enum=["error", "ok"])),
        f"{PATH}/field",
    ),
    "QEV708": Case(
        lambda: [
            event(
                "com.example.run.ended",
                data=data({"runId": s("The run that has just started.")}),
            )
        ],
        lambda: [
            event(
                "com.example.run.ended",
                data=data({"runId": s("The run that has just ended.")}),
            )
        ],
        f"{PATH}/runId",
        event_type="com.example.run.ended",
    ),
    "QEV709": Case(
        lambda: _node(
            {
                "type": "object",
                "description": "Traffic.",
                "properties": {
                    "rxBytes": {"type": "integer", "description": "The number of received bytes."},
                    "txBytes": {"type": "integer", "description": "The number of received bytes."},
                },
            }
        ),
        lambda: _node(
            {
                "type": "object",
                "description": "Traffic.",
                "properties": {
                    "rxBytes": {"type": "integer", "description": "The number of received bytes."},
                    "txBytes": {"type": "integer", "description": "The number of sent bytes."},
                },
            }
        ),
        f"{PATH}/field/properties/txBytes",
    ),
    "QEV710": Case(
        lambda: [
            event(
                data=data(
                    {"ownerId": s("The owner. Only applicable for user tasks.")},
                    required=["ownerId"],
                ),
                example_data={"ownerId": "u1"},
            )
        ],
        lambda: [
            event(
                data=data({"ownerId": s("The owner.")}, required=["ownerId"]),
                example_data={"ownerId": "u1"},
            )
        ],
        f"{PATH}/ownerId",
    ),
}

# The docs-only part of QEV401: a page that claims another CloudEvents version.
CLAIM_CASE = Case(lambda: [event()], lambda: [event()], "changes.txt:2", event_type=None,
                  pages=(_claims("3.0"), _claims("1.0")))  # fmt: skip


def _run(tmp_path: Path, code: str, contracts: Contracts, page: str | None, name: str) -> Any:
    catalog = write_set(tmp_path / name / "contracts", contracts)
    pages = None
    if page is not None:
        page_file = tmp_path / name / ("changes.txt" if page.startswith("New") else "widgets.md")
        page_file.write_text(page)
        pages = parse_pages([page_file])
    report = run_check(catalog, pages, rules=[find_rule(code)])
    return [f for f in report.findings if f.rule == code]


# Rules that compare several pages have their cases in test_pages_rules.py.
MULTI_PAGE = {"QEV801", "QEV802"}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) | MULTI_PAGE == {r.code for r in all_rules()}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_reports_the_quirk_and_not_its_fixed_twin(code: str, tmp_path: Path) -> None:
    case = CASES[code]
    quirky_page, fixed_page = case.pages or (None, None)
    found = _run(tmp_path, code, case.quirky(), quirky_page, "quirky")
    assert found, f"{code} found nothing in its triggering input"
    assert any(f.location == case.location and f.event_type == case.event_type for f in found), [
        (f.event_type, f.location, f.message) for f in found
    ]
    assert _run(tmp_path, code, case.fixed(), fixed_page, "fixed") == []


def test_cloudevents_version_claims_in_prose_are_reported(tmp_path: Path) -> None:
    quirky, fixed = CLAIM_CASE.pages or ("", "")
    found = _run(tmp_path, "QEV401", CLAIM_CASE.quirky(), quirky, "quirky")
    assert [(f.location, f.event_type) for f in found] == [("changes.txt:2", None)]
    assert "3.0" in found[0].message
    assert _run(tmp_path, "QEV401", CLAIM_CASE.fixed(), fixed, "fixed") == []


def test_page_only_rules_do_not_run_without_pages(tmp_path: Path) -> None:
    catalog = write_set(tmp_path / "c", [event()])
    report = run_check(catalog)
    ran = {r.code for r in report.rules}
    assert "QEV303" not in ran and "QEV611" not in ran
    assert "QEV301" in ran


def test_an_outside_ref_is_reported_on_the_contract_that_holds_it(tmp_path: Path) -> None:
    catalog = write_set(tmp_path / "c", [*_unreadable_ref(), event(T2)])
    report = run_check(catalog, rules=[find_rule("QEV200")])
    assert [(f.event_type, f.location) for f in report.findings] == [(TYPE, "")]
    assert "https://elsewhere.invalid/schema.json" in report.findings[0].message


def test_a_broken_contract_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    catalog = write_set(tmp_path / "c", [event(), event(T2)])
    (tmp_path / "c" / "widgets" / f"{T2}.schema.json").write_text("{not json")
    report = run_check(catalog)
    broken = [f for f in report.findings if f.rule == "QEV200"]
    assert [(f.event_type, f.location) for f in broken] == [(T2, "")]
    assert "cannot be read" in broken[0].message


# Descriptions from the qlik.dev pages (/work/shared/qlik-pages) on which the old QEV701
# fired: each names the two values of a choice, or the field's name says it holds a kind.
CHOICES = [
    ("level", s("Indicates whether it is a user or admin-level role.", enum=["admin", "user"])),
    ("type", s("Whether the role is a default Qlik role or a custom role.",
               enum=["default", "custom"])),
    ("type", s("Indicates whether role is system/default or custom.")),
    ("userEntitlementType", s("Indicates whether this role will trigger promotion of a user "
                              "from a basic to a full user.")),
]  # fmt: skip


@pytest.mark.parametrize(("name", "schema"), CHOICES)
def test_flag_rule_leaves_two_valued_choices_alone(
    name: str, schema: dict[str, Any], tmp_path: Path
) -> None:
    contracts = [event(data=data({name: schema}))]
    assert _run(tmp_path, "QEV701", contracts, None, "choice") == []


@pytest.mark.parametrize(
    "schema",
    [
        s("Indicates whether the client is disabled."),  # oauth-clients.md disableTag
        s("Whether the widget is on.", enum=["true", "false"]),
        {"type": "integer", "description": "Whether the widget is on.", "enum": [0, 1]},
        s("Indicates whether the alerting task is enabled or not."),
    ],
)
def test_flag_rule_still_reports_yes_no_values_typed_otherwise(
    schema: dict[str, Any], tmp_path: Path
) -> None:
    contracts = [event(data=data({"enabled": schema}))]
    assert len(_run(tmp_path, "QEV701", contracts, None, "flag")) == 1


# Descriptions from the seeds and qlik.dev pages on which the old QEV708 fired: all are
# true in the opposite event, because they speak of the past.
PAST_CLAUSES = [
    ("com.example.recipient.removed", "The identifier of the alert the recipient was added to."),
    ("com.example.client.deleted", "Type of owner that created the client."),
    ("com.example.client.deleted", "Identifier of the tenant where the client was created."),
    ("com.example.role.deleted", "Selection of scopes added to this role."),
]


@pytest.mark.parametrize(("event_type", "description"), PAST_CLAUSES)
def test_opposite_verb_in_a_clause_about_the_past_is_not_reported(
    event_type: str, description: str, tmp_path: Path
) -> None:
    contracts = [event(event_type, data=data({"field": s(description)}))]
    assert _run(tmp_path, "QEV708", contracts, None, "past") == []


def test_page_copies_of_the_envelope_may_differ_between_pages(tmp_path: Path) -> None:
    """Each service documents its own extension attributes (the qlik.dev pages list
    `originip`, `sessionid`, ... on some pages only): not a QEV502 finding."""
    contracts = _defs_in_domains({**EXT_A, "required": []})
    assert _run(tmp_path, "QEV502", contracts, None, "envelope") == []


def test_only_the_optional_side_of_an_envelope_attribute_is_reported(tmp_path: Path) -> None:
    """`tenantid` required by one event and optional for two: a promise, not a gap."""
    required = event(TYPE, required=["id", "type", "source", "specversion", "tenantid"])
    others = [event(T2), event(T3)]
    assert _run(tmp_path, "QEV501", [required, *others], None, "promise") == []


@pytest.mark.parametrize(
    "description",
    [  # the qlik.dev pages' `_updates[].newValue` rows (core__groups.md, core__auth-settings.md)
        "JSON value of the field after the update. The value can be a scalar, array, object, "
        "or null, depending on the field.",
        "The new JSON value of the updated attribute.",
        "Value of the field before the update.",
    ],
)
def test_an_empty_type_the_description_explains_is_not_reported(
    description: str, tmp_path: Path
) -> None:
    contracts = _node({"description": description, "x-qev-untyped": True})
    assert _run(tmp_path, "QEV602", contracts, None, "any") == []


def test_bare_iso_8601_accepts_a_duration_and_a_date_time(tmp_path: Path) -> None:
    """ISO 8601 defines both; api-keys-configs.md says 'Maximum expiry for an API key, in
    ISO 8601 format.' and shows 'PT24H'."""
    described = s("Maximum expiry for an API key, in ISO 8601 format.")
    for value in ("PT24H", "2024-05-01T12:00:00Z"):
        assert _run(tmp_path, "QEV706", _node(described, value), None, value[:2]) == []
    found = _run(tmp_path, "QEV706", _node(described, "tomorrow"), None, "tomorrow")
    assert [f.location for f in found] == ["/examples/0/data/field"]
    dated = s("When the key expires, an ISO 8601 timestamp.")
    assert _run(tmp_path, "QEV706", _node(dated, "PT24H"), None, "dated") != []


def test_a_services_own_attribute_is_not_compared_across_pages(tmp_path: Path) -> None:
    """`updates` is required by the di-projects events and optional on hub-dashboards: two
    services' own attributes, not one attribute documented two ways."""
    updates = {"updates": {"type": "string", "description": "Updates."}}
    required = ["id", "type", "source", "specversion", "updates"]
    contracts = [
        event(TYPE, extra_props=updates, required=required),
        event(T2, extra_props=updates, required=required),
        event(T3, extra_props=updates),
    ]
    assert _run(tmp_path, "QEV501", contracts, None, "own") == []
