"""Strict mode as a schema transform: documented objects are closed to unknown properties.

Contracts stay open (Qlik adds fields over time); strictness is a validator option. The
transform closes every object that lists its properties, and closes the event itself to
anything that is neither in its contract nor a CloudEvents 1.0 core attribute.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

# CloudEvents 1.0 attributes (and JSON-format members) allowed on every event.
CORE_ATTRIBUTES = (
    "id", "source", "specversion", "type", "datacontenttype", "dataschema", "subject", "time",
    "data", "data_base64",
)  # fmt: skip

# Keywords whose values are subschemas (or maps / lists of them) we descend into.
_SUBSCHEMA_MAPS = ("properties", "$defs", "patternProperties")
_SUBSCHEMA_ONE = ("items", "additionalProperties", "not", "contains")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")


def _close(node: Any) -> None:
    if not isinstance(node, dict):
        return
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    for key in _SUBSCHEMA_MAPS:
        for sub in (node.get(key) or {}).values():
            _close(sub)
    for key in _SUBSCHEMA_ONE:
        _close(node.get(key))
    for key in _SUBSCHEMA_LISTS:
        for sub in node.get(key) or []:
            _close(sub)


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
    for name in (*CORE_ATTRIBUTES, *extension_attributes):
        props.setdefault(name, True)
    _close(out)
    return out
