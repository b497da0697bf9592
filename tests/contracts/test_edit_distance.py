"""The bounded edit distance behind "did you mean": exact up to its limit.

It skips common prefixes and suffixes and fills only the cells within `limit` of the
diagonal (issue 14: a stream of distinct unknown types spent most of its time there). The
plain Levenshtein table below, filled completely, is the yardstick.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qevcontract.contracts import _edit_distance


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# Type-name-like strings over a small alphabet, so that near misses are common.
names = st.text(alphabet="abc.", max_size=12).map(lambda s: f"com.qlik.{s}")


@settings(max_examples=300, deadline=None)
@given(names, names, st.integers(min_value=0, max_value=4))
def test_exact_up_to_the_limit_and_over_it_beyond(a: str, b: str, limit: int) -> None:
    true = levenshtein(a, b)
    found = _edit_distance(a, b, limit)
    if true <= limit:
        assert found == true
    else:
        assert found > limit


def test_a_typo_in_a_long_shared_name() -> None:
    a, b = "com.qlik.v1.app.reload.finished", "com.qlik.v1.app.reloadd.finished"
    assert _edit_distance(a, b, 2) == 1
    assert _edit_distance("com.qlik.v1.role.synced", "com.qlik.core.role.synced", 99) == 4
