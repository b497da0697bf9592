"""Every standard `format`, and patterns the docs give no example for, in a contract."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from qevcontract._cli.fake_cmd import fake
from qevcontract.contracts import Catalog, load
from qevcontract.generate import GenerationError, Generator
from qevcontract.validate._validator import Validator

EVENT_TYPE = "com.qlik.app.created"
CONTRACT = "apps/com.qlik.app.created.schema.json"
# The formats JSON Schema 2020-12 defines that jsonschema-rs asserts.
FORMATS = (
    "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
    "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uri-template",
    "json-pointer", "relative-json-pointer", "regex", "uuid",
)  # fmt: skip
# Patterns no doc example matches: the regex sampler has to build the values.
PATTERNS = {
    "code": "^[A-Z]{3}-[0-9]{4}$",
    "region": "^(eu|us|ap)-(west|east)-[1-3]$",
    "slug": "[a-z]+(-[a-z0-9]+)*",
}


def field(fmt: str) -> str:
    """A property name that says nothing (so only the format decides the value)."""
    return "f" + re.sub(r"[^a-z0-9]", "", fmt)


def contract_set(root: Path, catalog: Catalog, properties: dict[str, Any]) -> Catalog:
    """A copy of the contracts where `com.qlik.app.created` requires `properties` in data."""
    contracts = root / "contracts"
    shutil.copytree(catalog.root, contracts)
    target = contracts / CONTRACT
    schema = json.loads(target.read_text())
    data = schema["properties"]["data"]
    data["properties"].update(properties)
    data["required"] = [*data.get("required", []), *properties]
    target.write_text(json.dumps(schema))
    return load(contracts)


@pytest.fixture(scope="module")
def formats_catalog(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    properties = {field(f): {"type": "string", "format": f} for f in FORMATS}
    properties.update({name: {"type": "string", "pattern": p} for name, p in PATTERNS.items()})
    return contract_set(tmp_path_factory.mktemp("formats"), catalog, properties)


@pytest.fixture(scope="module")
def validators(formats_catalog: Catalog) -> list[Validator]:
    return [Validator(formats_catalog), Validator(formats_catalog, engine="python")]


def test_every_format_and_pattern_generates_valid_events_for_both_engines(
    formats_catalog: Catalog, validators: list[Validator]
) -> None:
    batch = Generator(formats_catalog).events(EVENT_TYPE, 200, seed=11)
    for event in batch:
        for validator in validators:
            assert list(validator.iter_errors(event)) == [], (validator.engine_name, event["data"])
    for fmt in FORMATS:
        values = {e["data"][field(fmt)] for e in batch}
        assert all(isinstance(v, str) and v for v in values)
        assert len(values) > 1 or fmt == "uri-reference", (fmt, values)  # not one constant
    for name, pattern in PATTERNS.items():
        assert all(re.search(pattern, e["data"][name]) for e in batch)


def test_format_values_look_like_the_real_thing(formats_catalog: Catalog) -> None:
    event = Generator(formats_catalog).events(EVENT_TYPE, 1, seed=3)[0]["data"]
    assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", event[field("email")])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", event[field("date")])
    assert re.fullmatch(r"\d{2}:\d{2}:\d{2}(\.\d{3})?Z", event[field("time")])
    assert re.fullmatch(r"P(T(\d+M)?(\d+S)?)", event[field("duration")])
    assert re.fullmatch(r"(\d{1,3}\.){3}\d{1,3}", event[field("ipv4")])
    assert ":" in event[field("ipv6")]
    assert event[field("uri")].startswith("https://")
    assert "{" in event[field("uri-template")]
    assert event[field("json-pointer")].startswith("/")
    assert not event[field("idn-hostname")].isascii()
    re.compile(event[field("regex")])


def test_the_same_seed_gives_the_same_format_values(formats_catalog: Catalog) -> None:
    first = Generator(formats_catalog).events(EVENT_TYPE, 20, seed=5)
    assert Generator(formats_catalog).events(EVENT_TYPE, 20, seed=5) == first


def test_broken_events_of_the_edited_contract_fail_where_labelled(
    formats_catalog: Catalog, validators: list[Validator]
) -> None:
    broken = Generator(formats_catalog).invalid_events(EVENT_TYPE, 40, seed=2)
    assert {"bad-pattern", "wrong-type", "missing-required"} <= {b.kind for b in broken}
    for b in broken:
        for validator in validators:
            assert {v.pointer for v in validator.iter_errors(b.event)} == {b.pointer}, b.label


def test_strategies_serve_the_formats_too(
    formats_catalog: Catalog, validators: list[Validator]
) -> None:
    @settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(Generator(formats_catalog).strategy(EVENT_TYPE))
    def check(event: dict[str, Any]) -> None:
        for validator in validators:  # no error (a control character is a warning, QEV125)
            assert [v for v in validator.iter_errors(event) if v.severity == "error"] == []

    check()


def test_a_doc_example_that_matches_the_pattern_is_still_preferred(
    catalog: Catalog, tmp_path: Path
) -> None:
    edited = contract_set(tmp_path, catalog, {"id": {"type": "string", "pattern": "^c35f"}})
    ids = {e["data"]["id"] for e in Generator(edited).events(EVENT_TYPE, 30, seed=1)}
    assert ids == {e["data"]["id"] for e in edited.examples(EVENT_TYPE)}  # the docs' own id


@pytest.mark.parametrize(
    ("schema", "needle"),
    [
        # Lookbehind: the sampler has no value for it, so the refusal stays.
        ({"type": "string", "pattern": "(?<=a)b"}, "cannot generate strings for pattern"),
        ({"type": "string", "format": "int64"}, "format 'int64' is not supported"),
        (
            {"type": "string", "format": "email", "pattern": "^x"},
            "that also match pattern",
        ),
    ],
)
def test_what_cannot_be_generated_is_still_a_clear_one_line_refusal(
    catalog: Catalog, tmp_path: Path, schema: dict[str, Any], needle: str
) -> None:
    edited = contract_set(tmp_path, catalog, {"odd": schema})
    with pytest.raises(GenerationError, match=re.escape(needle)):
        Generator(edited).events(EVENT_TYPE, 1, seed=0)
    result = CliRunner().invoke(fake, [EVENT_TYPE, "--contracts", str(edited.root)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and f"{EVENT_TYPE}: /data/odd: " in result.stderr
