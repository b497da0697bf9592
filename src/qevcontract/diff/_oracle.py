"""The verdict oracle: jsonschema-rs's canonical-schema algebra over self-contained schemas.

`old - new` satisfiable means some event the old contract accepted is rejected now: a producer
break. `new - old` satisfiable is a consumer break. The algebra answers yes, no or unknown;
"unknown" is never read as either (a `covers` containment check gets a second try at "no").
Schemas come in with every `$ref` inlined (deref.py): the two sets share `$id`s with different
contents, which one registry cannot hold and the algebra refuses to mix. Formats are asserted
(`validate_formats=True`) as the project's validators assert them, so adding a `format`
narrows a contract here as it does there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .._errors import first_line


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Difference:
    """What `accept - reject` is: whether it has members, and (when modelled) its schema."""

    answer: Answer
    schema: Any = None  # a JSON Schema for the difference, to generate witnesses from
    reason: str = ""  # why the answer is unknown


@dataclass(frozen=True)
class Prepared:
    """A schema in canonical form (or why it has none), to reuse across both directions."""

    canonical: Any = None
    error: str = ""


def prepare(schema: Any) -> Prepared:
    """Canonicalize once; `difference` takes the result in place of a schema."""
    import jsonschema_rs

    try:
        return Prepared(_canonical(schema))
    except (ValueError, jsonschema_rs.ValidationError) as exc:
        return Prepared(error=f"{type(exc).__name__}: {first_line(exc)}")


def difference(accept: Any, reject: Any, *, containment: bool = False) -> Difference:
    """Values `accept` admits and `reject` turns away: self-contained schemas, or `Prepared`.

    `containment=True` gives an undecided answer a second try with `covers`: worth it on a
    changed subschema, too slow on whole contracts (where "undecided" is nearly always a
    break that the witness search then shows)."""
    import jsonschema_rs
    from jsonschema_rs.canonical import Containment

    a = accept if isinstance(accept, Prepared) else prepare(accept)
    r = reject if isinstance(reject, Prepared) else prepare(reject)
    if a.error or r.error:
        return Difference(Answer.UNKNOWN, reason=a.error or r.error)
    try:
        diff = a.canonical.subtract(r.canonical)
        answer = Answer(diff.satisfiability().value)
        undecided = containment and answer is Answer.UNKNOWN
        if undecided and r.canonical.covers(a.canonical) == Containment.YES:
            answer = Answer.NO  # containment has its own procedure: a second try
    except (ValueError, jsonschema_rs.ValidationError) as exc:
        # CanonicalizationError and its kinds are ValueErrors: the algebra could not model it.
        reason = f"{type(exc).__name__}: {first_line(exc)}"
        return Difference(Answer.UNKNOWN, reason=reason)
    if answer is Answer.NO:
        return Difference(answer)
    try:
        schema = diff.to_json_schema()
    except ValueError:
        schema = None
    reason = "" if answer is Answer.YES else "the algebra could not decide"
    return Difference(answer, schema, reason)


def _canonical(schema: Any) -> Any:
    import jsonschema_rs

    return jsonschema_rs.canonicalize(
        schema, draft=jsonschema_rs.Draft202012, validate_formats=True, offline=True
    )
