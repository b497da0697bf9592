"""'did you mean' offers only really close names: a typo, or the same resource."""

from __future__ import annotations

from qevcontract.contracts import nearest_types

# The 36-type set before the qlik.dev pages (no user, space or reload events in it).
OLD = [
    "com.qlik.v1.role.created", "com.qlik.v1.role.deleted", "com.qlik.v1.role.updated",
    "com.qlik.v1.app.reload.finished", "com.qlik.app.created", "com.qlik.app.deleted",
    "com.qlik.scheduling.task.created", "com.qlik.web-integration.created",
]  # fmt: skip


def test_another_resource_with_the_same_action_is_never_suggested() -> None:
    # The report: `user.created` was answered with `role.created`.
    assert nearest_types("com.qlik.v1.user.created", OLD) == []
    assert nearest_types("com.qlik.v1.reload.finished", OLD) == []
    assert nearest_types("com.qlik.v1.space.created", OLD) == []


def test_a_typo_gets_the_one_name_it_misspells() -> None:
    assert nearest_types("com.qlik.v1.role.creatd", OLD) == ["com.qlik.v1.role.created"]
    assert nearest_types("com.qlik.scheduling.tasks.created", OLD) == [
        "com.qlik.scheduling.task.created"
    ]


def test_the_same_resource_in_another_namespace_then_with_another_action() -> None:
    known = [*OLD, "com.qlik.space.created", "com.qlik.core.user.created",
             "com.qlik.core.user.deleted"]  # fmt: skip
    assert nearest_types("com.qlik.v1.space.created", known) == ["com.qlik.space.created"]
    assert nearest_types("com.qlik.v9.user.created", known) == ["com.qlik.core.user.created"]
    assert nearest_types("com.qlik.v1.user.renamed", known) == [
        "com.qlik.core.user.created", "com.qlik.core.user.deleted"
    ]  # fmt: skip
    assert nearest_types("org.example.thing", known) == []
