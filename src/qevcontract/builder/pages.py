"""Reading doc pages from disk and choosing the parser for each.

Each page format has a parser module with `sniff(text)` and `parse(text, path)`; this module
only reads files and dispatches, so adding a format means adding one parser module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

from .model import DocPage, PageError


class PageReadError(Exception):
    """A doc page path that cannot be read or whose format is not recognised."""


def _parsers() -> list[tuple[str, ModuleType]]:
    from . import changelog_page, flat_text_page, markdown_page

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


def parse_page(path: Path, *, fmt: str | None = None) -> DocPage:
    """Parse one page, sniffing its format unless `fmt` names it."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PageReadError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise PageReadError(f"{path}: cannot read ({exc.strerror})") from None
    for name, module in _parsers():
        if (fmt is None and module.sniff(text)) or fmt == name:
            page: DocPage = module.parse(text, str(path))
            return page
    raise PageReadError(
        f"{path}: not a recognised doc page format (expected one of: {', '.join(FORMATS)})"
    )


def parse_pages(paths: Sequence[str | Path]) -> list[DocPage]:
    """Parse every page; the first uninterpretable line stops the build (PageError).

    No page at all is an error too: building from nothing would remove every contract.
    """
    files = expand_page_paths(paths)
    if not files:
        raise PageReadError(
            f"no doc pages found in {', '.join(str(p) for p in paths)} "
            "(README.md and hidden files are skipped)"
        )
    return [parse_page(p) for p in files]


__all__ = [
    "FORMATS",
    "PageError",
    "PageReadError",
    "expand_page_paths",
    "parse_page",
    "parse_pages",
    "skipped_page_files",
]
