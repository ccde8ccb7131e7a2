"""Password hashing with Argon2id, tuned so a login costs tens of milliseconds, not seconds.

Parameters follow OWASP's Argon2id minimum (19 MiB, 2 passes, 1 lane). At most two hashes run at a
time per process (a semaphore), so a burst of logins cannot eat the server's memory or cores.
"""

from __future__ import annotations

import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.domain.errors import Refusal

# The one rule for a new password, checked by the admin API and by `nafitha server --set-password`.
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_SLOTS = threading.BoundedSemaphore(2)
# A valid hash to verify against when the user does not exist, so timing does not tell.
_DUMMY = HASHER.hash("not a password of anyone")


def require_strong(password: str) -> str:
    """``password`` if it may be set as a new password, else ``weak_password`` (422)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refusal("weak_password", minimum=MIN_PASSWORD_LENGTH)
    return password


def hash_password(password: str) -> str:
    with _SLOTS:
        return HASHER.hash(password)


def check_password(stored: str | None, password: str) -> bool:
    with _SLOTS:
        try:
            return HASHER.verify(stored or _DUMMY, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False
