"""Render a DiffReport for people (text), machines (json) or GitHub Actions (github)."""

from __future__ import annotations

from collections.abc import Callable

from .._model import DiffReport, Side

FORMATS = ("text", "json", "github")

# The line of a keyword in the new set: (file in the set, JSON pointer) -> line, or None.
LineOf = Callable[[str, str], int | None]


def status_counts(report: DiffReport) -> dict[str, int]:
    """How many types changed, were added and were removed (every format's summary)."""
    counts = {"changed": 0, "added": 0, "removed": 0}
    for t in report.types:
        counts[t.status] += 1
    return counts


def render(
    report: DiffReport,
    fmt: str,
    sides: tuple[Side, ...],
    *,
    path_prefix: str = "",
    line_of: LineOf | None = None,
    color: bool = False,
) -> str:
    """The report in `fmt`; `sides` are the sides whose breaks fail the run. `line_of`
    places GitHub annotations on their line; `color` styles the text format."""
    if fmt == "json":
        from .jsonout import render_json

        return render_json(report, sides)
    if fmt == "github":
        from .github import render_github

        return render_github(report, sides, path_prefix=path_prefix, line_of=line_of)
    if fmt == "text":
        from .text import render_text

        return render_text(report, sides, color=color)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
