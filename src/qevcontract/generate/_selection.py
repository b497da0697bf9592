"""Which event types a command line or a test means: exact names and shell-style patterns."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable

from ..contracts import Catalog, UnknownEventType

_WILDCARDS = frozenset("*?[")


def is_pattern(text: str) -> bool:
    return any(c in _WILDCARDS for c in text)


def select_types(catalog: Catalog, names: Iterable[str], *, all_types: bool = False) -> list[str]:
    """Sorted, de-duplicated types; a name or pattern that matches nothing raises.

    Patterns are case-sensitive (`fnmatchcase`): event types are.
    """
    if all_types:
        return catalog.types
    chosen: set[str] = set()
    for name in names:
        if is_pattern(name):
            matched = [t for t in catalog.types if fnmatch.fnmatchcase(t, name)]
            if not matched:
                raise UnknownEventType(name, catalog.suggest(name.replace("*", "")))
            chosen.update(matched)
        else:
            catalog.entry(name)  # raises UnknownEventType with suggestions
            chosen.add(name)
    return sorted(chosen)
