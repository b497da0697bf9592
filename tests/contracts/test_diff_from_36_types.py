"""`diff` from the 36-type set (before the qlik.dev pages) to the bundled set.

Types whose pages did not change must come out unchanged; the only changes are where a page
says something new: the newer captures of the alerting and automation pages, and the
changelog-only IP policy and web integration events that a page now documents. The license
event the changelog deprecates gains the `deprecated` annotation, which changes no verdict.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ..conftest import REPO

# The last commit whose contracts/ held the 36-type set built from the seed pages alone.
BEFORE = "ba6d777"

CHANGED_BY_A_PAGE = {
    *(f"com.qlik.v1.alerting-task.{e}" for e in (
        "created", "deleted", "execution-summary.created", "recipient.removed",
        "task-status.changed",
    )),
    "com.qlik.v1.automation.run.ended",
    *(f"com.qlik.core.ip-policy.{e}" for e in ("created", "deleted", "updated")),
    *(f"com.qlik.web-integration.{e}" for e in ("created", "deleted", "updated")),
}  # fmt: skip
DEPRECATION_NOTED = "com.qlik.license.data.volume.consumption.aggregated"


def test_unchanged_pages_give_unchanged_contracts() -> None:
    known = subprocess.run(
        ["git", "cat-file", "-e", f"{BEFORE}^{{commit}}"], cwd=REPO, capture_output=True
    )
    if known.returncode != 0:
        pytest.skip(f"revision {BEFORE} is not in this clone's history")
    proc = subprocess.run(
        [sys.executable, "-m", "qevcontract", "diff", BEFORE, "contracts", "--format", "json",
         "--repo", str(REPO)],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    report = json.loads(proc.stdout)
    types = {t["type"]: t for t in report["types"]}
    assert report["summary"]["removed"] == 0
    assert report["summary"]["added"] == 145 - 36
    # The shared envelope changed since (the CloudEvents type-system rules of issue 14):
    # those changes reach every type, so a type's own changes are the ones in its own file.
    envelope = "envelope/"
    shared = {c["pointer"] for e in types.values() for c in e.get("changes", [])
              if c["file"].startswith(envelope)}  # fmt: skip
    assert shared, "the envelope changes are reported"
    own = {
        t: [c for c in entry["changes"] if not c["file"].startswith(envelope)]
        for t, entry in types.items()
        if entry["status"] == "changed"
    }
    changed = {t for t, changes in own.items() if changes}
    assert changed == CHANGED_BY_A_PAGE | {DEPRECATION_NOTED}
    noted = own[DEPRECATION_NOTED]
    assert [c["kind"] for c in noted] == ["deprecated-changed"]
