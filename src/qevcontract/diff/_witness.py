"""Witness events: one concrete event that one contract accepts and the other rejects.

A witness turns a verdict into something a person can paste into a test. Candidates come
from the difference schema the oracle computed, from the doc examples, and from splicing
values of a *local* difference (one changed subschema) into a valid event at that
subschema's place. Every candidate is validated both ways by jsonschema-rs, then confirmed
by python-jsonschema (the reference implementation); the witness is never taken on trust
from the generator or the oracle.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .._errors import first_line
from .._regex_sample import regex_samples
from ..contracts import Catalog
from ..contracts._offline import offline_registry
from ._nodes import Segment
from ._samples import ANY_VALUES, samples
from ._structural import Site

EXTRA_NAME = "qevwitness"  # lowercase: valid as a CloudEvents attribute name


@dataclass(frozen=True)
class Witness:
    event: Any
    confirmed: bool  # python-jsonschema agrees with jsonschema-rs on both sides


class JudgeError(Exception):
    """A contract the validator cannot compile (an invalid regex, an unresolvable `$ref`)."""


class Registries:
    """Both engines' offline registries for one contract set, each built once, on demand."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._rs: Any = None

    def rs(self) -> Any:
        if self._rs is None:
            self._rs = self.catalog.rs_registry()
        return self._rs

    def py(self) -> Any:
        return self.catalog.registry()


class Judge:
    """One contract, compiled by both engines, offline; formats asserted. Without
    `registries` the schema must be self-contained (an inlined contract)."""

    def __init__(self, schema: Any, registries: Registries | None = None) -> None:
        import jsonschema_rs
        from jsonschema import Draft202012Validator

        try:
            self._rs = jsonschema_rs.validator_for(
                schema,
                registry=registries.rs() if registries else None,
                validate_formats=True,
                offline=True,
            )
        except (ValueError, jsonschema_rs.ReferencingError) as exc:
            raise JudgeError(first_line(exc)) from None
        # The same format checker as `validate`'s python engine: RFC 3339 leap seconds pass.
        self._py = Draft202012Validator(
            schema,
            registry=registries.py() if registries else offline_registry({}),
            format_checker=Catalog.format_checker(),
        )

    def fast(self, instance: Any) -> bool:
        return bool(self._rs.is_valid(instance))

    def reference(self, instance: Any) -> bool:
        try:
            return bool(self._py.is_valid(instance))
        except Exception:
            return False


@dataclass(frozen=True)
class Search:
    """Everything a witness search needs for one side."""

    accept: list[Judge]
    reject: list[Judge]
    accept_schema: Any  # the accepting contract, inlined (to generate valid events from)
    difference: Any  # the oracle's schema for accept - reject, when it gave one
    sites: list[Site]  # oriented: site.old is the accepting side's subschema
    local: Callable[[int], Any]  # site index -> local difference schema (or None)
    examples: list[Any]  # doc examples of both contracts
    budget: int = 400


def find_witness(search: Search) -> Witness | None:
    """The first candidate accepted by every `accept` judge and rejected by every `reject`."""
    fallback: Witness | None = None
    for spent, candidate in enumerate(_candidates(search)):
        if spent >= search.budget:
            break
        if not all(j.fast(candidate) for j in search.accept):
            continue
        if any(j.fast(candidate) for j in search.reject):
            continue
        confirmed = all(j.reference(candidate) for j in search.accept) and not any(
            j.reference(candidate) for j in search.reject
        )
        if confirmed:
            return Witness(candidate, True)
        fallback = fallback or Witness(candidate, False)
    return fallback


def valid_event(judge: Judge, schema: Any, examples: list[Any]) -> Any:
    """An event the contract accepts (a doc example if one is valid): for removed types."""
    for candidate in [*examples, *samples(schema, 24)]:
        if judge.fast(candidate) and judge.reference(candidate):
            return candidate
    return None


def _candidates(search: Search) -> Iterator[Any]:
    """Valid events and doc examples as they are, then the oracle's difference schema's
    samples, then valid events with each changed subschema's difference spliced in."""
    seeds = _seeds(search)
    yield from seeds[:4]
    yield from search.examples
    if search.difference is not None:
        yield from samples(search.difference, 24)
    for index, site in enumerate(search.sites[:16]):
        local = search.local(index)
        values = samples(local if local is not None else site.old, 12)
        # Splice into the seeds that already have the most of the path: a value dropped
        # into a container made up on the spot rarely leaves the event valid.
        hosts = sorted(seeds, key=lambda seed: -_depth_present(seed, site.instance))[:3]
        for value in values:
            for seed in hosts:
                yield from _spliced(seed, site.instance, value, local)
        # A name one side declares and the other does not: try it with every JSON type.
        for name in _names_in_dispute(site):
            for value in ANY_VALUES:
                for seed in hosts:
                    container = _get(seed, site.instance)
                    if isinstance(container, dict):
                        spliced = _set(seed, site.instance, {**container, name: value})
                        if spliced is not None:
                            yield spliced


def _seeds(search: Search) -> list[Any]:
    """Valid events of the accepting contract: doc examples first, then generated ones."""
    accept = search.accept[0]
    out: list[Any] = []
    for candidate in [*search.examples, *samples(search.accept_schema, 32)]:
        if accept.fast(candidate) and candidate not in out:
            out.append(candidate)
        if len(out) >= 12:
            break
    return out


def _names_in_dispute(site: Site) -> list[str]:
    old = site.old.get("properties") if isinstance(site.old, dict) else None
    new = site.new.get("properties") if isinstance(site.new, dict) else None
    old_names = set(old) if isinstance(old, dict) else set()
    new_names = set(new) if isinstance(new, dict) else set()
    return sorted(old_names ^ new_names)


def _depth_present(seed: Any, path: tuple[Segment, ...]) -> int:
    for depth in range(len(path), 0, -1):
        if isinstance(_get(seed, path[: depth - 1]), dict | list):
            return depth
    return 0


def _spliced(seed: Any, path: tuple[Segment, ...], value: Any, local: Any) -> Iterator[Any]:
    direct = _set(seed, path, value)
    if direct is not None:
        yield direct
    current = _get(seed, path)
    if isinstance(current, dict) and isinstance(value, dict):
        merged = {**current, **value}
        forbidden = local.get("properties", {}) if isinstance(local, dict) else {}
        for name, sub in forbidden.items() if isinstance(forbidden, dict) else ():
            if sub is False:
                merged.pop(name, None)
        spliced = _set(seed, path, merged)
        if spliced is not None:
            yield spliced


def _get(node: Any, path: tuple[Segment, ...]) -> Any:
    for seg in path:
        if seg[0] == "p" and isinstance(node, dict):
            node = node.get(seg[1])
        elif seg[0] == "i" and isinstance(node, list) and node:
            node = node[0]
        elif seg[0] == "n" and isinstance(node, list) and len(node) > seg[1]:
            node = node[seg[1]]
        else:
            return None
    return node


def _set(seed: Any, path: tuple[Segment, ...], value: Any) -> Any:
    """A copy of `seed` with `value` placed at `path` (containers created as needed)."""
    if not path:
        return copy.deepcopy(value)
    root = copy.deepcopy(seed)
    node = root
    for depth, seg in enumerate(path):
        last = depth == len(path) - 1
        nxt: Any = (
            copy.deepcopy(value) if last else ([] if path[depth + 1][0] in ("i", "n") else {})
        )
        tag = seg[0]
        if tag in ("p", "a", "k", "names"):
            if not isinstance(node, dict):
                return None
            if tag == "names":
                if not isinstance(value, str):
                    return None
                node[value] = "x"
                return root
            key = seg[1] if tag == "p" else EXTRA_NAME if tag == "a" else _pattern_name(seg[1])
            if key is None:
                return None
            if last or not isinstance(node.get(key), dict | list):
                node[key] = nxt
            node = node[key]
        else:
            if not isinstance(node, list):
                return None
            index = 0 if tag == "i" else seg[1]
            if index < len(node):
                if last or not isinstance(node[index], dict | list):
                    node[index] = nxt
            elif index == len(node):
                node.append(nxt)
            else:
                return None
            node = node[index]
    return root


def _pattern_name(pattern: str) -> str | None:
    names = regex_samples(pattern)
    return names[0] if names else None
