"""Everything a rule reads: the contract set, optionally the parsed doc pages, and caches.

One `CheckContext` per run. Expensive derived facts (example validation, the walked
property trees) are computed on first use and cached on the instance, never globally; the
context pickles as its catalogue and pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._errors import first_line
from ._findings import Hit
from ._schemawalk import Contract, Node, walk

if TYPE_CHECKING:
    from ..builder._model import DocPage, EventDoc
    from ..contracts import Catalog
    from ..validate._results import Violation


def _hit(
    contract: Contract, pointer: str, message: str, hint: str, key: str, *, page_wide: bool
) -> Hit:
    """A hit in a contract; a page-wide one (about the page's `$defs`, shared by every event
    type on it) has no event type and is keyed by the domain, so it is reported once."""
    if page_wide:
        key = f"domain:{contract.domain}" + (f"|{key}" if key else "")
    return Hit(
        location=pointer,
        message=message,
        hint=hint,
        event_type=None if page_wide else contract.type,
        file=contract.file,
        key=key,
    )


class CheckContext:
    """The inputs of one check run."""

    def __init__(self, catalog: Catalog, pages: Sequence[DocPage] | None = None) -> None:
        self.catalog = catalog
        self.pages: tuple[DocPage, ...] = tuple(pages or ())
        self._contracts: list[Contract] | None = None
        self._broken: list[tuple[str, str, str]] = []
        self._nodes: list[Node] | None = None
        self._violations: dict[str, list[list[Violation]]] = {}
        self._unusable: dict[str, str] = {}
        self._page_lines: dict[str, list[str]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"catalog": self.catalog, "pages": self.pages}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["catalog"], state["pages"])  # type: ignore[misc]

    @property
    def has_docs(self) -> bool:
        return bool(self.pages)

    # ------------------------------------------------------------------ contracts

    def contracts(self) -> list[Contract]:
        """Every contract that could be read, sorted by event type."""
        if self._contracts is None:
            from ..contracts import ContractError

            out: list[Contract] = []
            for entry in self.catalog.entries:
                try:
                    schema = self.catalog.schema(entry.type)
                except ContractError as exc:
                    self._broken.append((entry.type, entry.file, str(exc)))
                    continue
                out.append(Contract(entry.type, entry.file, entry.domain, entry.channel, schema))
            self._contracts = out
        return self._contracts

    def broken(self) -> list[tuple[str, str, str]]:
        """(event type, file, why) for contracts that could not be read."""
        self.contracts()
        return list(self._broken)

    def groups(self) -> dict[str, list[Contract]]:
        """Contracts by channel (or domain when the page names no channel)."""
        out: dict[str, list[Contract]] = {}
        for c in self.contracts():
            out.setdefault(c.group, []).append(c)
        return out

    def domains(self) -> dict[str, list[Contract]]:
        out: dict[str, list[Contract]] = {}
        for c in self.contracts():
            out.setdefault(c.domain, []).append(c)
        return out

    def nodes(self) -> list[Node]:
        """Every property node of every contract; each page's `$defs` walked once."""
        if self._nodes is None:
            out: list[Node] = []
            seen_defs: dict[str, list[Any]] = {}
            for c in self.contracts():
                defs = c.schema.get("$defs")
                walked = seen_defs.setdefault(c.domain, [])
                include_defs = isinstance(defs, dict) and bool(defs) and defs not in walked
                if include_defs:
                    walked.append(defs)
                out.extend(walk(c, include_defs=include_defs))
            self._nodes = out
        return self._nodes

    # ------------------------------------------------------------------- examples

    def example_violations(self, contract: Contract) -> list[list[Violation]]:
        """Per example, its violations against its OWN contract (not its `type`'s).

        A contract that cannot be compiled has no violations here; `unusable()` says why.
        """
        cached = self._violations.get(contract.type)
        if cached is None:
            from ..contracts import ContractError
            from ..validate._engines import SchemaRefError
            from ..validate._validator import Validator

            try:
                # Doc examples document CloudEvents 1.0 events: judge them as such, even
                # where they carry legacy-looking members (that is a quirk to report).
                validator = Validator(
                    self.catalog, force_type=contract.type, envelope="cloudevents"
                )
                # Errors only: a warning (a newline in `authclaims`, issue 14) does not make
                # an example contradict its contract.
                cached = [
                    [v for v in validator.iter_errors(example) if v.severity == "error"]
                    for example in contract.examples
                ]
            except (SchemaRefError, ContractError, ValueError) as exc:
                self._unusable[contract.type] = first_line(exc)
                cached = []
            self._violations[contract.type] = cached
        return cached

    def unusable(self) -> dict[str, str]:
        """Event type -> why its contract could not be compiled (after validating examples)."""
        for contract in self.contracts():
            self.example_violations(contract)
        return dict(self._unusable)

    # ---------------------------------------------------------------------- pages

    def page_lines(self, page: DocPage) -> list[str]:
        if page.path not in self._page_lines:
            try:
                text = Path(page.path).read_text(encoding="utf-8")
            except OSError:
                text = ""
            self._page_lines[page.path] = text.split("\n")
        return self._page_lines[page.path]

    def page_named(self, name: str) -> DocPage | None:
        """The given page a provenance entry names: its `name` (the builder writes
        `folder/file` when two given pages share a file name), else the page whose last path
        parts are the entry (`seeds/tasks.md` finds `../shared/seeds/tasks.md`)."""
        found = next((p for p in self.pages if p.name == name), None)
        if found is not None:
            return found
        wanted = Path(name).parts
        if not wanted:
            return None
        return next((p for p in self.pages if Path(p.path).parts[-len(wanted) :] == wanted), None)

    def source_page(self, contract: Contract) -> tuple[DocPage, EventDoc | None] | None:
        """The page a contract was built from and its event: the first provenance entry
        whose page was given (a type documented on two pages names both, the page it was
        built from first; `--docs` may hold either). A changelog, which only names the event,
        counts only for a type no reference page documents: the findings about a payload
        belong to the page that documents it, given or not."""
        entries = [p for p in contract.provenance if p.get("format") != "changelog"]
        for prov in entries or contract.provenance:
            page = self.page_named(str(prov.get("page", "")))
            if page is not None:
                event = next((e for e in page.events if e.type == contract.type), None)
                return page, event
        return None

    def files_outside_pages(self) -> frozenset[str]:
        """Contract files built from none of the given pages (none without pages; a contract
        that could not be read is never outside)."""
        if not self.pages:
            return frozenset()
        return frozenset(c.file for c in self.contracts() if self.source_page(c) is None)

    def doc_location(self, file: str | None, pointer: str) -> str | None:
        """`page:line` for a pointer into a contract, when the pages were given."""
        if not self.pages or file is None:
            return None
        contract = next((c for c in self.contracts() if c.file == file), None)
        if contract is None:
            return None
        found = self.source_page(contract)
        if found is None:
            return None
        page, event = found
        from ._doclocate import pointer_line

        line = pointer_line(page, event, pointer, self.page_lines(page))
        return f"{page.path}:{line}"

    # ---------------------------------------------------------------- hit helpers

    @staticmethod
    def node_hit(node: Node, message: str, hint: str = "", key: str = "") -> Hit:
        """A hit at a schema node; page-wide (`$defs`) nodes are keyed by their domain."""
        return _hit(node.contract, node.pointer, message, hint, key, page_wide=node.in_defs)

    @staticmethod
    def contract_hit(
        contract: Contract, pointer: str, message: str, hint: str = "", key: str = ""
    ) -> Hit:
        return _hit(contract, pointer, message, hint, key, page_wide=False)

    @staticmethod
    def page_wide_hit(
        contract: Contract, pointer: str, message: str, hint: str = "", key: str = ""
    ) -> Hit:
        """A hit about a page's shared schema, reported once per domain (no event type)."""
        return _hit(contract, pointer, message, hint, key, page_wide=True)

    def page_hit(
        self,
        page: DocPage,
        line: int,
        message: str,
        key: str,
        hint: str = "",
        event_type: str | None = None,
    ) -> Hit:
        """A hit only a doc page can show: located `page:line`, fingerprinted by `key`.

        The location names the page by file name (as contract provenance does), so it never
        looks like a JSON pointer; `file` and `doc` keep the path as given, for annotations.
        """
        name = Path(page.path).name
        return Hit(
            location=f"{name}:{line}",
            message=message,
            hint=hint,
            event_type=event_type,
            file=page.path,
            doc=f"{page.path}:{line}",
            key=f"{name}|{key}",
        )
