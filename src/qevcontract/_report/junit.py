"""XML for JUnit reports: text and attribute values, escaped and pure ASCII.

Anything outside ASCII becomes a character reference, so the document survives any stream
encoding; characters XML 1.0 cannot carry at all, even as references, are shown as `\\xNN`.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from xml.sax.saxutils import escape

# Characters XML 1.0 cannot carry at all, even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Anything that needs work: markup, line breaks, controls, non-ASCII. Most text has none.
_SPECIAL = re.compile('[&<>"\x00-\x1f\x7f-\U0010ffff]')
_ATTRIBUTE_ESCAPES = MappingProxyType({'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_TEXT_ESCAPES = MappingProxyType({"\r": "&#13;"})


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def xml_text(text: str) -> str:
    """Element content: escaped, ASCII only, with characters XML forbids shown as `\\xNN`."""
    if not _SPECIAL.search(text):
        return text
    return _ascii(escape(_NOT_XML.sub(_visible, text), _TEXT_ESCAPES))


def xml_attribute(text: str) -> str:
    """A double-quoted attribute value (line breaks kept as character references)."""
    if not _SPECIAL.search(text):
        return f'"{text}"'
    return '"' + _ascii(escape(_NOT_XML.sub(_visible, text), _ATTRIBUTE_ESCAPES)) + '"'


def _ascii(text: str) -> str:
    return text.encode("ascii", "xmlcharrefreplace").decode("ascii")
