"""A production server refuses to start while an account still opens with the demo's secrets.

The demo (``nafitha demo``) and the tests' servers create people whose password is ``demo`` and
kiosks whose tokens are ``demo-kiosk-1/2`` (docs/configuration.md). Anyone who read the README
could sign in as ``admin`` on a center installed from a demo database, so ``nafitha server``
looks for them before it listens, unless it runs as a demo (``demo = true`` or ``--demo``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from server.store.credentials import active_devices_with_token, active_password_hashes
from server.usecases.auth import token_hash
from server.usecases.context import Context
from server.usecases.passwords import check_password

# The demo's secrets, as nafitha/demo.py makes them (a test keeps the two equal).
DEMO_PASSWORD = "demo"
DEMO_KIOSK_TOKENS = ("demo-kiosk-1", "demo-kiosk-2")


def demo_accounts(ctx: Context) -> list[str]:
    """People whose password is the demo's, and devices holding a demo token ("device:ID").

    Every active person's hash is checked (Argon2, ~25 ms each, two at a time): the demo's
    password is shorter than any password the API or ``--set-password`` accepts, so only a demo
    database holds it, whatever the name.
    """
    reader = ctx.db.read()
    people = active_password_hashes(reader)
    with ThreadPoolExecutor(max_workers=2) as pool:
        hits = pool.map(lambda row: check_password(row[1], DEMO_PASSWORD), people)
        found = [username for (username, _), hit in zip(people, hits, strict=True) if hit]
    digests = [token_hash(token) for token in DEMO_KIOSK_TOKENS]
    found += [f"device:{device}" for device in active_devices_with_token(reader, digests)]
    return found
