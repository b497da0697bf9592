"""Rules about the pages as the builder read them: what it had to leave out, and where two
pages that document the same event type disagree.

Both need the parsed pages (`--docs`). The builder never turns an unreadable construct into
a constraint and builds a type documented twice from the most recently updated page; these
rules make sure neither decision goes unreported.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...builder._model import DocPage, EventDoc, Field
from .._context import CheckContext
from .._findings import Hit
from .._registry import Rule

_MAX_NAMES = 6


def build_warning(ctx: CheckContext) -> Iterator[Hit]:
    for page in ctx.pages:
        starts = sorted(
            [(e.line, e.type) for e in page.events]
            + [(s.line, f"$defs/{name}") for name, s in page.schemas.items()]
        )
        for warning in page.warnings:
            # The event or schema section the line is in: part of the fingerprint (page
            # lines move when the page is edited elsewhere).
            owner = next((t for line, t in reversed(starts) if line <= warning.line), "")
            yield ctx.page_hit(
                page,
                warning.line,
                warning.message,
                key=f"build-warning|{owner}|{_stable(warning.message)}",
                event_type=None if owner.startswith("$defs/") else owner or None,
                hint="The contract leaves this out (it is no stricter than the page); "
                "ask the vendor what the page means, or decide with an override.",
            )


def _stable(message: str) -> str:
    """The message without anything that moves when the page is edited elsewhere."""
    return message.split(";")[0]


def pages_disagree(ctx: CheckContext) -> Iterator[Hit]:
    documented: dict[str, list[tuple[DocPage, EventDoc]]] = {}
    for page in ctx.pages:
        for event in page.events:
            if event.payload is not None:
                documented.setdefault(event.type, []).append((page, event))
    for event_type, places in sorted(documented.items()):
        if len(places) < 2:
            continue
        used = _built_from(places)
        ref = _paths(used[1].payload or [])
        for page, event in places:
            if page is used[0]:
                continue
            differences = _compare(ref, _paths(event.payload or []), used[0].name, page.name)
            if not differences:
                continue
            yield ctx.page_hit(
                page,
                event.line,
                f"{event_type} is documented here and on {used[0].name} "
                f"({used[0].last_updated or 'no date'}), which the contract is built from; "
                + "; ".join(differences),
                key=f"pages-disagree|{event_type}|{used[0].name}",
                event_type=event_type,
                hint="The contract follows the most recently updated page; check that the "
                "older page is really superseded, or report the difference to the vendor.",
            )


def _built_from(places: list[tuple[DocPage, EventDoc]]) -> tuple[DocPage, EventDoc]:
    """The page the builder builds the contract from (the most recently updated one)."""
    from ...builder._assemble import newer

    best = places[0]
    for place in places[1:]:
        if newer(place[0], best[0]):
            best = place
    return best


def _paths(fields: list[Field], prefix: str = "") -> dict[str, bool]:
    """Dotted property path -> required, through nested tables and `One of` options."""
    out: dict[str, bool] = {}
    for f in fields:
        here = f"{prefix}{f.name}"
        out[here] = bool(f.required)
        out.update(_paths(f.properties or [], here + "."))
        for option in f.options or []:
            out.update(_paths(option.properties or [], f"{here}({option.label})."))
    return out


def _compare(used: dict[str, bool], other: dict[str, bool], used_name: str, name: str) -> list[str]:
    only_used = [p for p in used if p not in other]
    only_other = [p for p in other if p not in used]
    required = [p for p in used if p in other and used[p] != other[p]]
    out = []
    if only_used:
        out.append(f"only on {used_name}: {_names(only_used)}")
    if only_other:
        out.append(f"only here: {_names(only_other)}")
    if required:
        out.append(
            "required on one page only: "
            + _names([f"{p} ({'required' if used[p] else 'optional'} on {used_name})"
                      for p in required])
        )  # fmt: skip
    return out


def _names(paths: list[str]) -> str:
    shown = ", ".join(paths[:_MAX_NAMES])
    return shown + (f" and {len(paths) - _MAX_NAMES} more" if len(paths) > _MAX_NAMES else "")


RULES = (
    Rule(
        "QEV801", "build-warning", "pages", "warning",
        "a construct of a page the builder could not read and left out of the contract",
        "Only with `--docs`: an unknown `**Attribute:**`, a `Metadata:` value that is not a "
        "JSON literal (`format = int64.`), a metadata key that is not a JSON Schema keyword, "
        "a type name the page never defines, a Required cell that is not Yes or No. The "
        "build printed the same warning; the contract states nothing for it, so it may "
        "accept more than the page meant.",
        build_warning, needs_docs=True,
        why="the contract accepts more than the page meant; a consumer must know what it left out",
    ),
    Rule(
        "QEV802", "pages-disagree", "pages", "warning",
        "two pages document the same event type differently",
        "Only with `--docs`: a seed page and its newer capture, or one page published "
        "under two paths, list different properties or disagree on which are required. "
        "The contract is built from the most recently updated page (`last_updated`); the "
        "finding sits on the other page and names what differs.",
        pages_disagree, needs_docs=True,
        why="the contract follows one page; a consumer who read the other must know what differs",
    ),
)  # fmt: skip
