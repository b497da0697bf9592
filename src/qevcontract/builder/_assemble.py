"""Merging what several pages say about the same event types.

A type may be documented by a reference page and also announced by a changelog, and it may
be documented with a payload on two pages (a newer capture of a page; one page published
under two paths). The contract is built from the most recently updated payload page
(`last_updated` in the front matter), whatever the order the pages were given in; every
other page that names the type is kept as a mention, so the catalogue lists them all and
`check` can report where they disagree.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ._model import DocPage, PageWarning
from ._schema import EventSource


def collect_events(pages: list[DocPage]) -> dict[str, EventSource]:
    """Event type -> its sources, payload page first; sorted by type for stable output."""
    sources: dict[str, EventSource] = {}
    for page in pages:
        seen_on_page: set[str] = set()
        for ev in page.events:
            if ev.type in seen_on_page:
                page.warnings.append(
                    PageWarning(
                        page.path,
                        ev.line,
                        f"event type {ev.type} appears twice on the page; the first is used",
                    )
                )
                continue
            seen_on_page.add(ev.type)
            current = sources.get(ev.type)
            if current is None:
                sources[ev.type] = EventSource(ev, page)
            elif ev.payload is not None and current.event.payload is not None:
                if newer(page, current.page):
                    sources[ev.type] = EventSource(
                        ev, page, [(current.event, current.page), *current.mentions]
                    )
                else:
                    current.mentions.append((ev, page))
            elif ev.payload is not None:
                sources[ev.type] = EventSource(
                    ev, page, [(current.event, current.page), *current.mentions]
                )
            else:
                current.mentions.append((ev, page))
    for src in sources.values():
        src.mentions.sort(key=lambda m: (m[1].name, m[0].line))
    return dict(sorted(sources.items()))


def newer(page: DocPage, than: DocPage) -> bool:
    """True when `page` was updated after `than`. Pages with the same `last_updated` are
    one capture saved twice (the same page under two names): the one whose name sorts
    first is used, so the result never depends on the order the pages were given in."""
    mine, theirs = _updated(page), _updated(than)
    if mine != theirs:
        return mine > theirs
    return (page.name, page.path) < (than.name, than.path)


def _updated(page: DocPage) -> datetime:
    """`last_updated` as an instant (a date alone is its midnight UTC; no date or an
    unreadable one sorts first)."""
    try:
        when = datetime.fromisoformat(page.last_updated or "")
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
