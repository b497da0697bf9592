"""Compare two contract sets type by type: name the changes, then decide who breaks.

For each event type in both sets the structural walk names every change; the verdict for
each side comes from the strongest evidence available:

1. the oracle on the whole contract (`old - new` for producers, `new - old` for consumers);
2. when it cannot decide, the oracle on each changed subschema: all "no" proves "no", since
   those subschemas sit under monotone keywords only;
3. a witness event, validated both ways, proves a break on its own;
4. otherwise the structural rules decide, and the report says so.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._pointer import join
from ..contracts import Catalog, ContractError
from ._deref import DerefError, Inlined, inline
from ._model import Basis, Change, DiffOptions, DiffReport, Impact, Side, SideVerdict, TypeDiff
from ._nodes import same
from ._oracle import Answer, Difference, Prepared, difference, prepare
from ._structural import Patch, Site, walk
from ._witness import (
    Judge,
    JudgeError,
    Registries,
    Search,
    Witness,
    find_witness,
    valid_event,
)


class DiffError(Exception):
    """Two contract sets that cannot be compared (unreadable, or a `$ref` outside the set)."""


def diff_catalogs(
    old: Catalog,
    new: Catalog,
    options: DiffOptions | None = None,
    *,
    old_label: str | None = None,
    new_label: str | None = None,
) -> DiffReport:
    """Every change between two contract sets, classified by whom it breaks."""
    options = options or DiffOptions()
    try:
        old_set, new_set = _ContractSet(old), _ContractSet(new)
        old_types, new_types = set(old.types), set(new.types)
        removed = sorted(old_types - new_types)
        added = sorted(new_types - old_types)
        diffs: list[TypeDiff] = []
        for t in removed:
            diffs.append(_removed(old_set, t, _renamed_to(t, added), options))
        for t in added:
            diffs.append(_added(new_set, t, _renamed_to(t, removed)))
        unchanged = 0
        for t in sorted(old_types & new_types):
            result = _TypeComparison(old_set, new_set, t, options).run()
            if result is None:
                unchanged += 1
            else:
                diffs.append(result)
    except (ContractError, DerefError) as exc:
        raise DiffError(str(exc)) from None
    diffs.sort(key=lambda d: d.type)
    return DiffReport(
        old_label=old_label or str(old.root),
        new_label=new_label or str(new.root),
        types=tuple(diffs),
        unchanged=unchanged,
        options=options,
    )


class _ContractSet:
    """A catalogue with its schemas by `$id` and each `$id`'s file."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.resources = catalog.resources()
        self.files = {e.id: e.file for e in catalog.entries}
        for rel in catalog.envelope_files:
            doc = catalog.envelope(rel)
            if isinstance(doc, dict) and isinstance(doc.get("$id"), str):
                self.files[doc["$id"]] = rel
        self.registries = Registries(catalog)
        self._judges: dict[str, Judge] = {}

    def uri(self, event_type: str) -> str:
        return self.catalog.entry(event_type).id

    def inline(self, event_type: str) -> Inlined:
        registry = self.catalog.registry()  # the set's one offline registry
        return inline(self.resources, self.uri(event_type), self.files, registry=registry)

    def judge(self, event_type: str) -> Judge:
        if event_type not in self._judges:
            self._judges[event_type] = Judge(self.resources[self.uri(event_type)], self.registries)
        return self._judges[event_type]

    def examples(self, event_type: str) -> list[Any]:
        return self.catalog.examples(event_type)


def _renamed_to(event_type: str, others: list[str]) -> str | None:
    close = difflib.get_close_matches(event_type, others, n=1, cutoff=0.85)
    return close[0] if close else None


def _removed(
    old: _ContractSet, event_type: str, renamed: str | None, options: DiffOptions
) -> TypeDiff:
    entry = old.catalog.entry(event_type)
    hint = f"; perhaps renamed to {renamed}" if renamed else ""
    witness = None
    if options.witnesses:
        schema = old.inline(event_type).root
        try:
            witness = valid_event(old.judge(event_type), schema, old.examples(event_type))
        except JudgeError:
            witness = None  # the old contract does not compile: nothing to show
    change = Change(
        kind="event-type-removed",
        impact=Impact.PRODUCER,
        file=entry.file,
        pointer="",
        instance_path="/type",
        message=f"/type: {event_type} no longer has a contract{hint}",
        old=event_type,
    )
    return TypeDiff(
        type=event_type,
        status="removed",
        file=entry.file,
        producer=SideVerdict(
            True,
            Basis.EVENT_TYPE,
            "n/a",
            note=f"events of this type are rejected now{hint}",
            witness=witness,
            has_witness=witness is not None,
        ),
        consumer=SideVerdict(False, Basis.EVENT_TYPE, "n/a", note="it will no longer arrive"),
        changes=(change,),
    )


def _added(new: _ContractSet, event_type: str, renamed: str | None) -> TypeDiff:
    entry = new.catalog.entry(event_type)
    hint = f"; perhaps renamed from {renamed}" if renamed else ""
    change = Change(
        kind="event-type-added",
        impact=Impact.NONE,
        file=entry.file,
        pointer="",
        instance_path="/type",
        message=f"/type: {event_type} is new{hint}",
        new=event_type,
    )
    note = "consumers that do not subscribe to it never see it" + hint
    return TypeDiff(
        type=event_type,
        status="added",
        file=entry.file,
        producer=SideVerdict(False, Basis.EVENT_TYPE, "n/a"),
        consumer=SideVerdict(False, Basis.EVENT_TYPE, "n/a", note=note),
        changes=(change,),
    )


@dataclass(frozen=True)
class _Direction:
    side: Side
    accept_root: Any
    accept_canonical: Prepared
    reject_canonical: Prepared
    sites: list[Site]
    accept: Callable[[], list[Judge]]
    reject: Callable[[], list[Judge]]


class _TypeComparison:
    def __init__(
        self, old: _ContractSet, new: _ContractSet, event_type: str, options: DiffOptions
    ) -> None:
        self.old, self.new, self.type, self.options = old, new, event_type, options

    def run(self) -> TypeDiff | None:
        oi, ni = self.old.inline(self.type), self.new.inline(self.type)
        extra = self._event_changes() + self._definition_changes(oi, ni)
        same_refs = sorted(oi.refs.values()) == sorted(ni.refs.values())
        if same(oi.root, ni.root) and same_refs and not extra:
            return None
        strict = self.options.strict_open_content
        walked = walk(oi, ni, strict_open_content=strict, check_refs=not same_refs)
        changes = [*walked.changes, *extra]
        if not changes:
            return None  # only bookkeeping (provenance) differs
        new_prime = _patched(ni.root, walked.patches)
        if walked.patches:
            producer_sites = walk(oi, Inlined(new_prime), check_refs=False).sites
        else:
            producer_sites = walked.sites
        examples = self.old.examples(self.type) + self.new.examples(self.type)

        def new_judges() -> list[Judge]:
            judges = [self.new.judge(self.type)]
            return [Judge(new_prime), *judges] if walked.patches else judges

        old_c, new_c = prepare(oi.root), prepare(ni.root)
        new_prime_c = prepare(new_prime) if walked.patches else new_c
        producer = _Direction(
            Side.PRODUCER,
            oi.root,
            old_c,
            new_prime_c,
            producer_sites,
            lambda: [self.old.judge(self.type)],
            new_judges,
        )
        consumer = _Direction(
            Side.CONSUMER,
            ni.root,
            new_c,
            old_c,
            [Site(s.new, s.old, s.instance) for s in walked.sites],
            lambda: [self.new.judge(self.type)],
            lambda: [self.old.judge(self.type)],
        )
        entry = self.new.catalog.entry(self.type)
        return TypeDiff(
            type=self.type,
            status="changed",
            file=entry.file,
            producer=self._verdict(producer, changes, examples),
            consumer=self._verdict(consumer, changes, examples),
            changes=tuple(changes),
        )

    def _verdict(self, d: _Direction, changes: list[Change], examples: list[Any]) -> SideVerdict:
        claimed = any(c.impact.breaks(d.side) for c in changes)
        whole = difference(d.accept_canonical, d.reject_canonical)
        if whole.answer is Answer.NO:
            note = "the oracle proves no event is affected" if claimed else ""
            return SideVerdict(False, Basis.ORACLE, "no", note=note)
        locals_: dict[int, Difference] = {}

        def local(i: int) -> Difference:
            if i not in locals_:
                site = d.sites[i]
                locals_[i] = difference(site.old, site.new, containment=True)
            return locals_[i]

        if whole.answer is Answer.YES:
            witness = self._witness(d, whole, local, examples)
            return _breaking(Basis.ORACLE, "yes", witness, "")
        answers = [local(i).answer for i in range(len(d.sites))]
        if all(a is Answer.NO for a in answers):
            note = "decided per changed subschema: none admits what the other rejects"
            if claimed:
                note += "; the oracle proves no event is affected"
            return SideVerdict(False, Basis.LOCAL_ORACLE, "unknown", note=note)
        witness = self._witness(d, whole, local, examples)
        if witness is not None:
            return _breaking(Basis.WITNESS, "unknown", witness, "the oracle could not decide")
        reason = whole.reason or "the algebra could not decide"
        note = f"the oracle could not decide ({reason}); classified by the structural rules"
        return SideVerdict(claimed, Basis.STRUCTURAL, "unknown", note=note)

    def _witness(
        self,
        d: _Direction,
        whole: Difference,
        local: Callable[[int], Difference],
        examples: list[Any],
    ) -> Witness | None:
        if not self.options.witnesses:
            return None
        try:
            accept, reject = d.accept(), d.reject()
        except JudgeError:
            return None  # a contract the validators cannot compile: no event can show it
        search = Search(
            accept=accept,
            reject=reject,
            accept_schema=d.accept_root,
            difference=whole.schema,
            sites=d.sites,
            local=lambda i: local(i).schema if local(i).answer is not Answer.NO else None,
            examples=examples,
            budget=self.options.witness_budget,
        )
        return find_witness(search)

    def _event_changes(self) -> list[Change]:
        old, new = self.old.catalog.entry(self.type), self.new.catalog.entry(self.type)
        if old.deprecated == new.deprecated:
            return []
        code = "event-deprecated" if new.deprecated else "event-undeprecated"
        verb = "marked deprecated" if new.deprecated else "no longer deprecated"
        return [
            Change(
                kind=code,
                impact=Impact.NONE,
                file=new.file,
                pointer="/x-qev-event/deprecated",
                instance_path="",
                message=f"(event): {verb}",
                old=old.deprecated,
                new=new.deprecated,
            )
        ]

    def _definition_changes(self, oi: Inlined, ni: Inlined) -> list[Change]:
        """`$defs` entries that changed but that no `$ref` reaches: annotations in effect."""
        old_doc = self.old.resources[self.old.uri(self.type)]
        new_doc = self.new.resources[self.new.uri(self.type)]
        old_defs = old_doc.get("$defs", {}) if isinstance(old_doc, dict) else {}
        new_defs = new_doc.get("$defs", {}) if isinstance(new_doc, dict) else {}
        file = self.new.catalog.entry(self.type).file
        reached = {p for f, p in [*oi.origins.values(), *ni.origins.values()] if f == file}
        out = []
        for name in sorted(old_defs.keys() | new_defs.keys()):
            if same(old_defs.get(name), new_defs.get(name)):
                continue
            pointer = join("/$defs", name)
            if any(p == pointer or p.startswith(pointer + "/") for p in reached):
                continue  # referenced: the walk compares it where it is used
            out.append(
                Change(
                    kind="definition-changed",
                    impact=Impact.NONE,
                    file=file,
                    pointer=pointer,
                    instance_path="",
                    message=f"(event): unreferenced definition {name!r} changed",
                    old=old_defs.get(name),
                    new=new_defs.get(name),
                )
            )
        return out


def _breaking(basis: Basis, oracle: str, witness: Witness | None, note: str) -> SideVerdict:
    parts = [note] if note else []
    if witness is None:
        parts.append("no witness event found within the search budget")
    elif not witness.confirmed:
        parts.append("python-jsonschema does not confirm the witness (format support differs)")
    return SideVerdict(
        True,
        basis,
        oracle,
        note="; ".join(parts),
        witness=None if witness is None else witness.event,
        has_witness=witness is not None,
    )


def _patched(root: Any, patches: list[Patch]) -> Any:
    """The new contract without the optional properties newly declared in open objects."""
    if not patches:
        return root
    copy_root = copy.deepcopy(root)
    for patch in patches:
        node = copy_root
        for step in patch.new_path:
            node = node[step]
        props = node.get("properties", {})
        props.pop(patch.name, None)
    return copy_root
