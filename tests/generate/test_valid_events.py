"""Valid events: every type validates, looks real, and is reproducible from its seed."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from random import Random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rfc3986_validator import validate_rfc3986

from qevcontract.contracts import load
from qevcontract.generate import events
from qevcontract.generate._bulk import BulkGenerator

# The types the repository's contracts define (the `catalog` fixture loads the same set).
CONTRACT_TYPES = load(Path(__file__).resolve().parents[2] / "contracts").types
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TRACEPARENT = re.compile(r"^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$")


def walk(value: Any, depth: int = 0) -> Any:
    """(depth, leaf) for every leaf of a JSON value."""
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, depth + 1)
    else:
        yield depth, value


@settings(max_examples=40, deadline=None)
@given(event_type=st.sampled_from(CONTRACT_TYPES), seed=st.integers(0, 2**63))
def test_generated_events_validate(generator, validator, event_type: str, seed: int) -> None:
    for event in generator.events(event_type, 5, seed=seed):
        assert list(validator.iter_errors(event)) == []


@pytest.mark.parametrize("event_type", CONTRACT_TYPES)
def test_every_type_generates_valid_events(generator, validator, event_type: str) -> None:
    batch = generator.events(event_type, 60, seed=7)
    assert all(list(validator.iter_errors(e)) == [] for e in batch)
    assert {e["type"] for e in batch} == {event_type}
    assert {e["specversion"] for e in batch} == {"1.0"}


def test_a_sample_of_mixed_bulk_output_passes_the_reference_engine(
    catalog, reference_validator
) -> None:
    bulk = BulkGenerator(catalog)
    r = Random(2024)
    types = catalog.types
    sample = [bulk.generate(types[int(r.random() * len(types))], r) for _ in range(1500)]
    failures = [(e["type"], list(reference_validator.iter_errors(e))) for e in sample]
    assert [f for f in failures if f[1]] == []


@pytest.mark.parametrize("event_type", CONTRACT_TYPES)
def test_envelope_values_look_like_real_ones(generator, event_type: str) -> None:
    for event in generator.events(event_type, 30, seed=3):
        assert UUID.match(event["id"])
        stamp = event["time"]
        assert stamp.endswith("Z")
        assert datetime.fromisoformat(stamp).tzinfo == UTC
        assert validate_rfc3986(event["source"], rule="URI_reference")
        assert event["source"].startswith("com.qlik/")
        if "authclaims" in event:
            claims = json.loads(event["authclaims"])  # a JSON *string* holding an object
            assert isinstance(claims, dict) and claims["sub"]
        if "traceparent" in event:
            assert TRACEPARENT.match(event["traceparent"])
        if "datacontenttype" in event:
            assert event["datacontenttype"] == "application/json"
        # No megabyte strings, no deep nesting.
        leaves = list(walk(event))
        assert max(d for d, _ in leaves) <= 6
        assert max(len(v) for _, v in leaves if isinstance(v, str)) < 300


def test_payload_fields_use_the_id_shapes_the_docs_show(generator) -> None:
    """The alerting pages show 24-hex alert ids and 32-character user ids; apps show UUIDs."""
    for event in generator.events(
        "com.qlik.v1.alerting-task.execution-summary.created", 40, seed=1
    ):
        summary = event["data"].get("summary", {})
        if "alertId" in summary:
            assert re.fullmatch(r"[0-9a-f]{24}", summary["alertId"])
        if "ownerId" in summary:
            assert re.fullmatch(r"[A-Za-z0-9_-]{32}", summary["ownerId"])
    for event in generator.events("com.qlik.v1.app.reload.finished", 40, seed=1):
        if "reloadId" in event["data"]:
            assert UUID.match(event["data"]["reloadId"])


def test_tenant_is_consistent_within_an_event(generator) -> None:
    both = 0
    for event in generator.events("com.qlik.v1.alerting-task.task-status.changed", 60, seed=5):
        if "tenantId" in event.get("data", {}):
            both += 1
            assert event["data"]["tenantId"] == event["tenantid"]
    assert both > 10


def test_undocumented_payloads_get_an_envelope_an_empty_data_and_a_mark(generator, catalog):
    undocumented = [e.type for e in catalog.entries if not e.payload_documented]
    assert undocumented
    for event_type in undocumented:
        event = generator.events(event_type, 1, seed=0)[0]
        assert event["data"] == {}
        assert event["qevpayload"] == "undocumented"
        assert {"id", "source", "specversion", "type", "time"} <= set(event)
        unmarked = generator.events(event_type, 1, seed=0, label=False)[0]
        assert unmarked == {k: v for k, v in event.items() if k != "qevpayload"}


@settings(max_examples=15, deadline=None)
@given(event_type=st.sampled_from(CONTRACT_TYPES), seed=st.integers(0, 2**63))
def test_same_seed_same_events(catalog, event_type: str, seed: int) -> None:
    first = events(event_type, 4, seed=seed, catalog=catalog)
    again = BulkGenerator(catalog)  # a fresh generator: nothing carried over between runs
    assert list(again.events(event_type, 4, seed=seed)) == first
    assert events(event_type, 4, seed=seed + 1, catalog=catalog) != first


def test_a_types_events_do_not_depend_on_other_types_generated_before(catalog) -> None:
    alone = list(BulkGenerator(catalog).events("com.qlik.app.created", 5, seed=9))
    warm = BulkGenerator(catalog)
    list(warm.events("com.qlik.v1.app.opened", 50, seed=9))
    assert list(warm.events("com.qlik.app.created", 5, seed=9)) == alone


def test_generation_is_identical_in_a_fresh_interpreter(catalog) -> None:
    """Determinism must not hinge on hash seeds or process state."""
    code = (
        "import json,sys;from qevcontract.generate import events;"
        "print(json.dumps(events('com.qlik.v1.automation.run.ended', 3, seed=11, "
        "catalog=sys.argv[1])))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(catalog.root)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    ).stdout
    assert json.loads(out) == events(
        "com.qlik.v1.automation.run.ended", 3, seed=11, catalog=catalog
    )


def test_bulk_generation_never_imports_hypothesis(catalog) -> None:
    code = (
        "import sys;from qevcontract.generate import events, invalid_events;"
        "events('com.qlik.app.created', 3, seed=1, catalog=sys.argv[1]);"
        "invalid_events('com.qlik.app.created', 3, seed=1, catalog=sys.argv[1]);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('hypothesis', 'hypothesis_jsonschema')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(catalog.root)], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_generator_pickles_cheaply_and_generates_the_same_after(generator) -> None:
    before = generator.events("com.qlik.v1.app.reload.finished", 3, seed=2)
    payload = pickle.dumps(generator)
    assert len(payload) < 400 * len(generator.catalog)  # the index, no compiled closures
    assert pickle.loads(payload).events("com.qlik.v1.app.reload.finished", 3, seed=2) == before


def _edit(root: Path, rel: str, change: Any) -> None:
    target = root / rel
    schema = json.loads(target.read_text())
    change(schema)
    target.write_text(json.dumps(schema))


def test_source_comes_from_the_contract_not_from_a_table_of_domains(catalog, tmp_path) -> None:
    """The docs' example `source`, else the schema's `default`, else com.qlik/<domain>."""
    import shutil

    contracts = tmp_path / "contracts"
    shutil.copytree(catalog.root, contracts)

    def example_source(value: str | None) -> Any:
        def change(schema: dict[str, Any]) -> None:
            for example in schema["examples"]:
                if value is None:
                    example.pop("source", None)
                else:
                    example["source"] = value

        return change

    def default_source(schema: dict[str, Any]) -> None:
        example_source(None)(schema)
        schema["properties"]["source"]["default"] = "com.qlik/automate"

    task = "com.qlik.scheduling.task.created"
    _edit(contracts, f"tasks/{task}.schema.json", example_source("com.qlik/orchestrator"))
    _edit(contracts, "apps/com.qlik.app.created.schema.json", example_source(None))
    # An example value the schema rejects (a space: not a URI-reference) is passed over.
    _edit(contracts, "apps/com.qlik.app.deleted.schema.json", example_source("com.qlik/my app"))
    run = "com.qlik.v1.automation.run.ended"
    _edit(contracts, f"automations/{run}.schema.json", default_source)
    edited = load(contracts)
    expected = {
        task: "com.qlik/orchestrator",
        "com.qlik.app.created": "com.qlik/apps",
        "com.qlik.app.deleted": "com.qlik/apps",
        run: "com.qlik/automate",
        "com.qlik.v1.role.created": "com.qlik/roles",  # no example, no default
    }
    generated = {t: {e["source"] for e in events(t, 5, seed=1, catalog=edited)} for t in expected}
    assert generated == {t: {source} for t, source in expected.items()}
