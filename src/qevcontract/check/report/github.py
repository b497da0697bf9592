"""GitHub Actions workflow commands: one annotation per cause, on its first file and line.

GitHub shows only the first few annotations of each level per step, so one annotation per
cause (its other places listed in the message) keeps the important ones visible. Findings
below `--show` (infos by default) get none; the summary line still counts them.
Escaping follows the workflow-command rules: `%`, CR and LF in every value, and also `:`
and `,` in properties, so a message can never end an annotation early.
"""

from __future__ import annotations

from ..runner import CheckReport
from . import Where
from .text import places, subject, summary_line

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: CheckReport, where: Where) -> str:
    lines = []
    for group in report.shown(report.groups()):
        first = group.first
        props = []
        path = where.path(first)
        if path is not None:
            line, column = where.position(first)
            props += [
                f"file={escape_property(where.display_path(path))}",
                f"line={line}",
                f"col={column}",
            ]
        props.append(f"title={escape_property(f'{group.rule} {group.name}')}")
        if len(group.occurrences) == 1:
            message = f"{subject(first)}: {first.message}"
        else:
            message = f"{group.cause}\n{len(group.occurrences)}x: {places(group.occurrences)}"
        message += f"\n{group.hint}" if group.hint else ""
        lines.append(f"::{_LEVELS[group.severity]} {','.join(props)}::{escape_data(message)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
