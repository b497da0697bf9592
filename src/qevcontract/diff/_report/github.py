"""GitHub Actions workflow commands: one annotation per breaking change, on its file.

A change that breaks a side the run checks is an `::error`; one that breaks only the other
side is a `::warning`; changes that break nobody are left out. A type whose break the
oracle found without any named change gets one error on its own file. The last line is a
plain summary for the log.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from ..._report.github import workflow_command
from .._model import DiffReport, Side, TypeDiff
from .text import summary_line


def render_github(
    report: DiffReport,
    sides: tuple[Side, ...],
    *,
    path_prefix: str = "",
    line_of: Callable[[str, str], int | None] | None = None,
) -> str:
    """`line_of(file, pointer)`: the line of a changed keyword in the new set (a removed one:
    where it was, its parent), so the annotation sits on it in the pull request."""
    lines: list[str] = []
    for t in report.types:
        lines += _type_annotations(t, sides, path_prefix, line_of)
    lines.append(summary_line(report, sides))
    return "\n".join(lines) + "\n"


def _type_annotations(
    t: TypeDiff,
    sides: tuple[Side, ...],
    prefix: str,
    line_of: Callable[[str, str], int | None] | None,
) -> list[str]:
    out: list[str] = []
    named: set[Side] = set()
    for c in t.changes:
        broken = [s for s in Side if c.impact.breaks(s) and t.breaks(s)]
        if not broken:
            continue
        named.update(broken)
        level = "error" if any(s in sides for s in broken) else "warning"
        who = " and ".join(s.value + "s" for s in broken)
        title = f"{t.type}: {c.kind} breaks {who}"
        line = line_of(c.file, c.pointer) if line_of is not None else None
        out.append(_command(level, posixpath.join(prefix, c.file), title, c.message, line))
    for side in Side:
        if t.breaks(side) and side not in named:
            verdict = t.producer if side is Side.PRODUCER else t.consumer
            level = "error" if side in sides else "warning"
            title = f"{t.type}: breaks {side.value}s"
            message = verdict.note or "the oracle found events affected by this change"
            out.append(_command(level, posixpath.join(prefix, t.file), title, message))
    return out


def _command(level: str, file: str, title: str, message: str, line: int | None = None) -> str:
    return workflow_command(level, {"file": file, "line": line, "title": title}, message)
