"""Counting words for the summary lines every report ends with."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """`1 event`, `2 events`."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"
