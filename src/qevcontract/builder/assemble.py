"""Merging what several pages say about the same event types.

A type may be documented by a reference page and also announced by a changelog; it must
not be documented with a payload twice (that would make the contract depend on page order).
"""

from __future__ import annotations

from .model import DocPage, PageError
from .schema import EventSource


def collect_events(pages: list[DocPage]) -> dict[str, EventSource]:
    """Event type -> its sources, payload page first; sorted by type for stable output."""
    sources: dict[str, EventSource] = {}
    for page in pages:
        seen_on_page: set[str] = set()
        for ev in page.events:
            if ev.type in seen_on_page:
                raise PageError(
                    page.path, ev.line, f"event type {ev.type} appears twice on the page"
                )
            seen_on_page.add(ev.type)
            current = sources.get(ev.type)
            if current is None:
                sources[ev.type] = EventSource(ev, page)
            elif ev.payload is not None and current.event.payload is not None:
                raise PageError(
                    page.path,
                    ev.line,
                    f"{ev.type} is also documented with a payload in {current.page.path}; "
                    "build from one of the two pages",
                )
            elif ev.payload is not None:
                sources[ev.type] = EventSource(
                    ev, page, [(current.event, current.page), *current.mentions]
                )
            else:
                current.mentions.append((ev, page))
    for src in sources.values():
        src.mentions.sort(
            key=lambda m: (m[1].path.replace("\\", "/").rsplit("/", 1)[-1], m[0].line)
        )
    return dict(sorted(sources.items()))
