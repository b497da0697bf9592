"""docs/diff.md documents every change kind, with the impact the code gives it."""

from __future__ import annotations

import re
from pathlib import Path

from qevcontract.diff._kinds import KINDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "diff.md"
WHO = {"producer": "producer", "consumer": "consumer", "both": "both", "none": "nobody"}


def test_every_change_kind_has_a_row_with_its_impact() -> None:
    rows = dict(re.findall(r"^\| `([a-z-]+)` \| (\w+) \|", DOC.read_text(encoding="utf-8"), re.M))
    assert set(rows) == set(KINDS), set(rows) ^ set(KINDS)
    for code, kind in KINDS.items():
        assert rows[code] == WHO[kind.impact.value], code
