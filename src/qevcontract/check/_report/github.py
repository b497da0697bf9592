"""GitHub Actions workflow commands: one annotation per cause, on its first file and line.

GitHub shows only the first few annotations of each level per step, so one annotation per
cause (its other places listed in the message) keeps the important ones visible. Findings
below `--show` (infos by default) get none; the summary line still counts them.
Escaping follows the workflow-command rules (`qevcontract._report.github`).
"""

from __future__ import annotations

from ..._report.github import workflow_command
from ..._report.levels import github_command
from .._runner import CheckReport
from . import Where
from .text import places, subject, summary_line


def render(report: CheckReport, where: Where) -> str:
    lines = []
    for group in report.shown(report.groups()):
        first = group.first
        props: dict[str, object] = {}
        path = where.path(first)
        if path is not None:
            line, column = where.position(first)
            props.update(file=where.display_path(path), line=line, col=column)
        props["title"] = f"{group.rule} {group.name}"
        if len(group.occurrences) == 1:
            message = f"{subject(first)}: {first.message}"
        else:
            message = f"{group.cause}\n{len(group.occurrences)}x: {places(group.occurrences)}"
        message += f"\n{group.hint}" if group.hint else ""
        lines.append(workflow_command(github_command(group.severity), props, message))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
