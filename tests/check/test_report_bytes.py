"""Characterization tests: the exact bytes of every check report format, pinned.

Written before the report packages moved onto the shared `qevcontract._report` toolkit
(issue 18), so that the move could not change a byte users parse without a test saying so.
The golden files in `golden/` were produced by the reporters as they stood on main (12383f8)
and read by hand; a change to one is a user-visible change and needs a CHANGELOG line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qevcontract import __version__
from qevcontract.builder.pages import parse_pages
from qevcontract.check.report import Where, renderer
from qevcontract.check.runner import run_check

from .conftest import TYPE, event, good_example, markdown_page, write_set

GOLDEN = Path(__file__).parent / "golden"


def rendered(fmt: str, tmp_path: Path, *, show: str = "warning") -> str:
    """An error (wrong example type), a warning, infos and a page finding, in `fmt`."""
    contract = event(
        examples=[
            good_example(TYPE, {"name": "w"}, type="com.example.wrong", source="com.example/w")
        ],
        extra_props={"eventType": {"type": "string", "description": "T.", "default": TYPE}},
    )
    root = tmp_path / "contracts"
    catalog = write_set(root, [contract])
    page = tmp_path / "widgets.md"
    page.write_text(
        markdown_page([(TYPE, "| `n` | `integer` | No | N. Metadata: default = 0, default = 0. |")])
    )
    report = run_check(catalog, parse_pages([page]))
    report.show = show
    text = renderer(fmt)(report, Where(root, cwd=tmp_path))
    return text.replace(str(tmp_path), "<ROOT>").replace(__version__, "<VERSION>")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_report_bytes_are_pinned(fmt: str, tmp_path: Path) -> None:
    assert rendered(fmt, tmp_path) == (GOLDEN / f"report.{fmt}").read_text(encoding="utf-8")


def test_github_notices_bytes_are_pinned(tmp_path: Path) -> None:
    expected = (GOLDEN / "report.info.github").read_text(encoding="utf-8")
    assert rendered("github", tmp_path, show="info") == expected
