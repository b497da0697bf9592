"""The pytest plugin, exercised the way users meet it: in a separate pytest run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[1]

# The README's example, verbatim: if this stops passing, the README is wrong.
README_EXAMPLE = '''
from hypothesis import given

from qevcontract.pytest_plugin import qlik_events


def reload_alert(event: dict) -> str | None:
    """Your code under test: an alert for a failed reload, None for anything else."""
    data = event.get("data", {})
    if event["type"] == "com.qlik.v1.app.reload.finished" and data.get("status") == "failed":
        return f"reload {data.get('reloadId', '?')} failed in tenant {event.get('tenantid')}"
    return None


def test_a_failed_reload_raises_an_alert(qlik_event):
    event = qlik_event("com.qlik.v1.app.reload.finished", data__status="failed")
    assert "failed" in reload_alert(event)


def test_other_app_events_raise_none(qlik_event):
    assert reload_alert(qlik_event("com.qlik.v1.app.opened")) is None


@given(qlik_events("com.qlik.v1.app.*"))
def test_any_app_event_is_handled(event):
    reload_alert(event)


def test_what_my_producer_builds_is_valid(qlik_event, assert_valid_event):
    event = qlik_event("com.qlik.app.created", data__name="Sales")
    event["data"]["name"] = event["data"]["name"].upper()  # your producer's change
    assert_valid_event(event)
'''


REPRODUCIBLE = """
import json
from qevcontract.validate._validator import Validator

def test_make(qlik_event, request):
    first = qlik_event("com.qlik.v1.automation.run.ended", data__status="failed",
                       tenantid="tenant-7")
    second = qlik_event("com.qlik.v1.automation.run.ended")
    assert first["data"]["status"] == "failed" and first["tenantid"] == "tenant-7"
    assert first["id"] != second["id"]
    validator = Validator()
    assert list(validator.iter_errors(first)) == [] and list(validator.iter_errors(second)) == []
    with open(request.config.rootpath / "events.jsonl", "a") as fh:
        fh.write(json.dumps([first, second]) + "\\n")
"""

BAD_PIN = """
def test_bad_pin(qlik_event):
    qlik_event("com.qlik.v1.automation.run.ended", data__status="done")
"""

INVALID_EVENT = """
from qevcontract.pytest_plugin import assert_valid_event

BAD = {"specversion": "0.3", "id": "1", "source": "com.qlik/engine",
       "type": "com.qlik.v1.automation.run.ended", "tenantid": "t", "data": {"status": "done"}}

def test_fixture(assert_valid_event):
    assert_valid_event(BAD)

def test_function():
    assert_valid_event(BAD)
"""

UNKNOWN_PATTERN = """
import pytest
from qevcontract.contracts import UnknownEventType
from qevcontract.pytest_plugin import qlik_events

def test_unknown():
    with pytest.raises(UnknownEventType, match="did you mean"):
        qlik_events("com.qlik.v1.app.opend")
"""


@pytest.fixture
def user_project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A project that uses the plugin the ways the README shows, plus its failure modes."""
    pytester.makepyfile(
        test_readme_example=README_EXAMPLE,
        test_reproducible=REPRODUCIBLE,
        test_bad_pin=BAD_PIN,
        test_invalid_event=INVALID_EVENT,
        test_unknown_pattern=UNKNOWN_PATTERN,
    )
    return pytester


def test_the_plugin_in_a_user_project(user_project: pytest.Pytester) -> None:
    # In-process pytest runs cost about a second each here: one project, two runs.
    result = user_project.runpytest("-p", "no:cacheprovider", "-rf")
    # README example: 4 passed; reproducible: 1; unknown pattern: 1. Failures: 1 + 2.
    result.assert_outcomes(passed=6, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*qlik_event('com.qlik.v1.automation.run.ended', ...): "
            "data.status=\"done\" breaks the * contract: data.status: 'done' is not one of*",
        ],
        consecutive=False,
    )
    result.stdout.fnmatch_lines(
        [
            "*event com.qlik.v1.automation.run.ended (id '1') violates its contract:*",
            "*QEV112 /data/status: data.status: 'done' is not one of*",
            "*QEV113 /specversion: specversion: '0.3' should be '1.0'*",
        ]
    )
    assert "FAILED test_readme_example" not in result.stdout.str()
    user_project.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=6, failed=3)
    runs = (user_project.path / "events.jsonl").read_text().splitlines()
    assert len(runs) == 2 and json.loads(runs[0]) == json.loads(runs[1])  # same test, same events


def test_the_ini_option_selects_another_contract_set(pytester: pytest.Pytester) -> None:
    pytester.makeini(f"[pytest]\nqevcontract_contracts = {REPO / 'contracts'}\n")
    pytester.makepyfile(
        """
        def test_from_the_configured_set(qevcontract_generator, qlik_event):
            assert str(qevcontract_generator.catalog.root).endswith("contracts")
            assert qlik_event("com.qlik.app.created")["type"] == "com.qlik.app.created"
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    pytester.makeini("[pytest]\nqevcontract_contracts = no/such/dir\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*contract directory not found*"])


def test_the_plugin_is_registered_through_its_entry_point() -> None:
    from importlib.metadata import entry_points

    plugins = {e.name: e.value for e in entry_points(group="pytest11")}
    assert plugins.get("qevcontract") == "qevcontract.pytest_plugin"


STRICT_CONFTEST = """
import qevcontract.validate._validator as validator_module

BUILT = []
_original = validator_module.Validator.__init__


def _counting(self, *args, **kwargs):
    BUILT.append(kwargs.get("strict", False))
    _original(self, *args, **kwargs)


def pytest_configure(config):
    validator_module.Validator.__init__ = _counting


def pytest_unconfigure(config):
    validator_module.Validator.__init__ = _original
"""

STRICT_TESTS = """
import pytest

from conftest import BUILT


def custom(qlik_event):
    event = qlik_event("com.qlik.app.created", data__name="Sales")
    event["data"]["customField"] = "x"  # listed only by the configured contract set
    return event


@pytest.mark.parametrize("round", range(3))
def test_strict_uses_the_configured_contracts(qlik_event, assert_valid_event, round):
    for _ in range(3):
        assert_valid_event(custom(qlik_event), strict=True)
        assert_valid_event(custom(qlik_event))


def test_strict_still_rejects_what_the_configured_contracts_do_not_list(
    qlik_event, assert_valid_event
):
    event = custom(qlik_event)
    event["data"]["unlisted"] = 1
    with pytest.raises(AssertionError, match="unlisted"):
        assert_valid_event(event, strict=True)
    assert_valid_event(event)


def test_one_strict_validator_per_session():
    assert BUILT.count(True) == 1
"""


def test_strict_assert_valid_event_uses_one_session_validator_on_the_configured_set(
    pytester: pytest.Pytester,
) -> None:
    import shutil

    contracts = pytester.path / "my-contracts"
    shutil.copytree(REPO / "contracts", contracts)
    target = contracts / "apps" / "com.qlik.app.created.schema.json"
    schema = json.loads(target.read_text())
    schema["properties"]["data"]["properties"]["customField"] = {"type": "string"}
    target.write_text(json.dumps(schema))
    pytester.makeini("[pytest]\nqevcontract_contracts = my-contracts\n")
    pytester.makeconftest(STRICT_CONFTEST)
    pytester.makepyfile(test_strict=STRICT_TESTS)
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=5)
