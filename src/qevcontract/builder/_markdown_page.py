"""Parser for the Markdown event reference pages (one `###` section per event type).

These pages are generated from an API description, so their structure is regular, but
their presentation varies: introductions, notes, admonitions, tables that are not property
tables, links. Prose is skipped wherever it appears. A construct that carries meaning the
parser cannot read (an unknown `**Attribute:**`, an unreadable `Metadata:` value, a type
name it cannot resolve) is left out and recorded as a `PageWarning` with its line, so the
contract is never stricter than the page and `check` can report it. Only a structure that
cannot be read at all (no event sections, a broken property table, an unclosed block)
raises `PageError`. The parser records what the page says, quirks included; judging the
content is the checker's job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal, NoReturn

from ._doctypes import coerce_enum, enum_kind, parse_doc_type
from ._model import (
    DocPage,
    EventDoc,
    Example,
    Field,
    FieldOption,
    NamedSchema,
    PageError,
    PageWarning,
    TypeRef,
    slugify,
)
from ._schema import METADATA_KEYWORDS, METADATA_STATED_ELSEWHERE

__all__ = ["parse", "sniff"]

_TABLE_HEADER = ["Name", "Type", "Required", "Description"]
_TABLE_HEADER_TEXT = "| Name | Type | Required | Description |"
_TRUNCATED = "_Properties truncated due to depth limit._"
_REQUIRED = {"yes": True, "no": False, "true": True, "false": False}
_BOOLEAN = {"true": True, "false": False}
# Front matter key -> DocPage attribute.
_FRONT_MATTER = {"source": "source_url", "last_updated": "last_updated"}
# `**Key:** value` lines of an event section -> EventDoc attribute.
_EVENT_ATTRIBUTES = {
    "Title": "title",
    "Action": "action",
    "Visibility": "visibility",
    "Stability": "stability",
}
# Bold labels that open an admonition, not an attribute: prose, never a warning.
_ADMONITIONS = {"Note", "Notes", "Tip", "Warning", "Important", "Caution", "Info", "See also"}
_DEPRECATED_HEADING = re.compile(r"^(.*?)\s*_\(deprecated\)_$", re.I)
_ONE_OF_MARKER = "**One of:**"
_OPTION_MARKER = re.compile(r"^\*\*(Option \d+):\*\*$")
_TOC_LINK = re.compile(r"^[-*+] \[.*\]\(#")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*):\s*(.*?)\s*$")
_DETAILS_OPEN = re.compile(r"^<details(?:\s[^>]*)?>")
_SUMMARY = re.compile(r"^<summary>(.*?)</summary>")
_DETAILS_CLOSE = re.compile(r"^</details>")
_ATTRIBUTE = re.compile(r"^\*\*([A-Za-z][A-Za-z ]*):\*\*\s*(.*?)\s*$")
_CHANNEL = re.compile(r"^Events published on the `([^`]+)` channel$")
_TOC_ITEM = re.compile(r"^[-*+] \[([^\]]+)\]\(#[^)\s]*\)$")
_SUMMARY_FIELD = re.compile(r"^Properties of `([^`]+)`$")
_SEPARATOR_CELL = re.compile(r"^:?-{3,}:?$")
# `Allowed values:` / `Metadata:` clauses inside a description cell, at a word start.
_CLAUSE = re.compile(r"(?<!\S)(Allowed values|Metadata):(?=\s|$)")
_SENTENCE_END = re.compile(r"\.(?=\s|$)")
_METADATA_KEY = re.compile(r"\s*([A-Za-z$][A-Za-z0-9_$]*)\s*=\s*")
_SNIFF_EVENT = re.compile(r"^### \S", re.M)
_SNIFF_TABLE = re.compile(
    r"^\|\s*Name\s*\|\s*Type\s*\|\s*Required\s*\|\s*Description\s*\|\s*$", re.M
)


def sniff(text: str) -> bool:
    """True for pages with `###` event sections and Name/Type/Required/Description tables."""
    return bool(_SNIFF_EVENT.search(text) and _SNIFF_TABLE.search(text))


def parse(text: str, path: str) -> DocPage:
    """Parse a Markdown reference page into the shared page model (format "markdown")."""
    lines = [line.rstrip("\r") for line in text.removeprefix("\ufeff").split("\n")]
    warnings: list[PageWarning] = []
    front, body_start = _front_matter(lines, path, warnings)
    cur = _Cursor(_tokenize(lines, body_start, path), path, warnings)
    title = _page_title(cur)
    page = DocPage(
        path=path,
        format="markdown",
        title=title,
        domain=slugify(title),
        source_url=front.get("source_url"),
        last_updated=front.get("last_updated"),
        warnings=warnings,
    )
    while (block := cur.take()) is not None:
        if block.kind == "heading" and block.level == 2:
            _section(cur, block, page)
        elif block.kind == "details":
            _skip_details(cur, block, "outside any event")
        # Anything else between sections is prose (an introduction, a note, a link list).
    if not page.events:
        cur.fail(
            1,
            "no event sections: expected `## Events published on the `<channel>` channel` "
            "with one `### <event type>` section per event",
        )
    _resolve_named_types(page)
    return page


# --- blocks ------------------------------------------------------------------------------

BlockKind = Literal["heading", "para", "table", "fence", "details", "summary", "end-details"]


@dataclass
class _Block:
    """A Markdown block; `rows` are the (line number, text) of its lines where relevant."""

    kind: BlockKind
    line: int
    text: str = ""
    level: int = 0
    rows: list[tuple[int, str]] = field(default_factory=list)

    def describe(self) -> str:
        """How error messages name this block."""
        if self.kind == "heading":
            return f"heading `{'#' * self.level} {self.text}`"
        if self.kind == "para":
            first = self.rows[0][1]
            return f"text `{first if len(first) <= 60 else first[:57] + '...'}`"
        return {
            "table": "table",
            "fence": "``` code block",
            "details": "<details>",
            "summary": "<summary>",
            "end-details": "</details>",
        }[self.kind]


class _Cursor:
    """Sequential access to the page's blocks, with errors and warnings that carry the path."""

    def __init__(self, blocks: list[_Block], path: str, warnings: list[PageWarning]) -> None:
        self.blocks = blocks
        self.path = path
        self.pos = 0
        self.warnings = warnings

    def peek(self) -> _Block | None:
        return self.blocks[self.pos] if self.pos < len(self.blocks) else None

    def take(self) -> _Block | None:
        block = self.peek()
        if block is not None:
            self.pos += 1
        return block

    def take_if(self, kind: BlockKind) -> _Block | None:
        block = self.peek()
        return self.take() if block is not None and block.kind == kind else None

    def in_body(self) -> bool:
        """True while the next block belongs to the current `###` section (a `####`
        subheading inside it is presentation, not a new section)."""
        block = self.peek()
        return block is not None and not (block.kind == "heading" and block.level <= 3)

    def in_section(self) -> bool:
        """True while the next block belongs to the current `##` section."""
        block = self.peek()
        return block is not None and not (block.kind == "heading" and block.level <= 2)

    def fail(self, line: int, message: str) -> NoReturn:
        raise PageError(self.path, line, message)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(PageWarning(self.path, line, message))


def _front_matter(
    lines: list[str], path: str, warnings: list[PageWarning]
) -> tuple[dict[str, str], int]:
    """Read the optional `---` front matter; return DocPage keyword values and the body start.

    Keys other than `source` and `last_updated` are presentation (a title, tags): skipped.
    """
    if not lines or lines[0].strip() != "---":
        return {}, 0
    values: dict[str, str] = {}
    for index in range(1, len(lines)):
        text = lines[index].strip()
        if text == "---":
            return values, index + 1
        match = _FRONT_MATTER_LINE.match(text)
        if match is None or match[1] not in _FRONT_MATTER:
            continue
        key, value = match.groups()
        if _FRONT_MATTER[key] in values:
            warnings.append(
                PageWarning(
                    path,
                    index + 1,
                    f"front matter key `{key}` is given twice; the first value is used",
                )
            )
            continue
        values[_FRONT_MATTER[key]] = _unquote_yaml(value)
    raise PageError(path, 1, "front matter opened with `---` is never closed by a `---` line")


def _unquote_yaml(value: str) -> str:
    """Drop one pair of matching YAML quotes; anything else is kept exactly as written."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _tokenize(lines: list[str], start: int, path: str) -> list[_Block]:
    """Split the page body into blocks so that parsing never sees raw line soup."""
    blocks: list[_Block] = []
    index = start
    while index < len(lines):
        text = lines[index].strip()
        if not text:
            index += 1
        elif text.startswith("```"):
            index = _read_fence(lines, index, path, blocks)
        elif (heading := _HEADING.match(text)) is not None:
            blocks.append(_Block("heading", index + 1, heading[2], level=len(heading[1])))
            index += 1
        elif _is_html(text):
            blocks.extend(_html_blocks(text, index + 1, path))
            index += 1
        else:
            kind: BlockKind = "table" if text.startswith("|") else "para"
            rows = _read_run(lines, index, kind)
            joined = "\n".join(row for _, row in rows)
            blocks.append(_Block(kind, index + 1, joined, rows=rows))
            index += len(rows)
    return blocks


def _is_html(text: str) -> bool:
    return text.startswith(("<details", "<summary", "</details"))


def _starts_block(text: str) -> bool:
    return text.startswith("```") or _HEADING.match(text) is not None or _is_html(text)


def _read_run(lines: list[str], start: int, kind: BlockKind) -> list[tuple[int, str]]:
    """Consecutive lines of one table (all start with `|`) or one paragraph."""
    rows: list[tuple[int, str]] = []
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if not text or _starts_block(text) or (text.startswith("|") != (kind == "table")):
            break
        rows.append((index + 1, text))
    return rows


def _read_fence(lines: list[str], start: int, path: str, blocks: list[_Block]) -> int:
    """Add one fenced code block; return the index after its closing fence."""
    lang = lines[start].strip()[3:].strip()
    for index in range(start + 1, len(lines)):
        if lines[index].strip() == "```":
            body = [(no + 1, lines[no]) for no in range(start + 1, index)]
            blocks.append(_Block("fence", start + 1, lang, rows=body))
            return index + 1
    raise PageError(path, start + 1, "code block opened here is never closed by a ``` line")


def _html_blocks(text: str, line: int, path: str) -> list[_Block]:
    """`<details>`, `<summary>...</summary>` and `</details>`, several allowed on one line."""
    out: list[_Block] = []
    rest = text
    while rest:
        if (match := _DETAILS_OPEN.match(rest)) is not None:
            out.append(_Block("details", line))
        elif (match := _SUMMARY.match(rest)) is not None:
            out.append(_Block("summary", line, match[1].strip()))
        elif (match := _DETAILS_CLOSE.match(rest)) is not None:
            out.append(_Block("end-details", line))
        else:
            raise PageError(path, line, f"unexpected text `{rest}` after an HTML tag")
        rest = rest[match.end() :].strip()
    return out


# --- page structure ----------------------------------------------------------------------


def _page_title(cur: _Cursor) -> str:
    """The `# Title`; whatever follows it up to the first `##` is the page's introduction."""
    block = cur.take()
    if block is None:
        cur.fail(1, "empty page: expected a `# Title` heading")
    if block.kind != "heading" or block.level != 1:
        cur.fail(block.line, f"expected the page title `# Title`, found {block.describe()}")
    return block.text


def _section(cur: _Cursor, heading: _Block, page: DocPage) -> None:
    """Dispatch one `##` section by its heading; other sections are prose, skipped."""
    if heading.text == "Table of Contents":
        _toc(cur, page)
    elif heading.text == "Schemas":
        _schemas(cur, page)
    elif (channel := _CHANNEL.match(heading.text)) is not None:
        _channel(cur, page, channel[1])
    else:
        _skip_section(cur, heading)


def _skip_section(cur: _Cursor, heading: _Block) -> None:
    """An unknown `##` section: prose is skipped silently; one that holds property tables
    is skipped with a warning (it may document events the build then lacks)."""
    structured = False
    while cur.in_section():
        block = cur.take()
        assert block is not None
        if block.kind == "details":
            _skip_details(cur, block, None)
        structured = structured or (block.kind == "table" and _is_field_table(block))
        structured = structured or block.text in ("**Payload**", "**Properties**")
    if structured:
        cur.warn(
            heading.line,
            f"section `## {heading.text}` is not a known section (Table of Contents, "
            "Events published on the `<channel>` channel, Schemas) and was skipped, "
            "property tables included",
        )


def _toc(cur: _Cursor, page: DocPage) -> None:
    """`### <channel>` headings, each followed by `- [event type](#anchor)` bullets; any
    other text in the section is prose."""
    channel: str | None = None
    while cur.in_section():
        block = cur.take()
        assert block is not None
        if block.kind == "heading" and block.level == 3:
            channel = block.text
            page.toc.setdefault(channel, [])
        elif block.kind == "para" and channel is not None:
            for line, text in block.rows:
                item = _TOC_ITEM.match(text)
                if item is not None:
                    page.toc[channel].append(_unquote_code(item[1]))
                elif _TOC_LINK.match(text):
                    cur.warn(line, "table of contents entry is not `- [event type](#anchor)`")
        elif block.kind == "details":
            _skip_details(cur, block, "in the table of contents")


def _channel(cur: _Cursor, page: DocPage, channel: str) -> None:
    """One `### <event type>` section per event published on `channel`."""
    while cur.in_section():
        block = cur.take()
        assert block is not None
        if block.kind == "heading" and block.level == 3:
            page.events.append(_event(cur, block, channel, page.domain))
        elif block.kind == "details":
            _skip_details(cur, block, "before the first event section")
        # Other blocks before the first event are the channel's introduction.


def _schemas(cur: _Cursor, page: DocPage) -> None:
    """One `### <SchemaName>` section per named schema."""
    while cur.in_section():
        block = cur.take()
        assert block is not None
        if block.kind == "details":
            _skip_details(cur, block, "before the first schema")
        if block.kind != "heading" or block.level != 3:
            continue
        schema = _schema(cur, block)
        if block.text in page.schemas:
            cur.warn(
                block.line,
                f"schema `{block.text}` is defined twice on this page; the first is used",
            )
            continue
        page.schemas[block.text] = schema


def _split_attributes(block: _Block) -> tuple[list[tuple[int, str, str]], list[str]]:
    """Separate `**Key:** value` lines (value unquoted) from the paragraph's prose lines.

    Admonitions (`**Note:** ...`, and any `> ` quote) are prose that belongs to no
    contract: they are dropped here.
    """
    attributes: list[tuple[int, str, str]] = []
    prose: list[str] = []
    for line, text in block.rows:
        if text.startswith(">"):
            continue
        match = _ATTRIBUTE.match(text)
        if match is not None and match[1] in _ADMONITIONS:
            continue
        if match is None:
            prose.append(text)
        else:
            attributes.append((line, match[1], _unquote_code(match[2])))
    return attributes, prose


def _event(cur: _Cursor, heading: _Block, channel: str, domain: str) -> EventDoc:
    """An event section: attribute lines, description, payload table and details, examples.

    Prose after the payload (notes), tables that are not property tables and code blocks
    outside **Example** are skipped.
    """
    name = heading.text
    deprecated = _DEPRECATED_HEADING.match(name)
    if deprecated is not None:
        name = deprecated[1]
    event = EventDoc(
        type=_unquote_code(name.strip()),
        line=heading.line,
        domain=domain,
        channel=channel,
        deprecated=deprecated is not None,
    )
    prose: list[str] = []
    while cur.in_body():
        block = cur.take()
        assert block is not None
        if block.kind == "details":
            _skip_details(cur, block, f"in event `{event.type}` that follows no property table")
        elif block.kind in ("summary", "end-details"):
            cur.warn(block.line, f"stray {block.describe()} in event `{event.type}` skipped")
        elif block.kind == "table" and _is_field_table(block):
            cur.warn(
                block.line,
                f"property table in event `{event.type}` with no **Payload** marker skipped",
            )
        elif block.kind != "para":
            continue
        elif block.text == "**Payload**":
            if event.payload is not None:
                cur.fail(block.line, f"event `{event.type}` has a second **Payload**")
            event.payload = _properties(cur, block)
        elif block.text == "**Example**":
            example = _example(cur, block)
            if example is not None:
                event.examples.append(example)
        elif event.payload is None:
            _event_paragraph(cur, block, event, prose)
    if event.payload is None:
        cur.warn(
            heading.line,
            f"event `{event.type}` has no **Payload** table; its contract documents no payload",
        )
    event.description = "\n\n".join(prose) or None
    return event


def _event_paragraph(cur: _Cursor, block: _Block, event: EventDoc, prose: list[str]) -> None:
    attributes, text = _split_attributes(block)
    for line, key, value in attributes:
        if key == "Deprecated":
            flag = _BOOLEAN.get(value.strip().lower())
            if flag is None:
                cur.warn(line, f"`**Deprecated:**` value `{value}` is not true or false; ignored")
            else:
                event.deprecated = event.deprecated or flag
            continue
        if key not in _EVENT_ATTRIBUTES:
            known = ", ".join(f"**{k}:**" for k in [*_EVENT_ATTRIBUTES, "Deprecated"])
            cur.warn(line, f"unknown event attribute `**{key}:**` ignored (known: {known})")
            continue
        name = _EVENT_ATTRIBUTES[key]
        if getattr(event, name) is not None:
            cur.warn(line, f"`**{key}:**` is given twice for event `{event.type}`; first kept")
            continue
        setattr(event, name, value)
    if text:
        prose.append("\n".join(text))


def _schema(cur: _Cursor, heading: _Block) -> NamedSchema:
    """A named schema: description, `**Type:**`, `**Properties**` table and its details."""
    schema = NamedSchema(name=heading.text, line=heading.line)
    prose: list[str] = []
    while cur.in_body():
        block = cur.take()
        assert block is not None
        if block.kind == "details":
            _skip_details(cur, block, f"in schema `{schema.name}` that follows no property table")
            continue
        if block.kind == "table" and _is_field_table(block):
            cur.warn(
                block.line,
                f"property table in schema `{schema.name}` with no **Properties** marker skipped",
            )
        if block.kind != "para" or schema.properties is not None:
            continue
        if block.text == "**Properties**":
            schema.properties = _properties(cur, block)
            continue
        attributes, text = _split_attributes(block)
        for line, key, value in attributes:
            if key != "Type":
                cur.warn(line, f"unknown schema attribute `**{key}:**` ignored (known: **Type:**)")
            elif schema.type is not None:
                cur.warn(line, f"`**Type:**` is given twice for schema `{schema.name}`; first kept")
            else:
                schema.type = _doc_type(cur, line, value, f"schema `{schema.name}`")
        if text:
            prose.append("\n".join(text))
    schema.description = "\n\n".join(prose)
    return schema


def _example(cur: _Cursor, marker: _Block) -> Example | None:
    """The ```json block after **Example**, parsed with key order kept and nothing fixed.

    An example that cannot be kept as written is left out with a warning: the contract
    does not depend on it, and a guessed repair would hide the page's mistake.
    """
    fence = cur.take_if("fence")
    if fence is None:
        cur.warn(marker.line, "**Example** is not followed by a ```json code block; no example")
        return None
    if fence.text not in ("json", "JSON"):
        cur.warn(fence.line, f"example code block is ```{fence.text}, not ```json; skipped")
        return None
    body = "\n".join(text for _, text in fence.rows)
    try:
        value = json.loads(body, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        cur.warn(
            fence.line + exc.lineno,
            f"invalid JSON in example: {exc.msg} (col {exc.colno}); example skipped",
        )
        return None
    except _ExampleError as exc:
        cur.warn(fence.line, f"example JSON cannot be kept as written: {exc}; example skipped")
        return None
    return Example(value=value, line=fence.line)


class _ExampleError(ValueError):
    """Example JSON that parses but would lose information as a Python value."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _ExampleError(f"key {key!r} appears twice in one object")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise _ExampleError(f"{name} is not a JSON value")


# --- property tables and nested details ---------------------------------------------------


def _properties(cur: _Cursor, marker: _Block) -> list[Field]:
    """The table after a `**Payload**` / `**Properties**` marker and the details that follow.

    Prose between the marker and its table is skipped; no table at all, or a table that is
    not a property table, leaves the structure unreadable (an error).
    """
    while (block := cur.peek()) is not None and block.kind == "para" and not _is_marker(block):
        cur.take()
    table = cur.take_if("table")
    if table is None:
        cur.fail(marker.line, f"{marker.text} must be followed by a `{_TABLE_HEADER_TEXT}` table")
    fields = _table_fields(cur, table)
    _details_blocks(cur, fields)
    return fields


def _is_marker(block: _Block) -> bool:
    return block.text in ("**Payload**", "**Properties**", "**Example**")


def _details_blocks(cur: _Cursor, fields: list[Field]) -> None:
    """Every <details> block at this level; each describes one of `fields`. Prose between
    them is skipped."""
    while True:
        block = cur.peek()
        if block is None:
            return
        if block.kind == "details":
            cur.take()
            _details(cur, block, fields)
        elif block.kind == "para" and not _is_marker(block):
            cur.take()
        else:
            return


def _skip_details(cur: _Cursor, opening: _Block, where: str | None) -> None:
    """Skip a <details> block (nested ones included) that describes no known property."""
    depth = 1
    while depth:
        block = cur.peek()
        if block is None or (block.kind == "heading" and block.level <= 3):
            _unclosed(cur, opening, "this block", block)
        cur.take()
        if block.kind == "details":
            depth += 1
        elif block.kind == "end-details":
            depth -= 1
    if where is not None:
        cur.warn(opening.line, f"<details> block {where} skipped")


def _unclosed(cur: _Cursor, opening: _Block, what: str, found: _Block | None) -> NoReturn:
    where = "the end of the page" if found is None else f"{found.describe()} (line {found.line})"
    cur.fail(opening.line, f"<details> for {what} is not closed before {where}")


def _details(cur: _Cursor, opening: _Block, fields: list[Field]) -> None:
    """`<summary>Properties of `name`</summary>`, then a table (and nested details), the
    truncation marker, or `**One of:**` with `**Option N:**` alternatives; `</details>`."""
    summary = cur.take_if("summary")
    named = _SUMMARY_FIELD.match(summary.text) if summary is not None else None
    if summary is None or named is None:
        what = "no <summary>" if summary is None else f"summary `{summary.text}`"
        _skip_details(cur, opening, None)
        cur.warn(opening.line, f"<details> with {what} (not `Properties of `name``) skipped")
        return
    target = _details_target(cur, fields, named[1], summary.line)
    if target is None:
        _skip_details(cur, opening, None)
        return
    nested: list[Field] | None = None  # the property list that nested <details> describe
    while True:
        block = cur.peek()
        if block is None or (block.kind == "heading" and block.level <= 3):
            _unclosed(cur, opening, f"`{target.name}`", block)
        cur.take()
        if block.kind == "end-details":
            break
        if block.kind == "para":
            nested = _details_paragraph(cur, block, target, nested)
        elif block.kind == "table" and _is_field_table(block):
            nested = _details_table(cur, block, target)
        elif block.kind == "details":
            if nested is None:
                _skip_details(cur, block, f"in `{target.name}` that follows no property table")
            else:
                _details(cur, block, nested)
    if target.properties is None and not target.truncated and target.options is None:
        cur.warn(opening.line, f"<details> for `{target.name}` gives no properties")


def _details_paragraph(
    cur: _Cursor, block: _Block, target: Field, nested: list[Field] | None
) -> list[Field] | None:
    """One paragraph inside a details block: a One of / Option / truncation marker or prose."""
    if block.text == _ONE_OF_MARKER:
        if target.options is None:
            target.options = []
        return None
    option = _OPTION_MARKER.match(block.text)
    if option is not None and target.options is not None:
        target.options.append(FieldOption(label=option[1], line=block.line))
        return None
    if block.text == _TRUNCATED:
        if target.options:
            target.options[-1].truncated = True
        else:
            target.truncated = True
    return nested


def _details_table(cur: _Cursor, table: _Block, target: Field) -> list[Field] | None:
    """A property table inside a details block: the field's properties, or an option's."""
    fields = _table_fields(cur, table)
    holder: Field | FieldOption = target.options[-1] if target.options else target
    if holder.properties is not None:
        cur.warn(table.line, f"second property table for `{target.name}` skipped")
        return None
    holder.properties = fields
    return fields


def _details_target(cur: _Cursor, fields: list[Field], name: str, line: int) -> Field | None:
    """The field a details summary names, among the properties of the enclosing level."""
    matches = [f for f in fields if f.name == name]
    if not matches:
        names = [f.name for f in fields]
        known = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
        cur.warn(
            line,
            f"<summary> names `{name}`, which is not a property at this level ({known}); "
            "block skipped",
        )
        return None
    if len(matches) > 1:
        cur.warn(
            line,
            f"<summary> names `{name}`, which is listed {len(matches)} times at this level; "
            "block skipped",
        )
        return None
    target = matches[0]
    if target.type.kind not in ("object", "array", "named", "untyped", "oneof", "unknown"):
        cur.warn(
            line,
            f"<details> for `{name}` of type `{target.type.raw}` (no properties); block skipped",
        )
        return None
    if target.properties is not None or target.truncated or target.options is not None:
        cur.warn(line, f"`{name}` already has a <details> block at this level; block skipped")
        return None
    return target


def _is_field_table(table: _Block) -> bool:
    head = table.rows[0][1]
    return [c.strip() for c in head.strip().strip("|").split("|")] == _TABLE_HEADER


def _table_fields(cur: _Cursor, table: _Block) -> list[Field]:
    """A `| Name | Type | Required | Description |` table, one Field per row."""
    (head_line, head), *rest = table.rows
    if _split_row(cur, head_line, head) != _TABLE_HEADER:
        cur.fail(head_line, f"expected the table header `{_TABLE_HEADER_TEXT}`")
    if not rest:
        cur.fail(head_line, "table header must be followed by a `| --- | --- | --- | --- |` row")
    sep_line, sep = rest[0]
    cells = _split_row(cur, sep_line, sep)
    if len(cells) != 4 or not all(_SEPARATOR_CELL.match(c) for c in cells):
        cur.fail(sep_line, "expected the table separator row `| --- | --- | --- | --- |`")
    fields: list[Field] = []
    for line, text in rest[1:]:
        f = _row_field(cur, line, text)
        if any(other.name == f.name for other in fields):
            cur.warn(
                line,
                f"property `{f.name}` is listed twice in one table; the contract "
                "uses the first row",
            )
        fields.append(f)  # kept: the checker reports the two rows
    return fields


def _row_field(cur: _Cursor, line: int, text: str) -> Field:
    cells = _split_row(cur, line, text)
    if len(cells) != 4:
        cur.fail(
            line,
            f"table row has {len(cells)} cells, expected 4 (Name, Type, Required, Description);"
            " write a literal pipe as \\|",
        )
    name = _unquote_code(cells[0])
    if not name:
        cur.fail(line, "the Name cell is empty")
    type_ref = _doc_type(cur, line, _unquote_code(cells[1]), f"`{name}`")
    required = _REQUIRED.get(cells[2].strip("*_ ").lower())
    if required is None:
        cur.warn(
            line,
            f"Required cell of `{name}` is `{cells[2]}`, not Yes or No; `{name}` is not "
            "made required",
        )
    description, texts, metadata = _description_cell(cur, line, cells[3], name)
    _warn_conflicting_metadata(cur, line, name, metadata)
    enum: list[Any] | None = None
    if texts is not None:
        try:
            enum = coerce_enum(texts, enum_kind(type_ref))
        except ValueError as exc:
            cur.warn(
                line,
                f"`Allowed values:` of `{name}`: {exc}, as its type `{type_ref.raw}` needs; "
                "no enum",
            )
    return Field(
        name=name,
        type=type_ref,
        line=line,
        description=description,
        required=bool(required),
        enum=enum,
        metadata=metadata,
    )


def _warn_conflicting_metadata(
    cur: _Cursor, line: int, name: str, pairs: list[tuple[str, Any]]
) -> None:
    """A key given twice with different values: the page states no one value, so the
    schema step leaves the key out. The pairs are kept as written (the checker reports
    repeats)."""
    values: dict[str, list[Any]] = {}
    for key, value in pairs:
        values.setdefault(key, []).append(value)
    for key, vs in sorted(values.items()):
        if any(v != vs[0] for v in vs):
            shown = " and ".join(json.dumps(v) for v in vs)
            cur.warn(line, f"Metadata `{key}` of `{name}` is given as {shown}; ignored")


def _split_row(cur: _Cursor, line: int, text: str) -> list[str]:
    """Cells of `| a | b |`, honouring `\\|` (an escaped pipe, kept as `|` in the cell)."""
    cells: list[str] = []
    buf: list[str] = []
    index = 1  # past the leading pipe
    while index < len(text):
        char = text[index]
        if char == "\\" and text[index + 1 : index + 2] == "|":
            buf.append("|")
            index += 2
            continue
        if char == "|":
            cells.append("".join(buf).strip())
            buf = []
        else:
            buf.append(char)
        index += 1
    if "".join(buf).strip():
        cur.fail(line, "table row must end with an unescaped `|`")
    return cells


def _doc_type(cur: _Cursor, line: int, raw: str, owner: str) -> TypeRef:
    """The TypeRef of a type text; an unreadable one constrains nothing (kind "unknown")."""
    type_ref = parse_doc_type(raw)
    if type_ref is None:
        cur.warn(line, f"unknown type `{raw}` for {owner}; left unconstrained")
        return TypeRef(kind="unknown", raw=raw)
    return type_ref


def _unquote_code(value: str) -> str:
    """`send` -> send; text without a surrounding code span is kept as written."""
    if len(value) >= 2 and value[0] == value[-1] == "`":
        return value[1:-1]
    return value


def _resolve_named_types(page: DocPage) -> None:
    """A named type with no inline table and no entry in the page's Schemas section cannot
    be resolved: it becomes "unknown" (no constraint) with a warning, so no `$ref` of a
    contract dangles."""
    warn = page.warnings.append

    def resolve(t: TypeRef, owner: str, line: int) -> TypeRef:
        if t.kind == "named" and t.name not in page.schemas:
            warn(
                PageWarning(
                    page.path,
                    line,
                    f"type `{t.name}` of {owner} is not defined in "
                    "the page's Schemas section and has no properties table; "
                    "left unconstrained",
                )
            )
            return TypeRef(kind="unknown", raw=t.raw)
        if t.kind == "array" and t.items is not None:
            items = resolve(t.items, owner, line)
            return t if items is t.items else TypeRef(kind="array", raw=t.raw, items=items)
        if t.kind == "oneof":
            options = tuple(resolve(o, owner, line) for o in t.options)
            return t if options == t.options else TypeRef(kind="oneof", raw=t.raw, options=options)
        return t

    def walk(fields: list[Field]) -> None:
        for f in fields:
            if f.properties is None and not f.truncated and f.options is None:
                f.type = resolve(f.type, f"`{f.name}`", f.line)
            walk(f.properties or [])
            for option in f.options or []:
                walk(option.properties or [])

    for event in page.events:
        walk(event.payload or [])
    for schema in page.schemas.values():
        if schema.properties is not None:
            walk(schema.properties)
        elif schema.type is not None:
            schema.type = resolve(schema.type, f"schema `{schema.name}`", schema.line)


# --- description cells ---------------------------------------------------------------------


def _description_cell(
    cur: _Cursor, line: int, cell: str, name: str
) -> tuple[str, list[str] | None, list[tuple[str, Any]]]:
    """Split a description cell into prose, `Allowed values:` and `Metadata:` clauses.

    The clauses may sit anywhere in the cell; the prose is what remains, whitespace tidied.
    """
    prose: list[str] = []
    enum: list[str] | None = None
    metadata: list[tuple[str, Any]] = []
    pos = 0
    while (clause := _CLAUSE.search(cell, pos)) is not None:
        prose.append(cell[pos : clause.start()])
        if clause[1] == "Metadata":
            pairs, pos = _metadata_clause(cur, line, cell, clause.end(), name)
            metadata.extend(pairs)
            continue
        values, pos = _allowed_values(cur, line, cell, clause.end(), name)
        if enum is not None:
            cur.warn(line, f"`Allowed values:` of `{name}` is given twice; the first is used")
        elif values is not None:
            enum = values
    prose.append(cell[pos:])
    return " ".join("".join(prose).split()), enum, metadata


def _allowed_values(
    cur: _Cursor, line: int, cell: str, start: int, name: str
) -> tuple[list[str] | None, int]:
    """`A | B | C.`: the list ends at the first sentence period (a `.` followed by space or
    the end of the cell, so `a.b.c` stays one value) or at a following `Metadata:` clause."""
    nxt = _CLAUSE.search(cell, start)
    stop = nxt.start() if nxt is not None else len(cell)
    period = _SENTENCE_END.search(cell, start, stop)
    text, end = (cell[start : period.start()], period.end()) if period else (cell[start:stop], stop)
    values = [value.strip() for value in text.split("|")]
    if not all(values):
        cur.warn(
            line, f"`Allowed values:` of `{name}` (`{text.strip()}`) has an empty value; no enum"
        )
        return None, end
    return values, end


_JSON = json.JSONDecoder(parse_constant=_no_constant)
# Where reading resumes after an entry that cannot be read: the next `, key =`, or the end
# of the clause (a sentence period or the end of the cell).
_NEXT_ENTRY = re.compile(r",\s*(?=[A-Za-z$][A-Za-z0-9_$]*\s*=)|\.(?=\s|$)|$")


def _metadata_clause(
    cur: _Cursor, line: int, cell: str, start: int, name: str
) -> tuple[list[tuple[str, Any]], int]:
    """`key = <JSON literal>, key = ...` up to a sentence period or the end of the cell.

    An entry that cannot be read (not `key = value`, a value that is not a JSON literal, a
    key that is not a JSON Schema keyword with a literal value) is skipped with a warning:
    no constraint is made of it, and the entries after it are still read.
    """
    pairs: list[tuple[str, Any]] = []
    pos = start
    while True:
        match = _METADATA_KEY.match(cell, pos)
        if match is None:
            end = _NEXT_ENTRY.search(cell, pos)
            assert end is not None
            entry = cell[pos : end.start()].strip()
            if entry:
                cur.warn(
                    line, f"cannot read Metadata entry `{entry}` of `{name}`; expected key = value"
                )
            if not end.group().startswith(","):
                return pairs, end.end()
            pos = end.end()
            continue
        key = match[1]
        try:
            value, pos = _JSON.raw_decode(cell, match.end())
        except ValueError:
            end = _NEXT_ENTRY.search(cell, match.end())
            assert end is not None
            text = cell[match.end() : end.start()].strip()
            cur.warn(
                line,
                f"Metadata value of `{key}` of `{name}` is not a JSON literal: `{text}`; ignored",
            )
            if not end.group().startswith(","):
                return pairs, end.end()
            pos = end.end()
            continue
        if key in METADATA_STATED_ELSEWHERE:
            cur.warn(
                line,
                f"Metadata key `{key}` of `{name}` ignored: the page gives it in "
                f"{METADATA_STATED_ELSEWHERE[key]}",
            )
        elif key not in METADATA_KEYWORDS:
            cur.warn(
                line,
                f"unknown Metadata key `{key}` of `{name}` ignored; only JSON Schema keywords "
                "with a literal value are read",
            )
        else:
            pairs.append((key, value))
        rest = cell[pos:].lstrip()
        pos = len(cell) - len(rest)
        if rest.startswith(","):
            pos += 1
        elif not rest:
            return pairs, pos
        elif rest[0] == "." and (rest[1:2] == "" or rest[1:2].isspace()):
            return pairs, pos + 1
        else:
            end = _NEXT_ENTRY.search(cell, pos)
            assert end is not None
            cur.warn(
                line,
                f"unexpected `{cell[pos : end.start()].strip()}` after Metadata value "
                f"of `{key}` of `{name}`; ignored",
            )
            if not end.group().startswith(","):
                return pairs, end.end()
            pos = end.end()
