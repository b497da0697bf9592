"""Hypothesis strategies of valid events, built with hypothesis-jsonschema from the contracts.

Imported only when a strategy is asked for: it imports hypothesis, which the bulk generator,
the CLI and the pytest plugin's start-up must not pay for.
"""

from __future__ import annotations

from random import Random
from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from ._bulk import BulkGenerator, NodeGen, set_path
from ._bundle import generation_schema
from ._labels import PAYLOAD, PAYLOAD_UNDOCUMENTED
from ._overrides import Pin

_TENANT = 0  # one tenant per Hypothesis event: the shrinker has nothing to gain from more


def event_strategy(
    generator: BulkGenerator, event_type: str, pins: list[Pin], *, label: bool
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid events of one type: schema-legal payloads, realistic ids, times and envelope."""
    compiled = generator.compiled(event_type)
    schema, formats = generation_schema(compiled)
    custom = {name: _values(gen) for name, gen in formats.items()}
    # The root schema is a closed object, so every value drawn is a dict.
    events: st.SearchStrategy[dict[str, Any]] = from_schema(schema, custom_formats=custom)  # type: ignore[assignment]
    mark = label and not compiled.effective.payload_documented
    if mark or pins:
        frozen = [(pin.path, pin.value) for pin in pins]
        events = events.map(lambda event: _finish(event, frozen, mark))
    return events


def _values(gen: NodeGen) -> st.SearchStrategy[str]:
    """A realistic-value function as a strategy: Hypothesis drives (and shrinks) its stream."""
    return st.randoms(use_true_random=False).map(lambda r: _call(gen, r))


def _call(gen: NodeGen, r: Random) -> str:
    value: str = gen(r, _TENANT)
    return value


def _finish(
    event: dict[str, Any], pins: list[tuple[tuple[str, ...], Any]], mark: bool
) -> dict[str, Any]:
    import copy

    for path, value in pins:
        set_path(event, path, copy.deepcopy(value))
    if mark:
        event[PAYLOAD] = PAYLOAD_UNDOCUMENTED
    return event
