"""The audit's keys live outside the database: made on first start, private, refused when exposed;
the citizen digest is keyed, so another key gives another digest."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from nafitha.chain import digest_key_id, keyed_digest, load_public_key, public_key_text
from nafitha.settings import ConfigError
from server.config import ServerSettings
from server.usecases.audit_keys import (
    DIGEST_KEY,
    PUBLIC_KEY,
    SIGNING_KEY,
    keys_folder,
    load_keys,
)
from tests.server.conftest import AppEnv
from tests.support.cli import run_nafitha


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_missing_keys_are_made_private_beside_the_database(tmp_path: Path) -> None:
    settings = ServerSettings(db=tmp_path / "data" / "nafitha.db")
    folder = keys_folder(settings)
    assert folder == tmp_path / "data" / "keys" and not folder.exists()
    keys = load_keys(settings)
    assert mode(folder) == 0o700
    assert mode(folder / SIGNING_KEY) == 0o600 and mode(folder / DIGEST_KEY) == 0o600
    exported = load_public_key((folder / PUBLIC_KEY).read_text())
    assert public_key_text(exported) == public_key_text(keys.public)
    again = load_keys(settings)  # the second start reads the same keys
    assert again.key_id == keys.key_id and again.digest == keys.digest


def test_a_key_others_may_read_is_refused_at_start(tmp_path: Path) -> None:
    settings = ServerSettings(db=tmp_path / "nafitha.db", audit_keys=tmp_path / "elsewhere")
    load_keys(settings)
    exposed = tmp_path / "elsewhere" / SIGNING_KEY
    exposed.chmod(0o644)
    with pytest.raises(ConfigError) as refused:
        load_keys(settings)
    assert refused.value.path == str(exposed) and "mode 0644" in refused.value.reason
    # the server's own start says the same in one line, no traceback
    result = run_nafitha(
        "audit", "public-key", "--db", str(tmp_path / "nafitha.db"), "--keys", str(exposed.parent)
    )
    assert result.returncode == 2
    assert f"{exposed}: audit_keys: key file is readable by others" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_digest_differs_with_another_key() -> None:
    values = ["سمير", "12345", "0999000111"]
    first, second = b"\x01" * 32, b"\x02" * 32
    assert keyed_digest(first, values) == keyed_digest(first, values)
    assert keyed_digest(first, values) != keyed_digest(second, values)
    assert digest_key_id(first) != digest_key_id(second)


def test_a_file_event_keeps_only_the_keyed_digest(app_env: AppEnv) -> None:
    clerk = app_env.login("clerk1", counter="c1")
    citizen = {"name": "سمير", "national_id": "12345", "phone": "0999000111"}
    answer = app_env.http.post(
        "/api/v1/files",
        json={"service": "civil-extract", "citizen": citizen, "documents_received": [0]},
        headers=clerk,
    )
    assert answer.status_code == 201, answer.text
    row = (
        app_env.ctx.db.read()
        .execute("SELECT data FROM events WHERE kind = 'file_opened'")
        .fetchone()
    )
    assert "12345" not in row[0] and "سمير" not in row[0]
    keys = app_env.ctx.audit
    assert keys is not None
    stored = (
        app_env.ctx.db.read()
        .execute("SELECT citizen_name, national_id, phone FROM files")
        .fetchone()
    )
    assert keys.citizen_digest(*stored)["citizen_hmac"] in row[0]
    assert keyed_digest(b"\x00" * 32, list(stored)) not in row[0]


def test_a_key_folder_that_cannot_be_made_stops_the_start_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings = ServerSettings(db=tmp_path / "nafitha.db", audit_keys=blocker / "keys")
    with pytest.raises(ConfigError) as refused:
        load_keys(settings)
    assert refused.value.key == "audit_keys" and "not-a-folder" in refused.value.path
