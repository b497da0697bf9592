"""CloudEvents 1.0 rules of the envelope, each from a sentence of the specification.

Quotes are from cloudevents/spec `cloudevents/spec.md` (section "Type System") and
`cloudevents/formats/json-format.md` (v1.0.2). Every case runs on both engines: the verdict
and the rules reported must be the same, and right.
"""

from __future__ import annotations

from typing import Any

import pytest

from qevcontract.contracts import Catalog
from qevcontract.validate._results import EventResult
from qevcontract.validate._validator import Validator

ENGINES = ("rs", "python")
BASE = {"specversion": "1.0", "id": "A234-1234-1234", "source": "/mycontext",
        "type": "com.example.someevent"}  # fmt: skip


def check(catalog: Catalog, engine: str, strict: bool = False, **members: Any) -> EventResult:
    """An envelope-only check (the type has no contract) of BASE with `members` set."""
    event = {**BASE, **members}
    v = Validator(catalog, engine=engine, strict=strict, unknown_types="ignore")
    return v.check(event)


def rules(result: EventResult) -> set[tuple[str, str, str]]:
    return {(v.pointer, v.rule, v.severity) for v in result.violations}


# --- null is unset --------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "members",
    [
        {"subject": None},
        {"time": None},
        {"dataschema": None},
        {"datacontenttype": None},
        {"unsetextension": None},
        {"subject": None, "exbool": None, "exint": 42},
    ],
)
def test_null_optional_and_extension_attributes_are_unset(
    catalog: Catalog, engine: str, members: dict[str, Any]
) -> None:
    """json-format 2.2: "When decoding attributes and a `null` value is encountered, it MUST
    be treated as the equivalent of unset or omitted." (Its own examples carry
    `"subject": null` and `"unsetextension": null`.)"""
    result = check(catalog, engine, **members)
    assert result.status == "valid" and not result.violations


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", ["id", "source", "specversion", "type"])
def test_a_required_attribute_set_to_null_is_missing(
    catalog: Catalog, engine: str, name: str
) -> None:
    """spec.md: "id ... REQUIRED" (and source, specversion, type); json-format 2.2 reads
    `null` as unset, so the attribute is missing: said so, not "null is a null"."""
    result = check(catalog, engine, **{name: None})
    assert result.status == "invalid"
    (v,) = [v for v in result.violations if v.pointer == f"/{name}"]
    assert v.rule == "required"
    assert "null" in v.message and "missing" in v.message and "expected" not in v.message


def test_a_null_attribute_in_a_qlik_contract_is_unset_too(catalog: Catalog) -> None:
    """The task contracts type `time` as a string; `"time": null` is unset, not a type error."""
    t = "com.qlik.v1.role.created"
    event = {**BASE, "type": t, "time": None, "tenantid": None}
    assert Validator(catalog).check(event).status == "valid"


# --- Integer ----------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (2_147_483_647, True),
        (-2_147_483_648, True),
        (2_147_483_648, False),
        (-2_147_483_649, False),
        (0, True),
        (10.0, False),  # a fraction part, even a zero one
        (-3.0, False),
        (1.5, False),
    ],
)
def test_integer_attributes_are_32_bit_whole_numbers(
    catalog: Catalog, engine: str, value: Any, ok: bool
) -> None:
    """spec.md: "`Integer` - A whole number in the range -2,147,483,648 to +2,147,483,647
    inclusive." json-format 2.2: Integer is a JSON number where "only the integer component
    optionally prefixed with a minus sign is permitted" (so `10.0` is not one)."""
    result = check(catalog, engine, comexampleint=value)
    assert (result.status == "valid") is ok, result.violations
    if not ok:
        assert {v.pointer for v in result.violations} == {"/comexampleint"}


def test_integer_read_from_json_text_keeps_its_fraction(tmp_path: Any, catalog: Catalog) -> None:
    """`10.0` in the file stays a float when read, so the rule sees it (not 10)."""
    from qevcontract.validate._run import iter_results

    path = tmp_path / "e.jsonl"
    line = '{"specversion":"1.0","id":"1","source":"/s","type":"x.y","exint":10.0}'
    path.write_text(line + "\n", "utf-8")
    v = Validator(catalog, unknown_types="ignore")
    (result,) = iter_results(v, [str(path)])
    (violation,) = result.violations
    assert "fraction" in violation.message
    assert (violation.line, violation.column) == (1, line.index("10.0") + 1)


# --- String characters ------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "text",
    ["line\nbreak", "nul\x00", "tab\there", "del\x7f", "c1\x85", "c1\x9f", "\ufdd0", "\ufffe",
     "x\U0010ffff"],
)  # fmt: skip
def test_control_characters_and_noncharacters_in_strings_are_warned_then_rejected(
    catalog: Catalog, engine: str, text: str
) -> None:
    """spec.md: "`String` - Sequence of allowable Unicode characters. The following characters
    are disallowed: the "control characters" in the ranges U+0000-U+001F and U+007F-U+009F
    (both ranges inclusive) ... code points identified as noncharacters by Unicode."
    Qlik's own examples put newlines in `authclaims`: a warning by default, an error with
    --strict."""
    default = check(catalog, engine, comexamplestring=text)
    assert default.status == "valid"
    assert rules(default) == {("/comexamplestring", "string-characters", "warning")}
    strict = check(catalog, engine, strict=True, comexamplestring=text)
    assert strict.status == "invalid"
    assert rules(strict) == {("/comexamplestring", "string-characters", "error")}


@pytest.mark.parametrize("text", ["plain", "é ü 漢字", "emoji \U0001f600", "nbsp\u00a0", "\u200d"])
def test_allowed_characters_are_not_flagged(catalog: Catalog, text: str) -> None:
    """Printable characters, and ones Python deems unprintable but Unicode allows (NBSP, ZWJ)."""
    assert not check(catalog, "rs", strict=True, comexamplestring=text).violations


def test_data_strings_are_payload_not_attributes(catalog: Catalog) -> None:
    """The String rule is about attributes; `data` is "unrestricted" (json-format 3.1.1)."""
    result = check(catalog, "rs", strict=True, datacontenttype="text/plain", data="a\nb\x00")
    assert not result.violations


def test_qlik_authclaims_newlines_are_a_warning(catalog: Catalog) -> None:
    """A Qlik event whose authclaims holds a newline (as Qlik's examples do) stays valid."""
    t = "com.qlik.v1.role.created"
    claims = '{\n  "sub": "u1"\n}'
    result = Validator(catalog).check({**BASE, "type": t, "authclaims": claims})
    assert result.status == "valid"
    assert rules(result) == {("/authclaims", "string-characters", "warning")}
    assert Validator(catalog, strict=True).check({**BASE, "type": t, "authclaims": claims}).status


# --- data_base64 --------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("eyAieHl6IjogMTIzIH0=", True),  # the json-format example's own value
        ("AAECAw==", True),
        ("", True),  # zero bytes
        ("abc", False),  # length not a multiple of 4
        ("a=bc", False),  # padding inside
        ("ab!c", False),  # outside the alphabet
        ("AAECAw==\n", False),  # a trailing newline: both engines must say so
        ("AAEC Aw==", False),
        ("-_-_", False),  # the URL-safe alphabet is another encoding (RFC 4648 section 5)
    ],
)
def test_data_base64_is_base64(catalog: Catalog, engine: str, value: str, ok: bool) -> None:
    """json-format 3.1.1: a Binary payload is "a JSON string expression containing the
    Base64 encoded binary value" in `data_base64`, Base64 being RFC 4648 section 4, which
    says implementations "MUST reject the encoded data if it contains characters outside the
    base alphabet" (section 3.3)."""
    result = check(catalog, engine, data_base64=value)
    assert (result.status == "valid") is ok, result.violations


# --- media types -------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("application/json", True),
        ("application/cloudevents+json; charset=utf-8", True),
        ('message/external-body; access-type=URL; URL*0="ftp://"; URL*1="cs.utk.edu/pub"', True),
        ("text/plain; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A", True),
        ('text/plain; name="a \\"quoted\\" word"', True),
        ("application/json\n", False),
        ("application/json; charset", False),
        ("application/json; a b=c", False),
        ("application/json; a(b)=c", False),
        ("json", False),
    ],
)
def test_media_type_parameters_are_rfc_2045_tokens(
    catalog: Catalog, engine: str, value: str, ok: bool
) -> None:
    """spec.md, datacontenttype: "MUST adhere to the format specified in RFC 2046". RFC 2045
    section 5.1: `parameter := attribute "=" value`, `attribute := token`, and a token is any
    CHAR "except SPACE, CTLs, or tspecials" - so `*` (RFC 2231's `URL*0`) is allowed."""
    result = check(catalog, engine, datacontenttype=value)
    errors = {v.rule for v in result.violations if v.severity == "error"}
    assert (not errors) is ok, result.violations


# --- patterns read the same by both engines ---------------------------------------------------


@pytest.mark.parametrize(
    "members",
    [
        {"ext\n": "x"},
        {"datacontenttype": "application/json\n"},
        {"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\n"},
    ],
)
def test_a_trailing_newline_fails_on_both_engines(
    catalog: Catalog, members: dict[str, Any]
) -> None:
    """JSON Schema patterns are ECMA-262 regular expressions, where `$` is the end of the
    input; Python's `$` also matches before a final newline. spec.md: attribute names "MUST
    consist of lower-case letters [a-z] or digits [0-9]"."""
    results = [check(catalog, e, **members) for e in ENGINES]
    assert [r.status for r in results] == ["invalid", "invalid"]
    assert rules(results[0]) == rules(results[1])


def test_ecma_pattern_translation() -> None:
    from qevcontract.validate._engines import ecma_pattern

    assert ecma_pattern("^[a-z]+$") == r"^[a-z]+\Z"
    assert ecma_pattern(r"^a\$[$]$") == r"^a\$[$]\Z"  # escaped and in-class `$` stay


# --- unpaired surrogates ---------------------------------------------------------------------


def test_an_unpaired_surrogate_escape_is_reported_as_a_bad_value(
    tmp_path: Any, catalog: Catalog
) -> None:
    """spec.md: "code points identifying Surrogates, U+D800-U+DBFF and U+DC00-U+DFFF ...
    unless used properly in pairs. Thus (in JSON notation) "\\uDEAD" is invalid because it is
    an unpaired surrogate, while "\\uD800\\uDEAD" would be legal." RFC 8259 section 8.2 makes
    it grammatical JSON, so it is the value that is wrong, not the JSON."""
    from qevcontract.validate._run import iter_results

    path = tmp_path / "e.jsonl"
    path.write_bytes(
        b'{"specversion":"1.0","id":"1","source":"/s","type":"x.y","subject":"\\udead"}\n'
        b'{"specversion":"1.0","id":"2","source":"/s","type":"x.y","subject":"\\ud800\\udead"}\n'
    )
    bad, good = iter_results(Validator(catalog, unknown_types="ignore"), [str(path)])
    assert good.status == "valid"
    assert bad.status == "invalid"
    (v,) = bad.violations
    assert v.pointer == "/subject" and "unpaired surrogate" in v.message
    assert "malformed" not in v.message
    assert (v.line, v.column) == (1, path.read_bytes().index(b'"\\udead"') + 1)
