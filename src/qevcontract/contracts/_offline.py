"""The offline `$ref` registries and the format checker every schema is used with.

One builder per engine and one format checker, so `validate`, `fake`, `diff` and the tests
resolve the same `$ref`s the same way (never over the network) and judge formats alike:
RFC 3339 allows the leap second `23:59:60`, which python-jsonschema's stock checker refuses.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import referencing
    from jsonschema import FormatChecker


class OfflineRefError(LookupError):
    """A `$ref` that points outside the contract set: never fetched, always an error."""

    def __init__(self, uri: str) -> None:
        super().__init__(
            f"$ref {uri} is not in the contract set; qevcontract never retrieves schemas "
            "over the network"
        )
        self.uri = uri


def offline_registry(resources: Mapping[str, Any]) -> referencing.Registry[Any]:
    """A `referencing` registry of `resources` ($id -> schema, Draft 2020-12 unless a schema
    says otherwise) that refuses to retrieve anything else."""
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    def refuse(uri: str) -> Resource[Any]:
        raise OfflineRefError(uri)

    pairs = [
        (uri, Resource.from_contents(doc, default_specification=DRAFT202012))
        for uri, doc in resources.items()
    ]
    return Registry(retrieve=refuse).with_resources(pairs)  # type: ignore[call-arg]


def rs_registry(resources: Mapping[str, Any]) -> Any:
    """The jsonschema-rs registry of `resources`; compile with `offline=True` beside it.

    Building it crawls every `$ref`: an unresolvable one raises `ValueError` (or
    `jsonschema_rs.ReferencingError`) here, for the caller to word.
    """
    import jsonschema_rs

    return jsonschema_rs.Registry(list(resources.items()))


@functools.cache
def format_checker() -> FormatChecker:
    """python-jsonschema's checker, with RFC 3339 leap seconds accepted as jsonschema-rs
    (and RFC 3339 itself) accept them: the two engines must agree (differential tests)."""
    import re

    from jsonschema import Draft202012Validator, FormatChecker

    base = Draft202012Validator.FORMAT_CHECKER
    checker = FormatChecker()
    checker.checkers = dict(base.checkers)
    date_time, raises = base.checkers["date-time"]
    leap = re.compile(r"([Tt]\d\d:\d\d:)60")

    def checks_date_time(instance: object) -> bool:
        if isinstance(instance, str):
            instance = leap.sub(r"\g<1>59", instance, count=1)
        return bool(date_time(instance))

    checker.checkers["date-time"] = (checks_date_time, raises)
    # rfc3339-validator and rfc3986-validator match with Python's `$`, which lets a final
    # newline through ("2024-01-01T00:00:00Z\n"); jsonschema-rs (and the RFCs) do not.
    for name in _NO_FINAL_NEWLINE:
        if name in checker.checkers:
            checker.checkers[name] = _no_final_newline(*checker.checkers[name])
    return checker


_NO_FINAL_NEWLINE = ("date-time", "uri", "uri-reference", "iri", "iri-reference")


def _no_final_newline(check: Any, raises: Any) -> tuple[Any, Any]:
    def checks(instance: object) -> bool:
        if isinstance(instance, str) and instance.endswith("\n"):
            return False
        return bool(check(instance))

    return checks, raises
