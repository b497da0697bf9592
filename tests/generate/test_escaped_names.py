"""Member names holding `/` or `~` (a Kubernetes-style label, say): a broken event's label
points at the member with RFC 6901 escapes, where the validator reports it.

RFC 6901 §3: "'~' needs to be encoded as '~0' and '/' needs to be encoded as '~1' when
these characters appear in a reference token."
"""

from __future__ import annotations

import json
import shutil

import pytest

from qevcontract.contracts import Catalog, load
from qevcontract.generate import Generator
from qevcontract.validate._validator import Validator

EVENT_TYPE = "com.qlik.app.created"
CONTRACT = "apps/com.qlik.app.created.schema.json"
NAMES = {"app.kubernetes.io/name": "/data/app.kubernetes.io~1name", "a~b": "/data/a~0b"}


@pytest.fixture(scope="module")
def escaped_catalog(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    contracts = tmp_path_factory.mktemp("escaped") / "contracts"
    shutil.copytree(catalog.root, contracts)
    target = contracts / CONTRACT
    schema = json.loads(target.read_text())
    data = schema["properties"]["data"]
    data["properties"].update({name: {"type": "integer", "minimum": 0} for name in NAMES})
    data["required"] = [*data.get("required", []), *NAMES]
    target.write_text(json.dumps(schema))
    return load(contracts)


def test_broken_members_with_slash_or_tilde_are_labelled_with_escaped_pointers(
    escaped_catalog: Catalog,
) -> None:
    validator = Validator(escaped_catalog)
    labelled = set()
    for broken in Generator(escaped_catalog).invalid_events(EVENT_TYPE, 400, seed=3):
        reported = {v.pointer for v in validator.iter_errors(broken.event)}
        assert broken.pointer in reported, (broken.kind, broken.pointer, reported)
        labelled.update(p for p in NAMES.values() if broken.pointer == p)
    # both names were broken at least once, so the escapes were exercised
    assert labelled == set(NAMES.values())
