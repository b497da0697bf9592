"""Parser for the Markdown event reference pages (one `###` section per event type).

These pages are generated from an API description, so their layout is regular. The parser
accepts exactly that layout and raises `PageError` (file, line, what was expected) for
anything else: an upstream format change must surface as a precise error, never as a
silently thinner contract. It records what the page says, quirks included; judging the
content is the checker's job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal, NoReturn

from .doctypes import coerce_enum, enum_kind, parse_doc_type
from .model import DocPage, EventDoc, Example, Field, NamedSchema, PageError, TypeRef, slugify
from .schema import METADATA_KEYWORDS, METADATA_STATED_ELSEWHERE

__all__ = ["parse", "sniff"]

_TABLE_HEADER = ["Name", "Type", "Required", "Description"]
_TABLE_HEADER_TEXT = "| Name | Type | Required | Description |"
_TRUNCATED = "_Properties truncated due to depth limit._"
_REQUIRED = {"Yes": True, "No": False}
# Front matter key -> DocPage attribute.
_FRONT_MATTER = {"source": "source_url", "last_updated": "last_updated"}
# `**Key:** value` lines of an event section -> EventDoc attribute.
_EVENT_ATTRIBUTES = {
    "Title": "title",
    "Action": "action",
    "Visibility": "visibility",
    "Stability": "stability",
}
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_FRONT_MATTER_LINE = re.compile(r"^([A-Za-z_][\w-]*):\s*(.*?)\s*$")
_DETAILS_OPEN = re.compile(r"^<details(?:\s[^>]*)?>")
_SUMMARY = re.compile(r"^<summary>(.*?)</summary>")
_DETAILS_CLOSE = re.compile(r"^</details>")
_ATTRIBUTE = re.compile(r"^\*\*([A-Za-z][A-Za-z ]*):\*\*\s*(.*?)\s*$")
_CHANNEL = re.compile(r"^Events published on the `([^`]+)` channel$")
_TOC_ITEM = re.compile(r"^- \[([^\]]+)\]\(#[^)\s]*\)$")
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
    front, body_start = _front_matter(lines, path)
    cur = _Cursor(_tokenize(lines, body_start, path), path)
    title = _page_title(cur)
    page = DocPage(
        path=path,
        format="markdown",
        title=title,
        domain=slugify(title),
        source_url=front.get("source_url"),
        last_updated=front.get("last_updated"),
    )
    while (block := cur.take()) is not None:
        _section(cur, block, page)
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
    """Sequential access to the page's blocks, with errors that carry the page path."""

    def __init__(self, blocks: list[_Block], path: str) -> None:
        self.blocks = blocks
        self.path = path
        self.pos = 0

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
        """True while the next block belongs to the current `###` section."""
        block = self.peek()
        return block is not None and block.kind != "heading"

    def in_section(self) -> bool:
        """True while the next block belongs to the current `##` section."""
        block = self.peek()
        return block is not None and not (block.kind == "heading" and block.level <= 2)

    def fail(self, line: int, message: str) -> NoReturn:
        raise PageError(self.path, line, message)


def _front_matter(lines: list[str], path: str) -> tuple[dict[str, str], int]:
    """Read the optional `---` front matter; return DocPage keyword values and the body start."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    values: dict[str, str] = {}
    for index in range(1, len(lines)):
        text = lines[index].strip()
        if text == "---":
            return values, index + 1
        if not text:
            continue
        match = _FRONT_MATTER_LINE.match(text)
        if match is None:
            raise PageError(path, index + 1, "front matter lines must be `key: value`")
        key, value = match.groups()
        if key not in _FRONT_MATTER:
            known = ", ".join(_FRONT_MATTER)
            raise PageError(path, index + 1, f"unknown front matter key `{key}` (known: {known})")
        if _FRONT_MATTER[key] in values:
            raise PageError(path, index + 1, f"front matter key `{key}` is given twice")
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
    block = cur.take()
    if block is None:
        cur.fail(1, "empty page: expected a `# Title` heading")
    if block.kind != "heading" or block.level != 1:
        cur.fail(block.line, f"expected the page title `# Title`, found {block.describe()}")
    nxt = cur.peek()
    if nxt is not None and not (nxt.kind == "heading" and nxt.level == 2):
        cur.fail(nxt.line, f"expected a `## ` section after the page title, found {nxt.describe()}")
    return block.text


def _section(cur: _Cursor, heading: _Block, page: DocPage) -> None:
    """Dispatch one `##` section by its heading."""
    if heading.kind != "heading" or heading.level != 2:
        cur.fail(heading.line, f"expected a `## ` section heading, found {heading.describe()}")
    if heading.text == "Table of Contents":
        _toc(cur, page)
    elif heading.text == "Schemas":
        _schemas(cur, page)
    elif (channel := _CHANNEL.match(heading.text)) is not None:
        _channel(cur, page, channel[1])
    else:
        cur.fail(
            heading.line,
            f"unknown section `## {heading.text}` (known: Table of Contents, "
            "Events published on the `<channel>` channel, Schemas)",
        )


def _toc(cur: _Cursor, page: DocPage) -> None:
    """`### <channel>` headings, each followed by `- [event type](#anchor)` bullets."""
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
                if item is None:
                    cur.fail(line, "table of contents entries must be `- [event type](#anchor)`")
                page.toc[channel].append(item[1])
        else:
            cur.fail(
                block.line,
                f"unexpected {block.describe()} in the table of contents; expected "
                "`### <channel>` headings followed by `- [event type](#anchor)` bullets",
            )


def _channel(cur: _Cursor, page: DocPage, channel: str) -> None:
    """One `### <event type>` section per event published on `channel`."""
    while cur.in_section():
        block = cur.take()
        assert block is not None
        if block.kind != "heading" or block.level != 3:
            cur.fail(block.line, f"expected a `### <event type>` heading, found {block.describe()}")
        page.events.append(_event(cur, block, channel, page.domain))


def _schemas(cur: _Cursor, page: DocPage) -> None:
    """One `### <SchemaName>` section per named schema."""
    while cur.in_section():
        block = cur.take()
        assert block is not None
        if block.kind != "heading" or block.level != 3:
            cur.fail(
                block.line, f"expected a `### <schema name>` heading, found {block.describe()}"
            )
        if block.text in page.schemas:
            cur.fail(block.line, f"schema `{block.text}` is defined twice on this page")
        page.schemas[block.text] = _schema(cur, block)


def _split_attributes(block: _Block) -> tuple[list[tuple[int, str, str]], list[str]]:
    """Separate `**Key:** value` lines (value unquoted) from the paragraph's prose lines."""
    attributes: list[tuple[int, str, str]] = []
    prose: list[str] = []
    for line, text in block.rows:
        match = _ATTRIBUTE.match(text)
        if match is None:
            prose.append(text)
        else:
            attributes.append((line, match[1], _unquote_code(match[2])))
    return attributes, prose


def _event(cur: _Cursor, heading: _Block, channel: str, domain: str) -> EventDoc:
    """An event section: attribute lines, description, payload table and details, examples."""
    event = EventDoc(type=heading.text, line=heading.line, domain=domain, channel=channel)
    prose: list[str] = []
    while cur.in_body():
        block = cur.take()
        assert block is not None
        if block.kind != "para":
            cur.fail(
                block.line,
                f"unexpected {block.describe()} in event `{event.type}`; tables follow "
                "**Payload**, <details> follow a table, code blocks follow **Example**",
            )
        if block.text == "**Payload**":
            if event.payload is not None:
                cur.fail(block.line, f"event `{event.type}` has a second **Payload**")
            event.payload = _properties(cur, block)
        elif block.text == "**Example**":
            event.examples.append(_example(cur, block))
        elif event.payload is not None:
            cur.fail(
                block.line,
                f"unexpected {block.describe()} after the payload of `{event.type}`; "
                "only <details> blocks and **Example** may follow the payload table",
            )
        else:
            _event_paragraph(cur, block, event, prose)
    if event.payload is None:
        cur.fail(heading.line, f"event `{event.type}` has no **Payload** table")
    event.description = "\n\n".join(prose) or None
    return event


def _event_paragraph(cur: _Cursor, block: _Block, event: EventDoc, prose: list[str]) -> None:
    attributes, text = _split_attributes(block)
    for line, key, value in attributes:
        if key not in _EVENT_ATTRIBUTES:
            known = ", ".join(f"**{k}:**" for k in _EVENT_ATTRIBUTES)
            cur.fail(line, f"unknown event attribute `**{key}:**` (known: {known})")
        name = _EVENT_ATTRIBUTES[key]
        if getattr(event, name) is not None:
            cur.fail(line, f"`**{key}:**` is given twice for event `{event.type}`")
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
        if block.kind != "para" or schema.properties is not None:
            cur.fail(
                block.line,
                f"unexpected {block.describe()} in schema `{schema.name}`; expected a "
                "description, **Type:**, then **Properties** with its table and <details>",
            )
        if block.text == "**Properties**":
            schema.properties = _properties(cur, block)
            continue
        attributes, text = _split_attributes(block)
        for line, key, value in attributes:
            if key != "Type":
                cur.fail(line, f"unknown schema attribute `**{key}:**` (known: **Type:**)")
            if schema.type is not None:
                cur.fail(line, f"`**Type:**` is given twice for schema `{schema.name}`")
            schema.type = _doc_type(cur, line, value, f"schema `{schema.name}`")
        if text:
            prose.append("\n".join(text))
    schema.description = "\n\n".join(prose)
    return schema


def _example(cur: _Cursor, marker: _Block) -> Example:
    """The ```json block after **Example**, parsed with key order kept and nothing fixed."""
    fence = cur.take_if("fence")
    if fence is None:
        cur.fail(marker.line, "**Example** must be followed by a ```json code block")
    if fence.text != "json":
        cur.fail(fence.line, f"example code block must be ```json, found ```{fence.text}")
    body = "\n".join(text for _, text in fence.rows)
    try:
        value = json.loads(body, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        cur.fail(fence.line + exc.lineno, f"invalid JSON in example: {exc.msg} (col {exc.colno})")
    except _ExampleError as exc:
        cur.fail(fence.line, f"example JSON cannot be kept as written: {exc}")
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
    """The table after a `**Payload**` / `**Properties**` marker and the details that follow."""
    table = cur.take_if("table")
    if table is None:
        cur.fail(marker.line, f"{marker.text} must be followed by a `{_TABLE_HEADER_TEXT}` table")
    fields = _table_fields(cur, table)
    _details_blocks(cur, fields)
    return fields


def _details_blocks(cur: _Cursor, fields: list[Field]) -> None:
    """Every <details> block at this level; each describes one of `fields`."""
    while (opening := cur.take_if("details")) is not None:
        _details(cur, opening, fields)


def _details(cur: _Cursor, opening: _Block, fields: list[Field]) -> None:
    """`<summary>Properties of `name`</summary>`, then a table (and nested details) or the
    truncation marker, then `</details>`."""
    summary = cur.take_if("summary")
    if summary is None:
        cur.fail(
            opening.line, "<details> must be followed by <summary>Properties of `name`</summary>"
        )
    named = _SUMMARY_FIELD.match(summary.text)
    if named is None:
        cur.fail(summary.line, f"summary `{summary.text}` is not `Properties of `name``")
    target = _details_target(cur, fields, named[1], summary.line)
    if (table := cur.take_if("table")) is not None:
        target.properties = _table_fields(cur, table)
        _details_blocks(cur, target.properties)
    elif (marker := cur.peek()) is not None and marker.kind == "para" and marker.text == _TRUNCATED:
        cur.take()
        target.truncated = True
    else:
        what = "the end of the page" if marker is None else marker.describe()
        cur.fail(
            summary.line if marker is None else marker.line,
            f"expected the properties table of `{target.name}` or `{_TRUNCATED}`, found {what}",
        )
    if cur.take_if("end-details") is None:
        found = cur.peek()
        where = (
            "the end of the page" if found is None else f"{found.describe()} (line {found.line})"
        )
        cur.fail(opening.line, f"<details> for `{target.name}` is not closed before {where}")


def _details_target(cur: _Cursor, fields: list[Field], name: str, line: int) -> Field:
    """The field a details summary names, among the properties of the enclosing level."""
    matches = [f for f in fields if f.name == name]
    if not matches:
        names = [f.name for f in fields]
        known = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
        cur.fail(line, f"<summary> names `{name}`, which is not a property at this level ({known})")
    if len(matches) > 1:
        cur.fail(
            line, f"<summary> names `{name}`, which is listed {len(matches)} times at this level"
        )
    target = matches[0]
    if target.properties is not None or target.truncated:
        cur.fail(line, f"`{name}` already has a <details> block at this level")
    return target


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
    return [_row_field(cur, line, text) for line, text in rest[1:]]


def _row_field(cur: _Cursor, line: int, text: str) -> Field:
    cells = _split_row(cur, line, text)
    if len(cells) != 4:
        cur.fail(
            line,
            f"table row has {len(cells)} cells, expected 4 (Name, Type, Required, Description);"
            " write a literal pipe as \\|",
        )
    name = _code_cell(cur, line, cells[0], "Name")
    if not name:
        cur.fail(line, "the Name cell is empty")
    type_ref = _doc_type(cur, line, _code_cell(cur, line, cells[1], "Type"), f"`{name}`")
    required = _REQUIRED.get(cells[2])
    if required is None:
        cur.fail(line, f"Required cell of `{name}` is `{cells[2]}`, expected Yes or No")
    description, texts, metadata = _description_cell(cur, line, cells[3])
    enum: list[Any] | None = None
    if texts is not None:
        try:
            enum = coerce_enum(texts, enum_kind(type_ref))
        except ValueError as exc:
            cur.fail(
                line, f"`Allowed values:` of `{name}`: {exc}, as its type `{type_ref.raw}` needs"
            )
    return Field(
        name=name,
        type=type_ref,
        line=line,
        description=description,
        required=required,
        enum=enum,
        metadata=metadata,
    )


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


def _code_cell(cur: _Cursor, line: int, cell: str, column: str) -> str:
    """The text inside a backtick-wrapped cell; `` (empty code) gives ""."""
    if len(cell) < 2 or cell[0] != "`" or cell[-1] != "`":
        cur.fail(line, f"the {column} cell `{cell}` must be wrapped in backticks")
    return cell[1:-1]


def _doc_type(cur: _Cursor, line: int, raw: str, owner: str) -> TypeRef:
    type_ref = parse_doc_type(raw)
    if type_ref is None:
        cur.fail(line, f"unknown type `{raw}` for {owner}")
    return type_ref


def _unquote_code(value: str) -> str:
    """`send` -> send; text without a surrounding code span is kept as written."""
    if len(value) >= 2 and value[0] == value[-1] == "`":
        return value[1:-1]
    return value


# --- description cells ---------------------------------------------------------------------


def _description_cell(
    cur: _Cursor, line: int, cell: str
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
            pairs, pos = _metadata_clause(cur, line, cell, clause.end())
            metadata.extend(pairs)
        else:
            if enum is not None:
                cur.fail(line, "`Allowed values:` appears twice in one description")
            enum, pos = _allowed_values(cur, line, cell, clause.end())
    prose.append(cell[pos:])
    return " ".join("".join(prose).split()), enum, metadata


def _allowed_values(cur: _Cursor, line: int, cell: str, start: int) -> tuple[list[str], int]:
    """`A | B | C.`: the list ends at the first sentence period (a `.` followed by space or
    the end of the cell, so `a.b.c` stays one value) or at a following `Metadata:` clause."""
    nxt = _CLAUSE.search(cell, start)
    stop = nxt.start() if nxt is not None else len(cell)
    period = _SENTENCE_END.search(cell, start, stop)
    text, end = (cell[start : period.start()], period.end()) if period else (cell[start:stop], stop)
    values = [value.strip() for value in text.split("|")]
    if not all(values):
        cur.fail(line, f"`Allowed values:` list `{text.strip()}` has an empty value")
    return values, end


_JSON = json.JSONDecoder(parse_constant=_no_constant)


def _metadata_clause(
    cur: _Cursor, line: int, cell: str, start: int
) -> tuple[list[tuple[str, Any]], int]:
    """`key = <JSON literal>, key = ...` up to a sentence period or the end of the cell."""
    pairs: list[tuple[str, Any]] = []
    pos = start
    while True:
        match = _METADATA_KEY.match(cell, pos)
        if match is None:
            cur.fail(
                line, f"cannot read Metadata entry `{cell[pos:].strip()}`; expected key = value"
            )
        key = match[1]
        if key in METADATA_STATED_ELSEWHERE:
            cur.fail(
                line,
                f"Metadata key `{key}` is not accepted: give it in "
                f"{METADATA_STATED_ELSEWHERE[key]}",
            )
        if key not in METADATA_KEYWORDS:
            cur.fail(
                line,
                f"unknown Metadata key `{key}`; expected a JSON Schema keyword with a "
                "literal value (keywords that hold subschemas cannot be given here)",
            )
        try:
            value, pos = _JSON.raw_decode(cell, match.end())
        except ValueError:
            rest = cell[match.end() :].strip()
            cur.fail(line, f"Metadata value of `{key}` is not a JSON literal: `{rest}`")
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
            cur.fail(line, f"unexpected `{rest}` after Metadata value of `{key}`")
