"""`qevcontract check` and `qevcontract rules` through click: exit codes, formats, errors."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qevcontract._cli.check_cmd import FAIL_ON, OUTPUT_FORMATS, check, rules
from qevcontract.builder._pages import parse_pages
from qevcontract.check._context import CheckContext
from qevcontract.check._findings import FAIL_ON_CHOICES
from qevcontract.check._report import FORMATS, Where
from qevcontract.check._report.text import render as render_text
from qevcontract.check._runner import run_check

from .conftest import TYPE, event, good_example, markdown_page, write_set

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def quirky(tmp_path: Path) -> Path:
    """A set whose only error is a wrong example type; also a relative source (info)."""
    root = tmp_path / "contracts"
    write_set(root, [event(examples=[good_example(TYPE, {"name": "w"}, type="x.y.z",
                                                  source="com.example/w")])])  # fmt: skip
    return root


@pytest.fixture()
def clean(tmp_path: Path) -> Path:
    root = tmp_path / "clean"
    write_set(root, [event()])
    return root


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(check, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_exit_1_on_an_error_finding_and_0_on_a_clean_set(quirky: Path, clean: Path) -> None:
    code, out, _ = invoke("--contracts", str(quirky))
    assert code == 1
    assert f"error QEV301 example-type-mismatch  {TYPE} /examples/0/type: the example" in out
    code, out, _ = invoke("--contracts", str(clean))
    assert code == 0, out
    assert out.strip().endswith("nothing at or above error")


@pytest.mark.parametrize(("fail_on", "expected"), [("never", 0), ("error", 1), ("info", 1)])
def test_fail_on_sets_the_threshold(quirky: Path, fail_on: str, expected: int) -> None:
    assert invoke("--contracts", str(quirky), "--fail-on", fail_on)[0] == expected


def test_fail_on_info_fails_a_set_that_only_has_infos(tmp_path: Path) -> None:
    root = tmp_path / "c"
    write_set(root, [event(examples=[good_example(TYPE, {"name": "w"}, source="a/b")])])
    assert invoke("--contracts", str(root))[0] == 0
    assert invoke("--contracts", str(root), "--fail-on", "info")[0] == 1


def test_json_format_is_the_documented_object(quirky: Path) -> None:
    code, out, _ = invoke("--contracts", str(quirky), "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["version"] == "2.0"
    assert {"QEV301", "QEV407"} <= set(doc["summary"]["by_rule"])
    # infos are hidden from the text report only: json lists them
    assert "QEV407" in {f["rule"] for f in doc["findings"]}


def test_sarif_and_github_formats(quirky: Path) -> None:
    code, out, _ = invoke("--contracts", str(quirky), "--format", "sarif")
    assert code == 1 and json.loads(out)["version"] == "2.1.0"
    code, out, _ = invoke("--contracts", str(quirky), "--format", "github")
    assert code == 1 and out.startswith("::")


def test_write_baseline_then_baseline_passes_until_a_new_quirk(
    quirky: Path, tmp_path: Path
) -> None:
    baseline = tmp_path / "baseline.json"
    code, out, err = invoke("--contracts", str(quirky), "--write-baseline", str(baseline))
    assert code == 0 and out == "" and "wrote" in err
    code, out, _ = invoke("--contracts", str(quirky), "--baseline", str(baseline))
    assert code == 0
    assert "baselined" in out
    # a second event with a wrong type is new
    write_set(quirky, [
        event(examples=[good_example(TYPE, {"name": "w"}, type="x.y.z", source="com.example/w")]),
        event("com.example.widget.gone",
              examples=[good_example("com.example.widget.gone", {"name": "w"}, type="q")]),
    ])  # fmt: skip
    code, out, _ = invoke("--contracts", str(quirky), "--baseline", str(baseline))
    assert code == 1
    assert "com.example.widget.gone /examples/0/type" in out
    assert f"{TYPE} /examples/0/type" not in out


def test_docs_pages_add_page_lines(quirky: Path, tmp_path: Path) -> None:
    page = tmp_path / "widgets.md"
    page.write_text(markdown_page([(TYPE, "")]))
    extra = tmp_path / "more.md"
    extra.write_text(markdown_page([("com.example.widget.gone", "")], title="More"))
    code, out, _ = invoke("--contracts", str(quirky), "--docs", str(page), str(extra))
    assert code == 1
    # the finding is listed under its page (as given), at the page line of its example
    assert str(page) in out.splitlines()
    assert re.search(rf"error QEV301 example-type-mismatch  :\d+ {re.escape(TYPE)}: ", out)


def test_infos_are_counted_but_listed_only_with_show_info(quirky: Path, tmp_path: Path) -> None:
    _, out, _ = invoke("--contracts", str(quirky))
    assert "QEV407 ×1" in out and "info hidden" in out  # counted in the summary
    assert "QEV407 source-not-absolute" not in out  # not listed
    _, out, _ = invoke("--contracts", str(quirky), "--show", "info")
    assert "QEV407 source-not-absolute" in out and "hidden" not in out
    config = tmp_path / "c.yaml"
    config.write_text("check:\n  show: info\n")
    _, out, _ = invoke("--contracts", str(quirky), "--config", str(config))
    assert "QEV407 source-not-absolute" in out
    _, out, _ = invoke("--contracts", str(quirky), "--show", "error", "--format", "github")
    assert "::error " in out and "::notice" not in out


def test_colour_on_a_terminal_never_with_no_color_or_no_color_flag(quirky: Path) -> None:
    def run(args: list[str], *, tty: bool, env: dict[str, str] | None = None) -> str:
        result = CliRunner().invoke(
            check, ["--contracts", str(quirky), *args], color=tty, env=env or {}
        )
        return result.stdout

    assert "\x1b[" in run([], tty=True)
    assert "\x1b[" not in run([], tty=False)
    assert "\x1b[" not in run([], tty=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in run(["--no-color"], tty=True)
    assert "\x1b[" in run(["--color"], tty=False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--contracts", "{missing}"], "contract directory not found"),
        (["--docs", "{missing}"], "no such file or directory"),
        (["stray.md"], "pass doc pages with --docs"),
        (["--baseline", "a.json", "--write-baseline", "b.json"], "not both"),
        (["--baseline", "{missing}"], "baseline not found"),
        (["--config", "{missing}"], "config file not found"),
    ],
)
def test_usage_and_input_errors_exit_2_with_one_line(
    clean: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    filled = [a.replace("{missing}", str(tmp_path / "nope")) for a in args]
    if "--contracts" not in filled:
        filled = ["--contracts", str(clean), *filled]
    code, _out, err = invoke(*filled)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_unparseable_docs_page_exits_2(clean: Path, tmp_path: Path) -> None:
    page = tmp_path / "broken.md"
    page.write_text("---\nsource: x\n---\n\nno title here\n")
    code, _, err = invoke("--contracts", str(clean), "--docs", str(page))
    assert code == 2 and "broken.md" in err


def test_bad_config_above_the_working_directory_exits_2(
    clean: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    (work / ".git").mkdir(parents=True)
    (work / ".qevcontract.yaml").write_text("check:\n  severity:\n    QEV999: error\n")
    (work / "sub").mkdir()
    monkeypatch.chdir(work / "sub")
    code, _, err = invoke("--contracts", str(clean))
    assert code == 2 and "QEV999" in err


def test_rules_lists_shows_one_and_refuses_unknown() -> None:
    runner = CliRunner()
    listing = runner.invoke(rules, [])
    assert listing.exit_code == 0 and "QEV301" in listing.stdout and "QEV710" in listing.stdout
    one = runner.invoke(rules, ["example-type-mismatch"])
    assert one.exit_code == 0 and one.stdout.startswith("QEV301 example-type-mismatch")
    as_json = json.loads(runner.invoke(rules, ["--format", "json"]).stdout)
    assert {r["code"] for r in as_json} >= {"QEV201", "QEV301", "QEV611"}
    unknown = runner.invoke(rules, ["QEV999"])
    assert unknown.exit_code == 2 and "no rule 'QEV999'" in unknown.stderr


def test_committed_rules_page_is_up_to_date() -> None:
    result = CliRunner().invoke(rules, ["--format", "markdown"])
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert result.stdout == committed, (
        "docs/rules.md is stale: run qevcontract rules --format markdown > docs/rules.md"
    )


def test_cli_choices_match_the_checker() -> None:
    assert tuple(OUTPUT_FORMATS) == tuple(FORMATS)
    assert tuple(FAIL_ON) == tuple(FAIL_ON_CHOICES)


def test_importing_the_command_loads_no_checker_and_no_heavy_module() -> None:
    code = (
        "import sys, qevcontract._cli.check_cmd\n"
        "heavy = [m for m in ('qevcontract.check', 'jsonschema', 'jsonschema_rs', 'yaml',"
        " 'hypothesis', 'referencing') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""


def test_context_and_findings_pickle(quirky: Path) -> None:
    from qevcontract.contracts import load

    catalog = load(quirky)
    report = run_check(catalog)
    assert pickle.loads(pickle.dumps(report.findings)) == report.findings
    ctx = CheckContext(catalog)
    ctx.nodes()
    clone = pickle.loads(pickle.dumps(ctx))
    assert [n.pointer for n in clone.nodes()] == [n.pointer for n in ctx.nodes()]


def test_doc_lines_come_from_the_given_page_a_type_was_also_built_from(tmp_path: Path) -> None:
    """A type documented on two same-named pages names both (`qlik-pages/widgets.md`, then
    `seeds/widgets.md`, and maybe a changelog); `--docs seeds` locates it on the seeds page,
    at its reference section rather than at the changelog line that only names it."""
    contract = event(examples=[good_example(TYPE, {"name": "w"}, type="x.y.z")])
    contract["x-qev-provenance"] = [
        {"page": "qlik-pages/widgets.md", "line": 1, "format": "markdown"},
        {"page": "changes.txt", "line": 1, "format": "changelog"},
        {"page": "seeds/widgets.md", "line": 1, "format": "markdown"},
    ]
    catalog = write_set(tmp_path / "contracts", [contract])
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "widgets.md").write_text(markdown_page([(TYPE, "")]))
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "widgets.md").write_text(markdown_page([(TYPE, "")]))
    report = run_check(catalog, parse_pages([seeds]))
    wrong = next(f for f in report.findings if f.rule == "QEV301")
    assert wrong.doc is not None and wrong.doc.startswith(str(seeds / "widgets.md:"))
    assert int(wrong.doc.rsplit(":", 1)[1]) > 1  # the example's line, not line 1
    assert report.outside == 0
    # --docs asks about the pages given: a contract built from none of them is counted,
    # not reported (the page of the same name elsewhere is not the page it was built from)
    elsewhere = run_check(catalog, parse_pages([tmp_path / "elsewhere"]))
    assert not [f for f in elsewhere.findings if f.rule == "QEV301"]
    assert elsewhere.outside >= 1 and elsewhere.outside_contracts == 1
    assert "built from other pages not reported" in render_text(elsewhere, Where(catalog.root))


def test_every_rule_says_why_it_has_its_severity() -> None:
    """docs/rules.md prints the reason; issue 15 asks for one per rule."""
    from qevcontract.check import all_rules

    assert [r.code for r in all_rules() if not r.why.strip()] == []


def test_a_changelog_locates_only_the_types_no_reference_page_documents(tmp_path: Path) -> None:
    """The seed changelog names events that newer reference pages document: findings about
    their payload belong to those pages, not to the changelog line that names them."""
    documented = event(examples=[good_example(TYPE, {"name": "w"}, type="x.y.z")])
    documented["x-qev-provenance"] = [
        {"page": "qlik-pages/widgets.md", "line": 1, "format": "markdown"},
        {"page": "changes.txt", "line": 5, "format": "changelog"},
    ]
    named = event("com.example.widget.gone", payload_documented=False)
    named["x-qev-provenance"] = [{"page": "changes.txt", "line": 5, "format": "changelog"}]
    catalog = write_set(tmp_path / "contracts", [documented, named])
    changelog = tmp_path / "changes.txt"
    changelog.write_text(
        "New widget events\nNew event types\nWidgets\n"
        f"{TYPE}: a widget was created\ncom.example.widget.gone: a widget went\n"
    )
    report = run_check(catalog, parse_pages([changelog]))
    assert {f.event_type for f in report.findings} == {"com.example.widget.gone"}
    assert report.outside_contracts == 1
