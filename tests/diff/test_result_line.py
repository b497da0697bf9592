"""The diff summary line names only the sides that break."""

from __future__ import annotations

from pathlib import Path


def test_the_result_line_names_only_the_sides_that_break(tmp_path: Path) -> None:
    """A change that breaks producers only must not read 'BREAKING for producers and consumers'."""
    import json as _json
    import shutil

    from click.testing import CliRunner

    from qevcontract._cli.diff_cmd import diff

    repo = Path(__file__).resolve().parents[2]
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(repo / "contracts", old)
    shutil.copytree(repo / "contracts", new)
    f = new / "tasks/com.qlik.scheduling.task.created.schema.json"
    schema = _json.loads(f.read_text())
    schema["properties"]["data"]["properties"]["status"]["enum"].remove("aborted")
    f.write_text(_json.dumps(schema))
    r = CliRunner().invoke(diff, [str(old), str(new)])
    assert r.exit_code == 1
    last = r.stdout.strip().splitlines()[-1]
    assert last.endswith("Result: BREAKING for producers."), last
