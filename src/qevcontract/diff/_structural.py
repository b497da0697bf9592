"""The structural walk: old and new contract side by side, every change named and placed.

It walks the two inlined contracts in step (`properties` by name, composition branches by
content then position), names each change with a kind from `kinds.py` at its file and JSON
pointer, and works out whom it breaks in context: a change under `not` flips, one under
`oneOf` or `if` may break either side. It also collects, for the oracle,

- *sites*: the smallest subschemas that differ, reached only through monotone keywords
  (`properties`, `items`, `allOf`, ...), so that "no break at any site" proves "no break";
- *patches*: optional properties newly declared in open objects, which (unless strict open
  content is asked for) the producer verdict ignores.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ._deref import Inlined
from ._keywords import Finding, compare_leaves
from ._kinds import kind as kind_of
from ._model import Change, Impact
from ._nodes import (
    ABSENT,
    ROOT_BOOKKEEPING,
    Said,
    Segment,
    can_descend,
    effective_schema,
    esc,
    extend_loc,
    format_instance,
    is_annotation,
    mapping,
    matches,
    norm,
    open_for,
    pair_branches,
    said_about_names,
    same,
    schema_children,
    segment_for,
    sequence,
    trivial,
)


@dataclass(frozen=True)
class Site:
    """A smallest differing pair of subschemas in a monotone context."""

    old: Any
    new: Any
    instance: tuple[Segment, ...]


@dataclass(frozen=True)
class Patch:
    """An optional property declared anew in an open object of the new contract."""

    new_path: tuple[str | int, ...]  # path of the object node inside the inlined new contract
    name: str


@dataclass
class WalkResult:
    changes: list[Change] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    patches: list[Patch] = field(default_factory=list)


@dataclass(frozen=True)
class _Ctx:
    polarity: int  # 1 plain, -1 under `not`, 0 under `oneOf`/`if` (either way)
    instance: tuple[Segment, ...]
    old_path: tuple[str | int, ...]
    new_path: tuple[str | int, ...]
    old_loc: tuple[str, str]
    new_loc: tuple[str, str]
    sites_open: bool = True
    root: bool = False


def walk(
    old: Inlined, new: Inlined, *, strict_open_content: bool = False, check_refs: bool = True
) -> WalkResult:
    """Name every change between two inlined contracts.

    `check_refs=False` skips looking for retargeted `$ref`s inside equal subtrees (a full
    traversal), for when both contracts use the same `$ref`s anyway.
    """
    walker = _Walker(old, new, strict_open_content, check_refs)
    loc_old = old.origin(old.root) or ("", "")
    loc_new = new.origin(new.root) or ("", "")
    ctx = _Ctx(1, (), (), (), loc_old, loc_new, root=True)
    walker.node(old.root, new.root, ctx)
    return walker.result


class _Walker:
    def __init__(self, old: Inlined, new: Inlined, strict: bool, check_refs: bool) -> None:
        self.old = old
        self.new = new
        self.strict = strict
        self.check_refs = check_refs
        self._said: dict[tuple[Segment, ...], Said] | None = None
        self.result = WalkResult()

    # ----------------------------------------------------------------- placement

    def emit(
        self,
        code: str,
        ctx: _Ctx,
        suffix: str,
        message: str,
        old: Any = None,
        new: Any = None,
        *,
        impact: Impact | None = None,
        in_old: bool = False,
    ) -> None:
        base = kind_of(code).impact if impact is None else impact
        if ctx.polarity == -1:
            base = base.flipped()
        elif ctx.polarity == 0 and base is not Impact.NONE:
            base = Impact.BOTH
        file, pointer = ctx.old_loc if in_old else ctx.new_loc
        where = format_instance(ctx.instance) or "(event)"
        self.result.changes.append(
            Change(
                kind=code,
                impact=base,
                file=file,
                pointer=pointer + suffix,
                instance_path=format_instance(ctx.instance),
                message=f"{where}: {message}",
                old=old,
                new=new,
            )
        )

    def _site(self, ov: Any, nv: Any, ctx: _Ctx, segment: Segment) -> None:
        """A keyword one side leaves open: its two subschemas are the smallest difference."""
        o = {} if ov is None else norm(ov)
        n = {} if nv is None else norm(nv)
        self.result.sites.append(Site(o, n, (*ctx.instance, segment)))

    def _finding(self, f: Finding, ctx: _Ctx) -> None:
        self.emit(
            f.kind, ctx, f.keyword, f.message, f.old, f.new, impact=f.impact, in_old=f.removed
        )

    def _child(
        self,
        ctx: _Ctx,
        o: Any,
        n: Any,
        old_step: tuple[str | int, ...],
        new_step: tuple[str | int, ...],
        segment: Segment | None = None,
        *,
        polarity: int | None = None,
        sites_open: bool,
    ) -> _Ctx:
        pol = ctx.polarity if polarity is None else polarity
        old_loc = self.old.origin(o) or extend_loc(ctx.old_loc, old_step)
        new_loc = self.new.origin(n) or extend_loc(ctx.new_loc, new_step)
        return replace(
            ctx,
            polarity=pol,
            instance=ctx.instance if segment is None else (*ctx.instance, segment),
            old_path=(*ctx.old_path, *old_step),
            new_path=(*ctx.new_path, *new_step),
            old_loc=old_loc,
            new_loc=new_loc,
            sites_open=sites_open and pol == 1,
            root=False,
        )

    # ----------------------------------------------------------------- the walk

    def node(self, o_raw: Any, n_raw: Any, ctx: _Ctx) -> None:
        old_ref, new_ref = self.old.ref(o_raw), self.new.ref(n_raw)
        if old_ref != new_ref and (old_ref or new_ref):
            text = f"$ref {old_ref or '(inline)'} -> {new_ref or '(inline)'}; targets compared"
            self.emit("ref-target-changed", ctx, "", text, old_ref, new_ref)
        if same(o_raw, n_raw):
            self._retargeted_refs(o_raw, n_raw, ctx)
            return
        o, n = norm(o_raw), norm(n_raw)
        if o is False or n is False:
            if o is False and n is not False:
                self.emit(
                    "schema-became-true", ctx, "", "was `false`, now admits values", False, n_raw
                )
            elif n is False and o is not False:
                self.emit(
                    "schema-became-false", ctx, "", "now `false`: admits nothing", o_raw, False
                )
            if ctx.sites_open and o != n:
                self.result.sites.append(Site(o, n, ctx.instance))
            return
        self._annotations(o, n, ctx)
        differing = {
            k
            for k in o.keys() | n.keys()
            if not is_annotation(k)
            and not (ctx.root and k in ROOT_BOOKKEEPING)
            and not same(o.get(k, ABSENT), n.get(k, ABSENT))
        }
        if not differing:
            return
        descend = ctx.sites_open and can_descend(o, n, differing)
        if ctx.sites_open and not descend:
            self.result.sites.append(Site(o, n, ctx.instance))
        for finding in compare_leaves(o, n):
            self._finding(finding, ctx)
        self._properties(o, n, ctx, descend)
        self._additional(o, n, ctx, descend)
        self._pattern_properties(o, n, ctx, descend)
        self._named_subschemas(o, n, ctx, descend)
        self._arrays(o, n, ctx, descend)
        self._composition(o, n, ctx, descend)
        self._conditional(o, n, ctx)

    def _retargeted_refs(self, o: Any, n: Any, ctx: _Ctx) -> None:
        """Equal subtrees can still reach their parts through different `$ref`s: name those."""
        if not self.check_refs or not isinstance(o, dict):
            return
        for key, (o_child, n_child) in schema_children(o, n):
            step = key
            seg = segment_for(step)
            child = self._child(ctx, o_child, n_child, step, step, seg, sites_open=False)
            self.node(o_child, n_child, child)

    def _annotations(self, o: dict[str, Any], n: dict[str, Any], ctx: _Ctx) -> None:
        for key in sorted(o.keys() | n.keys()):
            if not is_annotation(key) or key == "$schema" or o.get(key) == n.get(key):
                continue
            if ctx.root and key == "x-qev-event":
                self._event_annotation(o.get(key), n.get(key), ctx)
                continue
            if ctx.root and key in ROOT_BOOKKEEPING:
                continue
            if key in ("description", "title"):
                code = "description-changed"
            elif key == "examples":
                code = "examples-changed"
            elif key == "default":
                code = "default-changed"
            elif key == "deprecated":
                code = "deprecated-changed"
            elif key.startswith("content"):
                code = "content-annotation-changed"
            else:
                code = "annotation-changed"
            verb = "added" if key not in o else "removed" if key not in n else "changed"
            self.emit(
                code,
                ctx,
                f"/{esc(key)}",
                f"{key} {verb}",
                o.get(key),
                n.get(key),
                in_old=key not in n,
            )

    def _event_annotation(self, old: Any, new: Any, ctx: _Ctx) -> None:
        """x-qev-event: deprecation is reported from the catalogue; the rest is annotation."""
        o = {k: v for k, v in (old or {}).items() if k != "deprecated"}
        n = {k: v for k, v in (new or {}).items() if k != "deprecated"}
        for key in sorted(o.keys() | n.keys()):
            if not same(o.get(key, ABSENT), n.get(key, ABSENT)):
                suffix = f"/x-qev-event/{esc(key)}"
                self.emit(
                    "annotation-changed",
                    ctx,
                    suffix,
                    f"event {key} changed",
                    o.get(key),
                    n.get(key),
                )

    def _old_says_something(self, instance: tuple[Segment, ...], name: str) -> bool:
        """Whether any part of the old contract constrains property `name` at `instance`:
        then a producer may rely on it, and declaring it anew is no longer free."""
        if self._said is None:
            self._said = said_about_names(self.old.root)
        said = self._said.get(instance)
        if said is None:
            return False
        if name in said.names or said.catch_all:
            return True
        return any(matches(p, name) for p in said.patterns)

    # ----------------------------------------------------------------- objects

    def _properties(self, o: dict[str, Any], n: dict[str, Any], ctx: _Ctx, descend: bool) -> None:
        op = mapping(o, "properties")
        np_ = mapping(n, "properties")
        if op == np_:
            return
        for name in sorted(op.keys() | np_.keys()):
            step = ("properties", name)
            seg = ("p", name)
            if name in op and name in np_:
                child = self._child(ctx, op[name], np_[name], step, step, seg, sites_open=descend)
                self.node(op[name], np_[name], child)
            elif name in np_:
                self._property_added(o, n, name, ctx, descend)
            else:
                self._property_removed(o, n, name, ctx, descend)

    def _property_added(
        self, o: dict[str, Any], n: dict[str, Any], name: str, ctx: _Ctx, descend: bool
    ) -> None:
        new_schema = n["properties"][name]
        before = effective_schema(o, name)
        step = ("properties", name)
        seg = ("p", name)
        suffix = f"/properties/{esc(name)}"
        if before is False:
            self.emit(
                "property-added-closed",
                ctx,
                suffix,
                f"{name!r} allowed (was forbidden)",
                None,
                name,
            )
        elif trivial(before):
            if trivial(new_schema):
                return
            # Lenient only for a name the old contract said nothing about anywhere: one it
            # required, or let a catch-all such as the envelope's constrain, was promised.
            said = self._old_says_something(ctx.instance, name)
            strict = self.strict or said
            impact = Impact.PRODUCER if strict else None
            note = (
                " (the old contract already constrained it)"
                if said
                else ""
                if strict
                else " (unknown fields were already allowed)"
            )
            self.emit(
                "property-added", ctx, suffix, f"{name!r} declared{note}", None, name, impact=impact
            )
            if not strict and ctx.polarity == 1 and open_for(n, name):
                self.result.patches.append(Patch(ctx.new_path, name))
        else:
            self.emit(
                "property-redeclared",
                ctx,
                suffix,
                f"{name!r} declared (was covered by a catch-all)",
                None,
                name,
            )
            child = self._child(ctx, before, new_schema, (), step, seg, sites_open=descend)
            self.node(before, new_schema, child)

    def _property_removed(
        self, o: dict[str, Any], n: dict[str, Any], name: str, ctx: _Ctx, descend: bool
    ) -> None:
        old_schema = o["properties"][name]
        after = effective_schema(n, name)
        step = ("properties", name)
        seg = ("p", name)
        suffix = f"/properties/{esc(name)}"
        if after is False:
            self.emit(
                "property-removed-closed",
                ctx,
                suffix,
                f"{name!r} removed and now forbidden",
                name,
                None,
                in_old=True,
            )
        elif trivial(after):
            if not trivial(old_schema):
                self.emit(
                    "property-removed",
                    ctx,
                    suffix,
                    f"{name!r} no longer declared: any value allowed",
                    name,
                    None,
                    in_old=True,
                )
        else:
            self.emit(
                "property-redeclared",
                ctx,
                suffix,
                f"{name!r} now covered by a catch-all",
                name,
                None,
                in_old=True,
            )
            child = self._child(ctx, old_schema, after, step, (), seg, sites_open=descend)
            self.node(old_schema, after, child)

    def _additional(self, o: dict[str, Any], n: dict[str, Any], ctx: _Ctx, descend: bool) -> None:
        for keyword, stem in (
            ("additionalProperties", "additional-properties"),
            ("unevaluatedProperties", "unevaluated-properties"),
            ("unevaluatedItems", "unevaluated-items"),
        ):
            ov, nv = o.get(keyword), n.get(keyword)
            if ov == nv:
                continue
            suffix = f"/{keyword}"
            o_open, n_open = ov is None or trivial(ov), nv is None or trivial(nv)
            if o_open and n_open:
                continue
            if descend and keyword == "additionalProperties" and (o_open or n_open):
                self._site(ov, nv, ctx, ("a",))
            if nv is False:
                self.emit(f"{stem}-closed", ctx, suffix, f"{keyword} now false", ov, False)
            elif ov is False:
                code = f"{stem}-opened"
                self.emit(
                    code, ctx, suffix, f"{keyword} no longer false", False, nv, in_old=nv is None
                )
            elif o_open:
                code = (
                    f"{stem}-constrained" if stem == "additional-properties" else f"{stem}-closed"
                )
                self.emit(code, ctx, suffix, f"{keyword} schema added", ov, nv)
            elif n_open:
                code = (
                    f"{stem}-unconstrained" if stem == "additional-properties" else f"{stem}-opened"
                )
                self.emit(code, ctx, suffix, f"{keyword} schema removed", ov, nv, in_old=nv is None)
            else:
                seg: Segment = ("a",) if keyword == "additionalProperties" else ("i",)
                step = (keyword,)
                open_ = descend and keyword == "additionalProperties"
                child = self._child(ctx, ov, nv, step, step, seg, sites_open=open_)
                self.node(ov, nv, child)

    def _pattern_properties(
        self, o: dict[str, Any], n: dict[str, Any], ctx: _Ctx, descend: bool
    ) -> None:
        op = mapping(o, "patternProperties")
        np_ = mapping(n, "patternProperties")
        for pattern in sorted(op.keys() | np_.keys()):
            step = ("patternProperties", pattern)
            suffix = f"/patternProperties/{esc(pattern)}"
            if pattern in op and pattern in np_:
                child = self._child(
                    ctx, op[pattern], np_[pattern], step, step, ("k", pattern), sites_open=descend
                )
                self.node(op[pattern], np_[pattern], child)
            elif pattern in np_:
                # In a closed object the names it matches were forbidden: now some are allowed.
                closed = o.get("additionalProperties") is False
                impact = Impact.CONSUMER if closed else None
                self.emit(
                    "pattern-property-added",
                    ctx,
                    suffix,
                    f"names matching {pattern!r} constrained",
                    None,
                    pattern,
                    impact=impact,
                )
            else:
                closed = n.get("additionalProperties") is False
                impact = Impact.PRODUCER if closed else None
                self.emit(
                    "pattern-property-removed",
                    ctx,
                    suffix,
                    f"names matching {pattern!r} no longer constrained",
                    pattern,
                    None,
                    impact=impact,
                    in_old=True,
                )

    def _named_subschemas(
        self, o: dict[str, Any], n: dict[str, Any], ctx: _Ctx, descend: bool
    ) -> None:
        """propertyNames and dependentSchemas: constrained when added, compared when in both."""
        ov, nv = o.get("propertyNames"), n.get("propertyNames")
        if ov != nv:
            if descend and (trivial(ov) or trivial(nv)):
                self._site(ov, nv, ctx, ("names",))
            if ov is None or trivial(ov):
                self.emit(
                    "property-names-constrained",
                    ctx,
                    "/propertyNames",
                    "property names constrained",
                    ov,
                    nv,
                )
            elif nv is None or trivial(nv):
                self.emit(
                    "property-names-unconstrained",
                    ctx,
                    "/propertyNames",
                    "property names unconstrained",
                    ov,
                    nv,
                    in_old=nv is None,
                )
            else:
                step = ("propertyNames",)
                child = self._child(ctx, ov, nv, step, step, ("names",), sites_open=descend)
                self.node(ov, nv, child)
        od = mapping(o, "dependentSchemas")
        nd = mapping(n, "dependentSchemas")
        for name in sorted(od.keys() | nd.keys()):
            suffix = f"/dependentSchemas/{esc(name)}"
            if name in od and name in nd:
                dep: tuple[str | int, ...] = ("dependentSchemas", name)
                child = self._child(ctx, od[name], nd[name], dep, dep, sites_open=descend)
                self.node(od[name], nd[name], child)
            elif name in nd:
                self.emit(
                    "dependent-schema-added",
                    ctx,
                    suffix,
                    f"constraint added when {name!r} is present",
                    None,
                    nd[name],
                )
            else:
                self.emit(
                    "dependent-schema-removed",
                    ctx,
                    suffix,
                    f"constraint dropped when {name!r} is present",
                    od[name],
                    None,
                    in_old=True,
                )

    # ----------------------------------------------------------------- arrays

    def _arrays(self, o: dict[str, Any], n: dict[str, Any], ctx: _Ctx, descend: bool) -> None:
        for keyword, stem in (("items", "items"), ("contains", "contains")):
            ov, nv = o.get(keyword), n.get(keyword)
            if ov == nv:
                continue
            step = (keyword,)
            if descend and keyword == "items" and (trivial(ov) or trivial(nv)):
                self._site(ov, nv, ctx, ("i",))
            if ov is None or (trivial(ov) and keyword == "items"):
                if not trivial(nv):
                    self.emit(f"{stem}-added", ctx, f"/{keyword}", f"{keyword} constrained", ov, nv)
            elif nv is None or (trivial(nv) and keyword == "items"):
                if not trivial(ov):
                    self.emit(
                        f"{stem}-removed",
                        ctx,
                        f"/{keyword}",
                        f"{keyword} unconstrained",
                        ov,
                        nv,
                        in_old=nv is None,
                    )
            else:
                child = self._child(ctx, ov, nv, step, step, ("i",), sites_open=descend)
                self.node(ov, nv, child)
        op = sequence(o, "prefixItems")
        np_ = sequence(n, "prefixItems")
        for i in range(max(len(op), len(np_))):
            at: tuple[str | int, ...] = ("prefixItems", i)
            if i < len(op) and i < len(np_):
                child = self._child(ctx, op[i], np_[i], at, at, ("n", i), sites_open=descend)
                self.node(op[i], np_[i], child)
            elif i < len(np_):
                self.emit(
                    "prefix-item-added",
                    ctx,
                    f"/prefixItems/{i}",
                    f"item {i} constrained",
                    None,
                    np_[i],
                )
            else:
                self.emit(
                    "prefix-item-removed",
                    ctx,
                    f"/prefixItems/{i}",
                    f"item {i} unconstrained",
                    op[i],
                    None,
                    in_old=True,
                )

    # ----------------------------------------------------------------- composition

    def _composition(self, o: dict[str, Any], n: dict[str, Any], ctx: _Ctx, descend: bool) -> None:
        for keyword, stem, polarity, monotone in (
            ("allOf", "all-of", 1, True),
            ("anyOf", "any-of", 1, True),
            ("oneOf", "one-of", 0, False),
        ):
            ob = sequence(o, keyword)
            nb = sequence(n, keyword)
            if ob == nb:
                continue
            pairs, removed, added = pair_branches(ob, nb)
            child_polarity = ctx.polarity if polarity == 1 else 0
            for i, j in pairs:
                step_o, step_n = (keyword, i), (keyword, j)
                child = self._child(
                    ctx,
                    ob[i],
                    nb[j],
                    step_o,
                    step_n,
                    polarity=child_polarity,
                    sites_open=descend and monotone,
                )
                self.node(ob[i], nb[j], child)
            for i in removed:
                self.emit(
                    f"{stem}-branch-removed",
                    ctx,
                    f"/{keyword}/{i}",
                    f"{keyword} branch {i} removed",
                    ob[i],
                    None,
                    in_old=True,
                )
            for j in added:
                self.emit(
                    f"{stem}-branch-added",
                    ctx,
                    f"/{keyword}/{j}",
                    f"{keyword} branch {j} added",
                    None,
                    nb[j],
                )
        ov, nv = o.get("not"), n.get("not")
        if ov != nv:
            if ov is None:
                self.emit("not-added", ctx, "/not", "`not` added", None, nv)
            elif nv is None:
                self.emit("not-removed", ctx, "/not", "`not` removed", ov, None, in_old=True)
            else:
                step = ("not",)
                child = self._child(
                    ctx, ov, nv, step, step, polarity=-ctx.polarity, sites_open=False
                )
                self.node(ov, nv, child)

    def _conditional(self, o: dict[str, Any], n: dict[str, Any], ctx: _Ctx) -> None:
        keys = ("if", "then", "else")
        if all(o.get(k) == n.get(k) for k in keys):
            return
        had, has = "if" in o, "if" in n
        if has and not had:
            self.emit(
                "conditional-added",
                ctx,
                "/if",
                "conditional constraint added",
                None,
                {k: n[k] for k in keys if k in n},
            )
            return
        if had and not has:
            self.emit(
                "conditional-removed",
                ctx,
                "/if",
                "conditional constraint removed",
                {k: o[k] for k in keys if k in o},
                None,
                in_old=True,
            )
            return
        if not had:
            return  # then/else without if have no effect
        if o.get("if") != n.get("if"):
            self.emit(
                "condition-changed",
                ctx,
                "/if",
                "the `if` condition changed",
                o.get("if"),
                n.get("if"),
            )
        for key in ("then", "else"):
            ov, nv = o.get(key, True), n.get(key, True)
            if ov != nv:
                step = (key,)
                child = self._child(ctx, ov, nv, step, step, sites_open=False)
                self.node(ov, nv, child)
