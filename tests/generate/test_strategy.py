"""Hypothesis strategies built with hypothesis-jsonschema from the self-contained contracts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from qevcontract.contracts import load
from qevcontract.generate._bundle import generation_schema

# The types the repository's contracts define (the `catalog` fixture loads the same set).
CONTRACT_TYPES = load(Path(__file__).resolve().parents[2] / "contracts").types
FAST = settings(
    max_examples=4, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.mark.parametrize("event_type", CONTRACT_TYPES)
def test_every_type_generates_through_hypothesis_jsonschema(
    generator, validator, event_type: str
) -> None:
    drawn: list[dict] = []

    @FAST
    @given(generator.strategy(event_type))
    def check(event: dict) -> None:
        drawn.append(event)
        assert event["type"] == event_type
        # Valid: no error (a control character in a string attribute is a warning, QEV125).
        assert [v for v in validator.iter_errors(event) if v.severity == "error"] == []

    check()
    assert drawn


@pytest.mark.parametrize("event_type", CONTRACT_TYPES)
def test_the_bundled_form_is_a_plain_draft7_schema(generator, event_type: str) -> None:
    schema, formats = generation_schema(generator.bulk.compiled(event_type))
    Draft7Validator.check_schema(schema)
    text = json.dumps(schema)
    assert "$ref" not in text and "allOf" not in text and '"x-' not in text
    used = {f for f in formats}
    assert all(name.startswith("qevcontract-") for name in used)


def test_pins_hold_in_every_drawn_event(generator, validator) -> None:
    strategy = generator.strategy(
        "com.qlik.v1.automation.run.ended", overrides={"data.status": "failed", "tenantid": "t1"}
    )

    @FAST
    @given(strategy)
    def check(event: dict) -> None:
        assert event["data"]["status"] == "failed" and event["tenantid"] == "t1"
        assert list(validator.iter_errors(event)) == []

    check()


def test_undocumented_payloads_are_minimal_and_marked(generator) -> None:
    @FAST
    @given(generator.strategy("com.qlik.v1.role.created"))
    def check(event: dict) -> None:
        assert event["data"] == {} and event["qevpayload"] == "undocumented"

    check()


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mixed_types_validate(generator, validator, data) -> None:
    event_type = data.draw(st.sampled_from(CONTRACT_TYPES))
    event = data.draw(generator.strategy(event_type))
    assert [v for v in validator.iter_errors(event) if v.severity == "error"] == []


def test_without_hypothesis_the_error_names_the_testing_extra(catalog, monkeypatch) -> None:
    """The extra that installs what strategies need is `testing` (not `dev`)."""
    import sys
    from importlib.metadata import metadata

    from qevcontract.generate import GenerationError, Generator

    monkeypatch.setitem(sys.modules, "qevcontract.generate._strategies", None)  # ImportError
    with pytest.raises(GenerationError) as caught:
        Generator(catalog).strategy("com.qlik.app.created")
    extra = str(caught.value).split("pip install 'qevcontract[", 1)[1].split("]", 1)[0]
    assert extra == "testing"
    assert extra in (metadata("qevcontract").get_all("Provides-Extra") or [])
