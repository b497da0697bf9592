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

from ..builder.envelope import MEDIA_TYPE_PATTERN, TRACEPARENT_PATTERN
from ..contracts import Catalog
from .errors import GenerationError

Path = tuple[str, ...]  # object keys, with "[]" for "any item of this array"

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
_QLIK_ID = re.compile(r"^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])[A-Za-z0-9_-]{20,40}$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
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
    if _UUID.match(value):
        return "uuid"
    if _OBJECT_ID.match(value):
        return "object-id"
    if _QLIK_ID.match(value):
        return "qlik-id"
    if _TIMESTAMP.match(value):
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


def _real(values: Iterable[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str) and v not in _PLACEHOLDERS]


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
    if fmt == "date-time":
        return Hint("timestamp")
    if fmt == "uuid":
        return Hint("id", shape="uuid", role=_role(name))
    if fmt in ("uri-reference", "uri"):
        return Hint("source" if fmt == "uri-reference" else "url")
    if fmt is not None:
        raise GenerationError(f"{event_type}: /{'/'.join(path)}: format {fmt!r} is not supported")
    pattern = schema.get("pattern")
    if pattern == TRACEPARENT_PATTERN:
        return Hint("traceparent")
    if pattern == MEDIA_TYPE_PATTERN:
        return Hint("media-type")
    doc_values = _real(examples.at(event_type, path)) or _real(examples.named(name))
    if pattern is not None:
        matching = tuple(v for v in doc_values if re.search(pattern, v))
        if not matching:
            raise GenerationError(
                f"{event_type}: /{'/'.join(path)}: cannot generate strings for pattern "
                f"{pattern!r} (no doc example matches it)"
            )
        return Hint("examples", values=matching)
    if len(path) == 1 and lower in _TOP_LEVEL:
        return Hint(_TOP_LEVEL[lower])
    shape = _shared_shape(doc_values) if doc_values else None
    if shape == "timestamp":
        return Hint("timestamp")
    if shape is not None:
        return Hint("id", shape=shape, role=_role(name))
    return _hint_from_name(name, lower, doc_values)


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
