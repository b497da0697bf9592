"""Render a DiffReport for people (text), machines (json) or GitHub Actions (github)."""

from __future__ import annotations

from ..model import DiffReport, Side

FORMATS = ("text", "json", "github")


def render(report: DiffReport, fmt: str, sides: tuple[Side, ...], *, path_prefix: str = "") -> str:
    """The report in `fmt`; `sides` are the sides whose breaks fail the run."""
    if fmt == "json":
        from .jsonout import render_json

        return render_json(report, sides)
    if fmt == "github":
        from .github import render_github

        return render_github(report, sides, path_prefix=path_prefix)
    if fmt == "text":
        from .text import render_text

        return render_text(report, sides)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
