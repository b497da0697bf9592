"""The parsed page model: what every page parser produces and the schema step consumes.

Each doc-page format (Markdown reference pages, flattened-text pages, changelog entries) has
its own parser, but they all produce these objects, so the step that turns docs into JSON
Schema never needs to know where a fact came from. The model keeps what the page *said*
(raw type strings, repeated metadata, verbatim examples) so that the quirk checker can
report contradictions instead of the builder quietly resolving them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

TypeKind = Literal[
    "string",
    "integer",
    "number",
    "boolean",
    "object",
    "array",
    "named",
    "untyped",
    "oneof",
    "unknown",
]


@dataclass(frozen=True)
class TypeRef:
    """A documented type, normalised across page formats.

    `kind` is the JSON type, or "named" for a reference to a page schema (`taskEntryObject`),
    or "untyped" when the page gives an empty type, or "oneof" for `oneOf(A | B)` (`options`
    are A and B), or "unknown" for a type text no rule reads (it constrains nothing). For
    arrays `items` is the item type, or None when the page does not say (`array`) or says
    "undefined" (then `items_undefined`). `raw` is the type text exactly as the page printed it.
    """

    kind: TypeKind
    raw: str
    items: TypeRef | None = None
    name: str | None = None
    items_undefined: bool = False
    options: tuple[TypeRef, ...] = ()


@dataclass
class FieldOption:
    """One `**Option N:**` of a field documented as `**One of:**` several shapes."""

    label: str
    line: int
    properties: list[Field] | None = None
    truncated: bool = False


@dataclass
class Field:
    """One documented property (a table row or a `- nametype` line)."""

    name: str
    type: TypeRef
    line: int
    description: str = ""
    # True / False as documented; None where the page format has no "required" notion.
    required: bool | None = None
    # Allowed values, read as the field's JSON type (`1 | 2` on an integer field: 1 and 2).
    enum: list[Any] | None = None
    # Every `key = value` pair in document order, duplicates kept (the checker reports them).
    metadata: list[tuple[str, Any]] = field(default_factory=list)
    deprecated: bool = False
    # Nested properties of an object, or of the items of an array of objects.
    # None: the page gives no nested table for this field.
    properties: list[Field] | None = None
    # The page printed its "truncated due to depth limit" marker instead of properties.
    truncated: bool = False
    # `**One of:**` alternatives given in the field's details block, in page order.
    options: list[FieldOption] | None = None


@dataclass
class Example:
    """A doc example, parsed but otherwise untouched."""

    value: Any
    line: int
    name: str | None = None


@dataclass
class NamedSchema:
    """An entry of a page's `## Schemas` section."""

    name: str
    line: int
    description: str = ""
    type: TypeRef | None = None
    properties: list[Field] | None = None


@dataclass
class EventDoc:
    """Everything one page says about one event type."""

    type: str
    line: int
    domain: str
    title: str | None = None
    description: str | None = None
    action: str | None = None
    visibility: str | None = None
    stability: str | None = None
    channel: str | None = None
    deprecated: bool = False
    # The top-level payload properties; None when the page names the event but documents
    # no payload (changelog entries).
    payload: list[Field] | None = None
    examples: list[Example] = field(default_factory=list)
    # Whether the page format says which properties are required.
    documents_required: bool = True


@dataclass
class DocPage:
    """A parsed page."""

    path: str
    format: Literal["markdown", "flat-text", "changelog"]
    title: str
    domain: str
    source_url: str | None = None
    last_updated: str | None = None
    # channel -> event types listed in the page's table of contents.
    toc: dict[str, list[str]] = field(default_factory=dict)
    events: list[EventDoc] = field(default_factory=list)
    schemas: dict[str, NamedSchema] = field(default_factory=dict)
    # What the parser could not read and left out (the contract stays no stricter than
    # the page); printed by the build and reported by `check`.
    warnings: list[PageWarning] = field(default_factory=list)
    # How contracts and the catalogue name the page: its file name, or `folder/file` when
    # two pages of one build share a file name (set by `pages.parse_pages`).
    name: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            self.name = self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class PageWarning:
    """A construct of a page that the builder skipped instead of guessing its meaning."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class PageError(Exception):
    """A line of a doc page that the builder cannot interpret."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


def slugify(text: str) -> str:
    """Domain names from page or section titles: "Web integrations" -> "web-integrations"."""
    out: list[str] = []
    for ch in text.strip().lower():
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line number, stripped text) of the non-blank lines of a text page.

    Splits on newlines only: JSON and prose on one line may hold other separators
    (U+2028, form feed, ...) that `str.splitlines` would break on, shifting every line
    number after them.
    """
    return [
        (number, line.strip())
        for number, line in enumerate(text.split("\n"), start=1)
        if line.strip()
    ]
