"""Reading doc pages from disk and choosing the parser for each.

Each page format has a parser module with `sniff(text)` and `parse(text, path)`; this module
only reads files and dispatches, so adding a format means adding one parser module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

from ._model import DocPage, PageError


class PageReadError(Exception):
    """A doc page path that cannot be read or whose format is not recognised."""


def _parsers() -> list[tuple[str, ModuleType]]:
    from . import _changelog_page as changelog_page
    from . import _flat_text_page as flat_text_page
    from . import _markdown_page as markdown_page

    # Most specific first: the changelog format is the loosest.
    return [
        ("markdown", markdown_page),
        ("flat-text", flat_text_page),
        ("changelog", changelog_page),
    ]


FORMATS = ("markdown", "flat-text", "changelog")


def _directory_files(directory: Path) -> list[Path]:
    """A directory's regular, non-hidden files (editor and OS leftovers skipped), sorted."""
    return sorted(c for c in directory.iterdir() if c.is_file() and not c.name.startswith("."))


def _is_readme(path: Path) -> bool:
    """A README explains its folder (the seeds folder has one); it is not a doc page."""
    return path.name.lower() == "readme.md"


def expand_page_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; directories contribute their regular, non-hidden files, sorted,
    except a README.md (see `skipped_page_files`). A file named directly is always read."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(c for c in _directory_files(p) if not _is_readme(c))
        elif p.is_file():
            out.append(p)
        else:
            raise PageReadError(f"{p}: no such file or directory")
    return out


def _sniffed(text: str) -> ModuleType | None:
    return next((module for _, module in _parsers() if module.sniff(text)), None)


def skipped_page_files(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """(file, reason) for every README that `expand_page_paths` left out of a directory.

    Reported so that a page saved under that name does not vanish from a build without a
    word; hidden files are skipped silently. Callers decide how to tell the user: this
    function prints nothing.
    """
    return [
        (child, "not a doc page")
        for raw in paths
        if Path(raw).is_dir()
        for child in _directory_files(Path(raw))
        if _is_readme(child)
    ]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PageReadError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise PageReadError(f"{path}: cannot read ({exc.strerror})") from None


def parse_page(path: Path, *, fmt: str | None = None, text: str | None = None) -> DocPage:
    """Parse one page, sniffing its format unless `fmt` names it."""
    if text is None:
        text = _read(path)
    for name, module in _parsers():
        if (fmt is None and module.sniff(text)) or fmt == name:
            page: DocPage = module.parse(text, str(path))
            return page
    raise PageReadError(
        f"{path}: not a recognised doc page format (expected one of: {', '.join(FORMATS)})"
    )


def read_pages(paths: Sequence[str | Path]) -> tuple[list[DocPage], list[tuple[Path, str]]]:
    """Parse every page; return the pages and the files of the page folders left out.

    A file in a folder that no page format recognises (an overview page, a how-to) is left
    out with the reason, as a README is; a file named directly must be a doc page. The
    first structure that cannot be read stops the build (PageError); a construct that only
    cannot be read is a warning on its page (`DocPage.warnings`). No page at all is an
    error too: building from nothing would remove every contract.
    """
    skipped = skipped_page_files(paths)
    named = {Path(p) for p in paths if Path(p).is_file()}
    pages: list[DocPage] = []
    for file in expand_page_paths(paths):
        text = _read(file)
        if file not in named and _sniffed(text) is None:
            skipped.append((file, "not an event reference page"))
            continue
        pages.append(parse_page(file, text=text))
    if not pages:
        raise PageReadError(
            f"no doc pages found in {', '.join(str(p) for p in paths)} "
            "(README.md and hidden files are skipped)"
        )
    _name_pages(pages)
    return pages, skipped


def parse_pages(paths: Sequence[str | Path]) -> list[DocPage]:
    """The pages of `read_pages`, without the list of skipped files."""
    return read_pages(paths)[0]


def _name_pages(pages: list[DocPage]) -> None:
    """Pages are named by file name; two pages with one file name (a seed page and its
    newer capture in another folder) are named `folder/file` so that provenance tells
    them apart."""
    counts: dict[str, int] = {}
    for page in pages:
        counts[page.name] = counts.get(page.name, 0) + 1
    for page in pages:
        if counts[page.name] > 1:
            parts = page.path.replace("\\", "/").rsplit("/", 2)
            page.name = "/".join(parts[-2:])


__all__ = [
    "FORMATS",
    "PageError",
    "PageReadError",
    "expand_page_paths",
    "parse_page",
    "parse_pages",
    "read_pages",
    "skipped_page_files",
]
