"""Whether the two halves of a hybrid event say the same thing.

The legacy half is put through the same mapping a conversion uses, then compared attribute by
attribute with the 1.0 half, so "agree" means exactly "converting either half gives the same
1.0 attribute". Times are compared as instants, `authclaims` as JSON, `authtype` loosely.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ._attributes import EXTENSIONS_BACK, NOT_JSON, json_text, same
from ._attributes import parse_json_text as parse
from ._instants import same_instant
from ._mapping import DEFAULT_SOURCES, Forward, forward
from ._pointers import dotted, pointer, tokens
from ._shapes import cloudevents_half, detect, legacy_half

Kind = Literal["differ", "missing-cloudevents", "missing-legacy"]

# Pairs Qlik's mapping defines: one side without the other is reported.
_MAPPED = frozenset(
    {"id", "time", "type", "traceparent", "authclaims", "authtype", *EXTENSIONS_BACK}
)
# 1.0 attributes the legacy half need not imply even when the 1.0 half has them: an actor
# without a subType implies no authtype.
_OPTIONAL_IN_LEGACY = frozenset({"authtype"})
_NOT_COMPARED = frozenset({"specversion", "source", "data", "data_base64"})


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One pair of hybrid attributes that should say the same thing and do not."""

    attribute: str  # the 1.0 attribute the pair is about, e.g. "tenantid"
    legacy_pointer: str  # e.g. "/extensions/tenantId"
    cloudevents_pointer: str  # e.g. "/tenantid"
    legacy_value: Any  # None when missing (see kind)
    cloudevents_value: Any
    kind: Kind
    message: str

    @property
    def pointers(self) -> tuple[str, str]:
        return self.legacy_pointer, self.cloudevents_pointer


def hybrid_disagreements(event: dict[str, Any]) -> list[Disagreement]:
    """Every pair of a hybrid's halves that disagree, or where one half lacks the other's
    (empty for an event that is not a hybrid)."""
    if detect(event) != "hybrid":
        return []
    return compare_halves(event)[1]


def compare_halves(event: dict[str, Any]) -> tuple[Forward, list[Disagreement]]:
    """The legacy half mapped to 1.0, and its disagreements with the 1.0 half."""
    legacy = legacy_half(event)
    mapped = forward(legacy)
    ce = cloudevents_half(event)
    found: list[Disagreement] = []
    for name, value in mapped.event.items():
        if name in _NOT_COMPARED:
            continue
        source = mapped.sources[name]
        if name in ce:
            if not values_agree(name, ce[name], value):
                found.append(_differ(name, source, resolve(event, source), ce[name]))
        elif name in _MAPPED:
            found.append(_missing_cloudevents(name, source, resolve(event, source)))
    for source, _ in mapped.unplaced:  # a second spelling of the id is compared too
        if source == "/eventID" and "id" in ce and not same(event["eventID"], ce["id"]):
            found.append(_differ("id", source, event["eventID"], ce["id"]))
    for name in _MAPPED - mapped.event.keys() - _OPTIONAL_IN_LEGACY:
        if name in ce:
            found.append(_missing_legacy(name, ce[name]))
    found.sort(key=lambda d: (d.cloudevents_pointer, d.legacy_pointer))
    return mapped, found


def values_agree(name: str, ce_value: Any, legacy_value: Any) -> bool:
    """Whether a 1.0 attribute and the value the legacy half maps to mean the same."""
    if same(ce_value, legacy_value):
        return True
    if name == "time":
        return same_instant(ce_value, legacy_value) is True
    if name == "authclaims":
        claims, mapped = parse(ce_value), parse(legacy_value)
        if type(claims) is not dict or type(mapped) is not dict:
            return False
        # The 1.0 claims may carry more than the legacy actor (an issuer, say).
        return all(k in claims and same(claims[k], v) for k, v in mapped.items())
    if name == "authtype":
        return bool(_loose(ce_value) == _loose(legacy_value))
    return False


def _loose(value: Any) -> Any:
    """`api-key`, `API_KEY` and `api_key` are one authtype."""
    return value.casefold().replace("-", "_") if type(value) is str else value


def resolve(event: Any, ptr: str) -> Any:
    """The value at `ptr` in `event` (array indexes allowed), or None."""
    node = event
    for token in tokens(ptr):
        if type(node) is dict:
            node = node.get(token)
        elif type(node) is list and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def _show(value: Any) -> str:
    text = value if type(value) is str else json_text(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'" if type(value) is str else text


def _differ(name: str, legacy_ptr: str, legacy_value: Any, ce_value: Any) -> Disagreement:
    ce_ptr = pointer(name)
    left, right = dotted(legacy_ptr), dotted(ce_ptr)
    if name == "time" and same_instant(legacy_value, ce_value) is False:
        what = f"{left} {_show(legacy_value)} and {right} {_show(ce_value)} are different instants"
    elif name == "authclaims" and parse(ce_value) is NOT_JSON:
        what = f"{right} {_show(ce_value)} is not JSON, so it cannot match {left}"
    elif name == "authclaims":
        what = f"{right} does not carry what {left} says ({_claims_gap(legacy_value, ce_value)})"
    elif name == "authtype" and legacy_ptr.endswith("/subType"):
        what = f"{left} {_show(legacy_value)} and {right} {_show(ce_value)} name different types"
    else:
        what = f"{left} {_show(legacy_value)} and {right} {_show(ce_value)} disagree"
    return Disagreement(name, legacy_ptr, ce_ptr, legacy_value, ce_value, "differ", what)


def _claims_gap(legacy_value: Any, ce_value: Any) -> str:
    actor = parse(legacy_value) if type(legacy_value) is str else legacy_value
    claims = parse(ce_value)
    if type(actor) is not dict or type(claims) is not dict:
        return "not a JSON object"
    for key, value in actor.items():
        if key not in claims:
            return f"no {key}"
        if not same(claims[key], value):
            return f"{key} {_show(value)} vs {_show(claims[key])}"
    return "different claims"


def _missing_cloudevents(name: str, legacy_ptr: str, legacy_value: Any) -> Disagreement:
    ce_ptr = pointer(name)
    what = f"{dotted(legacy_ptr)} is set but {dotted(ce_ptr)} is missing"
    return Disagreement(name, legacy_ptr, ce_ptr, legacy_value, None, "missing-cloudevents", what)


def _missing_legacy(name: str, ce_value: Any) -> Disagreement:
    ce_ptr, legacy_ptr = pointer(name), DEFAULT_SOURCES[name]
    what = f"{dotted(ce_ptr)} is set but {dotted(legacy_ptr)} is missing"
    return Disagreement(name, legacy_ptr, ce_ptr, None, ce_value, "missing-legacy", what)
