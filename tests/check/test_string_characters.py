"""QEV410: doc examples whose String attributes hold characters CloudEvents disallows.

CloudEvents 1.0, spec.md, Type System: "`String` - Sequence of allowable Unicode
characters. The following characters are disallowed: - the "control characters" in the
ranges U+0000-U+001F and U+007F-U+009F (both ranges inclusive), since most have no agreed-on
meaning, and some, such as U+000A (newline), are not usable in contexts such as HTTP
headers." Qlik's pages show `authclaims` as pretty-printed JSON with newlines in it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qevcontract.builder._build import build_contracts, write_contracts
from qevcontract.builder._pages import parse_pages
from qevcontract.check._registry import find_rule
from qevcontract.check._runner import run_check
from qevcontract.contracts import Catalog, load

PAGE = """\
---
source: https://example.test/events/widgets/
last_updated: 2030-01-01
---

# Widgets

## Table of Contents

### shop.widgets

- [org.example.widget.made](#orgexamplewidgetmade)

## Events published on the `shop.widgets` channel

### org.example.widget.made

**Title:** Widget made

**Payload**

| Name | Type | Required | Description |
| --- | --- | --- | --- |
| `id` | `string` | Yes | Widget key. |
| `source` | `string` | Yes | Where. |
| `type` | `string` | Yes | What. |
| `specversion` | `string` | Yes | Version. |
| `authclaims` | `string` | No | The caller's claims, as JSON. |

**Example**

```json
{{
  "id": "1",
  "source": "/w",
  "type": "org.example.widget.made",
  "specversion": "1.0",
  "authclaims": "{claims}"
}}
```
"""


def _qev410(tmp_path: Path, claims: str) -> tuple[list[Any], Path, str]:
    text = PAGE.format(claims=claims)
    tmp_path.mkdir(parents=True)
    page = tmp_path / "widgets.md"
    page.write_text(text)
    write_contracts(build_contracts([page]), tmp_path / "contracts")
    rules = [find_rule("QEV410")]
    report = run_check(load(tmp_path / "contracts"), parse_pages([page]), rules=rules)
    return list(report.findings), page, text


def test_a_newline_in_an_example_attribute_is_reported_at_its_page_line(tmp_path: Path) -> None:
    # The page's JSON escapes the newlines: the attribute's value holds U+000A twice.
    findings, page, text = _qev410(tmp_path / "quirky", r"{\n  \"sub\": \"u1\"\n}")
    (finding,) = findings
    line = next(i for i, row in enumerate(text.split("\n"), 1) if '"authclaims"' in row)
    assert finding.doc == f"{page}:{line}"
    assert finding.location == "/examples/0/authclaims"
    assert finding.severity == "warning"
    message = finding.message
    assert "U+000A (newline) at character 2 (and 1 more)" in message
    # The fixed twin: the same claims on one line.
    fixed, _, _ = _qev410(tmp_path / "fixed", r"{\"sub\": \"u1\"}")
    assert fixed == []


def test_other_disallowed_characters_are_reported_too(tmp_path: Path) -> None:
    # U+007F-U+009F are control characters as well; U+FFFE is a noncharacter.
    for claims, what in ((r"a\u0085b", "U+0085"), (r"a\ufffeb", "noncharacter U+FFFE")):
        findings, _, _ = _qev410(tmp_path / what[-4:], claims)
        assert [what in f.message for f in findings] == [True]


def test_every_newline_in_an_authclaims_example_of_the_qlik_pages(
    catalog: Catalog, qlik_pages: Path
) -> None:
    """The page text itself says where the newlines are: each example line whose
    `authclaims` string holds a `\\n` escape is one finding, at that line."""
    expected = set()
    for path in sorted(qlik_pages.glob("*.md")):
        for number, row in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if re.match(r'\s*"authclaims":\s*"(?:[^"\\]|\\.)*\\n', row):
                expected.add(f"{path}:{number}")
    report = run_check(catalog, parse_pages([qlik_pages]), rules=[find_rule("QEV410")])
    found = {f.doc for f in report.findings}
    assert len(expected) >= 7
    assert found == expected
