"""The report for people: breaking types first, each with its verdicts, witness and changes.

A change in a shared schema (the envelope) shows up in every event type that uses it; it
is listed once, with the number of types it reaches, so one edit does not print 36 times.
With colour (a terminal), verdicts are red when they break and green when they do not; the
witness events stay plain, ready to copy.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..._report.style import paint
from .._model import Basis, Change, DiffReport, Impact, Side, SideVerdict, TypeDiff
from . import status_counts

BASIS_TEXT = {
    Basis.ORACLE: "proven by the oracle",
    Basis.LOCAL_ORACLE: "proven per changed subschema",
    Basis.WITNESS: "proven by the witness event",
    Basis.STRUCTURAL: "by the structural rules only",
    Basis.EVENT_TYPE: "event type",
}


@dataclass(frozen=True, slots=True)
class Paint:
    """click's styles when `on`, the text unchanged otherwise."""

    on: bool = False

    def __call__(self, text: str, **style: Any) -> str:
        return paint(text, self.on, **style)

    def verdict(self, text: str, breaking: bool) -> str:
        return self(text, fg="red", bold=True) if breaking else self(text, fg="green")


def render_text(report: DiffReport, sides: tuple[Side, ...], *, color: bool = False) -> str:
    paint = Paint(color)
    lines = [f"qevcontract diff {report.old_label} -> {report.new_label}"]
    shared = _shared_changes(report)
    if shared:
        lines += ["", "Changes in shared schemas:"]
        for change, count in shared.values():
            lines.append(_change_line(change, paint) + f"  [{count} event types]")
    ordered = sorted(report.types, key=lambda t: (not any(t.breaks(s) for s in sides), t.type))
    groups: dict[tuple[object, ...], list[TypeDiff]] = {}
    for t in ordered:
        own = [c for c in t.changes if _key(c) not in shared]
        if t.status == "changed" and not own:
            groups.setdefault(_verdict_key(t), []).append(t)
            continue
        lines += ["", _heading(t, sides, paint)]
        lines += _verdict_lines(t, report, paint)
        lines += [_change_line(change, paint) for change in own]
        hidden = len(t.changes) - len(own)
        if hidden:
            lines.append(f"    (+{hidden} change(s) in shared schemas, listed above)")
    for members in groups.values():
        lines += ["", *_group_lines(members, sides, report, paint)]
    lines += ["", summary_line(report, sides, paint)]
    return "\n".join(lines) + "\n"


def _verdict_key(t: TypeDiff) -> tuple[object, ...]:
    p, c = t.producer, t.consumer
    return (p.breaking, p.basis, p.note, c.breaking, c.basis, c.note)


def _group_lines(
    members: list[TypeDiff], sides: tuple[Side, ...], report: DiffReport, paint: Paint
) -> list[str]:
    """Types changed only through shared schemas, with the same verdicts: one block."""
    if len(members) == 1:
        t = members[0]
        return [
            _heading(t, sides, paint),
            *_verdict_lines(t, report, paint),
            "    (all changes in shared schemas, listed above)",
        ]
    first = members[0]
    heading = _heading(first, sides, paint).split(": ", 1)[1]
    mark = _mark(any(first.breaks(s) for s in sides), paint)
    out = [f"{mark} {len(members)} event types changed only through shared schemas: {heading}"]
    names = ", ".join(t.type for t in members)
    out += textwrap.wrap(
        names, width=96, initial_indent="    ", subsequent_indent="    ", break_on_hyphens=False
    )
    out += [
        line.replace("    witness,", f"    witness for {first.type},", 1)
        for line in _verdict_lines(first, report, paint)
    ]
    return out


def _key(c: Change) -> tuple[str, ...]:
    return (c.kind, c.impact.value, c.file, c.pointer, c.message)


def _shared_changes(report: DiffReport) -> dict[tuple[str, ...], tuple[Change, int]]:
    """Changes outside a type's own file that more than one type reports, by identity."""
    counts: Counter[tuple[str, ...]] = Counter()
    first: dict[tuple[str, ...], Change] = {}
    for t in report.types:
        for c in t.changes:
            if c.file != t.file:
                counts[_key(c)] += 1
                first.setdefault(_key(c), c)
    shared = sorted((k for k, n in counts.items() if n > 1), key=lambda k: (k[2], k[3]))
    return {k: (first[k], counts[k]) for k in shared}


def _mark(fails: bool, paint: Paint) -> str:
    return paint("x", fg="red", bold=True) if fails else "-"


def _heading(t: TypeDiff, sides: tuple[Side, ...], paint: Paint) -> str:
    broken = [s.value + "s" for s in Side if t.breaks(s)]
    fails = any(t.breaks(s) for s in sides)
    verdict = f"BREAKS {' and '.join(broken)}" if broken else "breaks nobody"
    name = paint(t.type, bold=True)
    return f"{_mark(fails, paint)} {name} ({t.status}): {paint.verdict(verdict, bool(broken))}"


def _verdict_lines(t: TypeDiff, report: DiffReport, paint: Paint) -> list[str]:
    if t.status != "changed":
        notes = [v.note for v in (t.producer, t.consumer) if v.note]
        out = [f"    {note}" for note in notes]
        if t.producer.has_witness:
            out.append(f"    e.g. accepted by {report.old_label} only: {_json(t.producer.witness)}")
        return out
    out = []
    for side, verdict in ((Side.PRODUCER, t.producer), (Side.CONSUMER, t.consumer)):
        out += _side_lines(side, verdict, report, paint)
    return out


def _side_lines(side: Side, v: SideVerdict, report: DiffReport, paint: Paint) -> list[str]:
    state = paint.verdict("BREAKING" if v.breaking else "not breaking", v.breaking)
    detail = BASIS_TEXT[v.basis] + (f"; {v.note}" if v.note else "")
    lines = [f"  {side.value}: {state} ({detail})"]
    if v.has_witness:
        accepted, rejected = (
            (report.old_label, report.new_label)
            if side is Side.PRODUCER
            else (report.new_label, report.old_label)
        )
        lines.append(f"    witness, accepted by {accepted}, rejected by {rejected}:")
        lines.append(f"      {_json(v.witness)}")
    return lines


def _change_line(c: Change, paint: Paint) -> str:
    tag = f"[{c.impact.value}]"
    if c.impact is not Impact.NONE:
        tag = paint(tag, fg="yellow")
    return f"    {tag} {c.kind}  {c.message}  ({c.file}#{c.pointer})"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def summary_line(report: DiffReport, sides: tuple[Side, ...], paint: Paint = Paint()) -> str:
    counts = status_counts(report)
    changed, added, removed = counts["changed"], counts["added"], counts["removed"]
    parts = [
        f"{changed} changed, {added} added, {removed} removed, {report.unchanged} unchanged.",
        *(f"Breaking for {s.value}s: {len(report.breaking_types(s))}." for s in Side),
    ]
    broken = [s for s in sides if report.breaks(s)]
    if broken:  # name only the sides that actually break
        result = f"Result: BREAKING for {' and '.join(s.value + 's' for s in broken)}."
    else:
        result = f"Result: compatible for {' and '.join(s.value + 's' for s in sides)}."
    parts.append(paint.verdict(result, bool(broken)))
    return " ".join(parts)
