"""What kind of value each field should get, from its schema, its name and the docs' examples.

The schema says what is *legal*; the hint says what is *realistic*. Precedence: the schema's
own format or pattern, then well-known CloudEvents/Qlik attributes, then the shape of the
values the docs show for the same field (a field the docs fill with UUIDs gets UUIDs), then the
field's name, then a neutral word. A hint never widens what the schema allows: `bulk` applies
enums, constants and bounds first and asks for a hint only for free strings and integers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .._spec.cloudevents import MEDIA_TYPE_PATTERN
from .._spec.patterns import is_date_time, is_uuid
from .._spec.qlik import TRACEPARENT_PATTERN
from ..contracts import Catalog
from ._errors import GenerationError

Path = tuple[str, ...]  # object keys, with "[]" for "any item of this array"

_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
_QLIK_ID = re.compile(r"^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])[A-Za-z0-9_-]{20,40}$")
# Values the pages use as "fill me in" rather than as an example of the real thing.
_PLACEHOLDERS = frozenset({"", "string", "id"})
_TOP_LEVEL = {
    "source": "source",
    "authclaims": "authclaims",
    "traceparent": "traceparent",
    "tracestate": "tracestate",
    "datacontenttype": "media-type",
    "host": "host",
    "time": "timestamp",
}
_USER_WORDS = ("user", "owner", "creator", "createdby", "executedby", "recipient")
#: The value kind for each `format` JSON Schema 2020-12 defines (and validators assert),
#: apart from `uuid` (an id) and `uri-reference` (a `source`), which get their own hints.
FORMAT_KINDS = {
    "date-time": "timestamp",
    "date": "date",
    "time": "time",
    "duration": "duration",
    "email": "email",
    "idn-email": "idn-email",
    "hostname": "hostname",
    "idn-hostname": "idn-hostname",
    "ipv4": "ipv4",
    "ipv6": "ipv6",
    "uri": "url",
    "iri": "iri",
    "iri-reference": "iri-reference",
    "uri-template": "uri-template",
    "json-pointer": "json-pointer",
    "relative-json-pointer": "relative-json-pointer",
    "regex": "regex",
}
#: Every `format` the generator serves.
FORMATS = frozenset({*FORMAT_KINDS, "uuid", "uri-reference"})


@dataclass(frozen=True)
class Hint:
    """A realistic-value recipe: `kind`, plus an id `shape`, a `role` pool, or doc `values`."""

    kind: str
    shape: str | None = None
    role: str | None = None
    values: tuple[Any, ...] = ()


def classify(value: Any) -> str | None:
    """The shape of a doc example string: an id shape, "timestamp", or None."""
    if not isinstance(value, str):
        return None
    if is_uuid(value):
        return "uuid"
    if _OBJECT_ID.match(value):
        return "object-id"
    if _QLIK_ID.match(value):
        return "qlik-id"
    if is_date_time(value):
        return "timestamp"
    return None


class ExampleIndex:
    """Doc example values by field path (per event type) and by field name (catalogue-wide)."""

    def __init__(self, catalog: Catalog) -> None:
        self._by_path: dict[str, dict[Path, list[Any]]] = {}
        self._by_name: dict[str, list[Any]] = defaultdict(list)
        for event_type in catalog.types:
            paths: dict[Path, list[Any]] = defaultdict(list)
            for example in catalog.examples(event_type):
                for path, value in _leaves(example, ()):
                    paths[path].append(value)
                    named = [p for p in path if p != "[]"]
                    if named:
                        self._by_name[named[-1].lower()].append(value)
            self._by_path[event_type] = dict(paths)

    def at(self, event_type: str, path: Path) -> list[Any]:
        return self._by_path.get(event_type, {}).get(path, [])

    def named(self, name: str) -> list[Any]:
        return self._by_name.get(name.lower(), [])


def _leaves(value: Any, path: Path) -> Iterable[tuple[Path, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, str(k)))
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v, (*path, "[]"))
    else:
        yield path, value


def _field_name(path: Path) -> str:
    named = [p for p in path if p != "[]"]
    return named[-1] if named else ""


def _role(name: str) -> str | None:
    lower = name.lower()
    if lower.startswith("tenant"):
        return "tenant"
    if any(w in lower for w in _USER_WORDS):
        return "user"
    return None


def is_placeholder(value: str) -> bool:
    """Whether a doc example string is a "fill me in" (`"string"`, `""`) rather than a value."""
    return value in _PLACEHOLDERS


def _real(values: Iterable[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str) and not is_placeholder(v)]


def _shared_shape(values: list[str]) -> str | None:
    shapes = {classify(v) for v in values}
    return shapes.pop() if len(shapes) == 1 else None


def string_hint(
    schema: dict[str, Any], path: Path, event_type: str, examples: ExampleIndex
) -> Hint:
    """The realistic kind of string for the field at `path` (object keys, "[]" for items)."""
    name = _field_name(path)
    lower = name.lower()
    fmt = schema.get("format")
    pattern = schema.get("pattern")
    where = f"{event_type}: /{'/'.join(path)}"
    if fmt is not None and pattern is None:
        return _format_hint(fmt, name, where)
    if pattern == TRACEPARENT_PATTERN and fmt is None:
        return Hint("traceparent")
    if pattern == MEDIA_TYPE_PATTERN and fmt is None:
        return Hint("media-type")
    doc_values = _real(examples.at(event_type, path)) or _real(examples.named(name))
    if fmt is not None:
        # A generated value of the format need not match the pattern: only doc examples
        # that satisfy both will do.
        both = satisfying({"type": "string", "format": fmt, "pattern": pattern}, doc_values)
        if not both:
            raise GenerationError(
                f"{where}: cannot generate strings of format {fmt!r} that also match pattern "
                f"{pattern!r} (no doc example does)"
            )
        return Hint("examples", values=both)
    if pattern is not None:
        matching = satisfying(_pattern_check(schema), doc_values)
        if matching:
            return Hint("examples", values=matching)
        samples = pattern_samples(schema)
        if not samples:
            raise GenerationError(
                f"{where}: cannot generate strings for pattern {pattern!r} (no doc example "
                "matches it, and it is beyond the regex sampler)"
            )
        return Hint("samples", values=samples)
    if len(path) == 1 and lower in _TOP_LEVEL:
        return Hint(_TOP_LEVEL[lower])
    shape = _shared_shape(doc_values) if doc_values else None
    if shape == "timestamp":
        return Hint("timestamp")
    if shape is not None:
        return Hint("id", shape=shape, role=_role(name))
    return _hint_from_name(name, lower, doc_values)


def _format_hint(fmt: str, name: str, where: str) -> Hint:
    if fmt == "uuid":
        return Hint("id", shape="uuid", role=_role(name))
    if fmt == "uri-reference":
        return Hint("source")
    kind = FORMAT_KINDS.get(fmt)
    if kind is None:
        raise GenerationError(
            f"{where}: format {fmt!r} is not supported (supported: {', '.join(sorted(FORMATS))})"
        )
    return Hint(kind)


def satisfying(check: dict[str, Any], values: list[str]) -> tuple[str, ...]:
    """The distinct `values` that `check` accepts, in order (jsonschema-rs, formats asserted).

    For picking realistic values the schema allows: doc examples can contradict it.
    """
    import jsonschema_rs

    try:
        validator = jsonschema_rs.validator_for(check, validate_formats=True)
    except (jsonschema_rs.ValidationError, ValueError):
        return ()
    return tuple(v for v in dict.fromkeys(values) if validator.is_valid(v))


def pattern_samples(schema: dict[str, Any]) -> tuple[str, ...]:
    """Strings matching the schema's `pattern` (and its length bounds) for both engines.

    Built by `_regex_sample` from the pattern's parse tree; each sample is checked with
    jsonschema-rs too (ECMA-262 regexes), so a construct the two dialects read differently
    yields no sample rather than an invalid event.
    """
    from .._regex_sample import regex_samples

    return satisfying(_pattern_check(schema), list(regex_samples(schema["pattern"])))


def _pattern_check(schema: dict[str, Any]) -> dict[str, Any]:
    check = {"type": "string", "pattern": schema["pattern"]}
    check.update({k: schema[k] for k in ("minLength", "maxLength") if k in schema})
    return check


def _hint_from_name(name: str, lower: str, doc_values: list[str]) -> Hint:
    if lower.endswith(("id", "ids")):
        return Hint("id", shape="uuid", role=_role(name))
    if name.endswith(("At", "Time", "Date")):
        return Hint("timestamp")
    if "email" in lower:
        return Hint("email")
    if lower == "duration":
        return Hint("duration")
    if lower.endswith("name") or lower == "title":
        return Hint("display-name")
    if lower == "description":
        return Hint("sentence")
    if doc_values:
        return Hint("examples", values=tuple(dict.fromkeys(doc_values)))
    return Hint("word")


def integer_hint(path: Path) -> Hint:
    lower = _field_name(path).lower()
    if any(w in lower for w in ("bytes", "memory", "size")):
        return Hint("bytes")
    if any(w in lower for w in ("count", "calls")):
        return Hint("count")
    if "duration" in lower:
        return Hint("millis")
    return Hint("small-int")
