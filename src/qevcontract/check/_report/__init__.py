"""Reporters for check findings: text for people, JSON, SARIF 2.1.0 and GitHub annotations.

Each reporter is a function `render(report, where) -> str`; `FORMATS` maps the CLI's
`--format` names to them. `Where` resolves a finding to a file on disk and a line (through
the validator's JSON locator), shared by the reporters that annotate files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .._findings import Finding
from .._runner import CheckReport

FORMATS = ("text", "json", "sarif", "github")


@dataclass
class Where:
    """Resolves findings to (path, line, column); caches file texts for one report."""

    contracts_root: Path
    cwd: Path = field(default_factory=Path.cwd)
    _texts: dict[Path, str] = field(default_factory=dict)
    _shown: dict[Path, str] = field(default_factory=dict)

    def path(self, finding: Finding) -> Path | None:
        """The doc page when the finding has a page line (with `--docs`), else the contract.

        CI annotations belong on the files in the user's repository: the pages they passed
        to `--docs`, not a contract that may live inside the installed package.
        """
        if finding.doc:
            return Path(finding.doc.rpartition(":")[0] or finding.doc)
        if finding.file is None:
            return None
        if finding.is_page_location:
            return Path(finding.file)
        return self.contracts_root / finding.file

    def display_path(self, path: Path) -> str:
        """Relative to the working directory when below it (forward slashes), else absolute.

        Cached: a report names the same few pages for hundreds of occurrences, and resolving
        a path costs system calls.
        """
        if path not in self._shown:
            self._shown[path] = self._display_path(path)
        return self._shown[path]

    def _display_path(self, path: Path) -> str:
        if not path.is_absolute():
            # As given (a `--docs` page, a relative contract set), tidied: `../shared/x.md`
            # stays relative, the way the user's repository and CI name it.
            return Path(os.path.normpath(path)).as_posix()
        absolute = Path(os.path.normpath(path))
        try:
            return (
                Path(os.path.relpath(absolute, self.cwd)).as_posix()
                if _below(absolute, self.cwd)
                else absolute.as_posix()
            )
        except ValueError:  # another drive on Windows
            return absolute.as_posix()

    def position(self, finding: Finding) -> tuple[int, int]:
        if finding.doc:
            return _page_line(finding.doc), 1
        if finding.is_page_location:
            return _page_line(finding.location), 1
        path = self.path(finding)
        if path is None:
            return 1, 1
        if path not in self._texts:
            try:
                self._texts[path] = path.read_text(encoding="utf-8")
            except OSError:
                self._texts[path] = ""
        from ..._input.locate import locate_json

        try:
            found = locate_json(self._texts[path], finding.location)
        except (ValueError, IndexError):
            found = None
        return found if found is not None else (1, 1)


def _below(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _page_line(location: str) -> int:
    tail = location.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 1


def renderer(name: str) -> Callable[[CheckReport, Where], str]:
    if name == "json":
        from .json_report import render as render_json

        return render_json
    if name == "sarif":
        from .sarif import render as render_sarif

        return render_sarif
    if name == "github":
        from .github import render as render_github

        return render_github
    from .text import render as render_text

    return render_text


__all__ = ["FORMATS", "Where", "renderer"]
