"""JSON pointers (RFC 6901) between the two shapes of one event."""

from __future__ import annotations

from .. import _pointer

escape = _pointer.escape
tokens = _pointer.parse  # the unescaped reference tokens ("" is the whole document)


def pointer(*names: str) -> str:
    """The pointer to a member path, e.g. pointer("extensions", "tenantId")."""
    if len(names) == 1:  # the common case, on every conversion's hot path
        return "/" + escape(names[0])
    return _pointer.from_tokens(names)


def dotted(ptr: str) -> str:
    """A pointer the way people name attributes: /extensions/tenantId -> extensions.tenantId."""
    return ".".join(tokens(ptr)) or "(the event)"


def map_pointer(ptr: str, pointer_map: dict[str, str]) -> str:
    """Where `ptr` (in a converted event) points in the original, by longest mapped prefix.

    `/data/items/0` maps through `/data`; a pointer with no mapped prefix maps to itself.
    """
    if not pointer_map:
        return ptr
    probe = ptr
    while True:
        target = pointer_map.get(probe)
        if target is not None:
            return target + ptr[len(probe) :]
        cut = probe.rfind("/")
        if cut <= 0:
            return ptr
        probe = probe[:cut]
