"""Severities, and the words SARIF and GitHub use for them: one table for every reporter."""

from __future__ import annotations

from types import MappingProxyType
from typing import Final, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: Final[tuple[Severity, ...]] = ("error", "warning", "info")

# SARIF 2.1.0 §3.27.10 `level`: "none", "note", "warning" or "error".
SARIF_LEVELS = MappingProxyType({"error": "error", "warning": "warning", "info": "note"})
# GitHub workflow commands: `::error`, `::warning`, `::notice`.
GITHUB_COMMANDS = MappingProxyType({"error": "error", "warning": "warning", "info": "notice"})


def sarif_level(severity: str) -> str:
    """The SARIF level of a severity; an unknown severity counts as an error."""
    return SARIF_LEVELS.get(severity, "error")


def github_command(severity: str) -> str:
    """The workflow command of a severity; an unknown severity counts as an error."""
    return GITHUB_COMMANDS.get(severity, "error")
