"""JSON pointers (RFC 6901) between the two shapes of one event."""

from __future__ import annotations


def escape(token: str) -> str:
    """One reference token, escaped for use in a pointer."""
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def pointer(*tokens: str) -> str:
    """The pointer to a member path, e.g. pointer("extensions", "tenantId")."""
    if len(tokens) == 1:  # the common case, on every conversion's hot path
        return "/" + escape(tokens[0])
    return "".join("/" + escape(t) for t in tokens)


def tokens(ptr: str) -> list[str]:
    """The unescaped reference tokens of a pointer ("" is the whole document)."""
    if not ptr:
        return []
    if not ptr.startswith("/"):
        raise ValueError(f"{ptr!r} is not a JSON pointer (it must start with '/')")
    return [t.replace("~1", "/").replace("~0", "~") for t in ptr[1:].split("/")]


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
