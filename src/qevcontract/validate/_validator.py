"""`Validator`: dispatch an event on its `type` to its contract and explain what is wrong.

Schemas are compiled lazily, once per event type. A `Validator` pickles as its settings and
its catalogue's location, so a worker process (multiprocessing, Spark, Dask) rebuilds it
cheaply; nothing is global.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .._options import (
    ENGINES,
    ENVELOPE_MODES,
    UNKNOWN_TYPES,
    EngineName,
    EnvelopeMode,
    UnknownTypes,
)
from .._pointer import display_path, join, to_pointer
from .._spec.envelopes import ENVELOPE_ONLY_SCHEMA
from .._spec.uris import LEGACY_FILE, QLIK_EXTENSIONS_FILE
from ..contracts import Catalog, load
from ._engines import CompiledSchema, Engine, RawError, make_engine
from ._messages import RULES, article, describe, json_type, show
from ._results import DEFAULT_SEVERITY, EventResult, Severity, Violation, new_violation
from ._strict import strict_contract
from ._typesystem import attribute_findings, needs_check, unset_attributes

ENVELOPE_ONLY = "<envelope>"
LEGACY_ENVELOPE = "<legacy-envelope>"


class InvalidEventError(ValueError):
    """`Validator.validate` found an invalid event: `.errors` holds every violation (each a
    `Violation` of severity "error"), the message the first one and how many there are."""

    def __init__(self, errors: list[Violation]) -> None:
        self.errors = tuple(errors)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{errors[0].message}{more}")


class Validator:
    """Validates Qlik Cloud events against a contract set.

    Each event's envelope is recognised (`envelope="auto"`): CloudEvents 1.0 events are
    checked against the contract for their `type`; legacy (CloudEvents 0.1 style) events
    against the legacy envelope schema, and their payload, mapped to 1.0, against the
    contract; hybrids have both halves checked and must agree. `strict=True` rejects
    properties a documented object does not list, and events whose payload the docs leave
    unspecified. `force_type` applies one contract to every event. `unknown_types` decides
    what an event type without a contract is: "error", "warn" or "ignore" (envelope checked
    in every case).

    Shaped like python-jsonschema's validators: `iter_errors(event)` yields the findings,
    `is_valid(event)` answers yes or no, `validate(event)` raises `InvalidEventError` or returns
    None; `check(event)` gives the full `EventResult` the reports are made of.
    """

    def __init__(
        self,
        catalog: Catalog | str | Path | None = None,
        *,
        strict: bool = False,
        engine: EngineName = "rs",
        force_type: str | None = None,
        envelope: EnvelopeMode = "auto",
        unknown_types: UnknownTypes = "error",
    ) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
        if envelope not in ENVELOPE_MODES:
            raise ValueError(
                f"unknown envelope {envelope!r} (choose from {', '.join(ENVELOPE_MODES)})"
            )
        if unknown_types not in UNKNOWN_TYPES:
            raise ValueError(
                f"unknown_types must be one of {', '.join(UNKNOWN_TYPES)}, not {unknown_types!r}"
            )
        self.catalog = catalog if isinstance(catalog, Catalog) else load(catalog)
        self.strict = strict
        self.engine_name = engine
        self.force_type = force_type
        self.envelope = envelope
        self.unknown_types = unknown_types
        if force_type is not None:
            self.catalog.entry(force_type)  # fail now, with suggestions, if unknown
        self._engine: Engine | None = None
        self._compiled: dict[str, CompiledSchema] = {}
        self._suggestions: dict[str, list[str]] = {}
        # For the fast path: plain set look-ups instead of catalogue calls per event.
        self._types = frozenset(self.catalog.types)
        self._open_payload = frozenset(
            e.type for e in self.catalog.entries if not e.payload_documented
        )
        self._fast = envelope in ("auto", "cloudevents")
        self._documented: dict[str, frozenset[str]] = {}
        # What each distinct engine error was explained as (see `_explain`).
        self._explained: dict[tuple[Any, ...], tuple[Violation, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {
            "catalog": self.catalog,
            "strict": self.strict,
            "engine": self.engine_name,
            "force_type": self.force_type,
            "envelope": self.envelope,
            "unknown_types": self.unknown_types,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        catalog = state.pop("catalog")
        self.__init__(catalog, **state)  # type: ignore[misc]

    def __repr__(self) -> str:
        mode = "strict" if self.strict else "default"
        return f"<Validator {self.engine_name} {mode} {self.catalog!r}>"

    # ---------------------------------------------------------------- compilation

    def _compiled_for(self, key: str) -> CompiledSchema:
        compiled = self._compiled.get(key)
        if compiled is None:
            if self._engine is None:
                self._engine = make_engine(self.engine_name, self.catalog)
            if key == ENVELOPE_ONLY:
                schema = ENVELOPE_ONLY_SCHEMA
            elif key == LEGACY_ENVELOPE:
                schema = self._legacy_schema()
            else:
                schema = self.catalog.schema(key)
                if self.strict:
                    schema = strict_contract(schema, self._extension_attributes())
            compiled = self._engine.compile(schema)
            self._compiled[key] = compiled
        return compiled

    def _extension_attributes(self) -> list[str]:
        """Attribute names the set's shared extension envelope declares."""
        if QLIK_EXTENSIONS_FILE not in self.catalog.envelope_files:
            return []
        return list(self.catalog.envelope(QLIK_EXTENSIONS_FILE).get("properties", {}))

    def _legacy_schema(self) -> dict[str, Any]:
        """The set's legacy envelope schema; sets built before it existed get the built-in."""
        from .._spec.legacy import legacy_envelope_schema

        if LEGACY_FILE in self.catalog.envelope_files:
            return self.catalog.envelope(LEGACY_FILE)
        return legacy_envelope_schema()

    # ------------------------------------------------------------------ checking

    def iter_errors(self, event: Any) -> Iterator[Violation]:
        """Every finding on `event`, sorted by place: its violations (severity "error") and
        the warnings and notes about it (a valid event may have those)."""
        return iter(self._evaluate(event)[2])

    def is_valid(self, event: Any) -> bool:
        """Whether `event` has no finding of severity "error" (warnings do not count)."""
        return not any(v.severity == "error" for v in self._evaluate(event)[2])

    def validate(self, event: Any) -> None:
        """Return None for a valid event; raise `InvalidEventError` (a `ValueError`) carrying
        every finding of severity "error" in `.errors` for an invalid one."""
        errors = [v for v in self._evaluate(event)[2] if v.severity == "error"]
        if errors:
            raise InvalidEventError(errors)

    def _evaluate(
        self, event: Any, *, known_invalid: bool = False
    ) -> tuple[str | None, str | None, list[Violation]]:
        """(envelope shape, contract applied, violations) for one event.

        `known_invalid`: the fast path already found the event invalid as CloudEvents 1.0
        against the contract its type selects (not asked twice).
        """
        if not isinstance(event, dict):
            return None, None, [Violation("", "the event is not a JSON object", "type", "type")]
        shape: str = self.envelope
        legacy: list[str] = []
        if shape == "auto":
            shape = _detect()(event) or "cloudevents"
            if shape == "hybrid":
                legacy = self._documented_legacy(event)
                if legacy:
                    shape = "cloudevents"
        if shape == "legacy":
            contract, out = self._legacy(event)
        elif shape == "hybrid":
            contract, out = self._hybrid(event)
        else:
            contract, out = self._cloudevents(event, known_invalid=known_invalid and not legacy)
            if legacy:
                out = self._documented_members(out, legacy, contract)
        return shape, contract, _dedupe(out)

    def _documented_legacy(self, event: dict[str, Any]) -> list[str]:
        """The legacy members of a would-be hybrid when it is a 1.0 event after all: all of
        them are documented by its contract (the tasks page lists `eventType` and
        `extensions`), or its only one is an object `extensions`, which the 1.0 envelope
        then reports for what it is (an extension value that is not a scalar). Else []."""
        from ..envelopes import legacy_members

        members = legacy_members(event)
        contract = self._dispatch(event.get("type"))
        if contract is not None:
            documented = self._documented.get(contract)
            if documented is None:
                props = self.catalog.schema(contract).get("properties", {})
                documented = self._documented[contract] = frozenset(props)
            if documented.issuperset(members):
                return members
        return members if members == ["extensions"] else []

    def _documented_members(
        self, out: list[Violation], members: list[str], contract: str | None
    ) -> list[Violation]:
        """The 1.0 envelope's findings on legacy members the contract documents: warnings
        by default, errors in strict mode, each saying why CloudEvents 1.0 rejects it."""
        documented = contract is not None and self._documented.get(contract, frozenset())
        pointers = {join("", m): m for m in members if documented and m in documented}
        if not pointers:
            return out
        kept = []
        for v in out:
            member = pointers.get(v.pointer)
            if member is None or v.rule not in ("attribute-name", "attribute-value"):
                kept.append(v)
                continue
            why = (
                "its name is not lower-case letters and digits"
                if v.rule == "attribute-name"
                else "an extension attribute value must be a string, boolean or integer"
            )
            if self.strict:
                message = (
                    f"{member}: a legacy member the contract for {contract} documents, but not "
                    f"a CloudEvents 1.0 attribute: {why} (strict mode)"
                )
                kept.append(dataclasses.replace(v, message=message))
            else:
                message = (
                    f"{member}: a legacy (CloudEvents 0.1 style) member; accepted because the "
                    f"contract for {contract} documents it, but not a CloudEvents 1.0 "
                    f"attribute: {why} (an error with --strict or --envelope cloudevents)"
                )
                kept.append(
                    dataclasses.replace(
                        v, message=message, rule="legacy-documented", severity="warning"
                    )
                )
        return kept

    def _dispatch(self, event_type: Any) -> str | None:
        """The contract for a `type` value: the forced one, else the type if known."""
        if self.force_type is not None:
            return self.force_type
        return event_type if type(event_type) is str and event_type in self._types else None

    def _cloudevents(
        self, event: dict[str, Any], *, known_invalid: bool = False
    ) -> tuple[str | None, list[Violation]]:
        """A CloudEvents 1.0 event against its contract (or the envelope alone)."""
        t = event.get("type")
        contract = self._dispatch(t)
        compiled = self._compiled_for(contract or ENVELOPE_ONLY)
        out: list[Violation] = []
        attention = needs_check(event)  # nulls, floats, unprintable characters: rare
        unset = unset_attributes(event) if attention else []
        if unset:
            # json-format 2.2: "When decoding attributes and a `null` value is encountered,
            # it MUST be treated as the equivalent of unset or omitted."
            event = {k: v for k, v in event.items() if k not in unset}
            known_invalid = False
        if known_invalid or not compiled.is_valid(event):
            out.extend(self._explain(contract or ENVELOPE_ONLY, compiled.errors(event)))
            if unset:
                out = [_null_is_missing(v) if v.pointer[1:] in unset else v for v in out]
        if attention:
            out.extend(attribute_findings(event, strict=self.strict))
        if contract is None:
            out.extend(self._unknown_type(t))
        elif contract in self._open_payload and not _object_payload(event):
            out.append(_payload_not_object(event["data"]))
        if contract is not None and self.strict and contract in self._open_payload:
            where = "data" if "data" in event else "(event)"
            out.append(
                Violation(
                    "/data" if "data" in event else "",
                    f"{where}: the docs leave this event's payload unspecified, so strict "
                    "mode cannot vouch for it",
                    "x-qev-payload-undocumented",
                    "payload-undocumented",
                )
            )
        return contract, out

    def _explain(self, key: str, errors: Iterable[RawError]) -> list[Violation]:
        """`_violations` of the errors of schema `key`, each distinct error explained once.

        A stream of invalid events repeats the same few mistakes (a producer's bug), and
        an explanation depends on nothing but the error: its keyword, both paths, its
        details and, for messages that show it, the failing value. Errors whose details
        or value are not a plain key (objects, arrays, nested errors) are explained anew.
        """
        memo = self._explained
        out: list[Violation] = []
        for e in errors:
            memo_key = _memo_key(key, e)
            if memo_key is None:
                out.extend(_violations((e,)))
                continue
            found = memo.get(memo_key)
            if found is None:
                if len(memo) >= _MEMO_SIZE:
                    memo.clear()
                found = memo[memo_key] = tuple(_violations((e,)))
            out.extend(found)
        return out

    def _legacy_envelope(self, event: dict[str, Any]) -> list[Violation]:
        compiled = self._compiled_for(LEGACY_ENVELOPE)
        return (
            []
            if compiled.is_valid(event)
            else self._explain(LEGACY_ENVELOPE, compiled.errors(event))
        )

    def _legacy(self, event: dict[str, Any]) -> tuple[str | None, list[Violation]]:
        """A legacy event: its own envelope schema, then its 1.0 mapping against the contract,
        with every finding pointed back at the legacy attribute it came from."""
        from ..envelopes import UnknownEnvelope, legacy_fields, to_cloudevents

        out = self._legacy_envelope(event)
        seen = {(v.pointer, v.rule) for v in out}
        try:
            mapped = to_cloudevents(event, exact=False)
        except UnknownEnvelope:  # no envelope attribute at all: the envelope check says what
            return self.force_type, out
        ce_event = mapped.event
        if self.strict and mapped.carried:
            ce_event = {k: v for k, v in ce_event.items() if k not in mapped.carried}
        contract, ce_violations = self._cloudevents(ce_event)
        for v in ce_violations:
            moved = _moved(v, mapped.input_pointer(v.pointer))
            if (moved.pointer, moved.rule) not in seen:
                out.append(moved)
        out.extend(
            Violation(
                "",
                f"(event): {w}",
                "x-qev-legacy",
                "legacy-unmapped",
                severity=DEFAULT_SEVERITY["legacy-unmapped"],
            )
            for w in mapped.warnings
        )
        out.extend(_legacy_note(legacy_fields(event)))
        return contract, out

    def _hybrid(self, event: dict[str, Any]) -> tuple[str | None, list[Violation]]:
        """A hybrid: the legacy half against the legacy schema, the 1.0 half against the
        contract, and every pair of attributes the two halves disagree on."""
        from ..envelopes import cloudevents_half, hybrid_disagreements, legacy_fields, legacy_half

        out = self._legacy_envelope(legacy_half(event))
        contract, ce_violations = self._cloudevents(cloudevents_half(event))
        out.extend(ce_violations)
        for d in hybrid_disagreements(event):
            severity: Severity = (
                "error" if d.kind == "differ" and d.attribute not in _LOOSE_PAIRS else "warning"
            )
            out.append(
                Violation(d.cloudevents_pointer, d.message, "x-qev-hybrid",
                          "hybrid-disagreement", severity=severity)
            )  # fmt: skip
        out.extend(_legacy_note(legacy_fields(event)))
        return contract, out

    def _unknown_type(self, t: Any) -> list[Violation]:
        if not isinstance(t, str) or not t or self.unknown_types == "ignore":
            return []  # the envelope check already reports a missing or non-string type
        hints = self._suggestions.get(t)
        if hints is None:  # archives repeat the same unknown types: work out hints once
            hints = self._suggestions[t] = self.catalog.suggest(t)
        hint = f"; did you mean {' or '.join(hints)}?" if hints else ""
        severity: Severity = "error" if self.unknown_types == "error" else "warning"
        return [
            Violation(
                "/type",
                f"type: no contract for event type {t!r} (envelope checked only){hint}",
                "type",
                "unknown-type",
                severity=severity,
            )
        ]

    def check(
        self, event: Any, *, source: str = "<input>", index: int = 0, line: int | None = None
    ) -> EventResult:
        """The full result for one event: verdict, violations, id, type, contract used."""
        # Fast path: most events in an archive are valid CloudEvents of a known type; for
        # them one compiled `is_valid` call decides, with nothing else computed. (Legacy
        # and hybrid events never pass a 1.0 contract, so they always take the full path.)
        known_invalid = False
        if self._fast and type(event) is dict:
            etype = event.get("type")
            contract = self._dispatch(etype)
            if contract is not None and not (self.strict and contract in self._open_payload):
                compiled = self._compiled.get(contract) or self._compiled_for(contract)
                if not compiled.is_valid(event):
                    known_invalid = True
                elif not needs_check(event) and (
                    contract not in self._open_payload or _object_payload(event)
                ):
                    eid = event.get("id")
                    return EventResult(
                        source, index, line, None,
                        eid if type(eid) is str else None,
                        etype if type(etype) is str else None,
                        contract, "cloudevents", "valid", [],
                    )  # fmt: skip
        shape, contract, violations = self._evaluate(event, known_invalid=known_invalid)
        is_obj = isinstance(event, dict)
        eid = (event.get("id") or event.get("eventId") or event.get("eventID")) if is_obj else None
        etype = (event.get("type") or event.get("eventType")) if is_obj else None
        return EventResult(
            source=source,
            index=index,
            line=line,
            event_id=eid if isinstance(eid, str) else None,
            event_type=etype if isinstance(etype, str) else None,
            contract=contract,
            envelope=shape,
            status="invalid" if any(v.severity == "error" for v in violations) else "valid",
            violations=violations,
        )

    def iter_results(self, source: Any) -> Iterator[EventResult]:
        """Stream results for a path, a list of paths, or an iterable of events."""
        if isinstance(source, (str, Path)):
            source = [str(source)]
        items = list(source) if isinstance(source, tuple) else source
        if isinstance(items, list) and items and all(isinstance(s, (str, Path)) for s in items):
            from ._run import iter_results

            yield from iter_results(self, [str(s) for s in items])
            return
        for i, ev in enumerate(items):
            yield self.check(ev, index=i)


_DETECT: list[Any] = []


def _detect() -> Any:
    """`envelopes.detect`, imported on first use (start-up stays light)."""
    if not _DETECT:
        from ..envelopes import detect

        _DETECT.append(detect)
    return _DETECT[0]


# Hybrid pairs compared loosely: their vocabularies differ between the halves in practice.
_LOOSE_PAIRS = frozenset({"authtype"})
LEGACY_REMOVAL_DATE = "2026-10-06"


def _legacy_note(pointers: list[str]) -> list[Violation]:
    """One note per event that still carries legacy attributes (Qlik is removing them)."""
    if not pointers:
        return []
    names = ", ".join(p.lstrip("/") for p in pointers)
    return [
        Violation(
            "",
            f"(event): legacy envelope attributes ({names}) are announced for removal on or "
            f"after {LEGACY_REMOVAL_DATE}; read the CloudEvents 1.0 attributes instead",
            "x-qev-legacy",
            "legacy-fields",
            severity=DEFAULT_SEVERITY["legacy-fields"],
        )
    ]


def _object_payload(event: dict[str, Any]) -> bool:
    """Whether `data`, if there, is an object: Qlik's overview page says "the payload
    contained in the `data` object remains consistent across both methods" (webhooks and
    the Audits API), so every Qlik event's payload is an object, documented or not."""
    return type(event.get("data", _NO_DATA)) in (dict, _NoData)


class _NoData:
    pass


_NO_DATA = _NoData()


def _payload_not_object(data: Any) -> Violation:
    return Violation(
        "/data",
        f"data: {show(data)} is {article(json_type(data))}, expected object (every Qlik event "
        "carries an object payload; the docs leave this type's contents unspecified)",
        "type",
        "type",
    )


def _null_is_missing(v: Violation) -> Violation:
    """A required attribute whose value was `null`: missing, and the message says why."""
    if v.rule != "required":
        return v
    name = v.pointer[1:]
    return dataclasses.replace(
        v,
        message=f"{name}: required attribute is null, which CloudEvents JSON reads as unset: "
        "it is missing",
    )


def _moved(v: Violation, pointer: str) -> Violation:
    """A violation found on the 1.0 mapping of a legacy event, pointed back at the input."""
    if pointer == v.pointer:
        return v
    from ..envelopes._pointers import dotted, tokens

    old = display_path([int(t) if t.isdigit() else t for t in tokens(v.pointer)])
    message = v.message
    if message.startswith(old + ":"):
        message = dotted(pointer) + message[len(old) :]
    return dataclasses.replace(v, pointer=pointer, message=message)


def unreadable_result(
    source: str, index: int, line: int | None, column: int | None, error: str
) -> EventResult:
    """The result for input that could not be read as an event: counted, never dropped."""
    v = Violation("", error, "unreadable", "unreadable")
    return EventResult(
        source=source, index=index, line=line, column=column, status="unreadable",
        violations=[v], error=error,
    )  # fmt: skip


_MEMO_SIZE = 4096
# Keywords whose details come from the schema alone: for them an error is its keyword, its
# paths and the failing value (which messages show; None where the engine leaves it out).
_VALUE_KEYED = frozenset(
    {"type", "enum", "const", "format", "pattern", "minLength", "maxLength", "minimum",
     "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
     "minProperties", "maxProperties"}
)  # fmt: skip
# Scalars a memo key may hold; the type is part of the key (1, 1.0 and True are equal keys).
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _memo_key(schema: str, e: RawError) -> tuple[Any, ...] | None:
    """What makes an explanation of `e` the same as another's, or None when not simple."""
    keyword = e.keyword
    if keyword in _VALUE_KEYED:
        value = e.instance
        kind = type(value)
        if kind not in _SCALARS:
            return None
        if kind is float:  # -0.0 == 0.0, but each shows as written
            value = repr(value)
        return (schema, keyword, e.instance_path, e.schema_path, kind, value)
    if keyword == "required" or keyword == "propertyNames":
        details = e.details
        name = details.get("property")
        if type(name) is not str or len(details) > (1 if keyword == "required" else 2):
            return None
        return (schema, keyword, e.instance_path, e.schema_path, name, details.get("pattern"))
    return None


def _violations(errors: Iterable[RawError]) -> Iterator[Violation]:
    for e in errors:
        schema_path = to_pointer(e.schema_path)
        rule = RULES.get(e.keyword, "schema")
        if e.keyword in ("additionalProperties", "unevaluatedProperties"):
            for prop in e.details.get("unexpected", []):
                path = (*e.instance_path, prop)
                yield new_violation(
                    to_pointer(path),
                    f"{display_path(path)}: property is not in the contract (strict mode)",
                    e.keyword, rule, schema_path,
                )  # fmt: skip
            continue
        path = e.instance_path
        if e.keyword == "propertyNames" or e.keyword == "required":
            path = (*path, e.details.get("property", ""))
        elif (
            e.keyword == "type"
            and len(path) == 1
            and e.schema_path[-2:-1] == ("additionalProperties",)
        ):
            rule = "attribute-value"
        if rule == "attribute-value":
            message = (
                f"{display_path(path)}: CloudEvents extension attributes must be a string, "
                f"boolean or integer (or null: unset), not {json_type(e.instance)}"
            )
        else:
            message = describe(e.keyword, e.instance_path, e.instance, _attribute_types(e))
        yield new_violation(to_pointer(path), message, e.keyword, rule, schema_path)


def _attribute_types(e: RawError) -> dict[str, Any]:
    """`e.details`, without `null` among the types an attribute is expected to have: the
    envelope allows `null` for OPTIONAL attributes, but a null attribute is unset and never
    reaches the schema, so the type to name is the one a value must have."""
    types = e.details.get("types")
    if e.keyword != "type" or len(e.instance_path) != 1 or not types or "null" not in types:
        return e.details
    return {**e.details, "types": [t for t in types if t != "null"]}


def _dedupe(violations: list[Violation]) -> list[Violation]:
    if len(violations) < 2:
        return violations
    seen: set[tuple[str, str, str]] = set()
    out = []
    for v in violations:
        key = (v.pointer, v.keyword, v.message)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return sorted(out, key=lambda v: (v.pointer, v.keyword, v.message))
