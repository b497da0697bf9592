"""Failures the generator reports to people: one line each, saying what to change."""

from __future__ import annotations


class GenerationError(Exception):
    """A contract the generator cannot produce valid events for (names the type and place)."""


class OverrideError(ValueError):
    """A `--set` pin that is malformed or would break the contract."""
