"""The fast generator: each contract compiled once into a tree of small closures.

hypothesis-jsonschema explores a schema (good for property tests, tens of events a second);
load tests need hundreds of thousands of realistic events. Here each type's effective schema
(see `effective`) is compiled into one function per node that draws from a seeded
`random.Random`: no schema interpretation, no validation and no hypothesis on the hot path.

Every closure takes `(r, tenant)`: the random stream and the index of the event's tenant, so
that `tenantid` and `data.tenantId` agree within one event. Only `random()` and
`getrandbits()` are used (see `realism`), so a seed gives the same events on every Python.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from random import Random
from typing import Any

from ..contracts import Catalog, load
from . import _realism as realism
from ._effective import EffectiveContract, contract_registry, effective_contract
from ._errors import GenerationError
from ._hints import (
    ExampleIndex,
    Hint,
    Path,
    integer_hint,
    is_placeholder,
    satisfying,
    string_hint,
)
from ._labels import PAYLOAD, PAYLOAD_UNDOCUMENTED

NodeGen = Callable[[Random, int], Any]

TENANTS = 3  # a stream from a handful of tenants, as a real integration sees
USERS = 24
OPTIONAL = 0.8  # how often an optional documented field is present
DEPRECATED = 0.25
TOP_LEVEL_OPTIONAL = 0.9
MAX_EXTRA_ITEMS = 3  # arrays get min..min+3 items: no giant arrays by default
# CloudEvents attributes first, in the order people write them; `data` always last.
_ROOT_ORDER = ("specversion", "type", "source", "id", "time", "datacontenttype")
_ALWAYS_AT_ROOT = frozenset({"time", "datacontenttype", "data"})
# For payloads the docs leave unspecified: a correct envelope and an empty `data`.
UNDOCUMENTED_ENVELOPE = ("time", "datacontenttype", "tenantid", "data")
_TYPE_PREFERENCE = ("string", "integer", "number", "boolean", "object", "array", "null")


@dataclass
class Node:
    """A compiled schema node: its generator, and its children for targeted edits."""

    schema: dict[str, Any]
    gen: NodeGen
    props: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Node | None = None
    hint: Hint | None = None  # for strings: the kind of realistic value drawn
    always: frozenset[str] = frozenset()  # optional properties generated every time


@dataclass
class CompiledType:
    """One event type, ready to generate: the effective contract and its compiled root."""

    effective: EffectiveContract
    root: Node

    @property
    def type(self) -> str:
        return self.effective.type


def seeded(seed: int, *parts: str) -> Random:
    """A stream for (seed, parts): a type's events do not depend on which others are asked."""
    return Random("/".join([str(seed), *parts]))


class BulkGenerator:
    """Compiles contracts on first use and generates events from them.

    Pickles as its catalogue only: a worker process recompiles what it needs.
    """

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog if catalog is not None else load()
        self._compiled: dict[str, CompiledType] = {}
        self._examples: ExampleIndex | None = None
        self._pools: dict[tuple[str, str], tuple[str, ...]] = {}
        self._registry: Any = None  # the set's $ref registry: built once, never pickled

    def __getstate__(self) -> dict[str, Any]:
        return {"catalog": self.catalog}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["catalog"])  # type: ignore[misc]

    def compiled(self, event_type: str) -> CompiledType:
        found = self._compiled.get(event_type)
        if found is None:
            domain = self.catalog.entry(event_type).domain  # unknown types fail first
            if self._examples is None:
                self._examples = ExampleIndex(self.catalog)
            if self._registry is None:
                try:
                    self._registry = contract_registry(self.catalog)
                except GenerationError as exc:
                    raise GenerationError(f"{event_type}: cannot inline $refs: {exc}") from None
            effective = effective_contract(self.catalog, event_type, self._registry)
            root = _Compiler(effective, domain, self._examples, self._pool).root()
            found = self._compiled[event_type] = CompiledType(effective, root)
        return found

    def _pool(self, shape: str, role: str) -> tuple[str, ...]:
        key = (shape, role)
        if key not in self._pools:
            size = TENANTS if role == "tenant" else USERS
            self._pools[key] = realism.id_pool(shape, size, salt=1 if role == "tenant" else 2)
        return self._pools[key]

    def generate(self, event_type: str, r: Random, *, label: bool = True) -> dict[str, Any]:
        """One valid event of `event_type` drawn from `r`."""
        compiled = self.compiled(event_type)
        event: dict[str, Any] = compiled.root.gen(r, realism.below(r, TENANTS))
        if label and not compiled.effective.payload_documented:
            event[PAYLOAD] = PAYLOAD_UNDOCUMENTED
        return event

    def events(
        self,
        event_type: str,
        n: int,
        *,
        seed: int,
        label: bool = True,
        pins: Iterable[tuple[tuple[str, ...], Any]] = (),
    ) -> Iterator[dict[str, Any]]:
        """`n` valid events of one type, the same for the same seed. `pins` set paths."""
        compiled = self.compiled(event_type)
        root_gen = compiled.root.gen
        mark = label and not compiled.effective.payload_documented
        pinned = list(pins)
        r = seeded(seed, event_type, "valid")
        rnd = r.random
        for _ in range(n):
            event = root_gen(r, int(rnd() * TENANTS))
            if mark:
                event[PAYLOAD] = PAYLOAD_UNDOCUMENTED
            for path, value in pinned:
                set_path(event, path, copy.deepcopy(value))
            yield event


def set_path(event: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Set `event[a][b]... = value`, creating missing objects on the way."""
    node = event
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[path[-1]] = value


# ---------------------------------------------------------------------------- compilation


class _Compiler:
    def __init__(
        self,
        effective: EffectiveContract,
        domain: str,
        examples: ExampleIndex,
        pool: Callable[[str, str], tuple[str, ...]],
    ) -> None:
        self.effective = effective
        self.type = effective.type
        self.domain = domain
        self.examples = examples
        self.pool = pool
        # One id shape per role and type: the tenant in `tenantid` and in `data.tenantId`
        # is the same tenant, written the same way. The top-level attribute decides.
        self.role_shapes: dict[str, str] = {}
        props = effective.schema.get("properties", {})
        for role, attribute in (("tenant", "tenantid"), ("user", "userid")):
            if attribute in props:
                hint = string_hint(props[attribute], (attribute,), self.type, examples)
                if hint.kind == "id" and hint.shape:
                    self.role_shapes[role] = hint.shape

    def fail(self, path: Path, what: str) -> GenerationError:
        return GenerationError(f"{self.type}: /{'/'.join(path)}: {what}")

    def root(self) -> Node:
        schema = self.effective.schema
        props = schema.get("properties", {})
        names = list(self.effective.generated)
        if not self.effective.payload_documented:
            names += [n for n in UNDOCUMENTED_ENVELOPE if n in props and n not in names]
        first = [n for n in _ROOT_ORDER if n in names]
        rest = [n for n in names if n not in first and n != "data"]
        order = first + rest + (["data"] if "data" in names else [])
        required = frozenset(schema.get("required", []))
        probs = {
            n: 1.0 if n in required or n in _ALWAYS_AT_ROOT else TOP_LEVEL_OPTIONAL for n in order
        }
        order = self._without_forbidden_pairs(schema, order, probs, ())
        children: dict[str, Node] = {}
        for name in order:
            if name == "data" and not self.effective.payload_documented:
                children[name] = Node(props[name], lambda r, t: {})
            else:
                children[name] = self.node(props[name], (name,))
        gen = self._object_gen(order, children, probs)
        always = frozenset(n for n in order if probs[n] >= 1.0) - required
        return Node(schema, gen, children, required, always=always)

    def node(self, schema: dict[str, Any], path: Path) -> Node:
        if "const" in schema:
            value = schema["const"]
            if isinstance(value, (dict, list)):
                return Node(schema, lambda r, t: copy.deepcopy(value))
            return Node(schema, lambda r, t: value)
        if "enum" in schema:
            options = tuple(schema["enum"])
            k = len(options)
            if any(isinstance(v, (dict, list)) for v in options):
                return Node(schema, lambda r, t: copy.deepcopy(options[int(r.random() * k)]))
            return Node(schema, lambda r, t: options[int(r.random() * k)])
        types = schema.get("type")
        kind = next((t for t in _TYPE_PREFERENCE if t in types), None) if types else None
        if kind is None:
            # Untyped in the docs (any value is legal): the least surprising value, a word.
            return _plain(schema, realism.word)
        if kind == "object":
            return self._object(schema, path)
        if kind == "array":
            return self._array(schema, path)
        if kind == "string":
            hint = string_hint(schema, path, self.type, self.examples)
            return Node(schema, self._string(schema, hint, path), hint=hint)
        if kind == "integer":
            make = _INTEGERS[integer_hint(path).kind]
            if _bounds(schema) == (None, None):
                return _plain(schema, make)
            return Node(schema, self._integer(schema, path))
        if kind == "number":
            return Node(schema, self._number(schema))
        if kind == "boolean":
            return Node(schema, lambda r, t: r.random() < 0.5)
        return Node(schema, lambda r, t: None)

    # ------------------------------------------------------------------------ containers

    def _object(self, schema: dict[str, Any], path: Path) -> Node:
        props = schema.get("properties", {})
        required = frozenset(schema.get("required", []))
        missing = required - set(props)
        if missing:
            raise self.fail(path, f"required {sorted(missing)} without a schema")
        probs = {
            n: 1.0 if n in required else DEPRECATED if props[n].get("deprecated") else OPTIONAL
            for n in props
        }
        order = self._without_forbidden_pairs(schema, list(props), probs, path)
        # `minProperties` (a page's "at least one of these"): the first optional properties
        # are always generated until there are enough.
        short = int(schema.get("minProperties", 0)) - sum(probs[n] >= 1.0 for n in order)
        for name in [n for n in order if probs[n] < 1.0][: max(short, 0)]:
            probs[name] = 1.0
        children = {name: self.node(props[name], (*path, name)) for name in order}
        always = frozenset(n for n in order if probs[n] >= 1.0) - required
        gen = self._object_gen(order, children, probs)
        return Node(schema, gen, children, required, always=always)

    def _without_forbidden_pairs(
        self, schema: dict[str, Any], order: list[str], probs: dict[str, float], path: Path
    ) -> list[str]:
        """Honour `not: {required: [a, b]}` (CloudEvents: not both data and data_base64)."""
        for forbidden in schema.get("not", []):
            together = forbidden.get("required") if isinstance(forbidden, dict) else None
            if not together or set(forbidden) != {"required"}:
                raise self.fail(path, "'not' is supported only as 'not: {required: [...]}'")
            if set(together) <= set(order):
                optional = [n for n in together if probs[n] < 1.0]
                if not optional:
                    raise self.fail(path, f"{together} are all required and may not co-occur")
                order = [n for n in order if n != optional[-1]]
        return order

    @staticmethod
    def _object_gen(
        order: list[str], children: dict[str, Node], probs: dict[str, float]
    ) -> NodeGen:
        fields = tuple((n, probs[n], children[n].gen) for n in order)

        def gen(r: Random, t: int) -> dict[str, Any]:
            rnd = r.random
            return {n: g(r, t) for n, p, g in fields if p >= 1.0 or rnd() < p}

        return gen

    def _array(self, schema: dict[str, Any], path: Path) -> Node:
        item_path = (*path, "[]")
        if "items" in schema:
            item = self.node(schema["items"], item_path)
        else:
            # Items the docs leave undefined: short words keep the array small and plain.
            item = Node({}, lambda r, t: realism.word(r))
        lo = int(schema.get("minItems", 0))
        hi = min(int(schema.get("maxItems", lo + MAX_EXTRA_ITEMS)), lo + MAX_EXTRA_ITEMS)
        if hi < lo:
            raise self.fail(path, "maxItems is below minItems")
        span = hi - lo + 1
        item_gen = item.gen

        def gen(r: Random, t: int) -> list[Any]:
            return [item_gen(r, t) for _ in range(lo + int(r.random() * span))]

        return Node(schema, gen, items=item)

    # ---------------------------------------------------------------------------- leaves

    def _string(self, schema: dict[str, Any], hint: Hint, path: Path) -> NodeGen:
        gen = self._hinted_string(hint, schema, path)
        lo = int(schema.get("minLength", 0))
        hi = schema.get("maxLength")
        if lo == 0 and hi is None:
            return gen
        if schema.get("format") or schema.get("pattern"):
            return gen  # realistic values of a format are never empty; bounds are moot

        def bounded(r: Random, t: int) -> str:
            s: str = gen(r, t)
            if len(s) < lo:
                s = s + "x" * (lo - len(s))
            return s if hi is None else s[:hi]

        return bounded

    def _hinted_string(self, hint: Hint, schema: dict[str, Any], path: Path) -> NodeGen:
        kind = hint.kind
        if kind == "id":
            shape = self.role_shapes.get(hint.role or "", hint.shape or "uuid")
            if "format" in schema and shape != "uuid":
                shape = "uuid"  # the only id shape a `format` (uuid) allows
            if hint.role == "tenant":
                tenants = self.pool(shape, "tenant")
                return lambda r, t: tenants[t]
            if hint.role == "user":
                users = self.pool(shape, "user")
                k = len(users)
                return lambda r, t: users[int(r.random() * k)]
            make = realism.ID_SHAPES[shape]
            return lambda r, t: make(r)
        if kind == "source":
            value = self._source(schema, path)
            return lambda r, t: value
        if kind == "authclaims":
            tenants = self.pool(self.role_shapes.get("tenant", "qlik-id"), "tenant")
            users = self.pool(self.role_shapes.get("user", "qlik-id"), "user")
            k = len(users)
            return lambda r, t: realism.authclaims(r, users[int(r.random() * k)], tenants[t])
        if kind == "media-type":
            media = realism.MEDIA_TYPES[0]
            return lambda r, t: media
        if kind in ("examples", "samples"):
            values = hint.values
            k = len(values)
            return lambda r, t: values[int(r.random() * k)]
        simple = _SIMPLE_STRINGS.get(kind)
        if simple is None:
            raise self.fail(path, f"no generator for value kind {kind!r}")
        return lambda r, t: simple(r)

    def _source(self, schema: dict[str, Any], path: Path) -> str:
        """The emitting service for this type, from the contract alone: the value the docs'
        examples show at this place, else the schema's `default`, else `com.qlik/<domain>`;
        the first of them that the schema accepts."""
        shown = self.examples.at(self.type, path)
        candidates = [*shown, schema.get("default"), realism.source_for(self.domain)]
        texts = [c for c in candidates if isinstance(c, str) and not is_placeholder(c)]
        check = {k: schema[k] for k in _STRING_ASSERTIONS if k in schema}
        fitting = satisfying(check, texts)
        if not fitting:
            raise self.fail(path, "no doc example, default or com.qlik/<domain> fits the schema")
        return fitting[0]

    def _integer(self, schema: dict[str, Any], path: Path) -> NodeGen:
        make = _INTEGERS[integer_hint(path).kind]
        lo, hi = _bounds(schema)
        if lo is None and hi is None:
            return lambda r, t: make(r)
        lo_i = None if lo is None else math.ceil(lo)
        hi_i = None if hi is None else math.floor(hi)
        if lo_i is not None and hi_i is not None:
            if hi_i < lo_i:
                raise self.fail(path, "no integer lies within the bounds")
            width = hi_i - lo_i + 1
            return lambda r, t: lo_i + make(r) % width
        if lo_i is not None:
            return lambda r, t: lo_i + make(r)
        assert hi_i is not None
        return lambda r, t: hi_i - make(r)

    def _number(self, schema: dict[str, Any]) -> NodeGen:
        lo, hi = _bounds(schema)
        if lo is None:
            lo = 0.0 if hi is None or hi >= 1000.0 else hi - 1000.0
        if hi is None:
            hi = lo + 1000.0
        low, width = float(lo), float(hi) - float(lo)
        return lambda r, t: min(max(round(low + r.random() * width, 2), low), low + width)


_STRING_ASSERTIONS = ("type", "format", "pattern", "minLength", "maxLength")


def _plain(schema: dict[str, Any], make: Callable[[Random], Any]) -> Node:
    """A leaf whose value needs only the random stream (no tenant)."""
    return Node(schema, lambda r, t: make(r))


def _bounds(schema: dict[str, Any]) -> tuple[float | None, float | None]:
    """Inclusive bounds; exclusive ones are nudged inwards (by 1 for integers)."""
    lo = schema.get("minimum")
    hi = schema.get("maximum")
    if "exclusiveMinimum" in schema:
        x = schema["exclusiveMinimum"]
        lo = x + (1 if isinstance(x, int) else 1e-6)
    if "exclusiveMaximum" in schema:
        x = schema["exclusiveMaximum"]
        hi = x - (1 if isinstance(x, int) else 1e-6)
    return lo, hi


_SIMPLE_STRINGS: dict[str, Callable[[Random], str]] = {
    "timestamp": realism.timestamp,
    "traceparent": realism.traceparent,
    "tracestate": realism.tracestate,
    "host": realism.pod_name,
    "email": realism.email,
    "duration": realism.iso_duration,
    "url": realism.url,
    "date": realism.date,
    "time": realism.clock_time,
    "idn-email": realism.idn_email,
    "hostname": realism.hostname,
    "idn-hostname": realism.idn_hostname,
    "ipv4": realism.ipv4,
    "ipv6": realism.ipv6,
    "iri": realism.iri,
    "iri-reference": realism.iri_reference,
    "uri-template": realism.uri_template,
    "json-pointer": realism.json_pointer,
    "relative-json-pointer": realism.relative_json_pointer,
    "regex": realism.regex,
    "display-name": realism.display_name,
    "sentence": realism.sentence,
    "word": realism.word,
}
_INTEGERS: dict[str, Callable[[Random], int]] = {
    "bytes": realism.byte_size,
    "count": realism.count,
    "millis": realism.millis,
    "small-int": realism.small_int,
}
