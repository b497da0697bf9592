"""GitHub Actions workflow commands: one annotation per finding, on the file and line.

Escaping follows the workflow-command rules: `%`, CR and LF in every value, and also `:`
and `,` in properties, so a message can never end an annotation early.
"""

from __future__ import annotations

from ..runner import CheckReport
from . import Where
from .text import subject, summary_line

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: CheckReport, where: Where) -> str:
    lines = []
    for f in report.findings:
        props = []
        path = where.path(f)
        if path is not None:
            line, column = where.position(f)
            props += [
                f"file={escape_property(where.display_path(path))}",
                f"line={line}",
                f"col={column}",
            ]
        props.append(f"title={escape_property(f'{f.rule} {f.name}')}")
        message = f"{subject(f)}: {f.message}" + (f"\n{f.hint}" if f.hint else "")
        lines.append(f"::{_LEVELS[f.severity]} {','.join(props)}::{escape_data(message)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
