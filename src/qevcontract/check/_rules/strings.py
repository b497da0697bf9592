"""String characters (QEV410): doc examples whose String attributes CloudEvents disallows.

CloudEvents 1.0, spec.md, Type System: "`String` - Sequence of allowable Unicode
characters. The following characters are disallowed: the "control characters" in the
ranges U+0000-U+001F and U+007F-U+009F (both ranges inclusive), ... code points identified
as noncharacters by Unicode ... code points identifying Surrogates ... unless used properly
in pairs." Qlik's pages show `authclaims` with newlines in it. `validate` warns about such
events (QEV125); this rule reports the examples that teach them, with the same type-system
code, so both commands judge a value alike.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...validate._typesystem import attribute_findings
from .._context import CheckContext
from .._findings import Hit
from .._registry import Rule
from .examples import example_pointer


def string_characters(ctx: CheckContext) -> Iterator[Hit]:
    for contract in ctx.contracts():
        for index, example in enumerate(contract.examples):
            if not isinstance(example, dict):
                continue
            # strict=True: the message without validate's "(an error with --strict)".
            for v in attribute_findings(example, strict=True):
                if v.rule == "string-characters":
                    yield ctx.contract_hit(
                        contract,
                        example_pointer(index, v.pointer),
                        v.message,
                        _HINT,
                        key=v.pointer,
                    )


_HINT = (
    "Producers following the example send events that strict CloudEvents consumers reject and "
    "HTTP binary mode cannot carry as a header; escape the value (e.g. send the JSON on one "
    "line) or base64-encode it."
)

RULES = (
    Rule(
        "QEV410", "string-characters", "cloudevents", "warning",
        "a doc example's String attribute holds characters CloudEvents disallows",
        "CloudEvents 1.0 disallows control characters (U+0000-U+001F, U+007F-U+009F), Unicode "
        "noncharacters and unpaired surrogates in String attributes. Reports top-level "
        "attributes of doc examples that hold them, such as the newlines in Qlik's "
        "`authclaims` examples; `validate` warns about such events (QEV125).",
        string_characters,
        why=(
            "JSON carries such a value and most SDKs accept it; the HTTP binary binding and "
            "strict consumers do not, so it is a portability problem, not a broken event"
        ),
    ),
)  # fmt: skip
