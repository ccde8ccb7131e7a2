"""How many live streams this process holds open, in all and per client address.

A live stream holds a socket, a task and a place in every wake-up for as long as the client
likes; without a cap, one phone on the hall's Wi-Fi could open thousands. The counts are per
worker process (each process serves its own streams), kept on the event loop's thread.
"""

from __future__ import annotations

from collections import Counter

from server.domain.errors import Refusal

RETRY_AFTER_S = 10


class StreamSlots:
    def __init__(self, total: int, per_address: int) -> None:
        self.total = total
        self.per_address = per_address
        self.by_address: Counter[str] = Counter()
        self.open = 0

    def take(self, address: str) -> None:
        """One more stream for ``address``, or a 503 refusal that says when to retry."""
        if self.open >= self.total or self.by_address[address] >= self.per_address:
            raise Refusal.retry_after("too_many_streams", RETRY_AFTER_S)
        self.open += 1
        self.by_address[address] += 1

    def give_back(self, address: str) -> None:
        self.open -= 1
        self.by_address[address] -= 1
        if self.by_address[address] <= 0:
            del self.by_address[address]
