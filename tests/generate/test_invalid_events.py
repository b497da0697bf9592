"""Invalid events: each broken in exactly one way, and failing for exactly that reason."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from qevcontract.contracts import Catalog, load
from qevcontract.generate import KINDS, strip_labels
from qevcontract.generate._labels import BROKEN, PAYLOAD, parse_broken

# The types the repository's contracts define (the `catalog` fixture loads the same set).
CONTRACT_TYPES = load(Path(__file__).resolve().parents[2] / "contracts").types
# CloudEvents 1.0: attribute names are lower-case letters and digits, at most 20 recommended.
ATTRIBUTE_NAME = re.compile(r"[a-z0-9]{1,20}")

_REFERENCE: dict[tuple[str, str | None], Any] = {}


def _pointer(path: list[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def reference_failures(catalog: Catalog, event: dict[str, Any]) -> set[tuple[str, str]]:
    """(pointer, keyword) of every failing assertion, from python-jsonschema run directly.

    This is the expectation, independent of qevcontract's validator and of the breaker's own
    notion of what each kind trips: the reference JSON Schema implementation applied to the
    contract of the event's type, formats asserted. A missing property is located at the
    property (as the validator reports it), not at its parent. An event whose `type` has no
    contract at all is the validator's dispatch rule, `unknown-type`, at `/type`; it and an
    event with no `type` are held to the CloudEvents envelope alone.
    """
    event_type = event.get("type")
    found: set[tuple[str, str]] = set()
    if isinstance(event_type, str) and event_type in catalog.types:
        key: tuple[str, str | None] = (str(catalog.root), event_type)
        schema = catalog.schema(event_type)
    else:
        shared = ("envelope/cloudevents-1.0.schema.json", "envelope/qlik-extensions.schema.json")
        key = (str(catalog.root), None)
        schema = {"allOf": [{"$ref": catalog.envelope(rel)["$id"]} for rel in shared]}
        if isinstance(event_type, str):
            found.add(("/type", "unknown-type"))
    if key not in _REFERENCE:
        _REFERENCE[key] = Draft202012Validator(
            schema,
            registry=catalog.registry(),
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
    for error in _REFERENCE[key].iter_errors(event):
        path = list(error.absolute_path)
        if error.validator == "required":
            missing = [p for p in error.validator_value if p not in error.instance]
            found.update((_pointer([*path, name]), "required") for name in missing)
        else:
            found.add((_pointer(path), str(error.validator)))
    return found


def assert_fails_only_for_its_label(validator, broken) -> None:
    violations = list(validator.iter_errors(broken.event))
    assert violations, f"{broken.label}: the event validates"
    expected = reference_failures(validator.catalog, broken.event)
    # The reference itself sees exactly one thing wrong, at the labelled place...
    assert len(expected) == 1 and next(iter(expected))[0] == broken.pointer, (
        broken.label,
        expected,
    )
    # ...and the validator reports exactly that, under the rule named after that keyword.
    reported = {(v.pointer, v.rule) for v in violations}
    assert reported == expected, (broken.label, violations)


@settings(max_examples=40, deadline=None)
@given(event_type=st.sampled_from(CONTRACT_TYPES), seed=st.integers(0, 2**63))
def test_invalid_events_fail_for_the_labelled_reason(
    generator, validator, event_type: str, seed: int
) -> None:
    for broken in generator.invalid_events(event_type, 8, seed=seed):
        assert_fails_only_for_its_label(validator, broken)


@pytest.mark.parametrize("event_type", CONTRACT_TYPES)
def test_both_engines_agree_on_why_each_event_is_invalid(
    generator, validator, reference_validator, event_type: str
) -> None:
    for broken in generator.invalid_events(event_type, 21, seed=4):
        assert_fails_only_for_its_label(validator, broken)
        assert_fails_only_for_its_label(reference_validator, broken)


def test_kinds_take_turns_and_every_kind_occurs_in_the_catalogue(generator, catalog) -> None:
    seen: set[str] = set()
    tripped: dict[str, set[str]] = defaultdict(set)  # kind -> what the reference reports
    for event_type in catalog.types:
        batch = generator.invalid_events(event_type, 14, seed=1)
        kinds = [b.kind for b in batch]
        distinct = list(dict.fromkeys(kinds))
        assert kinds == [distinct[i % len(distinct)] for i in range(len(kinds))]  # a rotation
        assert {"missing-required", "wrong-event-type", "wrong-specversion"} <= set(kinds)
        seen.update(kinds)
        for broken in batch:
            tripped[broken.kind].update(k for _, k in reference_failures(catalog, broken.event))
    assert seen == set(KINDS)
    # A kind is one reason: the same keyword every time, and no two kinds share one.
    assert all(len(keywords) == 1 for keywords in tripped.values()), dict(tripped)
    assert len({next(iter(k)) for k in tripped.values()}) == len(KINDS)


def test_labels_are_valid_extension_attributes_and_strip_to_the_broken_event(generator) -> None:
    for broken in generator.invalid_events("com.qlik.v1.role.created", 7, seed=2):
        labelled = broken.labelled()
        assert labelled["qevbroken"] == broken.label
        assert parse_broken(labelled["qevbroken"]) == (broken.kind, broken.pointer)
        added = set(labelled) - set(broken.event)  # the label attributes, by their names
        assert BROKEN in added and added <= {BROKEN, PAYLOAD}
        assert all(ATTRIBUTE_NAME.fullmatch(name) for name in added), added
        assert strip_labels(labelled) == broken.event
        assert "qevbroken" not in broken.event and "qevpayload" not in broken.event


def test_labelled_list_form_matches_the_objects(generator) -> None:
    objects = generator.invalid_events("com.qlik.app.created", 7, seed=5)
    labelled = generator.events("com.qlik.app.created", 7, seed=5, valid=False)
    bare = generator.events("com.qlik.app.created", 7, seed=5, valid=False, label=False)
    assert labelled == [b.labelled() for b in objects]
    assert bare == [b.event for b in objects]


def test_pinned_values_survive_breakage(generator, validator) -> None:
    batch = generator.invalid_events(
        "com.qlik.v1.automation.run.ended", 21, seed=3, overrides={"data.status": "failed"}
    )
    for broken in batch:
        assert not broken.pointer.startswith("/data/status")
        assert broken.pointer not in ("/data", "")
        assert broken.event["data"]["status"] == "failed"
        assert_fails_only_for_its_label(validator, broken)


def test_a_nested_site_gets_its_parents_generated(generator, validator) -> None:
    """Breaking data.blocks[0].type needs a data.blocks with an item: the breaker makes one."""
    nested = [
        b
        for b in generator.invalid_events("com.qlik.v1.automation.run.ended", 200, seed=8)
        if b.pointer.startswith("/data/blocks/0/")
    ]
    assert nested
    for broken in nested:
        assert_fails_only_for_its_label(validator, broken)
