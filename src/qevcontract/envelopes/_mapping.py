"""The attribute mapping itself, both ways, with no patch: legacy -> 1.0 and 1.0 -> legacy.

`forward` says where every 1.0 attribute came from and which legacy members found no place;
`inverse` is the plain reverse mapping. `convert` builds the public conversions on these two
and keeps whatever they miss in the `qevlegacy` patch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._attributes import (
    CARRIED,
    CLOUDEVENTS_VERSION,
    EXTENSIONS,
    EXTENSIONS_BACK,
    LEGACY_ONLY,
    LEGACY_VERSION,
    PATCH_ATTRIBUTE,
    PAYLOAD,
    RESERVED,
    TOP_LEVEL,
    TOP_LEVEL_BACK,
    derived_authtype,
    is_attribute_name,
    is_attribute_value,
    json_text,
    parse_json_text,
    same,
)
from ._pointers import escape, pointer

# Top-level legacy members the mapping handles by name; any other is an unknown attribute.
_MAPPED_TOP_LEVEL = LEGACY_ONLY | {name for name, _ in TOP_LEVEL} | {*PAYLOAD, "extensions"}
_VALUE_KINDS = "a string, boolean or integer"

_OWN_SPECVERSION = "/extensions/specversion"
# 1.0 attributes `inverse` maps by name (the rest are unknown extensions).
_HANDLED_BY_INVERSE = frozenset(
    {"specversion", "traceparent", "authtype", "authclaims", PATCH_ATTRIBUTE}
    | TOP_LEVEL_BACK.keys()
    | EXTENSIONS_BACK.keys()
    | set(PAYLOAD)
)
# `extensions` members the mapping reads as something else: an unknown 1.0 attribute of
# that name goes to the legacy top level instead.
_MEANINGFUL_IN_EXTENSIONS = frozenset({"header", "actor"})

# Where each mapped 1.0 attribute comes from in a legacy event (also when it is absent there).
DEFAULT_SOURCES = {
    "specversion": "/cloudEventsVersion",
    "id": "/eventId",
    "time": "/eventTime",
    "type": "/eventType",
    "source": "/source",
    "eventtypeversion": "/eventTypeVersion",
    "contenttype": "/contentType",
    **{ce: pointer("extensions", legacy) for ce, legacy in EXTENSIONS_BACK.items()},
    "traceparent": "/extensions/header/traceparent/0",
    "authclaims": "/extensions/actor",
    "authtype": "/extensions/actor/subType",
}


@dataclass(slots=True)
class Forward:
    """A legacy event mapped to 1.0 attributes, and what could not be mapped."""

    event: dict[str, Any]
    sources: dict[str, str]  # attribute -> pointer in the legacy event it came from
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (pointer, why)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", float: "a number with a fraction"}.get(
        type(value), type(value).__name__
    )


class _Builder:
    def __init__(self) -> None:
        self.event: dict[str, Any] = {}
        self.sources: dict[str, str] = {}
        self.unplaced: list[tuple[str, str]] = []

    def place(self, name: str, value: Any, source: str) -> None:
        taken = self.sources.get(name)
        if taken is not None:
            self.unplaced.append((source, f"{name} already comes from {taken}"))
            return
        self.event[name] = value
        self.sources[name] = source

    def extension(self, key: str, value: Any, source: str) -> None:
        """A legacy member with no mapping: a lower-cased attribute if it can be one."""
        name = key.lower()
        if not is_attribute_name(name):
            self.unplaced.append(
                (source, f"{key!r} is not a CloudEvents attribute name, even in lower case")
            )
        elif name in RESERVED:
            self.unplaced.append((source, f"{name} is a name the mapping fills itself"))
        elif not is_attribute_value(value):
            self.unplaced.append(
                (source, f"{_kind(value)} cannot be an attribute value ({_VALUE_KINDS})")
            )
        else:
            self.place(name, value, source)

    def result(self) -> Forward:
        return Forward(self.event, self.sources, self.unplaced)


def forward(legacy: dict[str, Any]) -> Forward:
    """Map the legacy attributes of `legacy` to CloudEvents 1.0 attributes."""
    out = _Builder()
    extensions = legacy.get("extensions")
    if type(extensions) is dict and type(extensions.get("specversion")) is str:
        # A 1.0 event whose specversion is not "1.0" keeps it here on its way to legacy.
        out.place("specversion", extensions["specversion"], _OWN_SPECVERSION)
    else:
        out.place("specversion", CLOUDEVENTS_VERSION, "/cloudEventsVersion")
    version = legacy.get("cloudEventsVersion", LEGACY_VERSION)
    if not same(version, LEGACY_VERSION):
        out.unplaced.append(("/cloudEventsVersion", f"is {version!r}, not {LEGACY_VERSION!r}"))
    for key, name in TOP_LEVEL:
        if key not in legacy:
            continue
        value = legacy[key]
        if name in CARRIED and not is_attribute_value(value):
            # eventTypeVersion, contentType have no 1.0 meaning: plain extension attributes
            out.unplaced.append(
                ("/" + key, f"{_kind(value)} cannot be an attribute value ({_VALUE_KINDS})")
            )
        else:
            out.place(name, value, "/" + key)
    if type(extensions) is dict:
        _extensions(out, extensions)
    elif "extensions" in legacy:
        out.unplaced.append(("/extensions", f"is {_kind(extensions)}, not an object"))
    for key, value in legacy.items():
        if key not in _MAPPED_TOP_LEVEL:
            out.extension(key, value, "/" + escape(key))
    for name in PAYLOAD:  # the payload last, as producers write it
        if name in legacy:
            out.place(name, legacy[name], "/" + name)
    return out.result()


def _extensions(out: _Builder, extensions: dict[str, Any]) -> None:
    for key, name in EXTENSIONS.items():
        if key in extensions:
            out.place(name, extensions[key], "/extensions/" + key)
    if "header" in extensions:
        _header(out, extensions["header"])
    for key, value in extensions.items():
        if key in EXTENSIONS or key in ("header", "actor"):
            continue
        if key == "specversion" and out.sources["specversion"] == _OWN_SPECVERSION:
            continue
        out.extension(key, value, "/extensions/" + escape(key))
    if "actor" in extensions:
        _actor(out, extensions["actor"])


def _header(out: _Builder, header: Any) -> None:
    where = "/extensions/header"
    if type(header) is not dict:
        out.unplaced.append((where, f"is {_kind(header)}, not an object"))
        return
    for key, value in header.items():
        here = "/extensions/header/" + escape(key)
        if key != "traceparent":
            out.unplaced.append((here, "no CloudEvents attribute for this header"))
        elif type(value) is not list or not value:
            out.unplaced.append((here, "is not a list of trace contexts"))
        else:
            out.place("traceparent", value[0], here + "/0")
            for i in range(1, len(value)):
                out.unplaced.append((f"{here}/{i}", "only the first traceparent has a place"))


def _actor(out: _Builder, actor: Any) -> None:
    where = "/extensions/actor"
    if type(actor) is not dict:
        out.unplaced.append((where, f"is {_kind(actor)}, not an object"))
        return
    if "authtype" not in out.sources:
        authtype = derived_authtype(actor)
        if authtype is not None:
            out.place("authtype", authtype, where + "/subType")
    if "authclaims" not in out.sources:
        out.place("authclaims", json_text(actor), where)
    elif not same(parse_json_text(out.event["authclaims"]), actor):
        out.unplaced.append((where, "differs from the authclaims the event also carries"))


def inverse(
    event: dict[str, Any], *, with_sources: bool = True
) -> tuple[dict[str, Any], dict[str, str]]:
    """The legacy event the plain mapping gives for 1.0 attributes, and where each came from.

    The second value maps legacy pointers to the 1.0 pointers they were written from (left
    empty with `with_sources=False`, which conversions to 1.0 use: they only need the event).
    Attributes with no legacy place go to `extensions` under their own name, or to the top
    level when that name means something else in `extensions` (header, actor) or is taken.
    """
    top: dict[str, Any] = {}
    ext: dict[str, Any] = {}
    for name, value in event.items():
        if name == "specversion":
            if not same(value, CLOUDEVENTS_VERSION):
                ext["specversion"] = value
        elif name in TOP_LEVEL_BACK:
            top[TOP_LEVEL_BACK[name]] = value
        elif name in PAYLOAD:
            top[name] = value
        elif name in EXTENSIONS_BACK:
            ext[EXTENSIONS_BACK[name]] = value
        elif name == "traceparent":
            ext["header"] = {"traceparent": [value]}
    _inverse_auth(event, ext)
    unknown: dict[str, Any] = {}
    for name, value in event.items():
        if name in _HANDLED_BY_INVERSE:
            continue
        if name in ext or name in _MEANINGFUL_IN_EXTENSIONS:
            unknown[name] = value
        else:
            ext[name] = value
    legacy: dict[str, Any] = {"cloudEventsVersion": LEGACY_VERSION}
    for key in ("eventType", "eventTypeVersion", "source", "eventId", "eventTime", "contentType"):
        if key in top:
            legacy[key] = top[key]
    legacy.update(unknown)
    if ext:
        legacy["extensions"] = ext
    for name in PAYLOAD:
        if name in top:
            legacy[name] = top[name]
    return legacy, (_inverse_sources(event, ext, unknown) if with_sources else {})


def _inverse_sources(
    event: dict[str, Any], ext: dict[str, Any], unknown: dict[str, Any]
) -> dict[str, str]:
    """Legacy pointer -> 1.0 pointer for what `inverse` wrote (not on the hot path)."""
    sources: dict[str, str] = {}
    for name in event:
        here = pointer(name)
        if name == "specversion":
            if "specversion" in ext:
                sources[_OWN_SPECVERSION] = here
        elif name in TOP_LEVEL_BACK:
            sources[pointer(TOP_LEVEL_BACK[name])] = here
        elif name in EXTENSIONS_BACK:
            sources[pointer("extensions", EXTENSIONS_BACK[name])] = here
        elif name == "traceparent":
            sources["/extensions/header/traceparent/0"] = here
        elif name == "authtype":  # kept as given, or implied by the actor's subType
            sources[
                "/extensions/authtype" if "authtype" in ext else "/extensions/actor/subType"
            ] = here
        elif name == "authclaims":  # the actor, and the exact text when it differs
            if "authclaims" in ext:
                sources["/extensions/authclaims"] = here
            if "actor" in ext:
                sources["/extensions/actor"] = here
        elif name in unknown:
            sources[here] = here
        elif name in ext:
            sources[pointer("extensions", name)] = here
    return sources


def _inverse_auth(event: dict[str, Any], ext: dict[str, Any]) -> None:
    """`authclaims` (+ `authtype`) -> `extensions.actor`, keeping the strings when needed.

    The actor is the parsed claims. The exact `authclaims` text is kept beside it when it is
    not the actor's compact JSON, and `authtype` when it is not the actor's `subType`, so a
    conversion back gives the same strings. Claims that are not a JSON object, or whose
    `subType` would invent an `authtype` the event lacks, stay plain strings.
    """
    if "authclaims" in event:
        text = event["authclaims"]
        claims = parse_json_text(text)
        has_type = "authtype" in event
        if type(claims) is dict and (has_type or derived_authtype(claims) is None):
            ext["actor"] = claims
            if json_text(claims) != text:
                ext["authclaims"] = text
            if has_type and not same(event["authtype"], derived_authtype(claims)):
                ext["authtype"] = event["authtype"]
            return
        ext["authclaims"] = text
    if "authtype" in event:
        ext["authtype"] = event["authtype"]
