"""CloudEvents 1.0 type-system rules a JSON Schema cannot state, checked in Python.

* `null` means unset (json-format section 2.2): such attributes are dropped before the
  contract sees the event, so an OPTIONAL one is simply absent and a REQUIRED one missing.
* An Integer has "only the integer component" (json-format 2.2): `10.0` is a number with a
  fraction part, which JSON Schema's `integer` accepts as equal to 10.
* A String may not hold control characters or Unicode noncharacters (spec.md, Type System).
  Qlik's own examples put newlines in `authclaims`, so this is a warning by default and an
  error in strict mode.

`needs_check` is the cheap test the validator's fast path runs on every valid event: one C
call per string (`str.isprintable`, false for every character the rule disallows) and a
type test per value. Only events it flags pay for the exact checks.
"""

from __future__ import annotations

import re
from typing import Any

from .._pointer import escape
from .._spec.cloudevents import PAYLOAD_MEMBERS
from ._results import Severity, Violation

# Members that are not attributes: the payload (any JSON value, `null` included).
PAYLOAD = PAYLOAD_MEMBERS

# U+FDD0-U+FDEF and the last two code points of every plane are noncharacters (Unicode FAQ).
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_DISALLOWED = re.compile(f"[\x00-\x1f\x7f-\x9f{_NONCHARACTERS}\ud800-\udfff]")


def needs_check(event: dict[str, Any]) -> bool:
    """True when `event` may break a rule of this module (a valid event's fast test)."""
    for key, value in event.items():
        kind = type(value)
        if kind is str:
            if not value.isprintable() and key not in PAYLOAD:
                return True
        elif (kind is float or value is None) and key not in PAYLOAD:
            return True
    return False


def unset_attributes(event: dict[str, Any]) -> list[str]:
    """Attributes whose value is `null`: unset, as if they were not there."""
    return [k for k, v in event.items() if v is None and k not in PAYLOAD]


def describe_character(char: str) -> str:
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"an unpaired surrogate U+{code:04X}"
    if code <= 0x1F or 0x7F <= code <= 0x9F:
        names = {0x0A: "newline", 0x0D: "carriage return", 0x09: "tab", 0x00: "NUL"}
        return f"the control character U+{code:04X}" + (
            f" ({names[code]})" if code in names else ""
        )
    return f"the Unicode noncharacter U+{code:04X}"


def attribute_findings(event: dict[str, Any], *, strict: bool) -> list[Violation]:
    """Integer and String rule violations of `event`'s top-level attributes."""
    out: list[Violation] = []
    severity: Severity = "error" if strict else "warning"
    for key, value in event.items():
        if key in PAYLOAD:
            continue
        kind = type(value)
        if kind is float and value.is_integer():
            out.append(
                Violation(
                    "/" + escape(key),
                    f"{key}: {value!r} has a fraction part; a CloudEvents Integer is a whole "
                    f"number written without one ({int(value)}, not {value!r})",
                    "type",
                    "type",
                )
            )
        elif kind is str and not value.isprintable():
            found = _DISALLOWED.search(value)
            if found is None:
                continue
            count = len(_DISALLOWED.findall(value))
            more = f" (and {count - 1} more)" if count > 1 else ""
            out.append(
                Violation(
                    "/" + escape(key),
                    f"{key}: holds {describe_character(found.group())} at character "
                    f"{found.start() + 1}{more}; CloudEvents String attributes may not contain "
                    "control characters or Unicode noncharacters"
                    + ("" if strict else " (an error with --strict)"),
                    "x-qev-string",
                    "string-characters",
                    severity=severity,
                )
            )
    return out
