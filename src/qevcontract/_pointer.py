"""JSON Pointer (RFC 6901): the one place its two escapes are written.

Every package names places in events and schemas by pointer (violations, findings, diff
changes, envelope mappings, overrides); they all escape and parse through here, so a member
named `a/b` or `~x` is spelled the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable


def escape(token: str | int) -> str:
    """One reference token for a pointer: `~` is written `~0` and `/` is written `~1`."""
    text = str(token)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def unescape(token: str) -> str:
    """A reference token as the member name it stands for (`~1` first, then `~0`)."""
    if "~" in token:
        return token.replace("~1", "/").replace("~0", "~")
    return token


def from_tokens(tokens: Iterable[str | int]) -> str:
    """The pointer to a path of member names and array indexes ("" for no tokens)."""
    return "".join("/" + escape(t) for t in tokens)


def join(pointer: str, *tokens: str | int) -> str:
    """`pointer` extended by `tokens`: join("/properties", "a/b") is "/properties/a~1b"."""
    return pointer + from_tokens(tokens)


def parse(pointer: str) -> list[str]:
    """The unescaped reference tokens of a pointer ("" is the whole document: no tokens)."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"{pointer!r} is not a JSON pointer (it must be empty or start with '/')")
    if "~" not in pointer:
        return pointer[1:].split("/")
    return [unescape(t) for t in pointer[1:].split("/")]


# Paths already spelled, by the tuple of their tokens: a stream of invalid events names the
# same few places over and over (cleared when full, so memory stays bounded).
_POINTERS: dict[tuple[str | int, ...], str] = {}
_DISPLAYED: dict[tuple[str | int, ...], str] = {}
_SPELLED_MAX = 4096


def to_pointer(path: tuple[str | int, ...] | list[str | int]) -> str:
    """RFC 6901 pointer for a path of keys and indices."""
    if not path:
        return ""
    if type(path) is tuple:
        known = _POINTERS.get(path)
        if known is not None:
            return known
    text = "/".join(map(str, path))
    escape = "~" in text or text.count("/") != len(path) - 1  # a token to escape (rare)
    text = from_tokens(path) if escape else "/" + text
    if type(path) is tuple:
        _remember(_POINTERS, path, text)
    return text


def _remember(
    cache: dict[tuple[str | int, ...], str], path: tuple[str | int, ...], text: str
) -> None:
    if len(cache) >= _SPELLED_MAX:
        cache.clear()
    cache[path] = text


def display_path(path: tuple[str | int, ...] | list[str | int]) -> str:
    """`data.recipients.userIds[0]`: how people read a location in an event."""
    if type(path) is tuple:
        known = _DISPLAYED.get(path)
        if known is not None:
            return known
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    out = out or "(event)"
    if type(path) is tuple:
        _remember(_DISPLAYED, path, out)
    return out
