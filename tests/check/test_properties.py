"""Properties of the checker's building blocks, on generated inputs (small example counts)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qevcontract.check._baseline import Baseline
from qevcontract.check._findings import Finding
from qevcontract.check._rules.shapes import Shape, normalized_name
from qevcontract.check._runner import CheckReport, run_check
from qevcontract.contracts import Catalog

words = st.text(st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=50, deadline=None)
@given(message=words, hint=words, doc=st.none() | words, severity=st.sampled_from(
    ["error", "warning", "info"]))  # fmt: skip
def test_a_fingerprint_depends_on_what_and_where_not_on_presentation(
    message: str, hint: str, doc: str | None, severity: str
) -> None:
    base = Finding("QEV305", "field-spelling", "warning", "a.b.c", "/properties/x", "m", "h")
    shown = replace(base, message=message, hint=hint, doc=doc, severity=severity)  # type: ignore[arg-type]
    assert shown.fingerprint == base.fingerprint
    assert replace(base, location="/properties/y").fingerprint != base.fingerprint
    assert replace(base, event_type="a.b.d").fingerprint != base.fingerprint


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcXYZ_-09"), min_size=1, max_size=12))
def test_spelling_blind_names_ignore_case_and_punctuation(name: str) -> None:
    assert (
        normalized_name(name)
        == normalized_name(name.upper())
        == normalized_name(name.replace("_", "").replace("-", ""))
    )
    assert normalized_name(normalized_name(name)) == normalized_name(name)


durations = st.builds(
    lambda y, d, h, m, s: "P"
    + (f"{y}Y" if y else "")
    + (f"{d}D" if d else "")
    + ((("T" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s else "")))
       if (h or m or s) else ""),
    *[st.integers(0, 99)] * 5,
).filter(lambda text: text != "P")  # fmt: skip


@settings(max_examples=50, deadline=None)
@given(durations)
def test_iso_durations_match_the_duration_shape(text: str) -> None:
    assert Shape("duration").matches(text)
    assert not Shape("duration").matches(text.removeprefix("P"))


@pytest.fixture(scope="module")
def bundled_report(catalog: Catalog) -> CheckReport:
    return run_check(catalog)


# Each example runs the whole checker over the bundled set (about 2 s for 145 types).
@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_baseline_hides_exactly_what_it_lists(
    catalog: Catalog, bundled_report: CheckReport, data: st.DataObject
) -> None:
    findings = bundled_report.findings
    listed = data.draw(st.sets(st.sampled_from(findings), max_size=len(findings)))
    baseline = Baseline(frozenset(f.fingerprint for f in listed), "generated")
    report = run_check(catalog, baseline=baseline)
    assert {f.fingerprint for f in report.findings} == {
        f.fingerprint for f in findings
    } - baseline.fingerprints
    assert report.baselined == len(baseline.fingerprints)
    assert report.baseline_stale == 0


def test_check_is_deterministic(catalog: Catalog, bundled_report: CheckReport) -> None:
    # A second run compared with the module's first one (a run of its own, made earlier).
    assert run_check(catalog).findings == bundled_report.findings


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(
        st.sampled_from(
            ["type", "properties", "items", "enum", "description", "required", "default",
             "x-qev-truncated", "x-qev-named-type", "deprecated", "format", "data", "id"]
        ),
        inner,
        max_size=4,
    ),
    max_leaves=12,
)  # fmt: skip


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(properties=st.dictionaries(st.text(min_size=1, max_size=6), json_values, max_size=4),
       examples=st.lists(json_values, max_size=2), defs=json_values)  # fmt: skip
def test_check_never_crashes_on_odd_contracts(
    tmp_path_factory: pytest.TempPathFactory, properties: object, examples: object, defs: object
) -> None:
    from .conftest import event, write_set

    contract = event()
    contract["properties"] = properties
    contract["examples"] = examples
    contract["$defs"] = defs
    root = tmp_path_factory.mktemp("odd")
    report = run_check(write_set(root, [contract, event("com.example.widget.other")]))
    assert all(f.rule.startswith("QEV") for f in report.findings)
