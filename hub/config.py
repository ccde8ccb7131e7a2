"""``hub.toml``: where the hub keeps its files, its nats-server, PostgreSQL, HTTP, and its centers.

Read once at start into :class:`HubSettings`; unknown keys are refused and a bad file stops the
hub with file, key and reason (:class:`nafitha.settings.ConfigError`), as the center's
``server.toml`` does. The documented example is in docs/hub.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, field_validator, model_validator

from nafitha.bilingual import Bilingual
from nafitha.chain import load_public_key
from nafitha.national.wire import check_center
from nafitha.settings import Settings, load_settings


class HubFolder(Settings):
    # The hub's folder: the nats-server's JetStream store, its config and logs.
    data: Path = Path("hub-data")
    log_level: str = Field(default="warning", pattern="^(critical|error|warning|info|debug)$")


class NatsSettings(Settings):
    host: str = "127.0.0.1"
    client_port: int = Field(default=4222, ge=1, le=65535)
    leaf_port: int = Field(default=7422, ge=1, le=65535)
    monitor_port: int = Field(default=8222, ge=1, le=65535)
    writer_password: str = Field(min_length=8, max_length=200)
    # TLS on the leaf port (docs/national.md, "TLS on the leaf link"): the hub's certificate
    # (then its CA's) and key, e.g. made by ``nafitha tls init --name hub.example``; every
    # leaf must then speak TLS and trust that CA (``[national] hub_ca`` at the center).
    leaf_certificate: Path | None = None
    leaf_key: Path | None = None

    @model_validator(mode="after")
    def _leaf_tls_whole(self) -> NatsSettings:
        if (self.leaf_certificate is None) != (self.leaf_key is None):
            raise ValueError("leaf_certificate and leaf_key go together (both or neither)")
        for path in (self.leaf_certificate, self.leaf_key):
            if path is not None and not path.is_file():
                raise ValueError(f"{path}: no such file (nafitha tls init makes them)")
        return self


class PostgresSettings(Settings):
    # A libpq connection string; the user owns the hub's database and may create roles.
    dsn: str = Field(min_length=1)
    # How long `nafitha hub` waits at start for PostgreSQL to answer before it gives up.
    start_wait_s: float = Field(default=60.0, ge=0, le=3600)


class HttpSettings(Settings):
    host: str = "127.0.0.1"
    port: int = Field(default=8100, ge=1, le=65535)
    # HTTP worker processes sharing the port (the public portal); 1: the hub's own process only.
    workers: int = Field(default=1, ge=1, le=64)
    # Proxies whose X-Forwarded-For/-Proto are believed (comma-separated addresses, "*" for any):
    # the portal's per-address limits then count each citizen, not the proxy. Default: a proxy
    # on this machine; "" believes none (the hub faces citizens itself).
    forwarded_allow_ips: str = Field(default="127.0.0.1", max_length=1000)


class PortalSettings(Settings):
    # The public portal (docs/portal.md): tracking lookups per client address, and when a
    # center's figures count as stale (no contact for that long).
    track_per_minute: float = Field(default=20.0, gt=0, le=10_000)
    track_burst: int = Field(default=10, ge=1, le=10_000)
    stale_after_s: float = Field(default=120.0, gt=0, le=86_400)
    # Bookings and complaints forwarded to a center (hub/api/portal_forward.py): requests per
    # client address, and how long the hub waits for the center's answer.
    forward_per_minute: float = Field(default=10.0, gt=0, le=10_000)
    forward_burst: int = Field(default=10, ge=1, le=10_000)
    forward_timeout_s: float = Field(default=5.0, gt=0, le=60)


class WriterSettings(Settings):
    batch: int = Field(default=500, ge=1, le=10_000)  # messages fetched per batch
    fetch_timeout_s: float = Field(default=1.0, gt=0, le=60)
    retry_s: float = Field(default=1.0, gt=0, le=300)  # wait after the leaf or PostgreSQL failed
    leaf_check_s: float = Field(default=5.0, gt=0, le=3600)  # how often the leaf's last seq is read


class MinistrySettings(Settings):
    # The ministry's dashboard (docs/hub.md, "Ministry dashboard").
    session_hours: float = Field(default=12.0, gt=0, le=168)  # a sign-in lasts this long
    silent_after_min: float = Field(default=15.0, gt=0, le=10080)  # no contact this long: alarm
    login_failures_per_address: int = Field(default=20, ge=1, le=1000)  # per 5 minutes
    login_failures_before_delay: int = Field(default=5, ge=1, le=100)  # per name and address


class CenterEntry(Settings):
    id: str
    name: Bilingual
    leaf_password: str = Field(min_length=8, max_length=200)
    # The center's audit public key (``nafitha audit public-key`` at the center): its signed
    # chain heads are verified with it.
    public_key: str

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        return check_center(value)

    @field_validator("public_key")
    @classmethod
    def _key(cls, value: str) -> str:
        load_public_key(value)
        return value.strip()


class HubSettings(Settings):
    hub: HubFolder = Field(default_factory=HubFolder)
    nats: NatsSettings
    postgres: PostgresSettings
    http: HttpSettings = Field(default_factory=HttpSettings)
    writer: WriterSettings = Field(default_factory=WriterSettings)
    portal: PortalSettings = Field(default_factory=PortalSettings)
    ministry: MinistrySettings = Field(default_factory=MinistrySettings)
    centers: list[CenterEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> HubSettings:
        seen: set[str] = set()
        for center in self.centers:
            if center.id in seen:
                raise ValueError(f"centers: duplicate id {center.id!r}")
            seen.add(center.id)
        return self

    def center(self, center_id: str) -> CenterEntry:
        for center in self.centers:
            if center.id == center_id:
                return center
        raise KeyError(center_id)


def load_hub_settings(path: Path | str, overrides: dict[str, Any] | None = None) -> HubSettings:
    """The hub's settings from ``path``; ConfigError names file, key and reason."""
    return load_settings(HubSettings, path, overrides)
