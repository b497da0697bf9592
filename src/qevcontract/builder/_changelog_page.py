"""Parser for changelog pages that announce new event types (no payload schemas).

A changelog tells us an event type exists, which domain it belongs to and whether it is
deprecated; the reference pages supply the payload later. The capture glues entries together
(`...deletedcom.qlik.license...`), so entries are split where a type name with a vendor
prefix seen on the page starts, followed by its colon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from ._model import DocPage, EventDoc, PageError, numbered_lines, slugify

FORMAT: Final = "changelog"

_LABEL = r"[A-Za-z0-9_-]+"
_TYPE_NAME = rf"[a-z][a-z0-9-]*(?:\.{_LABEL}){{2,}}"
_DEPRECATED = r"\(deprecated\)"
# An entry line starts with `<type>[(deprecated)]:`.
_ENTRY_START = re.compile(rf"^(?P<type>{_TYPE_NAME})\s*(?:{_DEPRECATED})?\s*:")
_STARTS_WITH_TYPE = re.compile(rf"^{_TYPE_NAME}\b")
# Anything that reads like `<type>:` anywhere in a line: an entry we failed to split out.
_EMBEDDED_ENTRY = re.compile(rf"{_TYPE_NAME}\s*(?:{_DEPRECATED})?\s*:")
_LIST_START = re.compile(r"^new event types:?$", re.IGNORECASE)
_HEADING_MAX_WORDS = 5


@dataclass
class _Heading:
    """The domain heading that entries are currently filed under."""

    line: int
    text: str
    entries: int = 0


def sniff(text: str) -> bool:
    """True for changelog pages: a `New event types` line followed by a `<type>:` entry line."""
    lines = [line.strip() for line in text.splitlines()]
    for index, line in enumerate(lines):
        if _LIST_START.match(line):
            return any(_ENTRY_START.match(rest) for rest in lines[index + 1 :])
    return False


def parse(text: str, path: str) -> DocPage:
    """Parse a changelog page: one EventDoc (payload None) per announced event type."""
    lines = numbered_lines(text)
    if not lines:
        raise PageError(path, 1, "page is empty; expected a title line")
    _, title = lines[0]
    page = DocPage(path=path, format=FORMAT, title=title, domain=slugify(title))
    start = _find_list_start(path, lines)
    splitter = _entry_splitter(lines[start:])
    heading: _Heading | None = None
    for number, line in lines[start:]:
        if _ENTRY_START.match(line):
            heading = _require_heading(path, number, heading)
            for event in _split_entries(path, number, line, splitter, heading):
                page.events.append(event)
                heading.entries += 1
        else:
            _check_not_entry(path, number, line)
            if _is_heading(line):
                _require_entries(path, heading)
                heading = _Heading(number, line)
    _require_entries(path, heading)
    return page


def _find_list_start(path: str, lines: list[tuple[int, str]]) -> int:
    """Index of the first line after `New event types`; entries before it are errors."""
    for index, (number, line) in enumerate(lines[1:], start=1):
        if _LIST_START.match(line):
            return index + 1
        if _ENTRY_START.match(line):
            raise PageError(path, number, "event entry before the 'New event types' line")
        _check_not_entry(path, number, line)
    raise PageError(path, lines[-1][0], "no 'New event types' line: the page lists no events")


def _entry_splitter(lines: list[tuple[int, str]]) -> re.Pattern[str]:
    """Pattern for where an entry starts, built from the vendor prefixes the page uses."""
    prefixes: set[str] = set()
    for _, line in lines:
        match = _ENTRY_START.match(line)
        if match:
            prefixes.add(".".join(match["type"].split(".")[:2]))
    alternation = "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))
    return re.compile(
        rf"(?P<type>(?:{alternation})(?:\.{_LABEL})+)\s*(?P<deprecated>{_DEPRECATED})?\s*:"
    )


def _split_entries(
    path: str, number: int, line: str, splitter: re.Pattern[str], heading: _Heading
) -> list[EventDoc]:
    """Split one line of run-together `type: description` entries."""
    starts = list(splitter.finditer(line))
    if not starts or starts[0].start() != 0:
        raise PageError(path, number, "cannot find where the first event entry starts")
    events = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(line)
        text = line[match.end() : end].strip()
        if not text:
            raise PageError(path, number, f"entry {match['type']!r} has no description")
        _check_description(path, number, text)
        events.append(
            EventDoc(
                type=match["type"],
                line=number,
                domain=slugify(heading.text),
                title=text,
                description=text,
                deprecated=match["deprecated"] is not None,
                payload=None,
                documents_required=False,
            )
        )
    return events


def _check_not_entry(path: str, number: int, text: str) -> None:
    """Refuse a prose line that holds an entry we would otherwise read as prose."""
    if _STARTS_WITH_TYPE.match(text) and not _ENTRY_START.match(text):
        raise PageError(path, number, "line starts with an event type but not '<type>: <text>'")
    embedded = _EMBEDDED_ENTRY.search(text)
    if embedded:
        raise PageError(
            path,
            number,
            f"{embedded.group(0)!r} looks like an event entry inside prose; "
            "start the line with the event type",
        )


def _check_description(path: str, number: int, text: str) -> None:
    """Refuse a description that still holds a `<type>:` we could not split off."""
    embedded = _EMBEDDED_ENTRY.search(text)
    if embedded:
        raise PageError(
            path,
            number,
            f"{embedded.group(0)!r} looks like a run-together event entry whose vendor prefix "
            "starts no entry line on this page; put it on its own line",
        )


def _is_heading(line: str) -> bool:
    """Domain headings are short label lines: no sentence punctuation, a few words."""
    return (
        len(line.split()) <= _HEADING_MAX_WORDS
        and line[0].isalpha()
        and ":" not in line
        and not line.endswith((".", ";", "!", "?", ","))
    )


def _require_heading(path: str, number: int, heading: _Heading | None) -> _Heading:
    if heading is None:
        raise PageError(path, number, "event entry before any domain heading")
    return heading


def _require_entries(path: str, heading: _Heading | None) -> None:
    """A heading with no entries usually means its entries are in a form we do not read."""
    if heading is not None and heading.entries == 0:
        raise PageError(
            path, heading.line, f"domain heading {heading.text!r} is followed by no event entries"
        )
