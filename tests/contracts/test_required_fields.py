"""Every documented required field is enforced: removing it from its page's example fails.

The required fields come from the parsed pages (the Required column, at every depth, in
every `**One of:**` option), not from the contracts; the example is the page's own. Each
removal must add a violation the example did not have (some examples already break their
contract: that is a page quirk `check` reports, and it does not hide a missing field).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qevcontract.builder._model import Field
from qevcontract.builder._pages import parse_pages
from qevcontract.contracts import Catalog
from qevcontract.validate._validator import Validator

from ..validate.test_engines_agree import removed

Path_ = tuple[str | int, ...]


def required_paths(fields: list[Field], value: Any, here: Path_ = ()) -> Iterator[Path_]:
    """Paths (in `value`) of the documented-required fields that `value` holds."""
    if isinstance(value, list):
        if value:
            yield from required_paths(fields, value[0], (*here, 0))
        return
    if not isinstance(value, dict):
        return
    for f in fields:
        if f.name not in value:
            continue
        if f.required:
            yield (*here, f.name)
        inner = value[f.name]
        yield from required_paths(f.properties or [], inner, (*here, f.name))
        for option in f.options or []:
            rows = option.properties or []
            label = None
            if f.type.kind == "oneof" and option.label.startswith("Option "):
                index = int(option.label.split()[1]) - 1
                if index < len(f.type.options):
                    label = f.type.options[index].raw.strip()
            if len(rows) == 1 and rows[0].name == label:  # the option is that row's shape
                rows = rows[0].properties or []
            yield from required_paths(rows, inner, (*here, f.name))


@pytest.fixture(scope="module")
def cases(catalog: Catalog, seeds: Path, qlik_pages: Path) -> list[tuple[str, Any, Path_]]:
    """(event type, page example, required path) for the pages each contract is built from."""
    out = []
    for page in parse_pages([seeds, qlik_pages]):
        for event in page.events:
            if event.payload is None or not event.documents_required:
                continue
            built_from = catalog.schema(event.type)["x-qev-provenance"][0]["page"]
            if built_from != page.name:
                continue
            for example in event.examples:
                for path in required_paths(event.payload, example.value):
                    out.append((event.type, example.value, path))
    return out


def test_removing_any_documented_required_field_from_its_example_fails(
    catalog: Catalog, cases: list[tuple[str, Any, Path_]]
) -> None:
    validators: dict[str, Validator] = {}
    not_enforced = []
    for event_type, example, path in cases:
        v = validators.setdefault(
            event_type, Validator(catalog, force_type=event_type, envelope="cloudevents")
        )
        contract = catalog.schema(event_type)
        if _made_optional_by_override(contract, path):
            continue
        before = {(x.pointer, x.rule) for x in v.iter_errors(example)}
        after = {(x.pointer, x.rule) for x in v.iter_errors(removed(example, path))}
        if not after - before and not _fails_every_option(catalog, contract, example, path):
            not_enforced.append((event_type, "/".join(map(str, path))))
    assert not_enforced == [], not_enforced
    # Every required field present in an example, at every depth: the top-level rows of the
    # payload tables (the issue counted 634 across the 38 pages) and the nested ones.
    assert len(cases) == 1245


def _made_optional_by_override(contract: dict[str, Any], path: Path_) -> bool:
    """The four data-integration events' `extensions`: see contracts/overrides.yaml."""
    return len(path) == 1 and any(
        o["pointer"] == "/required" for o in contract.get("x-qev-overrides", [])
    ) and path[0] not in contract["required"]  # fmt: skip


def _fails_every_option(
    catalog: Catalog, contract: dict[str, Any], example: Any, path: Path_
) -> bool:
    """For a field inside a documented `One of` whose example already fails there (a page
    quirk, reported as one anyOf failure): the removal must add an error in every option."""
    import jsonschema

    parent: dict[str, Any] = contract
    depth = 0
    while depth < len(path) - 1 and "anyOf" not in parent:
        part = path[depth]
        if isinstance(part, str):
            parent = parent.get("properties", {}).get(part, {})
        depth += 1
    if "anyOf" not in parent:
        return False
    node, after = example, removed(example, path)
    for part in path[:depth]:
        node, after = node[part], after[part]
    for option in parent["anyOf"]:
        schema = {**option, "$defs": contract.get("$defs", {})}
        check = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        errors = {e.message for e in check.iter_errors(node)}
        if not {e.message for e in check.iter_errors(after)} - errors:
            return False
    return True
