"""The three envelopes Qlik Cloud deliveries come in, and conversions between them.

    from qevcontract.envelopes import detect, to_cloudevents, to_legacy, hybrid_disagreements

    detect(event)                      # "cloudevents" | "hybrid" | "legacy" | None
    to_cloudevents(event).event        # pure CloudEvents 1.0
    to_legacy(event).event             # Qlik's legacy (CloudEvents 0.1 style) shape
    hybrid_disagreements(event)        # pairs of a hybrid's halves that do not agree

The mapping, and where attributes without a counterpart go, is in docs/envelopes.md.
"""

from __future__ import annotations

from ._agreement import Disagreement, hybrid_disagreements, values_agree
from ._attributes import PATCH_ATTRIBUTE
from ._convert import (
    Normalized,
    UnknownEnvelope,
    shape_of,
    to_cloudevents,
    to_hybrid,
    to_legacy,
)
from ._patch import PatchError
from ._pointers import map_pointer
from ._shapes import (
    SHAPES,
    Shape,
    cloudevents_half,
    detect,
    legacy_fields,
    legacy_half,
    legacy_members,
)

__all__ = [
    "PATCH_ATTRIBUTE",
    "SHAPES",
    "Disagreement",
    "Normalized",
    "PatchError",
    "Shape",
    "UnknownEnvelope",
    "cloudevents_half",
    "detect",
    "hybrid_disagreements",
    "legacy_fields",
    "legacy_half",
    "legacy_members",
    "map_pointer",
    "shape_of",
    "to_cloudevents",
    "to_hybrid",
    "to_legacy",
    "values_agree",
]
