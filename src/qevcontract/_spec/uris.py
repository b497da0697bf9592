"""Where the envelope schemas live: their `$schema` dialect, `$id`s and file names."""

from __future__ import annotations

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
# `.invalid` is reserved (RFC 2606) and never resolves: a contract `$id` can never turn
# into a network fetch, whatever tool reads it.
BASE_URI = "https://qevcontract.invalid/contracts/"

CLOUDEVENTS_FILE = "envelope/cloudevents-1.0.schema.json"
QLIK_EXTENSIONS_FILE = "envelope/qlik-extensions.schema.json"
LEGACY_FILE = "envelope/qlik-legacy-0.1.schema.json"
CLOUDEVENTS_ID = BASE_URI + CLOUDEVENTS_FILE
QLIK_EXTENSIONS_ID = BASE_URI + QLIK_EXTENSIONS_FILE
LEGACY_ID = BASE_URI + LEGACY_FILE
