"""Center and server configuration: the demo catalog, bad files naming file/key/reason, docs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nafitha.paths import ROOT
from nafitha.settings import ConfigError
from server.config import (
    DEFAULT_CENTER,
    Center,
    CenterConfig,
    Counter,
    Hours,
    NationalSettings,
    Person,
    ServerSettings,
    Service,
    SmsSettings,
    load_center_config,
    load_server_settings,
)


def test_demo_center_is_a_realistic_bilingual_catalog() -> None:
    config = load_center_config(DEFAULT_CENTER)
    assert len(config.categories) >= 4
    assert len(config.services) >= 15
    assert len(config.counters) >= 8
    for service in config.services:
        assert service.documents, service.id
        assert service.hours, service.id
        assert re.search(r"[\u0600-\u06FF]", service.name.ar)
    served = {s for c in config.counters for s in c.services}
    assert served == {s.id for s in config.services}, "every service has a counter"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path


def demo_text() -> str:
    return DEFAULT_CENTER.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("change", "key", "reason"),
    [
        (('prefix = "A"', 'prefix = "a1"'), "services.0.prefix", "match pattern"),
        (
            ('timezone = "Asia/Beirut"', 'timezone = "Mars/Olympus"'),
            "center.timezone",
            "unknown time zone",
        ),
        (
            ("target_wait_min = 15", 'target_wait_min = "soon"'),
            "services.0.target_wait_min",
            "integer",
        ),
        (
            ('icon = "civil-status"', 'icon = "civil-status"\ncolour = "red"'),
            "categories.0.colour",
            "Extra inputs",
        ),
        (
            ('category = "civil-status"', 'category = "nowhere"'),
            "services[0].category",
            "unknown category",
        ),
        (
            ('open = "08:00", close = "14:00" },', 'open = "14:00", close = "08:00" },'),
            "services.0.hours.0",
            "open must be before close",
        ),
    ],
)
def test_bad_field_names_file_key_and_reason(
    tmp_path: Path, change: tuple[str, str], key: str, reason: str
) -> None:
    path = write(tmp_path, demo_text().replace(*change, 1))
    with pytest.raises(ConfigError) as caught:
        load_center_config(path)
    assert caught.value.path == str(path)
    assert caught.value.key == key
    assert reason in caught.value.reason
    assert str(path) in str(caught.value)


def test_unreadable_center_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_center_config(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_center_config(write(tmp_path, "[center\n"))


def test_server_settings_refuse_unknown_keys_and_bad_values(tmp_path: Path) -> None:
    path = tmp_path / "server.toml"
    path.write_text("port = 80000\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_server_settings(path)
    assert caught.value.key == "port"
    path.write_text("prot = 8000\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_server_settings(path)
    assert caught.value.key == "prot"
    path.write_text("port = 8123\nignore_hours = true\n", encoding="utf-8")
    settings = load_server_settings(path, {"host": "0.0.0.0", "db": None})
    assert (settings.port, settings.host, settings.ignore_hours) == (8123, "0.0.0.0", True)


def test_nafitha_server_reports_a_bad_config_and_exits_2(tmp_path: Path, capsys) -> None:
    from nafitha.cli import main

    bad = write(tmp_path, demo_text().replace('prefix = "A"', 'prefix = "a1"', 1))
    code = main(
        ["server", "--center", str(bad), "--db", str(tmp_path / "x.db"), "--set-password", "admin"]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "services.0.prefix" in err


MODELS = (
    ServerSettings,
    NationalSettings,
    SmsSettings,
    Center,
    CenterConfig,
    Service,
    Counter,
    Hours,
    Person,
)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_setting_is_documented(model) -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for name in model.model_fields:
        assert f"`{name}`" in doc, f"{model.__name__}.{name} is not in docs/configuration.md"
