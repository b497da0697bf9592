"""Strict mode as a schema transform: documented objects are closed to unknown properties.

Contracts stay open (Qlik adds fields over time); strictness is a validator option. The
transform closes every object that lists its properties, and closes the event itself to
anything that is neither in its contract nor a CloudEvents 1.0 core attribute.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from .._schema_keywords import ANNOTATION_ONLY, CONDITIONS, NAMES, subschemas
from .._spec.cloudevents import CORE_MEMBERS

# Subschemas left open: closing a condition (`if`, `not`) would loosen the schema, and
# names and `contentSchema` describe no object of the event.
_LEFT_OPEN = CONDITIONS | NAMES | ANNOTATION_ONLY
# Branches that add to the object they stand in (when a condition holds, or a member is
# there): their members are known to that object, and the branch is not closed on its own
# (it would reject the object's other members).
_ADDING = frozenset({"then", "else", "dependentSchemas"})


def _close(node: Any, *, whole: bool = True) -> None:
    if not isinstance(node, dict):
        return
    props = node.get("properties")
    if whole and isinstance(props, dict) and "additionalProperties" not in node:
        node["additionalProperties"] = False
        for step, branch in subschemas(node, definitions=False):
            more = (
                branch.get("properties")
                if step[0] in _ADDING and isinstance(branch, dict)
                else None
            )
            for name in more if isinstance(more, dict) else ():
                props.setdefault(name, True)
    for step, sub in subschemas(node):
        if step[0] not in _LEFT_OPEN:
            _close(sub, whole=step[0] not in _ADDING)


def strict_contract(
    contract: dict[str, Any], extension_attributes: Iterable[str] = ()
) -> dict[str, Any]:
    """A closed copy of a contract, under its own `$id` so local `$ref`s see the closed defs.

    `extension_attributes` are the names the shared extension envelope declares (tenantid,
    userid, traceparent, ...): documented for every event, so never "unknown" here.
    """
    out = copy.deepcopy(contract)
    if "$id" in out:
        out["$id"] = out["$id"].removesuffix(".schema.json") + ".strict.schema.json"
    props = out.setdefault("properties", {})
    for name in (*CORE_MEMBERS, *extension_attributes):
        props.setdefault(name, True)
    _close(out)
    return out
