"""hub.toml read into HubSettings: every example key understood, a typo or bad value refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import BaseModel

from hub.config import CenterEntry, HubSettings, load_hub_settings
from nafitha.chain import public_key_text
from nafitha.paths import ROOT
from nafitha.settings import ConfigError

KEY = public_key_text(Ed25519PrivateKey.generate().public_key())
GOOD = f"""
[hub]
data = "hub-data"

[nats]
client_port = 4300
writer_password = "a-long-secret"

[postgres]
dsn = "host=127.0.0.1 port=5432 user=hub dbname=hub"

[[centers]]
id = "beirut"
name = {{ ar = "بيروت", en = "Beirut" }}
leaf_password = "another-secret"
public_key = "{KEY}"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hub.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_is_read_with_defaults_filled_in(tmp_path: Path) -> None:
    settings = load_hub_settings(write(tmp_path, GOOD))
    assert settings.nats.client_port == 4300 and settings.nats.leaf_port == 7422
    assert settings.http.port == 8100 and settings.writer.batch == 500
    assert settings.center("beirut").name.en == "Beirut"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (GOOD.replace("client_port", "clinet_port"), "nats.clinet_port"),
        (GOOD.replace('id = "beirut"', 'id = "Beirut!"'), "centers.0.id"),
        (GOOD.replace(f'public_key = "{KEY}"', 'public_key = "not a key"'), "centers.0.public_key"),
        (GOOD.replace('"a-long-secret"', '"short"'), "nats.writer_password"),
        (GOOD + GOOD[GOOD.index("[[centers]]") :], "centers"),
    ],
)
def test_a_bad_file_names_the_key(tmp_path: Path, change: str, key: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_hub_settings(write(tmp_path, change))
    assert refused.value.key == key or (key == "centers" and "duplicate" in refused.value.reason)


def test_leaf_tls_takes_both_files_and_they_must_exist(tmp_path: Path) -> None:
    cert, key = tmp_path / "server.crt", tmp_path / "server.key"
    cert.write_text("x")
    key.write_text("x")
    both = GOOD.replace(
        "client_port = 4300", f'client_port = 4300\nleaf_certificate = "{cert}"\nleaf_key = "{key}"'
    )
    settings = load_hub_settings(write(tmp_path, both))
    assert (settings.nats.leaf_certificate, settings.nats.leaf_key) == (cert, key)
    for text, says in (
        (GOOD.replace("client_port = 4300", f'client_port = 4300\nleaf_key = "{key}"'),
         "both or neither"),
        (both.replace(str(cert), str(tmp_path / "gone.crt")), "no such file"),
    ):  # fmt: skip
        with pytest.raises(ConfigError) as refused:
            load_hub_settings(write(tmp_path, text))
        assert refused.value.key == "nats" and says in refused.value.reason


def test_only_the_named_proxies_are_believed(tmp_path: Path) -> None:
    from hub.commands.serve import proxy_options

    settings = load_hub_settings(write(tmp_path, GOOD))
    assert proxy_options(settings) == {"proxy_headers": True, "forwarded_allow_ips": "127.0.0.1"}
    facing = load_hub_settings(write(tmp_path, GOOD + '\n[http]\nforwarded_allow_ips = ""\n'))
    assert proxy_options(facing) == {"proxy_headers": False, "forwarded_allow_ips": ""}


def test_every_setting_is_in_the_documented_example() -> None:
    doc = (ROOT / "docs" / "hub.md").read_text(encoding="utf-8")
    example = doc.split("```toml", 1)[1].split("```", 1)[0]
    for section, field in HubSettings.model_fields.items():
        model = CenterEntry if section == "centers" else field.annotation
        assert f"[{section}]" in example or f"[[{section}]]" in example, section
        assert isinstance(model, type) and issubclass(model, BaseModel)
        for name in model.model_fields:
            assert f"\n{name} = " in example, f"{section}.{name} is not in docs/hub.md"
