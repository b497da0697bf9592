"""Pinned values (`--set PATH=VALUE`, `overrides={...}`): applied when valid, refused if not."""

from __future__ import annotations

import pytest

from qevcontract.generate import OverrideError
from qevcontract.generate._overrides import parse_assignment, parse_value

RUN_ENDED = "com.qlik.v1.automation.run.ended"


@pytest.mark.parametrize(
    ("raw", "value"),
    [("42", 42), ("failed", "failed"), ('"42"', "42"), ("true", True), ("null", None),
     ('["a"]', ["a"]), ("finished with warnings", "finished with warnings")],
)  # fmt: skip
def test_values_are_json_when_they_parse_and_text_otherwise(raw: str, value: object) -> None:
    assert parse_value(raw) == value


@pytest.mark.parametrize("text", ["data.status", "data..status=x", "=x", ".a=1"])
def test_malformed_assignments_are_refused(text: str) -> None:
    with pytest.raises(OverrideError):
        parse_assignment(text)


def test_pins_set_values_and_create_missing_parents(generator, validator) -> None:
    batch = generator.events(
        RUN_ENDED,
        30,
        seed=1,
        overrides=["data.status=failed", "data.network.rxBytes=5", "tenantid=tenant-1"],
    )
    for event in batch:
        assert event["data"]["status"] == "failed"
        assert event["data"]["network"]["rxBytes"] == 5
        assert event["tenantid"] == "tenant-1"
        assert list(validator.iter_errors(event)) == []


def test_a_dict_of_overrides_is_used_as_given(generator) -> None:
    event = generator.events(RUN_ENDED, 1, seed=1, overrides={"data.billable": True})[0]
    assert event["data"]["billable"] is True


def test_a_member_the_open_contract_does_not_list_is_allowed(generator, validator) -> None:
    event = generator.events(RUN_ENDED, 1, seed=1, overrides={"data.region": "eu"})[0]
    assert event["data"]["region"] == "eu" and list(validator.iter_errors(event)) == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["data.status=done"], "'done' is not one of"),
        (["data.billable=yes"], "expected boolean"),
        (["specversion=0.3"], "should be '1.0'"),
        (["Tenant=x"], "attribute name"),
        (["data={}"], None),  # valid: an empty payload object
        (["tenantid={}"], "must be a string"),
        (["type=com.qlik.app.created"], "TYPE argument"),
        (["data.status=failed", "data=1"], "same place"),
    ],
)
def test_pins_that_break_the_contract_are_refused(
    generator, overrides: list[str], message: str | None
) -> None:
    if message is None:
        generator.events(RUN_ENDED, 1, seed=1, overrides=overrides)
        return
    with pytest.raises(OverrideError) as info:
        generator.events(RUN_ENDED, 1, seed=1, overrides=overrides)
    text = str(info.value)
    assert "\n" not in text and overrides[0].split("=")[0] in text
    assert message in text or message.lower() in text.lower()


def test_a_single_assignment_string_is_one_pin(generator) -> None:
    event = generator.events(RUN_ENDED, 1, seed=1, overrides="data.status=failed")[0]
    assert event["data"]["status"] == "failed"
