"""`Validator`: dispatch an event on its `type` to its contract and explain what is wrong.

Schemas are compiled lazily, once per event type. A `Validator` pickles as its settings and
its catalogue's location, so a worker process (multiprocessing, Spark, Dask) rebuilds it
cheaply; nothing is global.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..builder.envelope import BASE_URI, CLOUDEVENTS_ID, DRAFT_2020_12, QLIK_EXTENSIONS_ID
from ..contracts import Catalog, load
from .engines import ENGINES, CompiledSchema, Engine, RawError, make_engine
from .messages import RULES, describe, display_path, to_pointer
from .results import EventResult, Violation
from .strict import strict_contract

ENVELOPE_ONLY = "<envelope>"
_ENVELOPE_SCHEMA = {
    "$schema": DRAFT_2020_12,
    "$id": BASE_URI + "envelope/_envelope-only.schema.json",
    "allOf": [{"$ref": CLOUDEVENTS_ID}, {"$ref": QLIK_EXTENSIONS_ID}],
}


class Validator:
    """Validates CloudEvents 1.0 events against a contract set.

    `strict=True` rejects properties a documented object does not list, and events whose
    payload the docs leave unspecified. `force_type` applies one contract to every event.
    """

    def __init__(
        self,
        catalog: Catalog | str | Path | None = None,
        *,
        strict: bool = False,
        engine: str = "rs",
        force_type: str | None = None,
    ) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
        self.catalog = catalog if isinstance(catalog, Catalog) else load(catalog)
        self.strict = strict
        self.engine_name = engine
        self.force_type = force_type
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

    def __getstate__(self) -> dict[str, Any]:
        return {
            "catalog": self.catalog,
            "strict": self.strict,
            "engine": self.engine_name,
            "force_type": self.force_type,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["catalog"],
            strict=state["strict"],
            engine=state["engine"],
            force_type=state["force_type"],
        )

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
                schema = _ENVELOPE_SCHEMA
            else:
                schema = self.catalog.schema(key)
                if self.strict:
                    schema = strict_contract(schema)
            compiled = self._engine.compile(schema)
            self._compiled[key] = compiled
        return compiled

    def contract_for(self, event: Any) -> str | None:
        """The event type whose contract applies to `event`, or None (envelope only)."""
        if self.force_type is not None:
            return self.force_type
        t = event.get("type") if isinstance(event, dict) else None
        return t if isinstance(t, str) and t in self.catalog else None

    # ------------------------------------------------------------------ checking

    def validate(self, event: Any) -> list[Violation]:
        """Every violation of `event` against its contract (and the envelope), sorted."""
        if not isinstance(event, dict):
            return [
                Violation("", "the event is not a JSON object", "type", "type", severity="error")
            ]
        contract = self.contract_for(event)
        compiled = self._compiled_for(contract or ENVELOPE_ONLY)
        out: list[Violation] = []
        if not compiled.is_valid(event):
            out.extend(_violations(compiled.errors(event)))
        if contract is None:
            out.extend(self._unknown_type(event))
        elif self.strict and not self.catalog.entry(contract).payload_documented:
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
        return _dedupe(out)

    def _unknown_type(self, event: dict[str, Any]) -> list[Violation]:
        t = event.get("type")
        if not isinstance(t, str) or not t:
            return []  # the envelope check already reports a missing or non-string type
        hints = self._suggestions.get(t)
        if hints is None:  # archives repeat the same unknown types: work out hints once
            hints = self._suggestions[t] = self.catalog.suggest(t)
        hint = f"; did you mean {' or '.join(hints)}?" if hints else ""
        return [
            Violation(
                "/type",
                f"type: no contract for event type {t!r}{hint}",
                "type",
                "unknown-type",
            )
        ]

    def is_valid(self, event: Any) -> bool:
        return not any(v.severity == "error" for v in self.validate(event))

    def check(
        self, event: Any, *, source: str = "<input>", index: int = 0, line: int | None = None
    ) -> EventResult:
        """The full result for one event: verdict, violations, id, type, contract used."""
        # Fast path: most events in an archive are valid CloudEvents of a known type; for
        # them one compiled `is_valid` call decides, with nothing else computed.
        if type(event) is dict:
            etype = event.get("type")
            contract = self.force_type
            if contract is None and type(etype) is str and etype in self._types:
                contract = etype
            if contract is not None and not (self.strict and contract in self._open_payload):
                compiled = self._compiled.get(contract) or self._compiled_for(contract)
                eid = event.get("id")
                if compiled.is_valid(event):
                    return EventResult(
                        source, index, line, None,
                        eid if type(eid) is str else None,
                        etype if type(etype) is str else None,
                        contract, "cloudevents", "valid", [],
                    )  # fmt: skip
                violations = _dedupe(list(_violations(compiled.errors(event))))
                return EventResult(
                    source, index, line, None,
                    eid if type(eid) is str else None,
                    etype if type(etype) is str else None,
                    contract, "cloudevents", "invalid" if violations else "valid", violations,
                )  # fmt: skip
        violations = self.validate(event)
        is_obj = isinstance(event, dict)
        eid = event.get("id") if is_obj else None
        etype = event.get("type") if is_obj else None
        return EventResult(
            source=source,
            index=index,
            line=line,
            event_id=eid if isinstance(eid, str) else None,
            event_type=etype if isinstance(etype, str) else None,
            contract=self.contract_for(event),
            envelope="cloudevents",
            status="invalid" if any(v.severity == "error" for v in violations) else "valid",
            violations=violations,
        )

    def iter_results(self, source: Any) -> Iterator[EventResult]:
        """Stream results for a path, a list of paths, or an iterable of events."""
        if isinstance(source, (str, Path)):
            source = [str(source)]
        items = list(source) if isinstance(source, tuple) else source
        if isinstance(items, list) and items and all(isinstance(s, (str, Path)) for s in items):
            from .readers import iter_records

            for rec in iter_records([str(s) for s in items]):
                if rec.error is not None:
                    yield unreadable_result(rec.source, rec.index, rec.line, rec.column, rec.error)
                else:
                    yield self.check(rec.event, source=rec.source, index=rec.index, line=rec.line)
            return
        yield from self._iter_events(items)

    def _iter_events(self, events: Iterable[Any]) -> Iterator[EventResult]:
        for i, ev in enumerate(events):
            yield self.check(ev, index=i)


def unreadable_result(
    source: str, index: int, line: int | None, column: int | None, error: str
) -> EventResult:
    """The result for input that could not be read as an event: counted, never dropped."""
    v = Violation("", error, "unreadable", "unreadable")
    return EventResult(
        source=source, index=index, line=line, column=column, status="unreadable",
        violations=[v], error=error,
    )  # fmt: skip


def _violations(errors: Iterable[RawError]) -> Iterator[Violation]:
    for e in errors:
        schema_path = to_pointer(e.schema_path)
        rule = RULES.get(e.keyword, "schema")
        if e.keyword in ("additionalProperties", "unevaluatedProperties"):
            for prop in e.details.get("unexpected", []):
                path = (*e.instance_path, prop)
                yield Violation(
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
        message = describe(e.keyword, e.instance_path, e.instance, e.details)
        yield Violation(to_pointer(path), message, e.keyword, rule, schema_path)


def _dedupe(violations: list[Violation]) -> list[Violation]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for v in violations:
        key = (v.pointer, v.keyword, v.message)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return sorted(out, key=lambda v: (v.pointer, v.keyword, v.message))
