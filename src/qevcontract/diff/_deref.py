"""Inline every `$ref` of a contract from its own set, remembering where each node came from.

Two contract sets often share `$id`s (both have .../envelope/cloudevents-1.0.schema.json) with
different contents, so the canonical-schema algebra cannot compare them through registries: it
needs self-contained schemas. Inlining also lets the structural walk compare a `$ref` target by
content, and the origin map lets every change be reported at its real file and JSON pointer.

Resolution is `referencing`'s (relative URIs, JSON Pointer escapes and percent-encoding,
`$anchor`s), through an offline registry of the set: a `$ref` outside it is an error, never a
fetch. What stays here is what `referencing` does not do: copying the tree with each `$ref`
replaced by its target (a `$ref` with sibling keywords becomes one more `allOf` branch), a
`$ref` cycle left in place, and the file and pointer each node came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from .._pointer import join
from .._schema_keywords import LISTS, MAPS, SINGLE

# Keywords a subschema keeps only as bookkeeping: dropped from the inlined tree.
DROPPED = ("$id", "$anchor", "$defs", "definitions", "$vocabulary")
ANNOTATIONS = ("title", "description", "examples", "default", "deprecated", "$comment")


class DerefError(Exception):
    """A `$ref` that cannot be resolved inside the contract set."""


@dataclass
class Inlined:
    """A contract with every `$ref` inlined, and where each object node came from."""

    root: Any
    origins: dict[int, tuple[str, str]] = field(default_factory=dict)  # id(node) -> file, ptr
    refs: dict[int, str] = field(default_factory=dict)  # id(node) -> the `$ref` it replaced

    def origin(self, node: Any) -> tuple[str, str] | None:
        return self.origins.get(id(node))

    def ref(self, node: Any) -> str | None:
        """The `$ref` (absolute, as file#pointer) this node was inlined from, if any."""
        return self.refs.get(id(node))


def inline(
    resources: dict[str, Any],
    root_uri: str,
    files: dict[str, str],
    *,
    registry: Any,
    _max_depth: int = 64,
) -> Inlined:
    """Inline the contract at `root_uri`; `files` maps each `$id` to its file in the set;
    `registry` is the set's offline `referencing.Registry` (`Catalog.registry()`)."""
    try:
        doc = resources[root_uri]
    except KeyError:
        raise DerefError(f"{root_uri}: not in the contract set") from None
    out = Inlined(root=None)
    inliner = _Inliner(registry, files, out, _max_depth)
    root = inliner.node(doc, root_uri, "", ())
    if isinstance(root, dict) and isinstance(doc, dict) and "$schema" in doc:
        root["$schema"] = doc["$schema"]
    out.root = root
    return out


class _Inliner:
    def __init__(self, registry: Any, files: dict[str, str], out: Inlined, max_depth: int) -> None:
        self.registry = registry
        self.files = files
        self.out = out
        self.max_depth = max_depth

    def node(self, schema: Any, base: str, pointer: str, stack: tuple[str, ...]) -> Any:
        if not isinstance(schema, dict):
            return schema
        if pointer and isinstance(schema.get("$id"), str):
            base, pointer = urljoin(base, schema["$id"]), ""
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._ref(schema, ref, base, pointer, stack)
        result: dict[str, Any] = {}
        for key, value in schema.items():
            if key in DROPPED or key == "$schema":
                continue
            result[key] = self._child(key, value, base, pointer, stack)
        self.out.origins[id(result)] = (self.files.get(base, base), pointer)
        return result

    def _child(self, key: str, value: Any, base: str, pointer: str, stack: tuple[str, ...]) -> Any:
        here = join(pointer, key)
        if key in SINGLE:
            return self.node(value, base, here, stack)
        if key in LISTS and isinstance(value, list):
            return [self.node(v, base, f"{here}/{i}", stack) for i, v in enumerate(value)]
        if key in MAPS and isinstance(value, dict):
            return {k: self.node(v, base, join(here, k), stack) for k, v in value.items()}
        return value

    def _ref(
        self, schema: dict[str, Any], ref: str, base: str, pointer: str, stack: tuple[str, ...]
    ) -> Any:
        target_uri = urljoin(base, ref)
        if target_uri in stack or len(stack) >= self.max_depth:
            # A cycle: keep the reference (absolute).
            return {"$ref": target_uri}
        doc_uri, fragment = urldefrag(target_uri)
        target, target_ptr = self._resolve(doc_uri, fragment, target_uri)
        inlined = self.node(target, doc_uri, target_ptr, (*stack, target_uri))
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        semantic = {k for k in siblings if k not in ANNOTATIONS and k not in DROPPED}
        semantic -= {"$schema"}
        semantic = {k for k in semantic if not k.startswith("x-")}
        if not semantic:
            if not isinstance(inlined, dict):
                return inlined
            merged = dict(inlined)
            for key in siblings:
                if key in ANNOTATIONS or key.startswith("x-"):
                    merged[key] = siblings[key]
            self.out.origins[id(merged)] = self.out.origins.get(
                id(inlined), (self.files.get(doc_uri, doc_uri), target_ptr)
            )
            self.out.refs[id(merged)] = f"{self.files.get(doc_uri, doc_uri)}#{target_ptr}"
            return merged
        # `$ref` beside other keywords is an in-place applicator: the same as one more allOf.
        rest = self.node(siblings, base, pointer, stack)
        rest["allOf"] = [inlined, *rest.get("allOf", [])]
        if isinstance(inlined, dict):
            self.out.refs[id(inlined)] = f"{self.files.get(doc_uri, doc_uri)}#{target_ptr}"
        return rest

    def _resolve(self, doc_uri: str, fragment: str, target_uri: str) -> tuple[Any, str]:
        """The target of an absolute `$ref`, and its JSON pointer in the document."""
        from referencing.exceptions import (
            NoSuchAnchor,
            PointerToNowhere,
            Unresolvable,
            Unretrievable,
        )

        resolver = self.registry.resolver(base_uri=doc_uri)
        nowhere = DerefError(f"$ref {target_uri}: no such location in the contract set")
        try:
            target = resolver.lookup(target_uri).contents
        except PointerToNowhere:
            raise nowhere from None
        except NoSuchAnchor:
            raise DerefError(f"$ref {target_uri}: no such anchor in the contract set") from None
        except (Unresolvable, Unretrievable):  # Unretrievable: what the registry refused
            raise DerefError(
                f"$ref {target_uri} is not in the contract set (never fetched)"
            ) from None
        except (LookupError, ValueError, TypeError):  # a pointer through a non-schema value
            raise nowhere from None
        if not isinstance(target, dict | bool):  # a schema is an object or a boolean
            raise nowhere
        if not fragment or fragment.startswith("/"):
            return target, unquote(fragment)
        # An anchor: where it is, for the origin map (referencing gives the node, not its place).
        doc = resolver.lookup(doc_uri).contents
        return target, _pointer_to(doc, target, "") or ""


def _pointer_to(node: Any, target: Any, pointer: str) -> str | None:
    """The JSON pointer of `target` (by identity) inside `node`."""
    if node is target:
        return pointer
    if isinstance(node, dict):
        children: Any = ((join(pointer, k), v) for k, v in node.items())
    elif isinstance(node, list):
        children = ((f"{pointer}/{i}", v) for i, v in enumerate(node))
    else:
        return None
    for here, child in children:
        hit = _pointer_to(child, target, here)
        if hit is not None:
            return hit
    return None
