"""The two TOML files the server reads: its own settings, and the center's catalog.

``ServerSettings`` says where and how the server runs (host, port, database, token lifetimes);
``CenterConfig`` describes one center (categories, services with their documents and opening hours,
counters, people). Both refuse unknown keys and fail at start with file, key and reason
(:class:`nafitha.settings.ConfigError`). Every field is documented in ``docs/configuration.md``
(a test checks that).
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from nafitha.bilingual import Bilingual
from nafitha.paths import DEMO
from nafitha.settings import ConfigError, Settings, load_settings, read_toml, validate_settings
from server.domain.plain_text import first_unsafe
from server.domain.visit_steps import (
    Outcome,
    StepPriority,
    StepService,
    check_outcome_ids,
    check_steps,
    default_outcomes,
)
from server.domain.workflow import Workflow

DEFAULT_CENTER = DEMO / "center.toml"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Role = Literal["clerk", "manager", "admin"]
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            "must be 1-48 characters of a-z, 0-9 and '-', starting with a letter/digit"
        )
    return value


class Hours(Settings):
    """One opening window on the given weekdays, in the center's local time."""

    days: list[Day] = Field(min_length=1)
    open: time
    close: time

    @model_validator(mode="after")
    def _open_before_close(self) -> Hours:
        if self.open >= self.close:
            raise ValueError("open must be before close")
        return self


class Category(Settings):
    id: str
    name: Bilingual
    icon: str = ""

    _id = field_validator("id")(_check_id)


class Service(Settings):
    id: str
    category: str
    prefix: str = Field(pattern=r"^[A-Z]{1,2}$")
    name: Bilingual
    target_wait_min: int = Field(default=15, ge=1, le=600)
    # Prior mean service time (seconds) used by the wait estimate before the day has data.
    service_time_s: int = Field(default=300, ge=10, le=7200)
    documents: list[Bilingual] = Field(default_factory=list)
    hours: list[Hours] = Field(default_factory=list)  # empty = open whenever the center runs
    # The cut-off (docs/server.md): no new ticket whose estimated call passes close - margin.
    cutoff_margin_min: int = Field(default=10, ge=0, le=240)
    # Tickets per person per day (off when None); the person is asked at the kiosk by this.
    max_tickets_per_person: int | None = Field(default=None, ge=1, le=50)
    identify_by: Literal["phone", "id_digits"] = "phone"
    workflow: str | None = None  # the id of one of the center's workflows
    active: bool = True
    # Visits through several steps (server/domain/visit_steps.py, docs/server.md "Visits"):
    # the services that follow this one, in order; False = a step-only service (no kiosk button);
    # whether a ticket reaching this service as a step keeps its priority or is raised.
    steps: list[str] = Field(default_factory=list, max_length=10)
    kiosk: bool = True
    step_priority: StepPriority = "keep"
    # How a step of this service can end (the clerk picks one at finish).
    outcomes: list[Outcome] = Field(default_factory=default_outcomes, min_length=1, max_length=20)
    # Text messages (docs/sms.md): "your turn is near" once this many people are ahead (0: off).
    sms_turn_near: int = Field(default=3, ge=0, le=50)
    # Appointments (docs/appointments.md): citizens may book slots of this service (needs hours).
    appointments: bool = False

    _id = field_validator("id")(_check_id)
    _outcomes = field_validator("outcomes")(check_outcome_ids)

    def step_rules(self) -> StepService:
        """What the visit-step rules need of this service."""
        return StepService(
            self.id, tuple(self.steps), self.step_priority, tuple(self.outcomes), self.kiosk
        )


class CallProfile(Settings):
    """How a counter chooses whom to call (docs/server.md, "Calling profiles")."""

    policy: Literal["longest_wait", "target_ratio"] = "longest_wait"
    # first: priority always first; ratio: after every N normal calls, one priority;
    # capped: priority first, but never more than N priority calls in a row while normals wait.
    priority: Literal["first", "ratio", "capped"] = "first"
    normal_per_priority: int = Field(default=2, ge=1, le=100)
    max_priority_run: int = Field(default=3, ge=1, le=100)
    help_after_target: bool = True  # help at once when a helped service's oldest passes target


class Counter(Settings):
    id: str
    number: int = Field(ge=1, le=999)
    name: Bilingual
    services: list[str] = Field(min_length=1)  # the main services, called first
    profile: CallProfile | None = None  # None: the center's call_profile
    helps: list[str] = Field(default_factory=list)  # helping services (docs/server.md)

    _id = field_validator("id")(_check_id)


class Person(Settings):
    """A member of staff. Passwords never live in this file: set them with the CLI or the API."""

    username: str = Field(pattern=r"^[a-z0-9._-]{2,32}$")
    name: str = Field(default="", max_length=100)
    role: Role = "clerk"


class Reason(Settings):
    """A reason a clerk may give for calling a ticket out of order (shown by name on /integrity)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,47}$")
    name: Bilingual


def _default_reasons() -> list[Reason]:
    """The out-of-order reasons of a center that lists none (docs/audit.md, the integrity page)."""
    names = {
        "returning": ("عائد من خطوة أخرى أو بورقة ناقصة", "Returning (another step, a paper)"),
        "special_needs": ("احتياجات خاصة", "Special needs"),
        "appointment": ("موعد مسبق", "Appointment"),
        "manager_request": ("بطلب من المدير", "Manager's request"),
        "other": ("سبب آخر", "Other"),
    }
    return [Reason(id=key, name=Bilingual(ar=ar, en=en)) for key, (ar, en) in names.items()]


class AppointmentSettings(Settings):
    """Booking slots of the bookable services (docs/appointments.md)."""

    slot_min: int = Field(default=15, ge=5, le=240)  # slot length, from each opening
    walk_in_share: float = Field(default=0.5, ge=0.0, le=1.0)  # capacity kept for walk-ins
    grace_min: int = Field(default=15, ge=0, le=240)  # later than slot + grace: a walk-in
    early_checkin_min: int = Field(default=60, ge=0, le=720)  # check-in opens this long before
    horizon_days: int = Field(default=14, ge=1, le=366)  # bookable days, today included
    ask_name: bool = False
    ask_phone: bool = True  # offer the optional phone field
    require_phone: bool = False
    per_phone_per_day: int = Field(default=1, ge=1, le=20)  # live bookings per phone per day


class PlacesSettings(Settings):
    """Joining today's queue from a phone (docs/appointments.md, "Joining from a phone")."""

    enabled: bool = False
    lapse_min: int = Field(default=20, ge=5, le=240)  # unconfirmed this long after come-back: gone
    portal: bool = False  # places also taken through the national portal (a [national] hub)


class ComplaintSettings(Settings):
    """Complaints and suggestions (docs/complaints.md): answer deadlines and abuse limits."""

    complaint_days: int = Field(default=7, ge=1, le=365)  # a complaint's answer is due in
    suggestion_days: int = Field(default=30, ge=1, le=365)
    escalate_after_days: int = Field(default=2, ge=0, le=365)  # manager alerted, then ministry
    per_client_per_hour: int = Field(default=5, ge=1, le=1000)  # per kiosk device or address
    per_phone_per_day: int = Field(default=3, ge=1, le=100)
    check_s: float = Field(default=60.0, ge=0.05, le=86_400)  # the overdue job's period


class AssessmentGoals(Settings):
    """What the self-assessment page marks met or missed (docs/ratings.md, "Self-assessment"):
    shares from 0 to 1, mean stars from 1 to 5. The defaults are common grading thresholds; a
    ministry sets its own for its centers."""

    within_target: float = Field(default=0.8, ge=0, le=1)  # tickets called within their target
    resolution: float = Field(default=0.8, ge=0, le=1)  # visits resolved at the first visit
    satisfied: float = Field(default=0.8, ge=0, le=1)  # ratings of 4 or 5 stars
    mean_stars: float = Field(default=4.0, ge=1, le=5)
    complaints_on_time: float = Field(default=0.9, ge=0, le=1)  # answered by their deadline


class Center(Settings):
    name: Bilingual
    timezone: str = "Asia/Beirut"
    public_url: str = "http://127.0.0.1:8000"
    # How call-next orders waiting tickets after priority (see docs/server.md, "Call-next policy").
    call_policy: Literal["longest_wait", "target_ratio"] = "longest_wait"
    # The counters' default calling profile; without it, call_policy is its policy.
    call_profile: CallProfile = Field(default_factory=CallProfile)
    # Reasons for a call out of order (docs/audit.md, "The integrity page"); a reason given that
    # is not one of these ids is published as "other", its text kept in the audit log only.
    out_of_order_reasons: list[Reason] = Field(default_factory=_default_reasons, max_length=50)
    # The board shows the day's integrity summary for ``board_integrity_s`` seconds after every
    # ``board_rotation_s`` seconds of the normal view (0: never); a call shows at once.
    board_rotation_s: int = Field(default=60, ge=0, le=3600)
    board_integrity_s: int = Field(default=12, ge=3, le=600)
    appointments: AppointmentSettings = Field(default_factory=AppointmentSettings)
    places: PlacesSettings = Field(default_factory=PlacesSettings)  # join from a phone
    complaints: ComplaintSettings = Field(default_factory=ComplaintSettings)
    assessment: AssessmentGoals = Field(default_factory=AssessmentGoals)  # the goals of /assessment

    @field_validator("out_of_order_reasons")
    @classmethod
    def _unique_reasons(cls, value: list[Reason]) -> list[Reason]:
        _unique("out_of_order_reasons", [reason.id for reason in value])
        return value

    @model_validator(mode="after")
    def _one_policy(self) -> Center:
        """``call_policy`` and ``call_profile.policy`` always say the same: ``call_policy``,
        when given (older files, older code), is the default profile's policy."""
        given = "call_policy" in self.model_fields_set
        if given or "policy" not in self.call_profile.model_fields_set:
            profile = self.call_profile.model_copy(update={"policy": self.call_policy})
            object.__setattr__(self, "call_profile", profile)  # frozen model, still validating
        else:
            object.__setattr__(self, "call_policy", self.call_profile.policy)
        return self

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class CenterConfig(Settings):
    center: Center
    categories: list[Category] = Field(min_length=1)
    services: list[Service] = Field(min_length=1)
    counters: list[Counter] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    # File workflows (server/domain/workflow.py, docs/files.md).
    workflows: list[Workflow] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_exist(self) -> CenterConfig:
        _unique("categories", [c.id for c in self.categories])
        _unique("services", [s.id for s in self.services])
        _unique("counters", [c.id for c in self.counters])
        _unique("counters (number)", [c.number for c in self.counters])
        _unique("people", [p.username for p in self.people])
        categories = {c.id for c in self.categories}
        for i, service in enumerate(self.services):
            if service.appointments and not service.hours:
                raise ValueError(f"services[{i}].appointments: a bookable service needs hours")
            if service.category not in categories:
                raise ValueError(f"services[{i}].category: unknown category {service.category!r}")
        _unique("workflows", [w.id for w in self.workflows])
        workflows = {w.id for w in self.workflows}
        for i, service in enumerate(self.services):
            if service.workflow is not None and service.workflow not in workflows:
                raise ValueError(f"services[{i}].workflow: unknown workflow {service.workflow!r}")
        services = {s.id for s in self.services}
        errors = check_steps({s.id: s.step_rules() for s in self.services})
        for i, service in enumerate(self.services):
            for error in errors:
                if error.startswith(f"{service.id}: "):
                    raise ValueError(f"services[{i}].steps: {error.partition(': ')[2]}")
        for i, counter in enumerate(self.counters):
            for name in counter.services:
                if name not in services:
                    raise ValueError(f"counters[{i}].services: unknown service {name!r}")
            for name in counter.helps:
                if name not in services:
                    raise ValueError(f"counters[{i}].helps: unknown service {name!r}")
                if name in counter.services:
                    raise ValueError(f"counters[{i}].helps: {name!r} is one of its services")
        return self


def _unique(what: str, values: list[Any]) -> None:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what}: duplicate {value!r}")
        seen.add(value)


class NationalSettings(Settings):
    """The center's link to the national hub (docs/national.md); absent, the server has none.

    ``center``, ``leaf_url`` and ``relay_password`` are the relay's (a thread of the server);
    the ``hub_url``, ``leaf_*`` keys are what ``nafitha leaf`` runs the center's leaf from.
    """

    center: str
    leaf_url: str = "nats://127.0.0.1:4222"
    relay_password: str = Field(min_length=8, max_length=200)
    hub_url: str | None = None  # e.g. "nats-leaf://hub.example:7422"
    # The CA that signed the hub's leaf-port certificate (docs/national.md, "TLS on the leaf
    # link"): with it the leaf speaks TLS to the hub and refuses any other certificate.
    hub_ca: Path | None = None
    leaf_password: str | None = Field(default=None, min_length=8, max_length=200)
    leaf_client_port: int = Field(default=4222, ge=1, le=65535)
    leaf_monitor_port: int = Field(default=8222, ge=1, le=65535)
    leaf_store: Path | None = None  # default: ``leaf/`` beside the database
    # The national portal (the hub's address for citizens, e.g. "https://portal.example"): the
    # receipt's QR code and tracking links then point at ``{portal_url}/f/{reference}``.
    portal_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(/[^\s]*)?$")

    @field_validator("center")
    @classmethod
    def _center_id(cls, value: str) -> str:
        from nafitha.national.wire import check_center

        return check_center(value)


class TlsSettings(Settings):
    """HTTPS on the center's LAN (docs/operations.md, "TLS"); ``nafitha tls init`` makes the files.

    With ``certificate`` and ``key`` the server itself speaks only HTTPS. Without them (a proxy in
    front ends TLS) ``require`` still refuses staff sign-in that did not arrive over HTTPS.
    """

    certificate: Path | None = None  # PEM: the server's certificate (then its CA's, if any)
    key: Path | None = None  # PEM: its private key (readable only by the server's user)
    require: bool = True  # staff sign-in only over HTTPS (the connection's, or a trusted proxy's)

    @model_validator(mode="after")
    def _both_or_neither(self) -> TlsSettings:
        if (self.certificate is None) != (self.key is None):
            raise ValueError("certificate and key go together: give both, or neither")
        for name in ("certificate", "key"):
            path = getattr(self, name)
            if path is not None and not path.is_file():
                raise ValueError(f"{name}: no such file {str(path)!r}")
        return self


class ReplicaSettings(Settings):
    """Continuous off-site replication of the database by Litestream (docs/operations.md).

    ``url`` is Litestream's replica URL: ``file:///mnt/offsite/center``,
    ``s3://bucket/center?endpoint=http://minio:9000&region=us-east-1`` or
    ``sftp://user@host:22/path``. Credentials left unset here come from the environment
    (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` or ``LITESTREAM_*``), never from the URL.
    """

    url: str = Field(min_length=8, max_length=2000)
    sync_interval_s: float = Field(default=0.5, ge=0.05, le=3600)
    monitor_interval_s: float = Field(default=0.25, ge=0.05, le=60)
    access_key_id: str | None = Field(default=None, max_length=200)
    secret_access_key: str | None = Field(default=None, max_length=200)
    sftp_password: str | None = Field(default=None, max_length=200)
    sftp_key_path: Path | None = None
    sftp_host_key: str | None = Field(default=None, max_length=2000)
    alert_lag_s: float = Field(default=30.0, ge=1, le=86_400)

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(value)
        if parts.scheme not in ("file", "s3", "sftp"):
            raise ValueError("must start with file://, s3:// or sftp://")
        if parts.scheme == "file" and (
            parts.netloc not in ("", "localhost") or not parts.path.startswith("/")
        ):
            raise ValueError("a file replica needs an absolute path: file:///mnt/offsite/center")
        if parts.scheme != "file" and not parts.netloc:
            raise ValueError("needs a bucket or host: s3://bucket/path, sftp://user@host/path")
        return value


class SmsSettings(Settings):
    """Text messages through a GSM modem (docs/sms.md); absent, the server sends none.

    ``mode = "gammu"`` drives a real modem through Gammu (``device``, ``connection``);
    ``mode = "folder"`` is the demo's simulated modem: every sent message is a file in
    ``folder``/sent, and a file dropped in ``folder``/inbox is read as a message received.
    """

    mode: Literal["gammu", "folder"] = "gammu"
    device: str = Field(default="/dev/ttyUSB0", max_length=500)
    connection: str = Field(default="at", pattern=r"^[a-z0-9_-]{1,40}$")  # Gammu's connection
    folder: Path | None = None  # folder mode: default ``sms/`` beside the database
    # Calling codes of the countries whose mobile numbers may be texted (nafitha/phone_numbers.py).
    countries: list[Literal["961", "963", "964", "962", "20"]] = Field(
        default_factory=lambda: ["961", "963", "964"], min_length=1
    )
    # No notices between these local times (replies to a citizen's own message still go).
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    max_tries: int = Field(default=5, ge=1, le=50)
    retry_after_s: float = Field(default=30.0, ge=0.1, le=3600)  # doubled after each failed try
    retry_max_s: float = Field(default=1800.0, ge=1, le=86_400)
    per_number_per_hour: int = Field(default=6, ge=1, le=1000)
    inbound_per_hour: int = Field(default=10, ge=1, le=1000)  # answered per number, then silence
    # Replies to citizens' messages per hour for the whole center (a flood from many numbers must
    # not spend the SIM's credit nor hold the notices back); past it, received and kept, unanswered.
    replies_per_hour: int = Field(default=200, ge=1, le=100_000)
    max_parts: int = Field(default=4, ge=1, le=10)
    purge_days: int = Field(default=30, ge=1, le=3650)
    called_expires_min: int = Field(default=30, ge=1, le=1440)  # "called"/"turn near" go stale
    poll_s: float = Field(default=0.2, ge=0.01, le=60)
    health_s: float = Field(default=5.0, ge=0.5, le=600)


class ServerSettings(Settings):
    """How one server process runs; every key has a safe default."""

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    db: Path = Path("nafitha.db")
    center_config: Path = DEFAULT_CENTER
    workers: int = Field(default=1, ge=1, le=32)
    person_token_hours: float = Field(default=12.0, gt=0, le=24 * 30)
    ignore_hours: bool = False  # treat every service as open (the demo sets this)
    # A demo or test server: may start with the demo's accounts (password "demo", kiosk tokens
    # demo-kiosk-1/2), which a production server refuses (server/usecases/production.py).
    demo: bool = False
    max_body_bytes: int = Field(default=65536, ge=1024)
    # Request limits per worker (docs/configuration.md): a request's line and headers, open
    # connections (live streams included; beyond, uvicorn answers 503), the listen backlog.
    max_header_bytes: int = Field(default=32768, ge=4096, le=1_048_576)
    max_connections: int = Field(default=4000, ge=16, le=100_000)
    backlog: int = Field(default=2048, ge=16, le=65535)
    busy_timeout_s: float = Field(default=10.0, gt=0)
    event_poll_s: float = Field(default=0.25, gt=0, le=10)
    # The live stream (docs/api.md, "Live events"): events kept for a resume, and streams held
    # open per worker process, in all and per client address.
    event_replay_max: int = Field(default=2000, ge=10, le=100_000)
    event_streams_max: int = Field(default=2000, ge=1, le=100_000)
    event_streams_per_address: int = Field(default=16, ge=1, le=10_000)
    # Sign-in (docs/configuration.md): wrong guesses allowed per name and address, and per
    # address, in 5 minutes; threads checking passwords, and sign-ins waiting for one.
    login_failures_before_delay: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_hash_threads: int = Field(default=2, ge=1, le=64)
    login_queue: int = Field(default=8, ge=0, le=10_000)
    public_url: str | None = None  # overrides the center's public_url when set
    # Proxies whose X-Forwarded-For/-Proto are believed (comma-separated addresses); empty: none,
    # the client address is the TCP peer's (docs/configuration.md).
    forwarded_allow_ips: str = Field(default="", max_length=1000)
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "warning"
    # Public file tracking (docs/files.md): lookups per minute and burst per client
    # address; a kiosk device gets ``track_device_factor`` times both; signed-in staff are free.
    track_per_minute: float = Field(default=20.0, gt=0, le=6000)
    track_burst: int = Field(default=10, ge=1, le=1000)
    track_device_factor: int = Field(default=20, ge=1, le=1000)
    # The public integrity report (docs/audit.md): reads per minute and burst per client address
    # (signed-in staff are free), and how long one computation of today serves every reader.
    integrity_per_minute: float = Field(default=20.0, gt=0, le=6000)
    integrity_burst: int = Field(default=10, ge=1, le=1000)
    integrity_fresh_s: float = Field(default=2.0, ge=0, le=600)
    integrity_computations_per_minute: float = Field(default=30.0, gt=0, le=6000)
    # Public booking (docs/appointments.md): new bookings, moves and cancels per minute and burst
    # per client address (a kiosk device gets ``track_device_factor`` times; staff are free);
    # lookups by code count against the file-tracking limit (``track_per_minute``).
    booking_per_minute: float = Field(default=6.0, gt=0, le=6000)
    booking_burst: int = Field(default=5, ge=1, le=1000)
    # Ticket actions (docs/counter.md): a no-show only this long after the call (or after a
    # recall), and a no-show may be undone by its clerk for this long.
    no_show_after_s: float = Field(default=60.0, ge=0, le=3600)
    no_show_undo_s: float = Field(default=120.0, ge=0, le=3600)
    # The audit (docs/audit.md): the folder of the signing and digest keys (default ``keys/``
    # beside the database), the file the signed chain heads are appended to (default
    # ``chain-heads.jsonl`` beside the database), and how often the head is signed.
    audit_keys: Path | None = None
    audit_heads: Path | None = None
    audit_sign_events: int = Field(default=1000, ge=1, le=1_000_000)
    audit_sign_s: float = Field(default=300.0, ge=1, le=86_400)
    # The national layer (docs/national.md): a ``[national]`` table turns the relay on.
    national: NationalSettings | None = None
    # Off-site replication (docs/operations.md, "The replica"): a ``[replica]`` table turns it on.
    replica: ReplicaSettings | None = None
    # HTTPS (docs/operations.md, "TLS"): a ``[tls]`` table with the certificate and key.
    tls: TlsSettings | None = None
    # Text messages (docs/sms.md): an ``[sms]`` table starts the sender with the server.
    sms: SmsSettings | None = None


def load_center_config(path: Path | str) -> CenterConfig:
    """The center catalog from ``path``; a bad field raises ConfigError naming file, key, reason."""
    data = read_toml(path)
    try:
        config = validate_settings(CenterConfig, data, path)
    except ConfigError as exc:
        # model-level checks report "key: reason" inside the message; lift the key out.
        match = re.match(r"^Value error, ([\w\[\]. ()]+): (.*)$", exc.reason)
        if exc.key == "" and match:
            raise ConfigError(path, match.group(1), match.group(2)) from None
        raise
    _one_policy_given(path, data)
    unsafe = first_unsafe(config.model_dump(mode="json"))
    if unsafe:  # what citizens read on the board, the kiosk and paper (docs/api.md, input rules)
        raise ConfigError(path, unsafe, "control or direction-override characters are not allowed")
    return config


def _one_policy_given(path: Path | str, data: Any) -> None:
    """A file giving both ``call_policy`` and ``call_profile.policy`` must give the same one."""
    center = data.get("center") if isinstance(data, dict) else None
    profile = center.get("call_profile") if isinstance(center, dict) else None
    given = profile.get("policy") if isinstance(profile, dict) else None
    if given is not None and "call_policy" in center and given != center["call_policy"]:
        raise ConfigError(path, "center.call_profile.policy", "differs from center.call_policy")


def load_server_settings(
    path: Path | str | None, overrides: dict[str, Any] | None = None
) -> ServerSettings:
    return load_settings(ServerSettings, path, overrides)
