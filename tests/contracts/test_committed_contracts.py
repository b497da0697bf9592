"""The committed contract set: reproducible from the pages, valid, offline, complete."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import jsonschema
import pytest
import referencing.exceptions

from qevcontract.builder._build import build_contracts, render, stale_files
from qevcontract.contracts import (
    Catalog,
    ContractError,
    OfflineRefError,
    UnknownEventType,
    bundled_path,
    load,
)

from ..conftest import CONTRACTS


def test_rebuilding_from_the_pages_gives_the_committed_files_byte_for_byte(
    seeds: Path, qlik_pages: Path
) -> None:
    from qevcontract.builder._overrides import load_overrides

    result = build_contracts([seeds, qlik_pages], load_overrides(CONTRACTS / "overrides.yaml"))
    assert stale_files(result, CONTRACTS) == {}, (
        "contracts/ is out of date: run "
        "qevcontract contracts build ../shared/seeds ../shared/qlik-pages --out contracts/"
    )


def test_building_twice_is_deterministic(seeds: Path, qlik_pages: Path) -> None:
    """Page order never matters, not even for types documented on two pages."""
    a = build_contracts([seeds, qlik_pages])
    pages = [p for d in (seeds, qlik_pages) for p in d.iterdir() if p.suffix in (".md", ".txt")]
    pages = [p for p in pages if p.name not in ("README.md", "_index.md")]
    pages = [p for p in pages if not p.name.startswith("verify-webhook")]
    b = build_contracts(sorted(pages, reverse=True))
    assert {k: render(v) for k, v in a.files.items()} == {k: render(v) for k, v in b.files.items()}


def test_every_documented_event_type_is_catalogued(
    catalog: Catalog, seeds: Path, qlik_pages: Path
) -> None:
    from qevcontract.builder._pages import parse_pages

    toc = {t for page in parse_pages([qlik_pages]) for ts in page.toc.values() for t in ts}
    assert len(toc) == 124  # as the pages' README counts them
    documented = {e.type for e in catalog.entries if e.payload_documented}
    assert toc <= documented
    # 124 from the qlik.dev pages, 7 app events from apps.txt; 14 license and role events
    # that only the changelog names stay envelope-only.
    assert (len(catalog), len(documented)) == (145, 131)
    undocumented = {e.type for e in catalog.entries if not e.payload_documented}
    assert all(".license" in t or ".role." in t for t in undocumented)
    deprecated = [e.type for e in catalog.entries if e.deprecated]
    assert len(deprecated) == 16
    assert "com.qlik.license.data.volume.consumption.aggregated" in deprecated
    assert "com.qlik.v1.environment.created" in deprecated  # `_(deprecated)_` heading
    assert all(catalog.schema(t).get("deprecated") is True for t in deprecated)


def test_the_first_events_a_tenant_sends_have_contracts(catalog: Catalog) -> None:
    """The issue's new-user check: these had no contract in the 36-type set."""
    for t in ("com.qlik.v1.user.created", "com.qlik.space.created", "com.qlik.v1.reload.finished"):
        assert catalog.entry(t).payload_documented, t
    # The spaces page documents `com.qlik.space.created` (no `v1`): the name a user may try
    # first is pointed there, not to another resource.
    with pytest.raises(UnknownEventType) as err:
        catalog.schema("com.qlik.v1.space.created")
    assert err.value.suggestions[:1] == ["com.qlik.space.created"]


def test_every_contract_is_a_valid_2020_12_schema_and_every_ref_resolves_offline(
    catalog: Catalog,
) -> None:
    registry = catalog.registry()
    for uri, schema in catalog.resources().items():
        jsonschema.Draft202012Validator.check_schema(schema)
        resolver = registry.resolver(base_uri=uri)
        stack = [schema]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    resolver.lookup(node["$ref"])
                stack.extend(v for k, v in node.items() if k != "examples")
            elif isinstance(node, list):
                stack.extend(node)


def test_a_ref_outside_the_set_is_an_error_naming_the_uri_never_a_fetch(catalog: Catalog) -> None:
    resolver = catalog.registry().resolver()
    with pytest.raises(referencing.exceptions.Unresolvable) as err:
        resolver.lookup("https://example.com/elsewhere.json")
    causes = []
    exc: BaseException | None = err.value
    while exc is not None:
        causes.append(exc)
        exc = exc.__cause__
    offline = [c for c in causes if isinstance(c, OfflineRefError)]
    assert offline and "https://example.com/elsewhere.json" in str(offline[0])


def test_parsed_fields_match_the_pages(catalog: Catalog) -> None:
    task = catalog.schema("com.qlik.scheduling.task.created")
    assert task["properties"]["data"]["required"] == [
        "id",
        "name",
        "action",
        "ownerId",
        "createdBy",
        "resourceId",
        "resourceType",
    ]
    assert task["properties"]["type"]["const"] == "com.qlik.scheduling.task.created"
    assert task["examples"][0]["type"] == "com.qlik.scheduling.tasks.created"  # verbatim
    alert = catalog.schema("com.qlik.v1.alerting-task.created")
    user_ids = alert["properties"]["data"]["properties"]["recipients"]["properties"]["userIds"]
    assert user_ids["type"] == "array" and user_ids["items"] == {"type": "string"}
    reload_ = catalog.schema("com.qlik.v1.app.reload.finished")
    size = reload_["properties"]["data"]["properties"]["size"]
    assert size["properties"]["memory"]["type"] == "integer"
    created = catalog.schema("com.qlik.app.created")
    assert created["properties"]["data"]["properties"]["createdByAction"]["enum"] == [
        "create",
        "copy",
        "publish",
        "import",
        "restore",
    ]


def test_changelog_only_types_have_an_open_payload_flagged_as_such(catalog: Catalog) -> None:
    role = catalog.schema("com.qlik.v1.role.created")
    assert role["x-qev-payload-undocumented"] is True
    assert "data" not in role["properties"]
    assert catalog.entry("com.qlik.v1.role.created").domain == "roles"


def test_provenance_names_page_line_and_last_updated(catalog: Catalog) -> None:
    prov = catalog.schema("com.qlik.scheduling.task.deleted")["x-qev-provenance"]
    # The same capture saved twice (same last_updated): the name that sorts first is used.
    assert [p["page"] for p in prov] == ["scheduling__tasks.md", "tasks.md"]
    assert prov[0]["line"] > 0 and prov[0]["last_updated"].startswith("2026-")
    # Documented on a seed page and its newer capture, announced in the changelog: built
    # from the newer capture, every page recorded; same file names told apart by folder.
    run = catalog.schema("com.qlik.v1.automation.run.ended")["x-qev-provenance"]
    assert run[0]["page"] == "qlik-pages/automations.md"
    assert run[0]["last_updated"] == "2026-09-14T20:53:09+02:00"
    assert catalog.entry("com.qlik.v1.automation.run.ended").pages == (
        "changelog-new-system-events.txt",
        "qlik-pages/automations.md",
        "seeds/automations.md",
    )


def test_unknown_type_suggests_the_nearest_known(catalog: Catalog) -> None:
    with pytest.raises(UnknownEventType) as err:
        catalog.schema("com.qlik.scheduling.tasks.created")
    assert "com.qlik.scheduling.task.created" in str(err.value)


def test_catalog_pickles_small_and_works_after_unpickling(catalog: Catalog) -> None:
    catalog.schema("com.qlik.app.created")
    catalog.registry()
    blob = pickle.dumps(catalog)
    # the index only (a few hundred bytes a type): no cached schemas or registry
    assert len(blob) < 400 * len(catalog)
    clone = pickle.loads(blob)
    assert clone.schema("com.qlik.app.created") == catalog.schema("com.qlik.app.created")


def test_the_bundled_set_ships_inside_the_package_and_equals_contracts_dir() -> None:
    bundled = load()
    assert bundled_path().is_dir()
    assert bundled.types == load(CONTRACTS).types
    assert json.loads((bundled_path() / "catalog.json").read_text()) == json.loads(
        (CONTRACTS / "catalog.json").read_text()
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "contract directory not found"),
        (lambda p: p.mkdir(), "no catalog.json"),
        (lambda p: (p.mkdir(), (p / "catalog.json").write_text("{")), "unreadable catalogue"),
        (
            lambda p: (p.mkdir(), (p / "catalog.json").write_text('{"catalog_version": 99}')),
            "catalog_version 99 is not supported",
        ),
    ],
)
def test_bad_contract_dirs_give_one_line_errors(tmp_path: Path, setup, message) -> None:
    target = tmp_path / "set"
    setup(target)
    with pytest.raises(ContractError, match=message) as err:
        load(target)
    assert "\n" not in str(err.value)
