"""Kiosk settings: safe defaults, flags over the file, bad values refused with file, key, reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.commands import add_arguments, overrides
from kiosk.config import DEMO_SERVER, DEMO_TOKEN, KioskSettings, load_kiosk_settings
from nafitha.paths import ROOT
from nafitha.settings import ConfigError
from tests.support.cli import run_nafitha


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_with_no_file_and_no_flags_it_talks_to_the_local_demo_server():
    settings = load_kiosk_settings(None)
    assert (settings.server, settings.token) == (DEMO_SERVER, DEMO_TOKEN)
    assert settings.lang == "ar" and settings.window_size == (1080, 1920)


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ('server = "ftp://x"', "server", "http"),
        ('size = "big"', "size", "WIDTHxHEIGHT"),
        ('printer = "lpt://1"', "printer", ""),
        ("idle_timeout_s = 1", "idle_timeout_s", "greater than or equal to 5"),
        ('lang = "fr"', "lang", "one of ar, en"),
        ('scanerr = "wedge"', "scanerr", "Extra inputs are not permitted"),
        ('fullscreen = "maybe"', "fullscreen", "boolean"),
    ],
)
def test_a_bad_value_is_refused_with_file_key_and_reason(tmp_path, text, key, reason):
    path = write(tmp_path, text + "\n")
    with pytest.raises(ConfigError) as refused:
        load_kiosk_settings(path)
    assert refused.value.path == str(path) and refused.value.key == key
    assert reason in refused.value.reason


def test_flags_override_the_file(tmp_path):
    import argparse

    path = write(tmp_path, 'server = "http://10.0.0.2:8000"\nsize = "1080x1920"\n')
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(
        [
            "--config",
            str(path),
            "--size",
            "1920x1080",
            "--fullscreen",
            "--printer",
            "dummy://?state=paper_out",
            "--scanner",
            "none",
        ]
    )
    settings = load_kiosk_settings(args.config, overrides(args))
    assert settings.server == "http://10.0.0.2:8000"
    assert settings.window_size == (1920, 1080) and settings.fullscreen
    assert settings.printer == "dummy://?state=paper_out" and settings.scanner == "none"


def test_the_command_refuses_a_bad_file_at_start_with_exit_2(tmp_path):
    path = write(tmp_path, 'server = "not a url"\n')
    done = run_nafitha("kiosk", "--config", str(path))
    assert done.returncode == 2
    assert f"{path}: server:" in done.stderr


def test_the_command_refuses_a_scanner_setting_that_cannot_name_a_port(tmp_path):
    """A port not plugged in is waited for (test_file_tracking.py); a bad URL is a setting error."""
    done = run_nafitha("kiosk", "--scanner", "nosuch://scanner")
    assert done.returncode == 2 and "scanner: cannot use 'nosuch://scanner'" in done.stderr


def test_every_setting_is_documented():
    docs = (ROOT / "docs" / "kiosk.md").read_text(encoding="utf-8")
    missing = [name for name in KioskSettings.model_fields if f"`{name}`" not in docs]
    assert not missing, f"undocumented kiosk settings: {missing}"
