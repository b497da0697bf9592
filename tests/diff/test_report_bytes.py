"""Characterization tests: the exact bytes of every diff report format, pinned.

Written before the report packages moved onto the shared `qevcontract._report` toolkit
(issue 18), so that the move could not change a byte users parse without a test saying so.
The golden files in `golden/` were produced by the reporters as they stood on main (12383f8)
and read by hand; a change to one is a user-visible change and needs a CHANGELOG line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qevcontract import __version__
from qevcontract.diff._model import Side
from qevcontract.diff._report import render

from .conftest import Pair

GOLDEN = Path(__file__).parent / "golden"
# Producers break (status "b" is gone, with a `%`, `,` and `:` in the message's values).
NARROWED = (
    {"type": "object", "properties": {"status": {"enum": ["a", "b: 100%, c"]}}},
    {"type": "object", "properties": {"status": {"enum": ["a"]}}},
)


def rendered(fmt: str, pair: Pair, **options: object) -> str:
    report = pair.data(*NARROWED).report()
    text = render(report, fmt, (Side.PRODUCER, Side.CONSUMER), **options)  # type: ignore[arg-type]
    return text.replace(str(pair.root), "<ROOT>").replace(__version__, "<VERSION>")


@pytest.mark.parametrize(
    ("fmt", "name", "options"),
    [
        ("text", "report.text", {}),
        ("text", "report.color.text", {"color": True}),
        ("json", "report.json", {}),
        ("github", "report.github", {"path_prefix": "contracts", "line_of": lambda f, p: 7}),
    ],
)
def test_report_bytes_are_pinned(
    fmt: str, name: str, options: dict[str, object], pair: Pair
) -> None:
    assert rendered(fmt, pair, **options) == (GOLDEN / name).read_text(encoding="utf-8")
