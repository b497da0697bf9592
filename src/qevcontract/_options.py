"""The closed sets of option values, each once: a `Literal` for the type checker and the
tuple of its values for `click.Choice` and error messages.

Light on purpose (no imports but `typing`): the CLI builds its options from these before
anything heavy is imported.
"""

from __future__ import annotations

from typing import Literal, get_args

#: `Validator(engine=...)`, `validate --engine`: jsonschema-rs or python-jsonschema.
EngineName = Literal["rs", "python"]
ENGINES: tuple[EngineName, ...] = get_args(EngineName)

#: The three envelope shapes an event can come in (`normalize --to`, `webhook send
#: --envelope`, `envelopes.detect`): CloudEvents 1.0, Qlik's legacy 0.1-style envelope, or a
#: hybrid carrying both.
EnvelopeShape = Literal["cloudevents", "hybrid", "legacy"]
ENVELOPE_SHAPES: tuple[EnvelopeShape, ...] = get_args(EnvelopeShape)

#: `Validator(envelope=...)`, `validate --envelope`: how an event's envelope is read
#: ("auto": recognise each event's shape).
EnvelopeMode = Literal["auto", EnvelopeShape]
ENVELOPE_MODES: tuple[EnvelopeMode, ...] = get_args(EnvelopeMode)

#: `Validator(unknown_types=...)`, `--unknown-types`: what an event type without a contract is.
UnknownTypes = Literal["error", "warn", "ignore"]
UNKNOWN_TYPES: tuple[UnknownTypes, ...] = get_args(UnknownTypes)

#: `validate --format`: the report formats.
ReportFormat = Literal["text", "json", "junit", "sarif", "github"]
REPORT_FORMATS: tuple[ReportFormat, ...] = get_args(ReportFormat)

#: `fake --format`, `generate.serialize.write_events`: how generated events are written.
EventFormat = Literal["jsonl", "json", "yaml"]
EVENT_FORMATS: tuple[EventFormat, ...] = get_args(EventFormat)
