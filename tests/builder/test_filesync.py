"""The one sync algorithm behind `contracts build --out` and `fake --fixtures`."""

from __future__ import annotations

from pathlib import Path

import pytest

from qevcontract._filesync import apply_sync, plan_sync, safe_relative


def test_plan_and_apply(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a/same.txt").write_bytes(b"same")
    (tmp_path / "a/old.txt").write_bytes(b"old")
    (tmp_path / "a/gone.txt").write_bytes(b"gone")
    (tmp_path / "a/mine.txt").write_bytes(b"mine")
    files = {"a/same.txt": b"same", "a/old.txt": b"new", "b/new.txt": b"new"}
    owned = ["a/same.txt", "a/old.txt", "a/gone.txt", "a/never-written.txt"]
    plan = plan_sync(tmp_path, files, owned)
    assert plan == {"a/gone.txt": "extra", "a/old.txt": "changed", "b/new.txt": "missing"}
    assert list(plan) == sorted(plan)
    apply_sync(tmp_path, files, plan)
    assert plan_sync(tmp_path, files, owned) == {}
    assert (tmp_path / "a/mine.txt").read_bytes() == b"mine"  # not owned: left alone
    assert not (tmp_path / "a/gone.txt").exists()


@pytest.mark.parametrize(
    "rel", ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a\\b", 3, None]
)
def test_owned_paths_that_leave_the_root_are_ignored(rel: object) -> None:
    assert safe_relative(rel) is None


def test_a_missing_root_plans_everything_as_missing(tmp_path: Path) -> None:
    assert plan_sync(tmp_path / "nope", {"x": b"1"}, ["y"]) == {"x": "missing"}
