"""Small contract sets and doc pages for the check tests, written straight to tmp_path.

`event(...)` returns a contract shaped like the builder's output (envelope `$ref`s,
`x-qev-event`, provenance, verbatim examples) with every property described, so a rule
under test is the only thing that can fire; `write_set` writes a set with its catalogue.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from qevcontract._spec.envelopes import envelope_files as _envelope_files
from qevcontract._spec.uris import BASE_URI, CLOUDEVENTS_ID, QLIK_EXTENSIONS_ID
from qevcontract.contracts import Catalog, load

if TYPE_CHECKING:
    from qevcontract.check._report import Where
    from qevcontract.check._runner import CheckReport

TYPE = "com.example.widget.created"
DOMAIN = "widgets"
CHANNEL = "system-events.widget"


def envelope_props(event_type: str) -> dict[str, Any]:
    """The CloudEvents attributes as a markdown page documents them."""
    return {
        "id": {"type": "string", "minLength": 1, "description": "Identifies the event."},
        "type": {"type": "string", "const": event_type, "description": "The event type."},
        "source": {
            "type": "string",
            "format": "uri-reference",
            "description": "Identifies the context in which the event happened.",
        },
        "specversion": {
            "type": "string",
            "const": "1.0",
            "description": "The CloudEvents version.",
        },
        "time": {
            "type": "string",
            "format": "date-time",
            "description": "When it happened. Must adhere to RFC 3339.",
        },
        "datacontenttype": {"type": "string", "description": "Content type of data."},
        "tenantid": {"type": "string", "description": "The tenant."},
    }


def good_example(event_type: str, data: Any, **attrs: Any) -> dict[str, Any]:
    out = {
        "id": f"id-{event_type}",
        "type": event_type,
        "source": "https://example.test/widgets",
        "specversion": "1.0",
        "time": "2024-05-01T12:00:00Z",
        "datacontenttype": "application/json",
        "tenantid": "tenant-1",
        "data": data,
    }
    out.update(attrs)
    return out


def event(
    event_type: str = TYPE,
    *,
    data: dict[str, Any] | None = None,
    example_data: Any = None,
    examples: list[Any] | None = None,
    domain: str = DOMAIN,
    channel: str | None = CHANNEL,
    stability: str | None = "stable",
    extra_props: dict[str, Any] | None = None,
    drop_props: tuple[str, ...] = (),
    required: list[str] | None = None,
    defs: dict[str, Any] | None = None,
    payload_documented: bool = True,
    required_documented: bool = True,
    deprecated: bool = False,
    page: str = "widgets.md",
) -> dict[str, Any]:
    """A builder-shaped contract whose example is valid unless the caller says otherwise."""
    data_schema = data or {
        "type": "object",
        "description": "The widget.",
        "properties": {"name": {"type": "string", "description": "The widget's name."}},
    }
    props = envelope_props(event_type)
    for name in drop_props:
        props.pop(name, None)
    props["data"] = data_schema
    props.update(extra_props or {})
    if examples is None:
        examples = [good_example(event_type, example_data or {"name": "w1"})]
    contract: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE_URI}{domain}/{event_type}.schema.json",
        "title": event_type,
        "allOf": [{"$ref": CLOUDEVENTS_ID}, {"$ref": QLIK_EXTENSIONS_ID}],
        "type": "object",
        "properties": props
        if payload_documented
        else {
            "type": {"type": "string", "const": event_type},
            "specversion": {"type": "string", "const": "1.0"},
        },
        "required": required if required is not None else ["id", "type", "source", "specversion"],
        "examples": examples if payload_documented else [],
        "x-qev-event": {
            "type": event_type,
            "domain": domain,
            "channel": channel,
            "title": event_type,
            "action": "send",
            "visibility": "public",
            "stability": stability,
            "deprecated": deprecated,
            "payload_documented": payload_documented,
            "required_documented": payload_documented and required_documented,
        },
        "x-qev-provenance": [{"page": page, "line": 1, "format": "markdown"}],
    }
    if not payload_documented:
        contract["x-qev-payload-undocumented"] = True
        contract.pop("required")
    if defs:
        contract["$defs"] = copy.deepcopy(defs)
    return contract


def write_set(root: Path, contracts: list[dict[str, Any]]) -> Catalog:
    """Write envelopes, contracts and catalog.json under `root`; return the loaded set."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, doc in _envelope_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(json.dumps(doc, indent=2, sort_keys=True))
    entries = []
    for c in contracts:
        meta = c["x-qev-event"]
        rel = f"{meta['domain']}/{meta['type']}.schema.json"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(json.dumps(c, indent=2, sort_keys=True) + "\n")
        entries.append(
            {
                "type": meta["type"],
                "file": rel,
                "id": c["$id"],
                "domain": meta["domain"],
                "channel": meta["channel"],
                "title": meta["title"],
                "stability": meta["stability"],
                "deprecated": meta["deprecated"],
                "payload_documented": meta["payload_documented"],
                "examples": len(c["examples"]),
                "pages": [p["page"] for p in c["x-qev-provenance"]],
            }
        )
    catalog = {
        "catalog_version": 1,
        "envelopes": sorted(_envelope_files()),
        "events": sorted(entries, key=lambda e: e["type"]),
    }
    (root / "catalog.json").write_text(json.dumps(catalog, indent=2))
    return load(root)


def markdown_page(
    events: list[tuple[str, str]],
    *,
    toc: list[str] | None = None,
    channel: str = CHANNEL,
    title: str = "Widgets",
    schemas: str = "",
) -> str:
    """A reference page in the Markdown format: `events` is [(type, extra table rows)]."""
    listed = toc if toc is not None else [t for t, _ in events]
    lines = [
        "---",
        "source: https://example.test/widgets/",
        'last_updated: "2030-01-01T00:00:00Z"',
        "---",
        "",
        f"# {title}",
        "",
        "## Table of Contents",
        "",
        f"### {channel}",
        "",
        *[f"- [{t}](#{t.replace('.', '')})" for t in listed],
        "",
        f"## Events published on the `{channel}` channel",
    ]
    for event_type, rows in events:
        lines += [
            "",
            f"### {event_type}",
            "",
            "**Title:** A widget event",
            "",
            "**Stability:** `stable`",
            "",
            "Published when something happens to a widget.",
            "",
            "**Payload**",
            "",
            "| Name | Type | Required | Description |",
            "| --- | --- | --- | --- |",
            "| `id` | `string` | Yes | Identifies the event. |",
            "| `type` | `string` | Yes | The event type. |",
            "| `source` | `string` | Yes | The source. |",
            "| `specversion` | `string` | Yes | The version. |",
            *([rows] if rows else []),
            "",
            "**Example**",
            "",
            "```json",
            "{",
            '  "id": "1",',
            f'  "type": "{event_type}",',
            '  "source": "https://example.test/w",',
            '  "specversion": "1.0"',
            "}",
            "```",
        ]
    if schemas:
        lines += ["", "## Schemas", "", schemas]
    return "\n".join(lines) + "\n"


@pytest.fixture()
def report_and_where(tmp_path: Path) -> tuple[CheckReport, Where]:
    """A set with an error (wrong example type), a warning and infos, plus a page finding."""
    from qevcontract.builder._pages import parse_pages
    from qevcontract.check._report import Where
    from qevcontract.check._runner import run_check

    contract = event(
        examples=[
            good_example(TYPE, {"name": "w"}, type="com.example.wrong", source="com.example/w")
        ],
        extra_props={"eventType": {"type": "string", "description": "T.", "default": TYPE}},
    )
    root = tmp_path / "contracts"
    catalog = write_set(root, [contract])
    page = tmp_path / "widgets.md"
    page.write_text(
        markdown_page([(TYPE, "| `n` | `integer` | No | N. Metadata: default = 0, default = 0. |")])
    )
    report = run_check(catalog, parse_pages([page]))
    return report, Where(root, cwd=tmp_path)
