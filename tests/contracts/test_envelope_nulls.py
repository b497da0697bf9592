"""The bundled envelope schemas read `null` as the CloudEvents JSON format does.

cloudevents/formats/json-format.md, section 3: "OPTIONAL not omitted attributes MAY be
represented as a `null` JSON value." Section 2.2: "Unset attributes MAY be encoded to the
JSON value of `null`. When decoding attributes and a `null` value is encountered, it MUST
be treated as the equivalent of unset or omitted." A generic JSON Schema tool given the
envelope schemas must therefore accept `"subject": null`, and a REQUIRED attribute that is
`null` is missing.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from qevcontract import Validator
from qevcontract.contracts import Catalog

ENVELOPE = "envelope/cloudevents-1.0.schema.json"
EXTENSIONS = "envelope/qlik-extensions.schema.json"
EVENT = {"specversion": "1.0", "id": "1", "source": "/s", "type": "com.qlik.v1.role.created"}


def plain(catalog: Catalog, rel: str) -> Any:
    """python-jsonschema as anyone would use it on the published file: no qevcontract code."""
    schema = catalog.envelope(rel)
    return jsonschema.validators.validator_for(schema)(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize("name", ["subject", "time", "datacontenttype", "dataschema"])
def test_an_optional_attribute_may_be_null(catalog: Catalog, name: str) -> None:
    event = {**EVENT, name: None}
    assert plain(catalog, ENVELOPE).is_valid(event)
    assert Validator(catalog).is_valid(event)


@pytest.mark.parametrize("name", ["tenantid", "traceparent", "authclaims", "comexampleother"])
def test_an_extension_attribute_may_be_null(catalog: Catalog, name: str) -> None:
    event = {**EVENT, name: None}
    assert plain(catalog, ENVELOPE).is_valid(event)
    assert plain(catalog, EXTENSIONS).is_valid(event)
    assert Validator(catalog).is_valid(event)


@pytest.mark.parametrize("name", ["id", "source", "specversion", "type"])
def test_a_required_attribute_may_not_be_null(catalog: Catalog, name: str) -> None:
    event = {**EVENT, name: None}
    assert not plain(catalog, ENVELOPE).is_valid(event)
    [violation] = [v for v in Validator(catalog).iter_errors(event) if v.pointer == f"/{name}"]
    assert violation.rule == "required"


def test_a_value_of_the_wrong_type_is_still_asked_for_as_a_string(catalog: Catalog) -> None:
    [violation] = list(Validator(catalog).iter_errors({**EVENT, "subject": 7}))
    assert violation.message == "subject: 7 is an integer, expected string"
