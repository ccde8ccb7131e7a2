"""The event log's hash chain and the signatures of its head: pure pieces a center and a hub share.

A center's ``events`` table is a hash chain: each event's hash is SHA-256 over the previous hash
and the event's canonical content (:func:`event_hash`). Anyone who can open the database can
recompute the whole chain after an edit, so the chain alone proves nothing against them. The
center therefore signs its chain head (sequence number and hash) with an Ed25519 key kept outside
the database (:func:`sign_head`), and the signed heads are kept outside it too (a file, the
national hub, an auditor's notes). A rewritten log no longer matches a head signed before the
rewrite, and forging a new signature needs the private key (docs/audit.md).

The national hub recomputes hashes and verifies signatures with the same functions and the
center's public key, so this module imports nothing of the server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

GENESIS = "0" * 64
# Bound into every signed message, so a signature over a head can never pass for anything else.
HEAD_CONTEXT = b"nafitha chain head v1\n"
HASHED_COLUMNS = ("id", "at", "kind", "actor", "counter", "device", "ticket_id")
_HASH = re.compile(r"^[0-9a-f]{64}$")


# ``json.dumps`` with these options builds a new encoder per call; one shared encoder writes the
# same text (``dumps`` is exactly ``JSONEncoder(...).encode``) at a fraction of the cost.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical(value: Any) -> str:
    """One JSON text per value (sorted keys, no spaces, UTF-8 kept): what is hashed and signed."""
    return _CANONICAL.encode(value)


def event_hash(prev_hash: str, row: dict[str, Any]) -> str:
    """The hash of one event: ``row`` holds the hashed columns, ``data`` and ``public`` as stored
    (canonical JSON text, ``public`` maybe None)."""
    content = {k: row[k] for k in HASHED_COLUMNS}
    content["data"] = row["data"]
    content["public"] = row["public"]
    return hashlib.sha256((prev_hash + canonical(content)).encode()).hexdigest()


@dataclass(frozen=True)
class Head:
    """A point of the chain: event ``seq`` has hash ``hash``."""

    seq: int
    hash: str


def parse_head(text: str) -> Head:
    """``SEQ:HASH`` as an auditor writes it down; ValueError says what is wrong."""
    seq, sep, digest = text.strip().partition(":")
    if not sep or not seq.isdigit() or not _HASH.match(digest.lower()):
        raise ValueError(f"{text!r}: expected SEQ:HASH (a number, ':', 64 hex digits)")
    return Head(int(seq), digest.lower())


@dataclass(frozen=True)
class SignedHead:
    """A head signed by a center at ``at`` (Unix seconds) with the key whose id is ``key``."""

    seq: int
    hash: str
    at: float
    key: str
    signature: str  # base64 of the 64-byte Ed25519 signature

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, value: Any) -> SignedHead:
        """A signed head from its JSON form; ValueError when a field is missing or mistyped."""
        if not isinstance(value, dict):
            raise ValueError("a signed head is a JSON object")
        try:
            head = cls(
                seq=int(value["seq"]),
                hash=str(value["hash"]),
                at=float(value["at"]),
                key=str(value["key"]),
                signature=str(value["signature"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a signed head: {exc}") from None
        if head.seq < 1 or not _HASH.match(head.hash):
            raise ValueError("not a signed head: bad seq or hash")
        return head


def head_message(seq: int, digest: str, at: float) -> bytes:
    """The exact bytes a center signs for the head ``seq``/``digest`` at time ``at``."""
    return HEAD_CONTEXT + canonical({"at": at, "hash": digest, "seq": seq}).encode()


def public_key_text(key: Ed25519PublicKey) -> str:
    """The public key as one line of text (base64 of its 32 raw bytes): what a hub registers."""
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def load_public_key(text: str) -> Ed25519PublicKey:
    """The key :func:`public_key_text` wrote; ValueError when it is not one."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise ValueError(f"not an Ed25519 public key: {exc}") from None


def key_id(key: Ed25519PublicKey) -> str:
    """A short fingerprint naming the key in every signed head (so a changed key shows)."""
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign_head(key: Ed25519PrivateKey, head: Head, at: float) -> SignedHead:
    signature = key.sign(head_message(head.seq, head.hash, at))
    return SignedHead(
        seq=head.seq,
        hash=head.hash,
        at=at,
        key=key_id(key.public_key()),
        signature=base64.b64encode(signature).decode(),
    )


def verify_head(key: Ed25519PublicKey, signed: SignedHead) -> bool:
    """True when ``signed`` was signed by the private half of ``key``, unchanged since."""
    if signed.key != key_id(key):
        return False
    try:
        signature = base64.b64decode(signed.signature, validate=True)
        key.verify(signature, head_message(signed.seq, signed.hash, signed.at))
    except (InvalidSignature, ValueError):
        return False
    return True


def keyed_digest(key: bytes, values: list[Any]) -> str:
    """HMAC-SHA256 of ``values``: proves personal data unchanged without being guessable.

    A plain hash of a name and a national id can be found by trying every id; without the key
    nobody can, and destroying the key makes the digests meaningless (the events anonymised).
    """
    return hmac.new(key, canonical(values).encode(), hashlib.sha256).hexdigest()


def digest_key_id(key: bytes) -> str:
    """A short name for a digest key, recorded beside each digest (keys can be replaced)."""
    return hashlib.sha256(b"nafitha digest key id\n" + key).hexdigest()[:16]
