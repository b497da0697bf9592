"""Conversions between the three envelope shapes, lossless where the shapes allow it.

* legacy -> 1.0 never loses anything: what the mapping cannot express goes into the
  `qevlegacy` patch (and a warning names it when it is more than a spelling), so converting
  back gives the very same event.
* 1.0 -> legacy is exact for events that are valid CloudEvents 1.0; for others, `lost`
  names each attribute a conversion back would not restore.
* hybrid -> 1.0 keeps the 1.0 half, fills in what only the legacy half says, and keeps a
  legacy value that disagrees in the patch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._agreement import Disagreement, compare_halves, resolve
from ._attributes import CARRIED, PATCH_ATTRIBUTE, same
from ._mapping import DEFAULT_SOURCES, Forward, forward, inverse
from ._patch import PatchError, apply, decode, diff, encode
from ._pointers import dotted, escape, map_pointer, pointer, tokens
from ._shapes import Shape, cloudevents_half, detect

# Where each mapped attribute would be in a legacy event, for attributes the event lacks.
_DEFAULT_POINTER_MAP = {pointer(name): source for name, source in DEFAULT_SOURCES.items()}
_PATCH_POINTER = pointer(PATCH_ATTRIBUTE)


class UnknownEnvelope(ValueError):
    """The value is not an event in any of the three shapes."""


@dataclass(slots=True)
class Normalized:
    """A converted event, and what a caller needs to report on it in terms of the input."""

    event: dict[str, Any]
    shape: Shape  # the input's shape
    warnings: list[str] = field(default_factory=list)
    # Pointer in the output -> pointer in the input, for attributes that moved (missing
    # entries map to themselves; `map_pointer` resolves any deeper pointer by prefix). It
    # also names where an attribute the input lacks would have been (`/tenantid` ->
    # `/extensions/tenantId`), so "missing" findings point at the right place.
    pointer_map: dict[str, str] = field(default_factory=dict)
    # Input pointers a conversion back would not restore (only ever set by `to_legacy`).
    lost: list[str] = field(default_factory=list)
    changed: bool = True
    # For a hybrid input: its halves' disagreements, as `hybrid_disagreements` gives them
    # (worked out by the conversion anyway, so a validator need not compare twice).
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def carried(self) -> list[str]:
        """Output attributes that hold legacy data with no 1.0 meaning (eventtypeversion, ...)."""
        return [name for name in self.event if name in CARRIED]

    def input_pointer(self, ptr: str) -> str:
        """Where a pointer into the output points in the input."""
        return map_pointer(ptr, self.pointer_map)


def shape_of(event: Any) -> Shape:
    """`detect`, raising UnknownEnvelope with a one-line reason when there is no shape."""
    shape = detect(event)
    if shape is None:
        if not isinstance(event, dict):
            raise UnknownEnvelope("not a JSON object")
        raise UnknownEnvelope(
            "no envelope attributes of either shape (specversion, id, type, ... or "
            "cloudEventsVersion, eventId, eventType, ...)"
        )
    return shape


def to_cloudevents(event: dict[str, Any], *, exact: bool = True) -> Normalized:
    """A legacy or hybrid event as pure CloudEvents 1.0 (a 1.0 event comes back as it is).

    `exact=False` leaves out the `qevlegacy` patch: the event to *check* against a contract
    rather than to store (faster, and nothing a contract knows about). The warnings still
    name every legacy member that has no attribute.
    """
    shape = shape_of(event)
    if shape == "cloudevents":
        return Normalized(event, shape, changed=False)
    if shape == "legacy":
        return _from_legacy(event, exact)
    return _from_hybrid(event, exact)


def _kept(ptr: str, why: str, exact: bool) -> str:
    return f"{dotted(ptr)}: {why}" + (f"; kept in {PATCH_ATTRIBUTE}" if exact else "")


def _from_legacy(event: dict[str, Any], exact: bool = True) -> Normalized:
    mapped = forward(event)
    patch = diff(event, inverse(mapped.event, with_sources=False)[0]) if exact else None
    out = mapped.event
    pointer_map = _DEFAULT_POINTER_MAP | {"/" + escape(n): s for n, s in mapped.sources.items()}
    if patch:
        out[PATCH_ATTRIBUTE] = encode(patch)
        pointer_map[_PATCH_POINTER] = ""
    warnings = [_kept(ptr, why, exact) for ptr, why in mapped.unplaced]
    return Normalized(out, "legacy", warnings, pointer_map)


def _holder(ptr: str) -> str:
    """The member a patch keeps whole for a value found at `ptr` (a top-level attribute or
    one member of `extensions`)."""
    parts = tokens(ptr)
    return pointer(*parts[: 2 if parts[0] == "extensions" and len(parts) > 1 else 1])


def _from_hybrid(event: dict[str, Any], exact: bool = True) -> Normalized:
    mapped, disagreements = compare_halves(event)
    out = cloudevents_half(event)
    pointer_map: dict[str, str] = {}
    for name, value in mapped.event.items():
        if name not in out:  # only the legacy half says it
            out[name] = value
            pointer_map[pointer(name)] = mapped.sources[name]
    kept: dict[str, Any] = {}
    warnings: list[str] = []
    for ptr, why in mapped.unplaced:
        kept[_holder(ptr)] = resolve(event, _holder(ptr))
        warnings.append(_kept(ptr, why, exact))
    for d in disagreements:
        if d.kind == "differ":
            holder = _holder(d.legacy_pointer)
            kept[holder] = resolve(event, holder)
            kept_where = f", {dotted(holder)} is in {PATCH_ATTRIBUTE}" if exact else ""
            warnings.append(
                f"the halves disagree: {d.message}; kept {dotted(d.cloudevents_pointer)}"
                + kept_where
            )
    lost: list[str] = []
    if kept and exact:
        if PATCH_ATTRIBUTE in out:
            warnings.append(
                f"{PATCH_ATTRIBUTE} is already set: the legacy values above are not kept"
            )
            lost.extend(sorted(kept))
        else:
            out[PATCH_ATTRIBUTE] = encode({"set": kept})
            pointer_map[_PATCH_POINTER] = ""
    return Normalized(out, "hybrid", warnings, pointer_map, lost, disagreements=disagreements)


def to_legacy(event: dict[str, Any]) -> Normalized:
    """A 1.0 or hybrid event in the legacy shape (a legacy event comes back as it is)."""
    shape = shape_of(event)
    if shape == "legacy":
        return Normalized(event, shape, changed=False)
    warnings: list[str] = []
    lost: list[str] = []
    through: dict[str, str] = {}
    ce = event
    if shape == "hybrid":
        first = _from_hybrid(event)
        ce, warnings, lost, through = first.event, first.warnings, first.lost, first.pointer_map
    legacy, sources = inverse(ce)
    text = ce.get(PATCH_ATTRIBUTE)
    if text is not None:
        try:
            legacy = apply(legacy, decode(text))
        except PatchError as exc:
            legacy["extensions"] = {**legacy.get("extensions", {}), PATCH_ATTRIBUTE: text}
            warnings.append(
                f"{PATCH_ATTRIBUTE}: {exc}; not applied, kept as extensions.{PATCH_ATTRIBUTE}"
            )
    back = _from_legacy(legacy).event
    patch_failed = bool(warnings) and warnings[-1].startswith(f"{PATCH_ATTRIBUTE}: ")
    returned: Forward | None = None
    for name, value in ce.items():
        if name not in back or not same(back[name], value):
            lost.append(map_pointer(pointer(name), through))
            if name == PATCH_ATTRIBUTE:
                if not patch_failed:  # else its own warning above says where it went
                    warnings.append(
                        f"{name}: applied to the legacy event; converting back to 1.0 gives "
                        f"another {PATCH_ATTRIBUTE}"
                    )
                continue
            returned = returned or forward(legacy)
            warnings.append(_not_coming_back(name, sources, returned))
    pointer_map = {ptr: map_pointer(source, through) for ptr, source in sources.items()}
    pointer_map["/cloudEventsVersion"] = map_pointer("/specversion", through)
    return Normalized(legacy, shape, warnings, pointer_map, lost)


def _not_coming_back(name: str, sources: dict[str, str], returned: Forward) -> str:
    """What `to_legacy` did with 1.0 attribute `name`, and what a conversion back to 1.0
    (`returned`, the forward mapping of the legacy event) makes of it instead."""
    written = [legacy for legacy, source in sources.items() if source == pointer(name)]
    if not written:
        return f"{name}: left out of the legacy event, which has no place for it"
    head = f"{name}: written as {dotted(written[0])}; converting back to 1.0"
    names = [n for n, source in returned.sources.items() if source == written[0]]
    if names == [name]:
        return f"{head} gives {name} another value"
    if names:
        return f"{head} gives {', '.join(names)}, not {name}"
    why = next((w for ptr, w in returned.unplaced if ptr == written[0]), "")
    return f"{head} keeps it only in {PATCH_ATTRIBUTE}" + (f": {why}" if why else "")


def to_hybrid(event: dict[str, Any]) -> Normalized:
    """Both shapes in one object, as Qlik sends them during the migration (1.0 half first)."""
    shape = shape_of(event)
    if shape == "hybrid":
        return Normalized(event, shape, changed=False)
    # The hybrid carries one half exactly as given, so only a clash between the halves
    # can lose anything; warnings about the converted half are still worth showing.
    warnings: list[str] = []
    lost: list[str] = []
    if shape == "legacy":
        first = _from_legacy(event)
        ce, legacy, ce_map, legacy_map = first.event, event, first.pointer_map, {}
    else:
        second = to_legacy(event)
        ce, legacy, ce_map, legacy_map = event, second.event, {}, second.pointer_map
        warnings.extend(second.warnings)
    hybrid = {k: v for k, v in ce.items() if k != PATCH_ATTRIBUTE}
    pointer_map = {p: s for p, s in ce_map.items() if p != _PATCH_POINTER}
    for key, value in legacy.items():
        if key not in hybrid:
            hybrid[key] = value
            if pointer(key) in legacy_map:
                pointer_map[pointer(key)] = legacy_map[pointer(key)]
        elif same(hybrid[key], value):
            continue
        elif shape == "legacy":  # the legacy half is the original: it wins any clash
            hybrid[key] = value
        elif key == "extensions":  # without the legacy object it would not be a hybrid
            hybrid[key] = value
            lost.append(pointer(key))
            warnings.append(
                "extensions: a 1.0 attribute of this name cannot sit beside the legacy "
                "extensions object; left out"
            )
        else:
            lost.append(pointer(key))
            warnings.append(f"{key}: the two halves would need different values; kept 1.0's")
    for ptr, source in legacy_map.items():
        if ptr.startswith("/extensions/"):
            pointer_map.setdefault(ptr, source)
    return Normalized(hybrid, shape, warnings, pointer_map, lost)
