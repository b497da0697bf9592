"""The JSON reports' one versioning scheme and their common header.

Every JSON report (validate, check, diff) opens with `"version": "MAJOR.MINOR"` and the
tool that wrote it. Within a major version members are only ever added, so a reader checks
the major it knows and ignores members it does not; a removed or retyped member bumps the
major.
"""

from __future__ import annotations

from typing import Any


def report_version(major: int, minor: int = 0) -> str:
    """`"MAJOR.MINOR"`, the one form of a report's `version`."""
    return f"{major}.{minor}"


def header(version: str) -> dict[str, Any]:
    """The members every JSON report starts with: its version and the tool that wrote it."""
    from .. import __version__  # package metadata: read only when a report is written

    return {"version": version, "tool": {"name": "qevcontract", "version": __version__}}
