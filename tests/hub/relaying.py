"""Publishing a center's events into its leaf as its relay does (stream, subject, ids, headers)."""

from __future__ import annotations

from nats.aio.client import Client as NatsClient
from nats.js.api import DiscardPolicy, StorageType, StreamConfig

from nafitha.national import wire


async def ensure_stream(relay: NatsClient, center: str) -> None:
    js = relay.jetstream()
    await js.add_stream(
        StreamConfig(
            name=wire.STREAM,
            subjects=[wire.subject(center)],
            storage=StorageType.FILE,
            duplicate_window=120.0,
            max_msg_size=wire.MAX_MESSAGE_BYTES,
            discard=DiscardPolicy.NEW,
        )
    )


async def publish(relay: NatsClient, center: str, rows: list[dict], bodies=None) -> None:
    """Each row (or the matching raw body) on the center's subject, with its msg-id and seq."""
    js = relay.jetstream()
    for index, row in enumerate(rows):
        body = bodies[index] if bodies else wire.encode(center, row)
        await js.publish(
            wire.subject(center),
            body,
            headers={
                "Nats-Msg-Id": wire.msg_id(center, row["id"]),
                wire.SEQ_HEADER: str(row["id"]),
            },
        )
