"""Check configuration: per-rule severities, suppressions, the failing and the shown level.

Read from `.qevcontract.yaml` (section `check:`) or `pyproject.toml`
(`[tool.qevcontract.check]`), found by walking up from the working directory to the
repository root. Every mistake (an unknown rule, a bad severity, a typo in a key) is a
`ConfigError` naming the file and the key, never silently ignored. docs/rules.md documents
the file; in short:

    check:
      fail-on: warning            # error | warning | info | never
      show: info                  # lowest severity the text report lists (default warning)
      severity:
        QEV609: off               # error | warning | info | off
        example-placeholder: warning
      ignore:
        - rule: QEV305
          event-type: com.qlik.v1.alerting-task.*   # glob, optional
          location: /properties/data/*              # glob on the pointer or page:line, optional
          reason: the alertID spelling is what production sends
        - location: tasks.md:120                    # every rule, one page line
        - event-type: com.qlik.v1.license.*         # every rule, some event types
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._findings import FAIL_ON_CHOICES, SEVERITIES, Finding
from ._registry import Rule, UnknownRule, all_rules, find_rule

YAML_NAMES = (".qevcontract.yaml", ".qevcontract.yml")
PYPROJECT = "pyproject.toml"
OFF = "off"
_SECTION_KEYS = ("fail-on", "show", "severity", "ignore")
# `show` takes a severity: the text and GitHub reports list findings at or above it.
DEFAULT_SHOW = "warning"
_IGNORE_KEYS = ("rule", "event-type", "location", "reason")


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Suppression:
    """Findings matching every given field are not reported (a missing field matches all).

    `location` is a glob over the finding's JSON pointer and over its `page:line`, the page
    written as given to `--docs` or by its file name alone (`tasks.md:120`).
    """

    rule: str | None = None
    event_type: str | None = None
    location: str | None = None
    reason: str = ""
    where: str = ""  # "file: check.ignore[2]", to report an entry that matched nothing

    def matches(self, finding: Finding) -> bool:
        if self.rule is not None and finding.rule != self.rule:
            return False
        if self.event_type is not None and not fnmatch.fnmatchcase(
            finding.event_type or "", self.event_type
        ):
            return False
        if self.location is None:
            return True
        return any(fnmatch.fnmatchcase(place, self.location) for place in _places(finding))

    def describe(self) -> str:
        parts = [
            f"{key} {value}"
            for key, value in (
                ("rule", self.rule),
                ("event-type", self.event_type),
                ("location", self.location),
            )
            if value is not None
        ]
        return ", ".join(parts)


def _places(finding: Finding) -> list[str]:
    """The names a suppression's `location` may use: pointer, `page:line` as given, by name."""
    places = [finding.location]
    if finding.doc:
        places += [finding.doc, Path(finding.doc).name]
    return places


@dataclass(frozen=True)
class CheckConfig:
    """The effective settings of a check run (empty = every rule at its default)."""

    severities: Mapping[str, str] = field(default_factory=dict)  # code -> severity or "off"
    suppressions: tuple[Suppression, ...] = ()
    fail_on: str | None = None
    show: str | None = None
    source: str | None = None

    def severity_for(self, rule: Rule) -> str | None:
        """The rule's configured severity, or None when it is switched off."""
        value = self.severities.get(rule.code, rule.severity)
        return None if value == OFF else value


def find_config(start: Path) -> Path | None:
    """The nearest config file from `start` upwards, stopping at the repository root."""
    for directory in (start, *start.parents):
        for name in YAML_NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
        if (directory / ".git").exists():
            break
    return None


def _has_tool_section(pyproject: Path) -> bool:
    try:
        return "qevcontract" in _read_toml(pyproject).get("tool", {})
    except ConfigError:
        return True  # let load_config report the broken file


def load_config(
    path: Path | None = None, *, start: Path | None = None, rules: Iterable[Rule] | None = None
) -> CheckConfig:
    """Load `path`, or the nearest config file from `start` (default: cwd), or defaults."""
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return CheckConfig()
    elif not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    if path.name.endswith(".toml"):
        tool = _read_toml(path).get("tool", {})
        section = tool.get("qevcontract", {}) if isinstance(tool, dict) else {}
        where = "[tool.qevcontract.check]"
    else:
        section = _read_yaml(path)
        where = "check"
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: the qevcontract section must be a table/mapping")
    check = section.get("check", {})
    if check is None:
        check = {}
    if not isinstance(check, dict):
        raise ConfigError(f"{path}: {where} must be a table/mapping")
    return parse_config(check, str(path), tuple(rules) if rules is not None else all_rules())


def parse_config(data: Mapping[str, Any], source: str, rules: tuple[Rule, ...]) -> CheckConfig:
    """Validate a `check` section (already parsed) into a `CheckConfig`."""
    section = {_key(k): v for k, v in data.items()}
    for key in section:
        if key not in _SECTION_KEYS:
            raise ConfigError(
                f"{source}: check.{key}: unknown setting (known: {', '.join(_SECTION_KEYS)})"
            )
    fail_on = section.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON_CHOICES:
        raise ConfigError(
            f"{source}: check.fail-on: {fail_on!r} is not one of {', '.join(FAIL_ON_CHOICES)}"
        )
    show = section.get("show")
    if show is not None and show not in SEVERITIES:
        raise ConfigError(f"{source}: check.show: {show!r} is not one of {', '.join(SEVERITIES)}")
    return CheckConfig(
        severities=_severities(section.get("severity") or {}, source, rules),
        suppressions=tuple(_suppressions(section.get("ignore") or [], source, rules)),
        fail_on=fail_on,
        show=show,
        source=source,
    )


def _key(key: object) -> str:
    return str(key).replace("_", "-")


def _rule(ref: object, where: str, rules: tuple[Rule, ...]) -> Rule:
    try:
        return find_rule(str(ref), rules)
    except UnknownRule as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _severities(raw: object, source: str, rules: tuple[Rule, ...]) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: check.severity must map rule codes to severities")
    out: dict[str, str] = {}
    for ref, value in raw.items():
        rule = _rule(ref, f"{source}: check.severity.{ref}", rules)
        # YAML reads a bare `off` as False.
        text = OFF if value is False else str(value).lower()
        if text not in (*SEVERITIES, OFF):
            raise ConfigError(
                f"{source}: check.severity.{ref}: {value!r} is not one of "
                f"{', '.join((*SEVERITIES, OFF))}"
            )
        out[rule.code] = text
    return out


def _suppressions(raw: object, source: str, rules: tuple[Rule, ...]) -> list[Suppression]:
    if not isinstance(raw, list):
        raise ConfigError(f"{source}: check.ignore must be a list of entries")
    out: list[Suppression] = []
    for index, entry in enumerate(raw):
        where = f"{source}: check.ignore[{index}]"
        if not isinstance(entry, dict):
            raise ConfigError(
                f"{where}: each entry must be a mapping with rule, event-type or location"
            )
        item = {_key(k): v for k, v in entry.items()}
        unknown = [k for k in item if k not in _IGNORE_KEYS]
        if unknown:
            raise ConfigError(
                f"{where}: unknown key {unknown[0]!r} (known: {', '.join(_IGNORE_KEYS)})"
            )
        if not any(k in item for k in ("rule", "event-type", "location")):
            raise ConfigError(
                f"{where}: give at least one of rule, event-type, location "
                "(an entry that matches everything would hide every finding)"
            )
        rule = _rule(item["rule"], where, rules).code if "rule" in item else None
        out.append(
            Suppression(
                rule=rule,
                event_type=_optional_text(item.get("event-type"), f"{where}.event-type"),
                location=_optional_text(item.get("location"), f"{where}.location"),
                reason=str(item.get("reason") or ""),
                where=where,
            )
        )
    return out


def _optional_text(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a string (a glob pattern)")
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def _read_yaml(path: Path) -> Any:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}: not valid YAML{where}") from None
    return {} if data is None else data
