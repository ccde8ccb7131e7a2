"""The audit's two secrets, kept in files outside the database: the signing key and the digest key.

- ``chain-signing.key``: the center's Ed25519 private key (PKCS#8 PEM). It signs the chain head
  (``audit_heads``); ``chain-signing.pub`` beside it is the public half, one line of base64, for
  auditors and the national hub.
- ``citizen-digest.key``: 32 random bytes (hex). Events prove a file's personal data unchanged
  with an HMAC under this key instead of a plain hash anyone could reverse by trying national ids;
  destroying the key leaves the digests meaningless (the log anonymised).

Both are made on first start with mode 0600 in a folder of mode 0700 (``audit_keys`` in the server
settings; by default ``keys/`` beside the database). A key file that others may read is refused at
start: whoever read it can forge what it protects, so it must be replaced, not silently trusted.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from nafitha.chain import digest_key_id, key_id, keyed_digest, load_public_key, public_key_text
from nafitha.settings import ConfigError
from server.config import ServerSettings

log = logging.getLogger("nafitha.audit")

SIGNING_KEY = "chain-signing.key"
PUBLIC_KEY = "chain-signing.pub"
DIGEST_KEY = "citizen-digest.key"


@dataclass(frozen=True)
class AuditKeys:
    """The center's keys, loaded once at start."""

    folder: Path
    signing: Ed25519PrivateKey
    digest: bytes

    @property
    def public(self) -> Ed25519PublicKey:
        return self.signing.public_key()

    @property
    def key_id(self) -> str:
        return key_id(self.public)

    def citizen_digest(
        self, name: str, national_id: str | None, phone: str | None
    ) -> dict[str, str]:
        """What a file event records of the citizen: a keyed digest and the key's id."""
        return {
            "citizen_hmac": keyed_digest(self.digest, [name, national_id, phone]),
            "digest_key": digest_key_id(self.digest),
        }


def keys_folder(settings: ServerSettings) -> Path:
    """``audit_keys``, or ``keys/`` beside the database: next to the data, never inside it."""
    return Path(settings.audit_keys) if settings.audit_keys else Path(settings.db).parent / "keys"


def heads_file(settings: ServerSettings) -> Path:
    """``audit_heads``, or ``chain-heads.jsonl`` beside the database."""
    if settings.audit_heads:
        return Path(settings.audit_heads)
    return Path(settings.db).parent / "chain-heads.jsonl"


def _check_private(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(
            path,
            "audit_keys",
            f"key file is readable by others (mode {mode:04o}): whoever read it can forge the"
            f" audit log; replace the key, or if it never left this machine run chmod 600 {path}",
        )


def _create(path: Path, content: bytes) -> bool:
    """Write ``content`` to a new file of mode 0600; False when another process made it first."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as out:
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    return True


def _read_private(path: Path) -> bytes:
    try:
        _check_private(path)
        return path.read_bytes()
    except PermissionError:
        raise ConfigError(path, "audit_keys", "permission denied") from None


def load_keys(settings: ServerSettings) -> AuditKeys:
    """The center's keys, made on first start; a :class:`ConfigError` naming a bad key file
    (or a folder that cannot be written, such as a read-only disk)."""
    folder = keys_folder(settings)
    try:
        return _load_keys(folder)
    except OSError as exc:
        where = exc.filename or folder
        raise ConfigError(where, "audit_keys", exc.strerror or str(exc)) from None


def _load_keys(folder: Path) -> AuditKeys:
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        log.warning("made the audit key folder %s", folder)
    elif not folder.is_dir():
        raise ConfigError(folder, "audit_keys", "not a folder")
    signing_path, digest_path = folder / SIGNING_KEY, folder / DIGEST_KEY
    new_key = Ed25519PrivateKey.generate()
    pem = new_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    if _create(signing_path, pem):
        log.warning("made the center's signing key %s", signing_path)
    if _create(digest_path, secrets.token_hex(32).encode() + b"\n"):
        log.warning("made the citizen digest key %s", digest_path)
    try:
        signing = load_pem_private_key(_read_private(signing_path), password=None)
    except ValueError as exc:
        raise ConfigError(signing_path, "audit_keys", f"not a PEM private key ({exc})") from None
    if not isinstance(signing, Ed25519PrivateKey):
        raise ConfigError(signing_path, "audit_keys", "not an Ed25519 private key")
    try:
        digest = bytes.fromhex(_read_private(digest_path).decode().strip())
    except (UnicodeDecodeError, ValueError):
        raise ConfigError(digest_path, "audit_keys", "not a hex key") from None
    if len(digest) < 32:
        raise ConfigError(digest_path, "audit_keys", "shorter than 32 bytes")
    keys = AuditKeys(folder, signing, digest)
    _export_public(folder / PUBLIC_KEY, keys.public)
    return keys


def _export_public(path: Path, key: Ed25519PublicKey) -> None:
    """Keep ``chain-signing.pub`` equal to the signing key's public half (anyone may read it)."""
    text = public_key_text(key) + "\n"
    try:
        if path.read_text() == text:
            return
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(text)
    temporary.chmod(0o644)
    temporary.replace(path)


def read_public_key(path: Path) -> Ed25519PublicKey:
    """A public key file as exported (``chain-signing.pub``); ValueError when it is not one."""
    return load_public_key(path.read_text())
