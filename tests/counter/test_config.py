"""The counter's settings: defaults, the file, flags over the file, and bad values refused with
file, key and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter.commands import add_arguments, overrides_from
from counter.config import DEFAULT_SERVER, load_counter_settings
from nafitha.cli import build_parser, main
from nafitha.settings import ConfigError


def parse(*argv: str):
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def test_with_no_file_and_no_flags_the_counter_talks_to_a_local_demo_server():
    settings = load_counter_settings(None, overrides_from(parse()))
    assert settings.server == DEFAULT_SERVER == "http://127.0.0.1:8000"
    assert (settings.counter, settings.printer, settings.scanner) == ("", "", "")
    assert settings.window_size == (1280, 800) and settings.fullscreen is False
    assert settings.language == "ar"


def test_flags_override_the_file(tmp_path: Path):
    path = tmp_path / "counter.toml"
    path.write_text(
        'server = "http://10.0.0.2:8000/"\ncounter = "c2"\nsize = "1024x768"\nlanguage = "en"\n'
        'printer = "tcp://10.0.0.9:9100?width=58"\n',
        encoding="utf-8",
    )
    from_file = load_counter_settings(path)
    assert from_file.server == "http://10.0.0.2:8000"
    assert from_file.counter == "c2" and from_file.window_size == (1024, 768)
    assert from_file.language == "en"
    args = parse("--counter", "c7", "--fullscreen", "--printer", "dummy://", "--scanner", "wedge")
    both = load_counter_settings(path, overrides_from(args))
    assert (both.counter, both.fullscreen, both.printer, both.scanner) == (
        "c7",
        True,
        "dummy://",
        "wedge",
    )
    assert both.server == "http://10.0.0.2:8000" and both.size == "1024x768"


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ('server = "10.0.0.2:8000"', "server", "http://"),
        ('counter = "c 1"', "counter", "counter id"),
        ('printer = "lpt1"', "printer", "unknown kind"),
        ('printer = "tcp://10.0.0.9:9100?speed=9"', "printer", "unknown option"),
        ('size = "big"', "size", "WIDTHxHEIGHT"),
        ('size = "320x200"', "size", "at least"),
        ('language = "fr"', "language", "ar, en"),
        ('scanner = "/dev/no-such-scanner"', "scanner", "no such serial port"),
        ("fullscreen = 3", "fullscreen", "boolean"),
        ('srever = "http://x"', "srever", "Extra inputs"),
    ],
)
def test_bad_values_are_refused_with_file_key_and_reason(tmp_path: Path, text, key, reason):
    path = tmp_path / "counter.toml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_counter_settings(path)
    assert (caught.value.path, caught.value.key) == (str(path), key)
    assert reason in caught.value.reason


def test_a_bad_flag_stops_the_command_at_start_with_the_reason(capsys):
    assert main(["counter", "--size", "huge"]) == 2
    error = capsys.readouterr().err
    assert "configuration error" in error and "size" in error and "WIDTHxHEIGHT" in error


def test_the_counter_is_a_subcommand_of_nafitha():
    args = build_parser().parse_args(["counter", "--server", "http://h:1", "--counter", "c3"])
    assert (args.command, args.server, args.counter) == ("counter", "http://h:1", "c3")
