"""One finding per cause: what groups, what stays apart, and that nothing is lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qevcontract.check._findings import Finding
from qevcontract.check._grouping import group_findings, page_of, split_subject

TASKS = "com.qlik.scheduling.task."


def finding(
    event: str | None,
    message: str,
    doc: str | None = None,
    rule: str = "QEV702",
    location: str = "/properties/data/properties/usage",
) -> Finding:
    return Finding(rule, "prose-default-missing", "warning", event, location, message, doc=doc)


@pytest.mark.parametrize(
    ("message", "subject", "cause"),
    [
        ("data.usage: the description says it defaults to 'X'", "data.usage",
         "the description says it defaults to 'X'"),
        ("data.ownerId is required, but its description says ...", "data.ownerId",
         "is required, but its description says ..."),
        ("eventType: documented as a top-level attribute", "eventType",
         "documented as a top-level attribute"),
        ("com.qlik.v1.app.opened uses version 'v1', while ...", "com.qlik.v1.app.opened",
         "uses version 'v1', while ..."),
        ("data.blocks[0].params: the description says ...", "data.blocks[0].params",
         "the description says ..."),
        # no field path: the whole message is the cause
        ("the example's datacontenttype 'string' is not a media type", "",
         "the example's datacontenttype 'string' is not a media type"),
        ("tenantid is optional here but required for 6 other event type(s)", "",
         "tenantid is optional here but required for 6 other event type(s)"),
    ],
)  # fmt: skip
def test_a_message_opens_with_its_subject_or_has_none(
    message: str, subject: str, cause: str
) -> None:
    assert split_subject(message) == (subject, cause)


def test_the_same_quirk_on_one_page_is_one_cause_with_every_place() -> None:
    findings = [
        finding(TASKS + e, "data.usage: the description says it defaults to 'ANALYTICS'",
                f"p/tasks.md:{line}")
        for e, line in (("created", 51), ("deleted", 161), ("updated", 270))
    ] + [
        finding(None, "taskEntryObject.usage: the description says it defaults to 'ANALYTICS'",
                "p/tasks.md:399", location="/$defs/taskEntryObject/properties/usage"),
    ]  # fmt: skip
    (group,) = group_findings(reversed(findings))
    assert group.page == "p/tasks.md"
    assert group.cause == "the description says it defaults to 'ANALYTICS'"
    assert [f.doc for f in group.occurrences] == [f.doc for f in findings]  # page order


def test_other_page_other_rule_or_other_wording_stay_apart() -> None:
    base = finding(TASKS + "created", "data.usage: defaults to 'A'", "tasks.md:5")
    groups = group_findings(
        [
            base,
            finding(TASKS + "created", "data.usage: defaults to 'A'", "other.md:5"),
            finding(TASKS + "created", "data.usage: defaults to 'B'", "tasks.md:6"),
            finding(TASKS + "created", "data.usage: defaults to 'A'", "tasks.md:7", "QEV703"),
        ]
    )
    assert len(groups) == 4


def test_without_pages_a_finding_belongs_to_its_contract_domain() -> None:
    f = Finding("QEV301", "n", "error", TASKS + "created", "/examples/0/type", "m",
                file="tasks/com.qlik.scheduling.task.created.schema.json")  # fmt: skip
    assert page_of(f) == "tasks contracts"


_messages = st.sampled_from(
    ["data.a: x", "data.b: x", "data.a: y", "the page says x", "com.q.e.created uses x"]
)
_findings = st.builds(
    lambda rule, sev, event, msg, page, line: Finding(
        rule, "n", sev, event, "/properties/data", msg, doc=f"{page}:{line}"
    ),
    st.sampled_from(["QEV501", "QEV702"]),
    st.sampled_from(["error", "warning", "info"]),
    st.sampled_from([None, "com.q.e.created", "com.q.e.deleted"]),
    _messages,
    st.sampled_from(["a.md", "b.md"]),
    st.integers(1, 500),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_findings, max_size=30))
def test_groups_partition_the_findings_by_rule_severity_page_and_cause(
    findings: list[Finding],
) -> None:
    groups = group_findings(findings)
    assert sorted(map(id, (f for g in groups for f in g.occurrences))) == sorted(map(id, findings))
    for group in groups:
        for f in group.occurrences:
            assert (f.rule, f.severity, page_of(f), split_subject(f.message)[1]) == (
                group.rule, group.severity, group.page, group.cause
            )  # fmt: skip
    keys = [(g.rule, g.severity, g.page, g.cause) for g in groups]
    assert len(keys) == len(set(keys))
