"""Properties of the diff over random pairs of small `data` schemas.

- a contract never differs from itself;
- every witness separates the two contracts (judged by the project's Validator);
- "no break" is true: events drawn from the accepting side by hypothesis-jsonschema (an
  independent generator) are accepted by the other side too;
- the verdicts are mirror images: a producer break from A to B is a consumer break from B to A.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from qevcontract.contracts import load
from qevcontract.diff._model import Basis, Side

from .conftest import TYPE, Pair, witness_holds

SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DECIDED = (Basis.ORACLE, Basis.LOCAL_ORACLE)


def _leaf() -> st.SearchStrategy[dict[str, Any]]:
    string = st.fixed_dictionaries(
        {"type": st.sampled_from(["string", ["string", "null"]])},
        optional={
            "maxLength": st.integers(1, 3),
            "enum": st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True),
            "format": st.just("date-time"),
        },
    )
    number = st.fixed_dictionaries(
        {"type": st.sampled_from(["integer", "number"])},
        optional={"minimum": st.integers(0, 2), "maximum": st.integers(3, 5)},
    )
    array = st.fixed_dictionaries(
        {"type": st.just("array")},
        optional={"items": st.just({"type": "string"}), "maxItems": st.integers(1, 2)},
    )
    return st.one_of(string, number, array, st.just({}))


def _composite(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Composition, open and closed objects, arrays: where diff tools most often go wrong."""

    def obj(props: dict[str, Any], extra: Any, pattern: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object", "properties": props}
        if extra is not None:
            out["additionalProperties"] = extra
        if pattern is not None:
            out["patternProperties"] = {"^x": pattern}
        return out

    return st.one_of(
        st.builds(lambda bs: {"anyOf": bs}, st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda bs: {"oneOf": bs}, st.lists(children, min_size=1, max_size=2)),
        st.builds(lambda bs: {"allOf": bs}, st.lists(children, min_size=1, max_size=2)),
        st.builds(lambda b: {"not": b}, children),
        st.builds(
            obj,
            st.dictionaries(st.sampled_from(["a", "x1"]), children, max_size=2),
            st.one_of(st.none(), st.booleans(), children),
            st.one_of(st.none(), children),
        ),
        st.builds(lambda it: {"type": "array", "items": it}, children),
    )


SCHEMAS = st.recursive(_leaf(), _composite, max_leaves=4)


@st.composite
def data_schemas(draw: st.DrawFn) -> dict[str, Any]:
    props = draw(st.dictionaries(st.sampled_from(["a", "b", "c"]), SCHEMAS, max_size=3))
    schema: dict[str, Any] = {"type": "object", "properties": props}
    required = draw(st.lists(st.sampled_from(sorted(props) or ["a"]), unique=True, max_size=2))
    if required:
        schema["required"] = required
    if draw(st.booleans()):
        schema["additionalProperties"] = False
    return schema


def _pair(root: Path, old: Any, new: Any) -> Pair:
    return Pair(root).data(old, new)


@SETTINGS
@given(schema=data_schemas())
def test_a_contract_never_differs_from_itself(
    tmp_path_factory: Any, schema: dict[str, Any]
) -> None:
    report = _pair(tmp_path_factory.mktemp("same"), schema, schema).report()
    assert report.types == () and report.unchanged == 1


@SETTINGS
@given(old=data_schemas(), new=data_schemas())
def test_every_witness_separates_the_contracts(tmp_path_factory: Any, old: Any, new: Any) -> None:
    pair = _pair(tmp_path_factory.mktemp("wit"), old, new)
    td = pair.type_diff()
    if td is None:
        return
    for side in Side:
        verdict = td.producer if side is Side.PRODUCER else td.consumer
        if verdict.has_witness:
            assert witness_holds(pair, td, side), (side, verdict.witness)


@SETTINGS
@given(old=data_schemas(), new=data_schemas(), side=st.sampled_from(Side), data=st.data())
def test_no_break_means_the_accepted_events_stay_accepted(
    tmp_path_factory: Any, old: Any, new: Any, side: Side, data: st.DataObject
) -> None:
    """No producer break: events valid under the old contract stay valid under the new one
    (and the reverse for consumers). Under strict open content, so nothing is waived."""
    from hypothesis_jsonschema import from_schema

    from qevcontract.validate._validator import Validator

    pair = _pair(tmp_path_factory.mktemp("sound"), old, new)
    td = pair.type_diff(strict_open_content=True)
    verdict = td and (td.producer if side is Side.PRODUCER else td.consumer)
    if verdict is None or verdict.breaking:
        return
    accept, reject, schema = (
        (pair.old, pair.new, old) if side is Side.PRODUCER else (pair.new, pair.old, new)
    )
    try:
        payload = data.draw(from_schema(schema), label="data")
    except Exception:
        assume(False)
    event = {"id": "x", "source": "x", "specversion": "1.0", "type": TYPE, "data": payload}
    # The generator does not assert formats: keep only events the accepting side accepts.
    assume(Validator(load(accept)).is_valid(event))
    assert Validator(load(reject)).is_valid(event), verdict


@SETTINGS
@given(a=data_schemas(), b=data_schemas())
def test_verdicts_mirror_when_the_sides_swap(tmp_path_factory: Any, a: Any, b: Any) -> None:
    forward = _pair(tmp_path_factory.mktemp("fwd"), a, b).type_diff(strict_open_content=True)
    backward = _pair(tmp_path_factory.mktemp("bwd"), b, a).type_diff(strict_open_content=True)
    if forward is None or backward is None:
        assert forward is None and backward is None
        return
    for there, back in (
        (forward.producer, backward.consumer),
        (forward.consumer, backward.producer),
    ):
        if there.basis in DECIDED and back.basis in DECIDED:
            assert there.breaking == back.breaking
