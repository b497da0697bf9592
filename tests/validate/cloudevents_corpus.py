"""CloudEvents 1.0 JSON events with a verdict known from outside this project.

Each case is JSON text (read through the real reader, so number spellings and escapes are
what the file says), the verdict CloudEvents 1.0 gives it, and where that verdict comes
from: a sentence of the spec (cloudevents/spec `spec.md`, `formats/json-format.md`), the
conformance suite (cloudevents/conformance `yaml/v1.yaml`), or a behaviour the SDKs test
(sdk-go `event_unmarshal_test.go` "null attributes v1.0", sdk-java / sdk-javascript /
sdk-python validation tests). The events are written here, small, one rule each; none is
copied from those repositories.

`strict`: the verdict is CloudEvents', so String-character findings count as errors (the
validator's --strict); by default they are warnings (Qlik's examples break that rule).
"""

# ruff: noqa: E501
from __future__ import annotations

from typing import Literal, NamedTuple

Verdict = Literal["valid", "invalid"]


class Case(NamedTuple):
    name: str
    source: str
    text: str
    verdict: Verdict


_HEAD = '"specversion":"1.0","id":"A234-1234-1234","source":"/mycontext","type":"com.example.t"'


def _ev(extra: str = "", head: str = _HEAD) -> str:
    return "{" + head + ("," + extra if extra else "") + "}"


def _without(name: str, extra: str = "") -> str:
    parts = [p for p in _HEAD.split(",") if not p.startswith(f'"{name}"')]
    return _ev(extra, ",".join(parts))


SPEC = "spec.md"
JSON = "json-format.md"
CONF = "conformance yaml/v1.yaml"
GO = "sdk-go"
JAVA = "sdk-java"
JS = "sdk-javascript"
PY = "sdk-python"

CASES: list[Case] = [
    # --- minimal and full events
    Case("minimal", f"{SPEC}: the four REQUIRED attributes", _ev(), "valid"),
    Case("conformance structured event", CONF,
         _ev('"time":"2018-04-05T03:56:24Z","comexampleextension1":"value",'
             '"comexampleextension2":"{\\"othervalue\\": 5}","data":{"world":"hello"}'), "valid"),
    Case("all optional attributes", f"{SPEC}: OPTIONAL attributes",
         _ev('"datacontenttype":"application/json","dataschema":"https://example.com/s.json",'
             '"subject":"larger-context","time":"2018-04-05T17:31:00Z","data":{}'), "valid"),
    Case("absolute URI source", f"{SPEC}: source is a URI-reference",
         _ev(head=_HEAD.replace('"/mycontext"', '"https://github.com/cloudevents"')), "valid"),
    Case("URN source", f"{SPEC}: source examples (urn:uuid)",
         _ev(head=_HEAD.replace('"/mycontext"', '"urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"')),
         "valid"),
    # --- REQUIRED attributes
    *(Case(f"missing {n}", f"{SPEC}: {n} is REQUIRED", _without(n), "invalid")
      for n in ("id", "source", "specversion", "type")),
    *(Case(f"null {n}", f"{JSON} 2.2: null is unset; {SPEC}: {n} is REQUIRED",
           _without(n, f'"{n}":null'), "invalid") for n in ("id", "source", "specversion", "type")),
    Case("empty id", f"{SPEC}: id MUST be a non-empty string", _without("id", '"id":""'), "invalid"),
    Case("empty source", f"{SPEC}: source MUST be a non-empty URI-reference",
         _without("source", '"source":""'), "invalid"),
    Case("empty type", f"{SPEC}: type MUST be a non-empty string",
         _without("type", '"type":""'), "invalid"),
    Case("specversion 0.3", f"{SPEC}: specversion MUST be 1.0 for this version; {JS}, {PY}",
         _without("specversion", '"specversion":"0.3"'), "invalid"),
    Case("numeric specversion", f"{JSON} 2.2: String maps to a JSON string",
         _without("specversion", '"specversion":1.0'), "invalid"),
    Case("numeric id", f"{JSON} 2.2: String maps to a JSON string",
         _without("id", '"id":1234'), "invalid"),
    # --- null means unset
    Case("null subject", f"{JSON} 2.3 example: subject String (null)", _ev('"subject":null'), "valid"),
    Case("null time", f"{JSON} 2.3 example: time Timestamp (null); {GO} null attributes",
         _ev('"time":null'), "valid"),
    Case("null extension", f"{JSON} 3 example: \"unsetextension\": null", _ev('"unsetextension":null'),
         "valid"),
    Case("null dataschema and extensions", f"{GO}: null attributes v1.0",
         _ev('"dataschema":null,"exbool":null,"exurl":null,"exint":42'), "valid"),
    Case("null datacontenttype", f"{JSON} 2.2: null is unset", _ev('"datacontenttype":null'), "valid"),
    Case("null data", f"{JSON} 3.1.1: data MAY be null", _ev('"data":null'), "valid"),
    # --- attribute names
    Case("upper-case extension", f"{SPEC}: names MUST be lower-case letters or digits",
         _ev('"myExtension":"x"'), "invalid"),
    Case("dash in a name", f"{SPEC}: names MUST be lower-case letters or digits; {JAVA}",
         _ev('"my-ext":"x"'), "invalid"),
    Case("underscore in a name", f"{SPEC}: names MUST be lower-case letters or digits",
         _ev('"my_ext":"x"'), "invalid"),
    Case("name with a trailing newline", f"{SPEC}: names MUST be lower-case letters or digits",
         _ev('"ext\\n":"x"'), "invalid"),
    Case("digits-only name", f"{SPEC}: letters or digits (SHOULD start with a letter)",
         _ev('"123":"x"'), "valid"),
    Case("long name", f"{SPEC}: SHOULD NOT exceed 20 characters (a SHOULD)",
         _ev('"abcdefghijklmnopqrstuvwxyz":"x"'), "valid"),
    # --- extension values
    Case("boolean extension", f"{SPEC}: Boolean", _ev('"exbool":true'), "valid"),
    Case("integer extension", f"{SPEC}: Integer", _ev('"exint":42'), "valid"),
    Case("Integer maximum", f"{SPEC}: Integer up to +2,147,483,647", _ev('"exint":2147483647'),
         "valid"),
    Case("Integer minimum", f"{SPEC}: Integer from -2,147,483,648", _ev('"exint":-2147483648'),
         "valid"),
    Case("Integer too big", f"{SPEC}: Integer range; {JAVA} (int32)", _ev('"exint":2147483648'),
         "invalid"),
    Case("Integer too small", f"{SPEC}: Integer range", _ev('"exint":-2147483649'), "invalid"),
    Case("Integer with a zero fraction", f"{JSON} 2.2: only the integer component is permitted",
         _ev('"exint":10.0'), "invalid"),
    Case("number with a fraction", f"{JSON} 2.2: Integer is a whole number", _ev('"exnum":1.5'),
         "invalid"),
    Case("Integer with an exponent", f"{JSON} 2.2: only the integer component is permitted",
         _ev('"exint":1e3'), "invalid"),
    Case("object extension", f"{SPEC}: values are of the type system's types; {JS}",
         _ev('"exobj":{"a":1}'), "invalid"),
    Case("array extension", f"{SPEC}: values are of the type system's types",
         _ev('"exarr":[1]'), "invalid"),
    Case("URI-looking string extension", f"{GO}: URI and Timestamp extensions are strings",
         _ev('"exurl":"https://example.com","extime":"2018-04-05T17:31:00Z"'), "valid"),
    Case("Base64-looking string extension", f"{GO}: Binary extensions are strings",
         _ev('"exbinary":"AAECAw=="'), "valid"),
    # --- String characters
    Case("newline in a String", f"{SPEC}: control characters U+0000-U+001F are disallowed",
         _ev('"subject":"a\\nb"'), "invalid"),
    Case("NUL in an extension", f"{SPEC}: control characters are disallowed",
         _ev('"exstr":"a\\u0000b"'), "invalid"),
    Case("C1 control character", f"{SPEC}: U+007F-U+009F are disallowed",
         _ev('"exstr":"a\\u0085b"'), "invalid"),
    Case("noncharacter", f"{SPEC}: noncharacters are disallowed", _ev('"exstr":"\\ufdd0"'),
         "invalid"),
    Case("unpaired surrogate", f"{SPEC}: \"\\uDEAD\" is invalid", _ev('"subject":"\\udead"'),
         "invalid"),
    Case("paired surrogates", f"{SPEC}: \"\\uD800\\uDEAD\" would be legal",
         _ev('"subject":"\\ud800\\udead"'), "valid"),
    Case("non-ASCII text", f"{SPEC}: a sequence of allowable Unicode characters",
         _ev('"subject":"caf\\u00e9 \\u6f22"'), "valid"),
    # --- time and URIs
    Case("RFC 3339 time with offset", f"{SPEC}: time is RFC 3339",
         _ev('"time":"2018-04-05T17:31:00+02:00"'), "valid"),
    Case("time without zone", f"{SPEC}: time is RFC 3339 (a zone is required)",
         _ev('"time":"2018-04-05T17:31:00"'), "invalid"),
    Case("time that is a date", f"{SPEC}: time is an RFC 3339 timestamp",
         _ev('"time":"2018-04-05"'), "invalid"),
    Case("relative dataschema", f"{SPEC}: dataschema is an absolute URI",
         _ev('"dataschema":"/schema.json"'), "invalid"),
    Case("empty subject", f"{SPEC}: subject, if present, MUST be a non-empty string",
         _ev('"subject":""'), "invalid"),
    # --- datacontenttype
    Case("media type with parameters", f"{SPEC}: datacontenttype per RFC 2046",
         _ev('"datacontenttype":"application/cloudevents+json; charset=utf-8"'), "valid"),
    Case("RFC 2231 parameter name", "RFC 2045 5.1: attribute := token (`*` allowed)",
         _ev('"datacontenttype":"message/external-body; access-type=URL; URL*0=\\"ftp://a\\""'),
         "valid"),
    Case("not a media type", f"{SPEC}: datacontenttype per RFC 2046",
         _ev('"datacontenttype":"json"'), "invalid"),
    Case("media type and a newline", f"{SPEC}: datacontenttype per RFC 2046",
         _ev('"datacontenttype":"application/json\\n"'), "invalid"),
    # --- data and data_base64
    Case("string data", f"{JSON} 3.1.1: non-JSON content is a string in data",
         _ev('"datacontenttype":"text/xml","data":"<much wow=\\"xml\\"/>"'), "valid"),
    Case("array data", f"{JSON} 3.1.1: data MAY contain any valid JSON; {GO} array data",
         _ev('"data":[1,2,3]'), "valid"),
    Case("data_base64", f"{JSON} 3.1.1 example", _ev('"data_base64":"eyAieHl6IjogMTIzIH0="'),
         "valid"),
    Case("data and data_base64", f"{JSON} 3.1.1: the two are mutually exclusive",
         _ev('"data":{},"data_base64":"AAECAw=="'), "invalid"),
    Case("data_base64 not Base64", f"{JSON} 3.1.1: a Base64 encoded binary value (RFC 4648)",
         _ev('"data_base64":"not base64!"'), "invalid"),
    Case("data_base64 wrong length", "RFC 4648 4: padded to a multiple of 4",
         _ev('"data_base64":"AAECA"'), "invalid"),
    Case("data_base64 a number", f"{JSON} 3.1.1: a JSON string expression",
         _ev('"data_base64":1234'), "invalid"),
    # --- traceparent (Distributed Tracing extension, W3C trace-context)
    Case("traceparent", "extensions/distributed-tracing.md: W3C traceparent",
         _ev('"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"'), "valid"),
]  # fmt: skip
