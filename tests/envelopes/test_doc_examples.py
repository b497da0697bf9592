"""Every documented example, delivered in each of the three shapes."""

from __future__ import annotations

from typing import Any

import pytest

from qevcontract._spec.legacy import legacy_envelope_schema
from qevcontract.contracts import Catalog
from qevcontract.envelopes import (
    cloudevents_half,
    detect,
    hybrid_disagreements,
    legacy_half,
    to_cloudevents,
    to_hybrid,
    to_legacy,
)
from qevcontract.validate._engines import make_engine
from qevcontract.validate._validator import Validator

from ..conftest import CONTRACTS


def _examples() -> list[tuple[str, dict[str, Any]]]:
    from qevcontract.contracts import load

    catalog = load(CONTRACTS)
    return [(t, ex) for t in catalog.types for ex in catalog.examples(t)]


EXAMPLES = _examples()
# 1.0 examples; those with a structured top-level attribute (`meta`, `updates`: a quirk
# CloudEvents forbids, which `check` reports) have no lossless legacy form and are left out.
ONE_POINT_ZERO = [
    (t, ex)
    for t, ex in EXAMPLES
    if detect(ex) == "cloudevents"
    and not any(isinstance(v, (dict, list)) for k, v in ex.items() if k != "data")
]


@pytest.fixture(scope="module")
def validator(catalog: Catalog) -> Validator:
    return Validator(catalog)


@pytest.fixture(scope="module")
def legacy_schema(catalog: Catalog) -> Any:
    return make_engine("python", catalog).compile(legacy_envelope_schema())


def test_most_examples_are_plain_cloudevents() -> None:
    assert len(ONE_POINT_ZERO) >= 12
    mixed = [t for t, ex in EXAMPLES if detect(ex) != "cloudevents"]
    assert len(mixed) == 7  # the task page's three and the data-integration page's four


@pytest.mark.parametrize(
    ("event_type", "example"), ONE_POINT_ZERO, ids=[t for t, _ in ONE_POINT_ZERO]
)
def test_legacy_version_is_a_valid_legacy_envelope_with_the_same_verdict(
    event_type: str, example: dict[str, Any], validator: Validator, legacy_schema: Any
) -> None:
    legacy = to_legacy(example)
    assert legacy.lost == [] and legacy.warnings == []
    assert detect(legacy.event) == "legacy"
    assert list(legacy_schema.errors(legacy.event)) == []
    assert legacy.event["eventType"] == example["type"]
    assert legacy.event["data"] == example["data"]
    back = to_cloudevents(legacy.event).event
    assert back == example
    assert list(validator.iter_errors(back)) == list(validator.iter_errors(example))


@pytest.mark.parametrize(
    ("event_type", "example"), ONE_POINT_ZERO, ids=[t for t, _ in ONE_POINT_ZERO]
)
def test_hybrid_version_has_agreeing_halves(
    event_type: str, example: dict[str, Any], legacy_schema: Any
) -> None:
    hybrid = to_hybrid(example).event
    assert detect(hybrid) == "hybrid"
    assert cloudevents_half(hybrid) == example
    assert list(legacy_schema.errors(legacy_half(hybrid))) == []
    assert hybrid_disagreements(hybrid) == []
    assert to_cloudevents(hybrid).event == example


@pytest.mark.parametrize(
    ("event_type", "example"), ONE_POINT_ZERO[:4], ids=[t for t, _ in ONE_POINT_ZERO[:4]]
)
def test_a_hybrid_whose_halves_disagree_names_both_places(
    event_type: str, example: dict[str, Any]
) -> None:
    hybrid = to_hybrid(example).event
    hybrid["eventType"] = event_type + ".other"
    hybrid["extensions"] = {**hybrid["extensions"], "tenantId": "another-tenant"}
    found = {(d.legacy_pointer, d.cloudevents_pointer): d for d in hybrid_disagreements(hybrid)}
    assert set(found) == {("/eventType", "/type"), ("/extensions/tenantId", "/tenantid")}
    assert "eventType" in found["/eventType", "/type"].message
    assert "type" in found["/eventType", "/type"].message
    converted = to_cloudevents(hybrid)
    assert converted.event["type"] == example["type"]  # the 1.0 half wins ...
    assert len(converted.warnings) == 2  # ... and each legacy value is kept and reported
    assert to_legacy(converted.event).event["eventType"] == event_type + ".other"


def test_the_task_page_examples_mix_both_shapes_and_disagree() -> None:
    """The tasks page shows `eventType` and an `extensions` object beside 1.0 attributes,
    and its `eventType` differs from its `type`: reported, with both pointers."""
    mixed = [(t, ex) for t, ex in EXAMPLES if detect(ex) != "cloudevents"]
    mixed = [(t, ex) for t, ex in mixed if not t.startswith("com.qlik.v1.di-projects.")]
    assert {t.rsplit(".", 1)[0] for t, _ in mixed} == {"com.qlik.scheduling.task"}
    for event_type, example in mixed:
        assert detect(example) == "hybrid"
        differ = [d for d in hybrid_disagreements(example) if d.kind == "differ"]
        assert [(d.legacy_pointer, d.cloudevents_pointer) for d in differ] == [
            ("/eventType", "/type")
        ]
        assert differ[0].legacy_value == event_type
        assert differ[0].cloudevents_value == example["type"]
