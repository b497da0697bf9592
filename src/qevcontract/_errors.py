"""One line from an exception, for the one-line messages every command prints.

Library exceptions (jsonschema-rs, PyYAML, the OS) often carry several lines: the first says
what went wrong, the rest is context nobody asked for in a CI log.
"""

from __future__ import annotations


def first_line(exc: BaseException) -> str:
    """The exception's first line of text, or its class name when it has no text."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
