"""Preferences survive restarts, and a damaged file never stops the app from starting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.request import DEFAULT_TIMEOUT, RpcRequest
from explorer.store.settings import Settings


def test_round_trip_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    settings = Settings(path)
    assert settings.load_error is None
    assert settings.get("history_limit") == 1000
    assert settings.get("auto_retry") is False
    assert settings.get("last_profile") is None
    assert settings.get("last_profile", "prod") == "prod"

    request = RpcRequest(action="bamboohr_list_employees", account_id="acc_1")
    settings.set("history_limit", 250)
    settings.set("last_request", request.to_dict())
    settings.set("splitters", {"main": [300, 700]})
    settings.save()

    again = Settings(path)
    assert again.get("history_limit") == 250
    assert RpcRequest.from_dict(again.get("last_request")) == request
    assert again.get("splitters") == {"main": [300, 700]}


def test_none_removes_a_key(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings.set("last_profile", "prod")
    settings.set("last_profile", None)
    settings.save()
    assert "last_profile" not in json.loads((tmp_path / "settings.json").read_text())


def test_returned_values_are_copies(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings.set("splitters", {"main": [1, 2]})
    settings.get("splitters")["main"].append(3)
    assert settings.get("splitters") == {"main": [1, 2]}


def test_corrupt_file_gives_defaults_and_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"history_limit": 5,,}')
    settings = Settings(path)
    assert settings.load_error is not None
    assert "settings.json" in settings.load_error and "line 1, column 21" in settings.load_error
    assert settings.get("history_limit") == 1000

    settings.set("last_profile", "prod")
    settings.save()
    assert (tmp_path / "settings.json.corrupt").read_text() == '{"history_limit": 5,,}'
    assert Settings(path).get("last_profile") == "prod"


def test_not_an_object_and_wrong_types(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("[1, 2]")
    assert Settings(path).load_error is not None

    path.write_text(json.dumps({"history_limit": "lots", "auto_retry": 1, "other": "kept"}))
    settings = Settings(path)
    # A hand-edit gone wrong reads as the default, says so, and is kept aside before a save.
    assert settings.load_error is not None
    assert "auto_retry, history_limit" in settings.load_error
    assert settings.get("history_limit") == 1000
    assert settings.get("auto_retry") is False
    assert settings.get("other") == "kept"
    written = path.read_text()
    settings.set("auto_retry", True)
    settings.save()
    assert (tmp_path / "settings.json.corrupt").read_text() == written

    path.write_text(json.dumps({"history_limit": -5}))
    assert Settings(path).get("history_limit") == 1000
    path.write_text(json.dumps({"history_limit": 0}))  # "keep no history" is a choice
    assert Settings(path).get("history_limit") == 0


@pytest.mark.parametrize("timeout", [0, -3, "30", True, None, [30]])
def test_a_broken_default_timeout_reads_as_the_default(tmp_path: Path, timeout: object) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"default_timeout": timeout}))
    assert Settings(path).get("default_timeout") == DEFAULT_TIMEOUT
    path.write_text('{"default_timeout": NaN}')  # Python's JSON reader takes it; it is no time
    assert Settings(path).get("default_timeout") == DEFAULT_TIMEOUT
    path.write_text(json.dumps({"default_timeout": 12.5}))
    assert Settings(path).get("default_timeout") == 12.5
    path.write_text(json.dumps({"default_timeout": 90}))
    assert Settings(path).get("default_timeout") == 90


@pytest.mark.parametrize("theme", ["Dark", "solarized", 1, ""])
def test_an_unknown_theme_reads_as_the_system_theme(tmp_path: Path, theme: object) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": theme}))
    assert Settings(path).get("theme") == "system"
    for good in ("system", "light", "dark"):
        path.write_text(json.dumps({"theme": good}))
        assert Settings(path).get("theme") == good
