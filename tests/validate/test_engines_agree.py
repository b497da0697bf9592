"""Differential test: the fast engine (jsonschema-rs) and the reference (python-jsonschema)
must give the same verdict and the same failing pointers on every event we can think of.

The corpus: every doc example, and systematic one-step mutations of each (a value of the
wrong type, an empty string, a malformed date, an unknown enum value, a removed property),
validated against the example's own contract, in default and strict mode.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from qevcontract.contracts import Catalog
from qevcontract.validate._validator import Validator


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, (*path, i))


def replaced(event: Any, path: tuple[Any, ...], new: Any) -> Any:
    out = copy.deepcopy(event)
    node = out
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = new
    return out


def removed(event: Any, path: tuple[Any, ...]) -> Any:
    out = copy.deepcopy(event)
    node = out
    for p in path[:-1]:
        node = node[p]
    del node[path[-1]]
    return out


MUTANTS = [12345, "", "not-a-date", "NOT_AN_ALLOWED_VALUE", None, True, [], {}, -1.5]


def corpus(catalog: Catalog) -> Iterator[tuple[str, Any]]:
    for t in catalog.types:
        for example in catalog.examples(t):
            yield t, example
            for i, (path, value) in enumerate(leaves(example)):
                if not path:
                    continue
                # Every leaf gets one or two of the mutants, in turn, so that each run of five
                # consecutive leaves sees all of them: the suite stays within its time budget
                # on ~140 contracts.
                for m in MUTANTS[i % 5 :: 5]:
                    yield t, replaced(example, path, m)
                if isinstance(value, str):
                    # Python's `$` matches before a final newline, ECMA-262's does not.
                    yield t, replaced(example, path, value + "\n")
                if isinstance(path[-1], str):
                    yield t, removed(example, path)
        # attribute names, and CloudEvents type-system edge cases, on every contract
        for extra in (
            {"ext\n": "x"},
            {"extint": 10.0},
            {"extint": 2**31},
            {"subject": None},
            {"id": None},
            {"authclaims": "a\nb"},
            {"data_base64": "AAEC\n"},
        ):
            yield t, {**(catalog.examples(t) or [{"type": t}])[0], **extra}
        # changelog-only types have no example: an envelope-only event still exercises them
        if not catalog.examples(t):
            base = {"id": "1", "source": "x", "specversion": "1.0", "type": t, "data": {}}
            yield t, base
            for k in base:
                yield t, removed(base, (k,))


def outcome(v: Validator, event: Any) -> tuple[bool, frozenset[tuple[str, str]]]:
    violations = list(v.iter_errors(event))
    return (not violations, frozenset((x.pointer, x.rule) for x in violations))


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_engines_agree_on_examples_and_their_mutants(catalog: Catalog, strict: bool) -> None:
    rs: dict[str, Validator] = {}
    py: dict[str, Validator] = {}
    disagreements = []
    n = 0
    for t, event in corpus(catalog):
        if t not in rs:
            rs[t] = Validator(catalog, engine="rs", strict=strict, force_type=t)
            py[t] = Validator(catalog, engine="python", strict=strict, force_type=t)
        a, b = outcome(rs[t], event), outcome(py[t], event)
        n += 1
        if a != b:
            disagreements.append((t, event, a, b))
    assert n > 2000
    assert not disagreements, "\n".join(
        f"{t}: rs={a} python={b}" for t, _, a, b in disagreements[:5]
    )


def test_dispatch_on_type_agrees_too(catalog: Catalog) -> None:
    rs, py = Validator(catalog, engine="rs"), Validator(catalog, engine="python")
    # Dispatch adds no new schema logic: every fifth event of the corpus is enough.
    for _, event in itertools.islice(corpus(catalog), 0, None, 5):
        assert outcome(rs, event) == outcome(py, event)


def test_engines_agree_on_fixtures_and_generated_events(catalog: Catalog) -> None:
    """Every committed fixture and a few thousand generated valid and invalid events."""
    import json

    from qevcontract.generate import Generator

    from ..conftest import REPO

    events: list[Any] = []
    for path in sorted((REPO / "fixtures").rglob("*.jsonl")):
        events.extend(json.loads(line) for line in path.read_text().splitlines())
    gen = Generator(catalog)
    for i, t in enumerate(catalog.types):
        events.extend(gen.events(t, 12, seed=i, label=False))
        events.extend(b.event for b in gen.invalid_events(t, 12, seed=i))
    assert len(events) > 3000
    for strict in (False, True):
        rs = Validator(catalog, engine="rs", strict=strict)
        py = Validator(catalog, engine="python", strict=strict)
        bad = [e for e in events if outcome(rs, e) != outcome(py, e)]
        assert not bad, f"strict={strict}: {len(bad)} disagreements, first: {bad[0]}"


@pytest.mark.parametrize(
    "time",
    [
        "2016-12-31T23:59:60Z",  # a leap second: RFC 3339 allows it
        "2016-12-31T23:59:61Z",
        "2021-12-23T12:28:21.000000Z",
        "2021-12-23T12:28:21+01:00",
        "2021-12-23 12:28:21Z",
        "2021-12-23T12:28:21",
        "2021-02-30T00:00:00Z",
    ],
)
def test_engines_agree_on_timestamp_edge_cases(catalog: Catalog, time: str) -> None:
    ev = {"specversion": "1.0", "id": "1", "source": "s", "type": "com.qlik.v1.role.created",
          "time": time}  # fmt: skip
    rs, py = Validator(catalog, engine="rs"), Validator(catalog, engine="python")
    assert outcome(rs, ev) == outcome(py, ev)
