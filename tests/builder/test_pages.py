"""Reading page files: what is skipped is reported, and line numbering is shared."""

from __future__ import annotations

from pathlib import Path

from qevcontract.builder import _changelog_page as changelog_page
from qevcontract.builder import _flat_text_page as flat_text_page
from qevcontract.builder import _model as model
from qevcontract.builder._pages import expand_page_paths, skipped_page_files


def test_skipped_files_are_returned_not_printed(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a.md").write_text("x")
    (tmp_path / "README.md").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "readme.MD").write_text("x")
    assert expand_page_paths([tmp_path]) == [tmp_path / "a.md"]
    assert skipped_page_files([tmp_path, tmp_path / "sub"]) == [
        (tmp_path / "README.md", "not a doc page"),
        (tmp_path / "sub" / "readme.MD", "not a doc page"),
    ]
    assert capsys.readouterr() == ("", "")


def test_a_readme_named_explicitly_is_read_as_a_page(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("x")
    assert expand_page_paths([readme]) == [readme]
    assert skipped_page_files([readme]) == []


def test_one_line_splitter_serves_both_text_parsers() -> None:
    assert not hasattr(changelog_page, "_numbered_lines")
    assert not hasattr(flat_text_page, "_numbered_lines")
    assert model.numbered_lines("a\r\n\n  b \u2028c\n") == [(1, "a"), (3, "b \u2028c")]
