"""`qevcontract contracts ...` as a user runs it: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from qevcontract._cli import cli

from ..conftest import CONTRACTS

PAGE = """\
# Gizmos

## Events published on the `system-events.gizmo` channel

### com.example.gizmo.created

**Title:** Gizmo created

A gizmo was made.

**Payload**

| Name | Type | Required | Description |
| --- | --- | --- | --- |
| `id` | `string` | Yes | Event id. Metadata: minLength = 1. |
| `data` | `object` | No | The gizmo. |

<details>
<summary>Properties of `data`</summary>

| Name | Type | Required | Description |
| --- | --- | --- | --- |
| `size` | `integer` | Yes | How big. Metadata: minimum = 1. |

</details>

**Example**

```json
{"id": "1", "type": "com.example.gizmo.created", "data": {"size": 2}}
```
"""


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_list_shows_every_type_with_payload_status() -> None:
    code, out, err = run("contracts", "list", "--contracts", str(CONTRACTS))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["TYPE", "DOMAIN", "PAYLOAD", "EXAMPLES"]
    assert len(lines) == 1 + 145
    row = next(line for line in lines if line.startswith("com.qlik.v1.role.created "))
    assert row.split()[1:] == ["roles", "unspecified", "0"]
    row = next(line for line in lines if line.startswith("com.qlik.space.created "))
    assert row.split()[1:] == ["(deprecated)", "spaces", "documented", "1"]
    assert (
        "145 event types in 30 domains (131 with a documented payload, 14 envelope only, "
        "16 deprecated)"
    ) in err


def test_list_by_domain_shows_coverage_at_a_glance() -> None:
    code, out, _ = run("contracts", "list", "--by-domain", "--contracts", str(CONTRACTS))
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:]}
    assert out.splitlines()[0].split() == [
        "DOMAIN", "TYPES", "DOCUMENTED", "ENVELOPE-ONLY", "DEPRECATED"
    ]  # fmt: skip
    # The roles domain: four core role events documented, four changelog-only v1 names.
    assert rows["roles"] == ["8", "4", "4", "0"]
    assert rows["spaces"] == ["12", "12", "0", "12"]
    assert rows["total"] == ["145", "131", "14", "16"]
    code, out, _ = run("contracts", "list", "--by-domain", "--format", "json")
    domains = {d["domain"]: d for d in json.loads(out)["domains"]}
    assert domains["licenses"] == {
        "domain": "licenses", "types": 10, "documented": 0, "envelope_only": 10,
        "deprecated": 1,
    }  # fmt: skip


def test_list_json_is_machine_readable() -> None:
    code, out, _ = run("contracts", "list", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert len(doc["events"]) == 145
    assert {"type", "domain", "payload_documented", "examples"} <= set(doc["events"][0])


def test_show_prints_the_contract_and_suggests_on_typos() -> None:
    code, out, _ = run("contracts", "show", "com.qlik.app.deleted")
    assert code == 0 and json.loads(out)["properties"]["type"]["const"] == "com.qlik.app.deleted"
    code, out, _ = run("contracts", "show", "com.qlik.app.deleted", "--examples")
    assert json.loads(out)[0]["type"] == "com.qlik.app.deleted"
    code, _, err = run("contracts", "show", "com.qlik.app.delted")
    assert code == 2
    assert err.strip() == (
        "qevcontract: error: no contract for event type 'com.qlik.app.delted'; "
        "did you mean com.qlik.app.deleted?"
    )


def test_build_writes_a_loadable_set_from_a_page_of_another_domain(tmp_path: Path) -> None:
    page = tmp_path / "gizmos.md"
    page.write_text(PAGE)
    out_dir = tmp_path / "out"
    code, out, err = run("contracts", "build", str(page), "--out", str(out_dir))
    assert code == 0, err
    assert "added: gizmos/com.example.gizmo.created.schema.json" in out
    code, out, _ = run(
        "contracts", "show", "com.example.gizmo.created", "--contracts", str(out_dir)
    )
    schema = json.loads(out)
    assert schema["properties"]["data"]["properties"]["size"] == {
        "description": "How big.",
        "minimum": 1,
        "type": "integer",
    }
    # unchanged pages: --check passes; a changed page: --check fails and says how to fix
    assert run("contracts", "build", str(page), "--out", str(out_dir), "--check")[0] == 0
    page.write_text(PAGE.replace("minimum = 1", "minimum = 2"))
    code, out, err = run("contracts", "build", str(page), "--out", str(out_dir), "--check")
    assert code == 1
    assert "changed:" in out and "run: qevcontract contracts build" in err


SIZE_ROW = "| `size` | `integer` | Yes | How big. Metadata: minimum = 1. |"


def test_build_stops_on_a_broken_table_naming_file_and_line(tmp_path: Path) -> None:
    page = tmp_path / "gizmos.md"
    page.write_text(PAGE.replace(SIZE_ROW, "| `size` | `integer` | Yes |"))
    code, _, err = run("contracts", "build", str(page), "--out", str(tmp_path / "out"))
    assert code == 2
    line = PAGE.splitlines().index(SIZE_ROW) + 1
    assert err.startswith(f"qevcontract: error: {page}:{line}: ")
    assert err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_build_warns_on_an_unreadable_construct_and_leaves_it_out(tmp_path: Path) -> None:
    page = tmp_path / "gizmos.md"
    page.write_text(PAGE.replace("| `size` | `integer` | Yes |", "| `size` | `integr` | Yes |"))
    out_dir = tmp_path / "out"
    code, _, err = run("contracts", "build", str(page), "--out", str(out_dir))
    assert code == 0, err
    line = PAGE.splitlines().index(SIZE_ROW) + 1
    assert f"warning: {page}:{line}: type `integr` of `size` is not defined" in err
    schema = json.loads((out_dir / "gizmos/com.example.gizmo.created.schema.json").read_text())
    size = schema["properties"]["data"]["properties"]["size"]
    # No type (the page's is unreadable); the readable minimum and Required still hold.
    assert "type" not in size and size["minimum"] == 1
    assert size["x-qev-unknown-type"] == "integr"
    assert "size" in schema["properties"]["data"]["required"]


def test_overrides_are_applied_listed_and_recorded(tmp_path: Path) -> None:
    page = tmp_path / "gizmos.md"
    page.write_text(PAGE)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "overrides.yaml").write_text(
        "overrides:\n"
        "  - type: com.example.gizmo.created\n"
        "    pointer: /properties/data/properties/size/maximum\n"
        "    op: set\n"
        "    value: 10\n"
        "    reason: production caps gizmos at 10\n"
    )
    code, _, err = run("contracts", "build", str(page), "--out", str(out_dir))
    assert code == 0
    assert "override applied: com.example.gizmo.created set" in err
    schema = json.loads((out_dir / "gizmos/com.example.gizmo.created.schema.json").read_text())
    assert schema["properties"]["data"]["properties"]["size"]["maximum"] == 10
    assert schema["x-qev-overrides"] == [
        {
            "op": "set",
            "pointer": "/properties/data/properties/size/maximum",
            "reason": "production caps gizmos at 10",
        }
    ]


def test_overrides_may_not_touch_examples(tmp_path: Path) -> None:
    page = tmp_path / "gizmos.md"
    page.write_text(PAGE)
    bad = tmp_path / "o.yaml"
    bad.write_text(
        "overrides:\n  - {type: com.example.gizmo.created, pointer: /examples/0/type, op: remove,"
        " reason: hide it}\n"
    )
    code, _, err = run(
        "contracts", "build", str(page), "--out", str(tmp_path / "o"), "--overrides", str(bad)
    )
    assert code == 2 and "may not change doc examples" in err


def copy_contracts(out_dir: Path) -> None:
    """The bundled set, without its overrides (they name bundled types a test page lacks)."""
    shutil.copytree(CONTRACTS, out_dir)
    (out_dir / "overrides.yaml").write_text("overrides: []\n")


def test_build_removes_contracts_whose_event_left_the_pages(tmp_path: Path) -> None:
    out_dir = tmp_path / "set"
    copy_contracts(out_dir)
    page = tmp_path / "gizmos.md"
    page.write_text(PAGE)
    code, out, _ = run("contracts", "build", str(page), "--out", str(out_dir))
    assert code == 0
    assert "removed: apps/com.qlik.app.created.schema.json" in out
    assert not (out_dir / "apps/com.qlik.app.created.schema.json").exists()
    assert (out_dir / "overrides.yaml").exists()  # not generated: left alone


def test_missing_page_is_a_usage_error() -> None:
    code, _, err = run("contracts", "build", "nope.md", "--out", "x")
    assert code == 2 and "nope.md: no such file or directory" in err


def test_building_from_a_folder_without_pages_is_an_error_and_removes_nothing(
    tmp_path: Path,
) -> None:
    out_dir = tmp_path / "set"
    copy_contracts(out_dir)
    empty = tmp_path / "pages"
    empty.mkdir()
    (empty / "README.md").write_text("# not a doc page\n")
    code, _, err = run("contracts", "build", str(empty), "--out", str(out_dir))
    assert code == 2 and "no doc pages found" in err
    assert (out_dir / "apps/com.qlik.app.created.schema.json").exists()


# --- only generated files are removed (item: build --out deletes foreign schemas) -----------


def test_build_leaves_schema_files_it_did_not_generate(tmp_path: Path) -> None:
    out_dir = tmp_path / "repo"
    copy_contracts(out_dir)
    foreign = {
        "docs/schemas/report.schema.json": {"$id": "https://qevcontract.invalid/docs/r.json"},
        "mine/my-own.schema.json": {"type": "object"},
        "broken.schema.json": None,  # not even JSON
    }
    for rel, doc in foreign.items():
        (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / rel).write_text("{" if doc is None else json.dumps(doc))
    page = tmp_path / "gizmos.md"
    page.write_text(PAGE)
    code, out, err = run("contracts", "build", str(page), "--out", str(out_dir))
    assert code == 0, err
    assert "removed: apps/com.qlik.app.created.schema.json" in out  # listed in catalog.json
    for rel in foreign:
        assert (out_dir / rel).exists(), rel
        assert rel not in out


def test_build_removes_unlisted_files_only_when_their_id_says_they_are_generated_here(
    tmp_path: Path,
) -> None:
    out_dir = tmp_path / "set"
    copy_contracts(out_dir)
    (out_dir / "catalog.json").unlink()  # no catalog: the $id is the only evidence
    nested = out_dir / "vendored"  # a whole contract set one level down is not ours
    shutil.copytree(CONTRACTS / "apps", nested / "apps")
    page = tmp_path / "gizmos.md"
    page.write_text(PAGE)
    code, out, err = run("contracts", "build", str(page), "--out", str(out_dir))
    assert code == 0, err
    assert "removed: apps/com.qlik.app.created.schema.json" in out
    assert (nested / "apps/com.qlik.app.created.schema.json").exists()
    assert "vendored" not in out


def test_check_does_not_report_foreign_schema_files_as_extra(tmp_path: Path) -> None:
    page = tmp_path / "gizmos.md"
    page.write_text(PAGE)
    out_dir = tmp_path / "out"
    assert run("contracts", "build", str(page), "--out", str(out_dir))[0] == 0
    (out_dir / "mine").mkdir()
    (out_dir / "mine/my-own.schema.json").write_text("{}")
    code, out, err = run("contracts", "build", str(page), "--out", str(out_dir), "--check")
    assert code == 0, out + err


# --- unwritable output ----------------------------------------------------------------------


def test_unwritable_output_is_a_one_line_usage_error(tmp_path: Path) -> None:
    page = tmp_path / "gizmos.md"
    page.write_text(PAGE)
    code, out, err = run("contracts", "build", str(page), "--out", "/proc/qevcontract-x")
    assert code == 2, out + err
    assert err.startswith("qevcontract: error: /proc/qevcontract-x: cannot write contracts")
    assert err.count("\n") == 1 and "Traceback" not in err


# --- skipped files are reported --------------------------------------------------------------


def test_build_reports_the_readme_it_skips(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "gizmos.md").write_text(PAGE)
    (pages / "README.md").write_text("# about these pages\n")
    code, out, err = run("contracts", "build", str(pages), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert f"skipped: {pages / 'README.md'} (not a doc page)" in err.splitlines()
    assert "README" not in out


def test_an_edited_catalogue_cannot_make_the_build_remove_other_files(tmp_path: Path) -> None:
    out_dir = tmp_path / "set"
    out_dir.mkdir()
    outside = tmp_path / "outside.schema.json"
    outside.write_text("{}")
    (out_dir / "overrides.yaml").write_text("overrides: []\n")
    (out_dir / "catalog.json").write_text(
        json.dumps(
            {
                "events": [{"file": "../outside.schema.json"}, {"file": "overrides.yaml"}],
                "envelopes": [str(outside)],
            }
        )
    )
    page = tmp_path / "gizmos.md"
    page.write_text(PAGE)
    code, out, err = run("contracts", "build", str(page), "--out", str(out_dir))
    assert code == 0, err
    assert "removed" not in out
    assert outside.exists() and (out_dir / "overrides.yaml").exists()
