"""The center file's calling profiles: ``call_policy`` of older files keeps working as the default
profile's policy, ``[center.call_profile]`` and a counter's ``profile``/``helps`` are read and
checked (docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nafitha.settings import ConfigError
from server.config import DEFAULT_CENTER, load_center_config

DEMO_POLICY = 'call_policy = "longest_wait"\n'  # the demo file's line


def center_file(tmp_path: Path, center: str = DEMO_POLICY, counter: str = "") -> Path:
    """The demo catalog with its ``call_policy`` line replaced by ``center``, and ``counter``
    added to counter c1."""
    text = DEFAULT_CENTER.read_text(encoding="utf-8")
    assert text.count(DEMO_POLICY) == 1
    text = text.replace(DEMO_POLICY, center)
    text = text.replace('id = "c1"\n', f'id = "c1"\n{counter}', 1)
    path = tmp_path / "center.toml"
    path.write_text(text, encoding="utf-8")
    return path


def with_profile(policy_line: str, profile: str) -> str:
    """``[center]`` lines then a ``[center.call_profile]`` table (before the categories)."""
    return f"{policy_line}\n[center.call_profile]\n{profile}\n"


def test_an_older_file_s_call_policy_is_the_default_profile_s_policy(tmp_path: Path) -> None:
    center = load_center_config(center_file(tmp_path, 'call_policy = "target_ratio"\n')).center
    assert center.call_profile.policy == "target_ratio"
    assert center.call_profile.priority == "first"
    assert load_center_config(center_file(tmp_path, "")).center.call_profile.policy == (
        "longest_wait"
    )


def test_a_call_profile_table_sets_the_default_and_call_policy_follows_it(tmp_path: Path) -> None:
    table = 'policy = "target_ratio"\npriority = "ratio"\nnormal_per_priority = 3'
    center = load_center_config(center_file(tmp_path, with_profile("", table))).center
    assert center.call_policy == "target_ratio"
    assert (center.call_profile.priority, center.call_profile.normal_per_priority) == ("ratio", 3)
    # without its own policy, the profile takes call_policy's
    same = with_profile('call_policy = "target_ratio"', 'priority = "capped"')
    center = load_center_config(center_file(tmp_path, same)).center
    assert (center.call_profile.policy, center.call_profile.priority) == ("target_ratio", "capped")
    # both given and different: refused, naming the key
    both = with_profile('call_policy = "longest_wait"', 'policy = "target_ratio"')
    with pytest.raises(ConfigError, match=r"differs from center\.call_policy") as refused:
        load_center_config(center_file(tmp_path, both))
    assert refused.value.key == "center.call_profile.policy"


def test_a_counter_s_profile_and_helping_services_are_read_and_checked(tmp_path: Path) -> None:
    extra = (
        'helps = ["consumer-complaint"]\nprofile = { priority = "capped", max_priority_run = 2 }\n'
    )
    counter = load_center_config(center_file(tmp_path, counter=extra)).counters[0]
    assert counter.helps == ["consumer-complaint"]
    assert (counter.profile.priority, counter.profile.max_priority_run) == ("capped", 2)
    with pytest.raises(ConfigError, match="unknown service 'nope'"):
        load_center_config(center_file(tmp_path, counter='helps = ["nope"]\n'))
    with pytest.raises(ConfigError, match="one of its services"):
        load_center_config(center_file(tmp_path, counter='helps = ["civil-extract"]\n'))
    with pytest.raises(ConfigError):
        load_center_config(center_file(tmp_path, counter='profile = { priority = "often" }\n'))
