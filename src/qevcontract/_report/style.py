"""Colour for reports and messages, through click: the styles and when to use them.

Colour goes to terminals only, unless forced, and never when NO_COLOR is set to anything
but the empty string (https://no-color.org); an explicit `--color` beats the environment.
click writes the ANSI sequences (`click.style`) and `click.echo(color=...)` strips them when
told; "a terminal" is `isatty()`, the rule `click.echo` applies itself (its helper for it,
`should_strip_ansi`, is not part of click's public API).
"""

from __future__ import annotations

import functools
import os
from typing import IO, Any

import click

# Back to the line's start and erase it: how a progress or status line makes way for the
# output that follows on the same terminal (click has no such helper).
ERASE_LINE = "\r\x1b[K"

# How each severity is painted wherever a report names it.
SEVERITY_STYLES: dict[str, dict[str, Any]] = {
    "error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow", "bold": True},
    "info": {"fg": "cyan"},
}


def no_color() -> bool:
    """Whether the environment asks for no colour (NO_COLOR set and not empty)."""
    return bool(os.environ.get("NO_COLOR"))


def color_wanted(stream: IO[Any], color: bool | None = None) -> bool:
    """`color` when the user chose; else colour on a terminal, unless NO_COLOR is set."""
    if color is not None:
        return color
    return not no_color() and _isatty(stream)


def _isatty(stream: IO[Any]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def paint(text: str, on: bool, **style: Any) -> str:
    """`click.style(text, **style)` when `on`, else the text unchanged.

    The sequences click writes around a text are asked for once per style: a coloured
    report paints several parts of every line."""
    if not on or not style:
        return text
    opening, closing = sequences(**style)
    return opening + text + closing


def sequences(**style: Any) -> tuple[str, str]:
    """What `click.style(text, **style)` writes before and after the text: for hot paths
    that paint many lines with a few styles."""
    return _sequences(tuple(sorted(style.items())))


@functools.cache
def _sequences(style: tuple[tuple[str, Any], ...]) -> tuple[str, str]:
    opening, _, closing = click.style("\0", **dict(style)).partition("\0")
    return opening, closing
