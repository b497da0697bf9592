"""GitHub Actions workflow commands: `::error file=...,line=...,title=...::message`.

Values are escaped by the workflow-command rules: `%`, CR and LF everywhere, and also `:`
and `,` in properties, so no message can end its annotation early or smuggle in a command
of its own.
"""

from __future__ import annotations

from collections.abc import Mapping


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A `key=value` property: the message escapes, plus the separators `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(command: str, properties: Mapping[str, object], message: str) -> str:
    """One annotation line (no newline); properties in the order given, None ones left out."""
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    head = f"::{command} {props}" if props else f"::{command}"
    return f"{head}::{escape_data(message)}"
