"""Pinned values: `--set data.status=failed` on the command line, a dict in the API.

A pin sets one path of every generated event. Paths are dotted object keys (`data.size.memory`;
the pytest plugin spells them `data__size__memory`). A value is read as JSON when it parses
(`42`, `true`, `null`, `"42"`, `["a"]`) and as a plain string otherwise (`failed`).

A pin that would make the event invalid is refused before anything is generated, with the
validator's own explanation: pinning is for choosing among valid events, and broken events are
what `--invalid` is for.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._pointer import from_tokens
from ._errors import OverrideError

if TYPE_CHECKING:
    from ..validate._validator import Validator
    from ._bulk import BulkGenerator


@dataclass(frozen=True)
class Pin:
    """One pinned path; `text` is how the user wrote it (`--set a.b=1`), for messages."""

    path: tuple[str, ...]
    value: Any
    text: str

    @property
    def pointer(self) -> str:
        return from_tokens(self.path)


def parse_path(text: str, sep: str = ".") -> tuple[str, ...]:
    parts = tuple(text.split(sep))
    if not text or any(not p for p in parts):
        raise OverrideError(f"{text!r}: a path is object keys joined by {sep!r}, e.g. data.status")
    return parts


def parse_value(raw: str) -> Any:
    """JSON if it parses, else the text itself: `42` is a number, `failed` a string."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def parse_assignment(text: str) -> Pin:
    """`PATH=VALUE` from the command line."""
    path, eq, raw = text.partition("=")
    if not eq:
        raise OverrideError(f"--set {text!r}: expected PATH=VALUE, e.g. data.status=failed")
    return Pin(parse_path(path.strip()), parse_value(raw), f"--set {path.strip()}={raw}")


def pins_from(overrides: Mapping[str, Any] | Iterable[str] | None, sep: str = ".") -> list[Pin]:
    """Pins from a mapping {path: value} (values used as given) or `PATH=VALUE` strings."""
    if overrides is None:
        return []
    if isinstance(overrides, str):
        overrides = [overrides]  # one "PATH=VALUE", not its characters
    if isinstance(overrides, Mapping):
        return [
            Pin(parse_path(k, sep), v, f"{k}={json.dumps(v, default=str)}")
            for k, v in overrides.items()
        ]
    return [parse_assignment(text) for text in overrides]


def check_pins(
    pins: list[Pin], event_type: str, generator: BulkGenerator, validator: Validator
) -> None:
    """Refuse pins that clash with each other or make a valid `event_type` event invalid."""
    if not pins:
        return
    for pin in pins:
        if pin.path == ("type",) and pin.value != event_type:
            raise OverrideError(
                f"{pin.text}: the event type is chosen by the TYPE argument, not pinned"
            )
    for a in pins:
        for b in pins:
            if a is not b and b.path[: len(a.path)] == a.path:
                raise OverrideError(f"{a.text} and {b.text} set the same place")
    from ._bulk import seeded

    event = generator.generate(event_type, seeded(0, event_type, "pins"), label=False)
    for pin in pins:
        _apply(event, pin)
    for violation in validator.iter_errors(event):
        for pin in pins:
            if _related(violation.pointer, pin.pointer):
                raise OverrideError(
                    f"{pin.text} breaks the {event_type} contract: {violation.message}"
                )
    # Violations elsewhere cannot come from a pin; the property tests guard the generator.


def _apply(event: dict[str, Any], pin: Pin) -> None:
    node: Any = event
    for i, key in enumerate(pin.path[:-1]):
        child = node.get(key)
        if child is None:
            child = node[key] = {}
        if not isinstance(child, dict):
            where = ".".join(pin.path[: i + 1])
            raise OverrideError(
                f"{pin.text}: {where} is not an object in a generated event; "
                "pins address object members only"
            )
        node = child
    node[pin.path[-1]] = pin.value


def _related(pointer: str, pinned: str) -> bool:
    """True when a violation is at, inside or around (a missing parent of) the pinned place."""
    return (
        pointer == pinned
        or pointer.startswith(pinned + "/")
        or pinned.startswith(pointer + "/")
        or pointer == ""
    )
