"""The pages rules (QEV801 build-warning, QEV802 pages-disagree), and `check` over every page.

QEV801 must report exactly what the build printed, where it printed it; QEV802 must name
what two pages documenting one event type disagree on. Over the real pages, every doc
example that its contract or the CloudEvents rules reject must come out as a finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qevcontract.builder._build import build_contracts, write_contracts
from qevcontract.builder._pages import parse_pages
from qevcontract.check._registry import find_rule
from qevcontract.check._runner import CheckReport, run_check
from qevcontract.contracts import Catalog, load
from qevcontract.validate._validator import Validator

PAGE = """\
---
source: https://example.test/events/widgets/
last_updated: {date}
---

# Widgets

Events about widgets.

## Table of Contents

### shop.widgets

- [org.example.widget.made](#orgexamplewidgetmade)

## Events published on the `shop.widgets` channel

### org.example.widget.made

**Title:** Widget made

**Action:** `send`

**Payload**

| Name | Type | Required | Description |
| --- | --- | --- | --- |
| `id` | `string` | Yes | Widget key. |
| `source` | `string` | Yes | Where. |
| `type` | `string` | Yes | What. |
| `specversion` | `string` | Yes | Version. |
| `data` | `object` | No | The widget. |

<details>
<summary>Properties of `data`</summary>

| Name | Type | Required | Description |
| --- | --- | --- | --- |
{rows}
</details>

**Example**

```json
{{"id": "1", "source": "/w", "type": "org.example.widget.made", "specversion": "1.0",
 "data": {{"size": 1}}}}
```
"""
SIZE = "| `size` | `integer` | Yes | How big. |"
COLOR = "| `color` | `string` | No | Paint. |"


def _check(tmp_path: Path, code: str, *pages: tuple[str, str]) -> tuple[CheckReport, list[Path]]:
    files = []
    for folder, text in pages:
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        files.append(tmp_path / folder / "widgets.md")
        files[-1].write_text(text)
    out = tmp_path / "contracts"
    write_contracts(build_contracts(files), out)
    report = run_check(load(out), parse_pages(files), rules=[find_rule(code)])
    return report, files


def test_build_warnings_are_findings_at_the_page_line(tmp_path: Path) -> None:
    quirky = PAGE.format(date="2030-01-01", rows=SIZE.replace("How big.", "How big. "
                         "Metadata: format = int64."))  # fmt: skip
    report, (page,) = _check(tmp_path, "QEV801", ("a", quirky))
    line = quirky.split("\n").index(SIZE.replace("How big.", "How big. Metadata: format = "
                                                 "int64.")) + 1  # fmt: skip
    (finding,) = report.findings
    assert finding.doc == f"{page}:{line}"
    assert finding.event_type == "org.example.widget.made"
    assert "`format` of `size` is not a JSON literal: `int64`" in finding.message
    # the fixed twin: nothing to report
    fixed, _ = _check(
        tmp_path / "fixed", "QEV801", ("a", PAGE.format(date="2030-01-01", rows=SIZE))
    )
    assert fixed.findings == []


def test_two_pages_that_disagree_are_reported_on_the_older_one(tmp_path: Path) -> None:
    newer = PAGE.format(date="2030-02-01", rows=SIZE + "\n" + COLOR)
    older = PAGE.format(date="2030-01-01", rows=SIZE.replace("Yes", "No"))
    report, (_, old_page) = _check(tmp_path, "QEV802", ("new", newer), ("old", older))
    (finding,) = report.findings
    assert (
        finding.doc == f"{old_page}:{older.split(chr(10)).index('### org.example.widget.made') + 1}"
    )
    assert "built from" in finding.message and "new/widgets.md" in finding.message
    assert "only on new/widgets.md: data.color" in finding.message
    assert "data.size (required on new/widgets.md)" in finding.message
    # The contract follows the newer page, whatever the order the pages were given in.
    contract = load(tmp_path / "contracts").schema("org.example.widget.made")
    assert contract["properties"]["data"]["required"] == ["size"]
    assert [p["page"] for p in contract["x-qev-provenance"]] == ["new/widgets.md", "old/widgets.md"]


def test_two_pages_that_agree_give_no_finding(tmp_path: Path) -> None:
    text = PAGE.format(date="2030-01-01", rows=SIZE)
    report, _ = _check(tmp_path, "QEV802", ("a", text), ("b", text.replace("2030-01-01", "2029")))
    assert report.findings == []


# --- check over every page ------------------------------------------------------------------


@pytest.fixture(scope="module")
def full_report(catalog: Catalog, seeds: Path, qlik_pages: Path) -> CheckReport:
    return run_check(catalog, parse_pages([seeds, qlik_pages]))


def test_every_rejected_doc_example_is_reported_as_a_quirk_of_its_page(
    catalog: Catalog, full_report: CheckReport
) -> None:
    """Each example the contract or the CloudEvents rules reject has an error finding in
    that example, located on its page."""
    errors = {
        (f.event_type, f.location.split("/")[2])
        for f in full_report.findings
        if f.severity == "error" and f.location.startswith("/examples/")
    }
    rejected = []
    for t in catalog.types:
        v = Validator(catalog, force_type=t, envelope="cloudevents")
        for i, example in enumerate(catalog.examples(t)):
            # Warnings (e.g. the newlines Qlik puts in `authclaims`) do not reject an event.
            if any(x.severity == "error" for x in v.iter_errors(example)):
                rejected.append((t, str(i)))
    assert len(rejected) >= 30  # placeholders, 1.0.2, structured extensions, ...
    assert [r for r in rejected if r not in errors] == []
    located = [f for f in full_report.findings if f.location.startswith("/examples/")]
    assert all(f.doc for f in located if f.severity == "error")


def test_the_issue_s_example_quirks_are_found(full_report: CheckReport) -> None:
    found = {(f.rule, f.event_type, f.location) for f in full_report.findings}
    # `datacontenttype: "string"`, `specversion: "1.0.2"`, object-valued extensions.
    assert ("QEV404", "com.qlik.v1.group.created", "/examples/0/datacontenttype") in found
    assert ("QEV401", "com.qlik.core.api-key.created", "/examples/0/specversion") in found
    assert (
        "QEV403", "com.qlik.v1.di-projects.di-tasks.completed", "/examples/0/extensions"
    ) in found  # fmt: skip
    # the page quirks the builder left out, and a newer capture that adds fields
    assert ("QEV801", "com.qlik.core.auth-settings.updated") in {
        (f.rule, f.event_type) for f in full_report.findings
    }
    assert "QEV802" in {f.rule for f in full_report.findings}
