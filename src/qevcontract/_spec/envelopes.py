"""The envelope schemas a contract set ships, and the schema of the envelope alone."""

from __future__ import annotations

from typing import Any

from .cloudevents import cloudevents_schema
from .legacy import legacy_envelope_schema
from .qlik import qlik_extensions_schema
from .uris import (
    BASE_URI,
    CLOUDEVENTS_FILE,
    CLOUDEVENTS_ID,
    DRAFT_2020_12,
    LEGACY_FILE,
    QLIK_EXTENSIONS_FILE,
    QLIK_EXTENSIONS_ID,
)

# What every event must satisfy whatever its type: the CloudEvents envelope and Qlik's
# extensions (for events of a type without a contract).
ENVELOPE_ONLY_SCHEMA = {
    "$schema": DRAFT_2020_12,
    "$id": BASE_URI + "envelope/_envelope-only.schema.json",
    "allOf": [{"$ref": CLOUDEVENTS_ID}, {"$ref": QLIK_EXTENSIONS_ID}],
}


def envelope_files() -> dict[str, dict[str, Any]]:
    """Relative path -> schema, for the writer."""
    return {
        CLOUDEVENTS_FILE: cloudevents_schema(),
        QLIK_EXTENSIONS_FILE: qlik_extensions_schema(),
        LEGACY_FILE: legacy_envelope_schema(),
    }
