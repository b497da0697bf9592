"""Inline every `$ref` of a contract from its own set, remembering where each node came from.

Two contract sets often share `$id`s (both have .../envelope/cloudevents-1.0.schema.json) with
different contents, so the canonical-schema algebra cannot compare them through registries: it
needs self-contained schemas. Inlining also lets the structural walk compare a `$ref` target by
content, and the origin map lets every change be reported at its real file and JSON pointer.
Resolution is offline: a `$ref` outside the set is an error, never a fetch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin

from .._pointer import join, unescape
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
    cyclic: bool = False  # a `$ref` cycle was left in place (the oracle cannot model it)

    def origin(self, node: Any) -> tuple[str, str] | None:
        return self.origins.get(id(node))

    def ref(self, node: Any) -> str | None:
        """The `$ref` (absolute, as file#pointer) this node was inlined from, if any."""
        return self.refs.get(id(node))


def inline(
    resources: dict[str, Any], root_uri: str, files: dict[str, str], *, _max_depth: int = 64
) -> Inlined:
    """Inline the contract at `root_uri`; `files` maps each `$id` to its file in the set."""
    try:
        doc = resources[root_uri]
    except KeyError:
        raise DerefError(f"{root_uri}: not in the contract set") from None
    out = Inlined(root=None)
    inliner = _Inliner(resources, files, out, _max_depth)
    root = inliner.node(doc, root_uri, "", ())
    if isinstance(root, dict) and isinstance(doc, dict) and "$schema" in doc:
        root["$schema"] = doc["$schema"]
    out.root = root
    return out


class _Inliner:
    def __init__(
        self, resources: dict[str, Any], files: dict[str, str], out: Inlined, max_depth: int
    ) -> None:
        self.resources = resources
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
            # A cycle: keep the reference (absolute), and say the oracle cannot model it.
            self.out.cyclic = True
            return {"$ref": target_uri}
        doc_uri, fragment = urldefrag(target_uri)
        target, target_ptr = self._resolve(doc_uri, unquote(fragment), target_uri)
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
        try:
            doc = self.resources[doc_uri]
        except KeyError:
            raise DerefError(
                f"$ref {target_uri} is not in the contract set (never fetched)"
            ) from None
        if not fragment:
            return doc, ""
        if fragment.startswith("/"):
            node = doc
            for token in fragment[1:].split("/"):
                token = unescape(token)
                if isinstance(node, list) and token.isdigit() and int(token) < len(node):
                    node = node[int(token)]
                elif isinstance(node, dict) and token in node:
                    node = node[token]
                else:
                    raise DerefError(f"$ref {target_uri}: no such location in the contract set")
            return node, fragment
        found = _find_anchor(doc, fragment, "")
        if found is None:
            raise DerefError(f"$ref {target_uri}: no such anchor in the contract set")
        return found


def _find_anchor(node: Any, anchor: str, pointer: str) -> tuple[Any, str] | None:
    if isinstance(node, dict):
        if node.get("$anchor") == anchor:
            return node, pointer
        for key, value in node.items():
            hit = _find_anchor(value, anchor, join(pointer, key))
            if hit:
                return hit
    elif isinstance(node, list):
        for i, value in enumerate(node):
            hit = _find_anchor(value, anchor, f"{pointer}/{i}")
            if hit:
                return hit
    return None
