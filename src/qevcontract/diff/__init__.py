"""Breaking-change detection between two contract sets (`qevcontract diff`).

    from qevcontract.contracts import load
    from qevcontract.diff import diff_catalogs, Side

    report = diff_catalogs(load("old/"), load("new/"))
    for t in report.breaking_types(Side.CONSUMER):
        print(t.type, t.consumer.note, t.consumer.witness)

Every change is named (docs/diff.md lists the kinds) and each side's verdict says what it
rests on: the canonical-schema oracle, a witness event, or the structural rules.
"""

from __future__ import annotations

from ._compare import DiffError, diff_catalogs
from ._model import Basis, Change, DiffOptions, DiffReport, Impact, Side, SideVerdict, TypeDiff

__all__ = [
    "Basis",
    "Change",
    "DiffError",
    "DiffOptions",
    "DiffReport",
    "Impact",
    "Side",
    "SideVerdict",
    "TypeDiff",
    "diff_catalogs",
]
