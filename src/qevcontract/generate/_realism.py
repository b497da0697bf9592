"""Values that look like what Qlik Cloud sends: ids, timestamps, sources, claims, traces.

Every generator takes a `random.Random` and uses only `random()` and `getrandbits()`, whose
output for a given seed is stable across Python versions (unlike `choice`/`randrange`, whose
algorithms have changed), so committed fixtures regenerate byte for byte. The same functions
drive the Hypothesis strategies through `st.randoms()`.

No hypothesis import here: the bulk generator uses this module on its hot path.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from random import Random
from typing import Any

Gen = Callable[[Random], Any]

# A fixed two-year window: timestamps never depend on the clock, so output is reproducible.
WINDOW_START = 1704067200  # 2024-01-01T00:00:00Z
WINDOW_SECONDS = 2 * 365 * 86400

_UUID_MASK = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
_UUID_BITS = (0x4 << 76) | (0x2 << 62)  # version 4, RFC 4122 variant
_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def pick(r: Random, options: Sequence[Any]) -> Any:
    """A uniform choice using only `random()` (stable across Python versions)."""
    return options[int(r.random() * len(options))]


def below(r: Random, n: int) -> int:
    return int(r.random() * n)


# ------------------------------------------------------------------------------------- ids


def uuid4(r: Random) -> str:
    """A random RFC 4122 version-4 UUID, lower-case, hyphenated."""
    h = f"{(r.getrandbits(128) & _UUID_MASK) | _UUID_BITS:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def object_id(r: Random) -> str:
    """A 24-hex-digit id, the shape of alert and recipient ids in the docs."""
    return f"{r.getrandbits(96):024x}"


def qlik_id(r: Random) -> str:
    """A 32-character URL-safe id, the shape of Qlik tenant and user ids in the docs."""
    bits = r.getrandbits(192)
    return "".join(_ID_ALPHABET[(bits >> (6 * i)) & 63] for i in range(32))


ID_SHAPES: dict[str, Gen] = {"uuid": uuid4, "object-id": object_id, "qlik-id": qlik_id}


def id_pool(shape: str, size: int, salt: int) -> tuple[str, ...]:
    """A fixed set of ids (the same tenants and users recur, as in a real tenant's stream)."""
    gen = ID_SHAPES[shape]
    return tuple(gen(Random(salt * 7919 + i)) for i in range(size))


# ------------------------------------------------------------------------------- times


def _day(index: int) -> str:
    t = time.gmtime(WINDOW_START + index * 86400)
    return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T"


# Lookup tables (immutable) make a timestamp a few string joins instead of a calendar walk.
_DAYS = tuple(_day(i) for i in range(WINDOW_SECONDS // 86400))
_HOURS_MINUTES = tuple(f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60))
_SECONDS = tuple(f"{s:02d}" for s in range(60))
_FRACTIONS = tuple(f".{ms:03d}Z" for ms in range(1000))


def timestamp(r: Random) -> str:
    """RFC 3339 in UTC (`Z`), with milliseconds half of the time, inside the fixed window."""
    rnd = r.random
    stamp = (
        _DAYS[int(rnd() * len(_DAYS))]
        + _HOURS_MINUTES[int(rnd() * 1440)]
        + _SECONDS[int(rnd() * 60)]
    )
    return stamp + (_FRACTIONS[int(rnd() * 1000)] if rnd() < 0.5 else "Z")


def iso_duration(r: Random) -> str:
    """An ISO 8601 duration such as `PT3M12S`."""
    minutes, seconds = below(r, 90), below(r, 60)
    return f"PT{minutes}M{seconds}S" if minutes else f"PT{seconds or 1}S"


# ---------------------------------------------------------------------- envelope values


def source_for(domain: str) -> str:
    """The fallback `source` of a domain's events, `com.qlik/<domain>` (a URI-reference).

    Used only when the contract shows nothing better: the docs' own example values and the
    schema's `default` come first (see `bulk`).
    """
    return f"com.qlik/{domain}"


def traceparent(r: Random) -> str:
    """W3C trace-context: version 00, 32-hex trace id, 16-hex parent id, sampled flag."""
    return f"00-{r.getrandbits(128) | 1:032x}-{r.getrandbits(64) | 1:016x}-01"


def tracestate(r: Random) -> str:
    return f"qlik={r.getrandbits(64):016x}"


def authclaims(r: Random, subject: str, tenant: str) -> str:
    """The principal's claims as a JSON *string* (the attribute is a string holding JSON)."""
    kind = "user" if r.random() < 0.8 else "api-key"
    claims = {"iss": "qlik.api.internal", "sub": subject, "subType": kind, "tenantId": tenant}
    return json.dumps(claims, separators=(",", ":"))


MEDIA_TYPES = ("application/json",)


# ---------------------------------------------------------------------------- free text

_ADJECTIVES = ("Quarterly", "Regional", "Daily", "Global", "Customer", "Weekly", "Executive")
_NOUNS = ("Sales", "Forecast", "Inventory", "Churn", "Revenue", "Pipeline", "Operations")
_KINDS = ("Dashboard", "Analysis", "Report", "Overview", "Tracker", "Monitor")
_WORDS = (
    "alpha", "bravo", "delta", "ember", "harbor", "maple", "nova", "orbit", "quartz", "summit",
)  # fmt: skip


def display_name(r: Random) -> str:
    return f"{pick(r, _ADJECTIVES)} {pick(r, _NOUNS)} {pick(r, _KINDS)}"


def sentence(r: Random) -> str:
    return f"{pick(r, _NOUNS)} figures for the {pick(r, _ADJECTIVES).lower()} review."


def word(r: Random) -> str:
    return f"{pick(r, _WORDS)}-{below(r, 100)}"


def pod_name(r: Random) -> str:
    """A host that looks like a container in a cluster."""
    return f"engine-{r.getrandbits(32):08x}-{r.getrandbits(20):05x}"


def email(r: Random) -> str:
    return f"{pick(r, _WORDS)}.{below(r, 1000)}@example.com"


# ------------------------------------------------------------ the JSON Schema string formats
# One realistic generator per format JSON Schema 2020-12 defines (see `hints.FORMAT_KINDS`);
# each value satisfies both validation engines. Reserved names only (example.com, RFC 2606;
# 10.0.0.0/8, RFC 1918; 2001:db8::/32, RFC 3849): nothing generated points anywhere real.

_REGIONS = ("eu", "us", "ap", "uk", "de", "sg")
# Names and words with letters outside ASCII, for the internationalised formats.
_IDN_NAMES = ("jürgen", "zoë", "søren", "josé", "åsa", "chloé", "renée", "bjørn")
_IDN_LABELS = ("bücher", "münchen", "straße", "café", "københavn", "zürich", "malmö")
_COLLECTIONS = ("apps", "spaces", "items", "reloads", "automations", "users")
_POINTER_NAMES = ("name", "id", "status", "ownerId", "tenantId", "createdAt")
_REGEXES = (
    "^[a-z][a-z0-9-]{2,30}$",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "^(app|space|user)\\.[a-z]+$",
    "^[A-Z]{2,3}-[0-9]+$",
    "^[^@]+@example\\.com$",
)


def idn_email(r: Random) -> str:
    """An internationalised address (RFC 6531): a non-ASCII local part and host."""
    return f"{pick(r, _IDN_NAMES)}.{below(r, 1000)}@{pick(r, _IDN_LABELS)}.example"


def hostname(r: Random) -> str:
    """A tenant host name shaped like Qlik Cloud's, under the reserved `.example` TLD."""
    return f"{pick(r, _WORDS)}-{below(r, 100)}.{pick(r, _REGIONS)}.qlikcloud.example"


def idn_hostname(r: Random) -> str:
    return f"{pick(r, _IDN_LABELS)}-{below(r, 100)}.example"


def ipv4(r: Random) -> str:
    """A private address (10.0.0.0/8), no leading zeros."""
    return f"10.{below(r, 256)}.{below(r, 256)}.{1 + below(r, 254)}"


def ipv6(r: Random) -> str:
    """A documentation-prefix address (2001:db8::/32), compressed as usually written."""
    a, b, c = (r.getrandbits(16) for _ in range(3))
    return f"2001:db8:{a:x}:{b:x}::{c:x}"


def date(r: Random) -> str:
    """An RFC 3339 full-date inside the fixed window."""
    return _DAYS[int(r.random() * len(_DAYS))][:10]


def clock_time(r: Random) -> str:
    """An RFC 3339 full-time in UTC (`14:03:27Z`, with milliseconds half of the time)."""
    rnd = r.random
    stamp = _HOURS_MINUTES[int(rnd() * 1440)] + _SECONDS[int(rnd() * 60)]
    return stamp + (_FRACTIONS[int(rnd() * 1000)] if rnd() < 0.5 else "Z")


def url(r: Random) -> str:
    return f"https://example.com/{word(r)}"


def iri(r: Random) -> str:
    """An absolute IRI (RFC 3987): a URL whose host and path are not all ASCII."""
    return f"https://{pick(r, _IDN_LABELS)}.example/{pick(r, _IDN_LABELS)}/{word(r)}"


def iri_reference(r: Random) -> str:
    """A relative IRI reference: an absolute path with non-ASCII letters."""
    return f"/{pick(r, _COLLECTIONS)}/{pick(r, _IDN_LABELS)}-{below(r, 100)}"


def uri_template(r: Random) -> str:
    """An RFC 6570 template, as API docs write collection links."""
    collection = pick(r, _COLLECTIONS)
    return f"https://{hostname(r)}/api/v1/{collection}/{{id}}{{?limit,next}}"


def json_pointer(r: Random) -> str:
    """An RFC 6901 pointer into an event (`/data/items/0/name`)."""
    index = below(r, 3)
    return f"/data/{pick(r, _COLLECTIONS)}/{index}/{pick(r, _POINTER_NAMES)}"


def relative_json_pointer(r: Random) -> str:
    """A relative JSON pointer: up some levels, then down (`1/name`), or a key (`0#`)."""
    if r.random() < 0.2:
        return f"{below(r, 3)}#"
    return f"{below(r, 3)}/{pick(r, _POINTER_NAMES)}"


def regex(r: Random) -> str:
    """A regular expression in the subset ECMA-262 and Python read alike."""
    return str(pick(r, _REGEXES))


# ----------------------------------------------------------------------------- numbers


def count(r: Random) -> int:
    return below(r, 50)


def byte_size(r: Random) -> int:
    """Sizes spread over orders of magnitude, from bytes to gigabytes."""
    return int(2 ** (r.random() * 32))


def millis(r: Random) -> int:
    return below(r, 600_000)


def small_int(r: Random) -> int:
    return below(r, 1000)
