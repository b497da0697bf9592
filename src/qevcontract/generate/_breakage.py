"""Invalid events on purpose: a valid event broken in exactly one way, and labelled.

Consumers need to test their rejection paths. Each broken event starts as a valid generated
event and changes one value (or drops one property), chosen so that the change violates one
constraint and nothing else: a string becomes an integer only where no enum or constant also
applies, a bad date-time is still a non-empty string, a near-miss `type` is not another known
type, and top-level replacements stay scalars (CloudEvents' rule for extension attributes).
The property tests check every label against what both validation engines report.

Kinds, and the validator rule each one trips (see `qevcontract.validate._results.CODES`):

    missing-required   required       a required property removed
    wrong-type         type           a value of another JSON type
    not-in-enum        enum           a value outside the allowed values
    bad-format         format         a string that is not the declared format
    bad-pattern        pattern        a string that does not match the declared pattern
    wrong-event-type   unknown-type   a near-miss `type` that no contract has
    wrong-specversion  const          a `specversion` other than "1.0"
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from random import Random
from typing import Any

from .._pointer import from_tokens
from . import _realism as realism
from ._bulk import BulkGenerator, CompiledType, Node, seeded, set_path
from ._effective import ANY_OF_MARK
from ._labels import BROKEN, PAYLOAD, PAYLOAD_UNDOCUMENTED, format_broken

KINDS = (
    "missing-required",
    "wrong-type",
    "not-in-enum",
    "bad-format",
    "bad-pattern",
    "wrong-event-type",
    "wrong-specversion",
)
# Realistic mistakes for each format; all are strings, so only `format` can fail.
_BAD_FORMATS = {
    "date-time": ("{timestamp_no_zone}", "{date_with_space}", "yesterday"),
    "uuid": ("{uuid_no_hyphens}", "{uuid_braced}", "not-a-uuid"),
    "uri-reference": ("com.qlik/my service", "com.qlik\\engine", "http://[::1"),
    "uri": ("not a uri", "com.qlik/engine", "mailto"),
}
_WRONG_SPECVERSIONS = ("0.3", "1.0.2", "1")

Pointer = tuple[str | int, ...]


@dataclass(frozen=True)
class Site:
    """A place in an event type where one kind of breakage applies."""

    kind: str
    path: Pointer  # object keys, and 0 for "the first item of this array"
    node: Node

    @property
    def pointer(self) -> str:
        return from_tokens(self.path)


@dataclass(frozen=True)
class BrokenEvent:
    """An invalid event, what was broken, and where; `event` carries no label."""

    event: dict[str, Any]
    kind: str
    pointer: str
    detail: str
    payload_undocumented: bool = False

    @property
    def label(self) -> str:
        return format_broken(self.kind, self.pointer)

    def labelled(self) -> dict[str, Any]:
        """The event with its labels as extension attributes (added last, `qevbroken` last)."""
        out = dict(self.event)
        if self.payload_undocumented:
            out[PAYLOAD] = PAYLOAD_UNDOCUMENTED
        out[BROKEN] = self.label
        return out


def sites(compiled: CompiledType) -> list[Site]:
    """Every (kind, place) this type can be broken at, in a stable order."""
    found: list[Site] = []
    root = compiled.root
    _walk(root, (), found, top_level=True)
    if "type" in root.props:
        found.append(Site("wrong-event-type", ("type",), root.props["type"]))
    if "specversion" in root.props:
        found.append(Site("wrong-specversion", ("specversion",), root.props["specversion"]))
    return found


def _walk(node: Node, path: Pointer, out: list[Site], *, top_level: bool) -> None:
    for name, child in node.props.items():
        here = (*path, name)
        if ANY_OF_MARK in child.schema:
            continue  # one of several documented shapes: no single labelled reason to break
        if name in node.required:
            out.append(Site("missing-required", here, child))
        schema = child.schema
        types = schema.get("type") or []
        plain = "const" not in schema and "enum" not in schema
        if len(types) == 1 and plain and not (top_level and name in ("type", "specversion")):
            out.append(Site("wrong-type", here, child))
        if "enum" in schema and all(isinstance(v, str) for v in schema["enum"]):
            out.append(Site("not-in-enum", here, child))
        if schema.get("format") in _BAD_FORMATS and plain:
            out.append(Site("bad-format", here, child))
        if "pattern" in schema and plain and not schema.get("format"):
            out.append(Site("bad-pattern", here, child))
        if child.props:
            _walk(child, here, out, top_level=False)
        elif child.items is not None and child.items.props:
            _walk(child.items, (*here, 0), out, top_level=False)


class Breaker:
    """Draws broken events of one type: kinds in turn, a random place for each."""

    def __init__(self, generator: BulkGenerator, event_type: str) -> None:
        self.generator = generator
        self.compiled = generator.compiled(event_type)
        self.known_types = frozenset(generator.catalog.types)
        self.sites = sites(self.compiled)
        self.kinds = [k for k in KINDS if any(s.kind == k for s in self.sites)]

    def broken(
        self,
        n: int,
        *,
        seed: int,
        pins: list[tuple[tuple[str, ...], Any]] | None = None,
    ) -> Iterator[BrokenEvent]:
        pins = pins or []
        pinned = [path for path, _ in pins]
        usable = [s for s in self.sites if not any(_overlaps(s.path, p) for p in pinned)]
        kinds = [k for k in self.kinds if any(s.kind == k for s in usable)]
        if not kinds:
            return
        r = seeded(seed, self.compiled.type, "invalid")
        undocumented = not self.compiled.effective.payload_documented
        for i in range(n):
            kind = kinds[i % len(kinds)]
            candidates = [s for s in usable if s.kind == kind]
            site = realism.pick(r, candidates)
            event = self.generator.generate(self.compiled.type, r, label=False)
            for path, value in pins:
                set_path(event, path, copy.deepcopy(value))
            detail = self._break(event, site, r)
            yield BrokenEvent(event, kind, site.pointer, detail, undocumented)

    def _break(self, event: dict[str, Any], site: Site, r: Random) -> str:
        parent = _ensure(event, site.path[:-1], self.compiled.root, r)
        key = site.path[-1]
        where = _display(site.path)
        if site.kind == "missing-required":
            parent.pop(key, None)
            return f"{where}: required, removed"
        current = parent[key] if _has(parent, key) else site.node.gen(r, 0)
        value = self._bad_value(site, current, r)
        parent[key] = value
        return f"{where}: {json.dumps(value)[:60]} ({site.kind})"

    def _bad_value(self, site: Site, current: Any, r: Random) -> Any:
        schema = site.node.schema
        if site.kind == "wrong-type":
            return _other_type(schema["type"][0], current, r)
        if site.kind == "not-in-enum":
            return _outside(schema, current)
        if site.kind == "bad-format":
            return _bad_format(schema["format"], r)
        if site.kind == "bad-pattern":
            return _mismatch(schema, current)
        if site.kind == "wrong-event-type":
            return _near_miss_type(str(current), self.known_types)
        return realism.pick(r, _WRONG_SPECVERSIONS)


def _overlaps(site: Pointer, pinned: tuple[str, ...]) -> bool:
    """A site at, above or below a pinned path: breaking it would undo or hide the pin."""
    n = min(len(site), len(pinned))
    return tuple(str(p) for p in site[:n]) == tuple(pinned[:n])


def _has(parent: Any, key: str | int) -> bool:
    return key in parent if isinstance(parent, dict) else 0 <= int(key) < len(parent)


def _ensure(event: dict[str, Any], path: Pointer, root: Node, r: Random) -> Any:
    """The container at `path`, generating missing objects and first array items on the way."""
    container: Any = event
    node = root
    for key in path:
        child_node = node.props[key] if isinstance(key, str) else node.items
        assert child_node is not None
        if isinstance(key, str):
            if not isinstance(container.get(key), (dict, list)):
                container[key] = child_node.gen(r, 0)
                if isinstance(container[key], list) and not container[key]:
                    container[key].append(child_node.items.gen(r, 0))  # type: ignore[union-attr]
            elif isinstance(container[key], list) and not container[key]:
                container[key].append(child_node.items.gen(r, 0))  # type: ignore[union-attr]
        container = container[key]
        node = child_node
    return container


def _display(path: Pointer) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + p
    return out


def _other_type(kind: str, current: Any, r: Random) -> Any:
    """A scalar of another JSON type, shaped like a real mistake (a number sent as text...)."""
    if kind == "string":
        return 1 + realism.below(r, 99999)
    if kind in ("integer", "number"):
        return str(current)
    if kind == "boolean":
        return "true" if current else "false"
    if kind in ("object", "array"):
        return json.dumps(current, separators=(",", ":"))  # a payload encoded twice
    return "null"


def _outside(schema: dict[str, Any], current: Any) -> str:
    allowed = set(schema["enum"])
    text = str(current)
    for candidate in (text.upper(), text.lower(), text.title(), f"{text}_UNKNOWN", "unknown"):
        if candidate not in allowed and _length_ok(schema, candidate):
            return candidate
    return "x" * (max(len(v) for v in allowed) + 1)


def _bad_format(fmt: str, r: Random) -> str:
    template = realism.pick(r, _BAD_FORMATS[fmt])
    stamp = realism.timestamp(r)
    uuid = realism.uuid4(r)
    return str(template).format(
        timestamp_no_zone=stamp.rstrip("Z"),
        date_with_space=stamp.replace("T", " ").rstrip("Z"),
        uuid_no_hyphens=uuid.replace("-", ""),
        uuid_braced="{" + uuid + "}",
    )


def _mismatch(schema: dict[str, Any], current: Any) -> str:
    pattern = schema["pattern"]
    text = str(current)
    for candidate in (text.upper(), text.split("/")[-1], text.replace("-", "_"), "x y"):
        if re.search(pattern, candidate) is None and _length_ok(schema, candidate):
            return candidate
    return "\u0000"


def _near_miss_type(event_type: str, known: frozenset[str]) -> str:
    """A plausible typo (a pluralised segment, a bumped version) that no contract has."""
    parts = event_type.split(".")
    candidates = [".".join([*parts[:-2], parts[-2] + "s", parts[-1]])]
    candidates += [event_type.replace(".v1.", ".v2."), event_type + "d", event_type + ".x"]
    return next(c for c in candidates if c not in known and c != event_type)


def _length_ok(schema: dict[str, Any], text: str) -> bool:
    return int(schema.get("minLength", 0)) <= len(text) <= int(schema.get("maxLength", len(text)))
