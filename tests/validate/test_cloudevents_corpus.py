"""The validator against CloudEvents 1.0 cases whose verdict is known from outside.

See `cloudevents_corpus.py` for the cases and where each verdict comes from. Every case
is read from a JSONL file by the real reader and judged by both engines, envelope only
(the types have no contract), with String-character findings as errors (--strict), as
CloudEvents has them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qevcontract.contracts import Catalog
from qevcontract.validate._run import iter_results
from qevcontract.validate._validator import Validator

from .cloudevents_corpus import CASES


def verdicts(catalog: Catalog, engine: str, folder: Path) -> list[str]:
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(c.text for c in CASES) + "\n", "utf-8")
    v = Validator(catalog, engine=engine, strict=True, unknown_types="ignore")
    return [r.status for r in iter_results(v, [str(path)])]


def test_the_corpus_is_big_and_balanced() -> None:
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)
    kinds = [c.verdict for c in CASES]
    assert kinds.count("valid") >= 20 and kinds.count("invalid") >= 20


@pytest.mark.parametrize("engine", ["rs", "python"])
def test_every_known_verdict(catalog: Catalog, engine: str, tmp_path: Path) -> None:
    got = verdicts(catalog, engine, tmp_path)
    assert len(got) == len(CASES)  # nothing lost, nothing unreadable
    wrong = [
        f"{c.name} ({c.source}): expected {c.verdict}, got {g}"
        for c, g in zip(CASES, got, strict=True)
        if g != c.verdict
    ]
    assert not wrong, f"right on {len(CASES) - len(wrong)} of {len(CASES)}:\n" + "\n".join(wrong)
