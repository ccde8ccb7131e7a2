"""The services catalog as the kiosk shows it: categories, services, opening hours, pages.

Built from the server's ``GET /api/v1/services`` answer; pure, so the screens' choices (what is
closed, what goes on which page, which services are quick) are tested without a window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from nafitha.formats import format_wait
from nafitha.text import t

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ServiceView:
    id: str
    category: str
    name: dict[str, str]
    prefix: str = ""
    documents: tuple[dict[str, str], ...] = ()
    is_open: bool = True
    hours: tuple[dict[str, Any], ...] = ()
    queue: QueueView | None = None  # None: the server gave no queue figures
    cutoff: CutoffView | None = None  # None: no closing time today (kiosk/cutoff.py)
    limit: int | None = None  # tickets per person per day; the person is asked (kiosk/person.py)
    identify_by: str = "phone"

    def title(self, lang: str) -> str:
        return self.name.get(lang) or next(iter(self.name.values()), self.id)

    @property
    def unserved(self) -> bool:
        """Open, but no open counter serves it now: the citizen is told before taking a ticket."""
        return self.is_open and self.queue is not None and not self.queue.callable


@dataclass(frozen=True)
class CutoffView:
    """The server's cut-off of a service (``cutoff`` in the services list), times as sent."""

    last_ticket_at: str | None = None  # ISO 8601 in the center's zone
    closes_at: str | None = None
    past_cutoff: bool = False
    overridden: bool = False


@dataclass(frozen=True)
class QueueView:
    """A service's queue as the server counts it: waiting tickets, its rounded wait, callable."""

    waiting: int = 0
    wait_minutes: int | None = None
    callable: bool = True


@dataclass(frozen=True)
class CategoryView:
    id: str
    name: dict[str, str]
    icon: str = ""
    services: tuple[ServiceView, ...] = ()

    def title(self, lang: str) -> str:
        return self.name.get(lang) or next(iter(self.name.values()), self.id)


@dataclass(frozen=True)
class Catalog:
    center_name: dict[str, str] = field(default_factory=dict)
    categories: tuple[CategoryView, ...] = ()
    timezone: str = "UTC"  # the center's: every time shown is in it, never the kiosk PC's
    sms_available: bool = False  # the server sends text messages (kiosk/sms_optin.py)
    sms_countries: tuple[str, ...] = ()  # calling codes whose mobile numbers it accepts

    @property
    def services(self) -> dict[str, ServiceView]:
        return {s.id: s for c in self.categories for s in c.services}

    def category(self, category_id: str) -> CategoryView:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    def quick_services(self, wanted: Sequence[str], count: int = 4) -> list[ServiceView]:
        """The welcome screen's shortcuts: the configured ids that exist, or else the first open
        service of each category in order."""
        services = self.services
        if wanted:
            return [services[sid] for sid in wanted if sid in services][:count]
        quick: list[ServiceView] = []
        for category in self.categories:
            first_open = next((s for s in category.services if s.is_open), None)
            if first_open:
                quick.append(first_open)
            if len(quick) == count:
                break
        return quick


def _bilingual(value: Any, fallback: str) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {k: str(v) for k, v in value.items() if isinstance(v, str)}
    if isinstance(value, str):
        return {"ar": value, "en": value}
    return {"ar": fallback, "en": fallback}


def _service(data: Mapping[str, Any], category: str) -> ServiceView:
    is_open = data.get("open_now", data.get("open", True))
    return ServiceView(
        id=str(data["id"]),
        category=str(data.get("category") or category),
        name=_bilingual(data.get("name"), str(data["id"])),
        prefix=str(data.get("prefix", "")),
        documents=tuple(_bilingual(d, "") for d in data.get("documents", ()) or ()),
        is_open=bool(is_open) if not isinstance(is_open, Mapping) else bool(is_open.get("now")),
        hours=tuple(h for h in data.get("hours", ()) or () if isinstance(h, Mapping)),
        queue=_queue(data.get("queue")),
        cutoff=_cutoff(data.get("cutoff")),
        limit=int(data["max_tickets_per_person"]) if data.get("max_tickets_per_person") else None,
        identify_by=str(data.get("identify_by") or "phone"),
    )


def _cutoff(data: Any) -> CutoffView | None:
    if not isinstance(data, Mapping) or not data.get("last_ticket_at"):
        return None
    return CutoffView(
        last_ticket_at=str(data["last_ticket_at"]),
        closes_at=str(data["closes_at"]) if data.get("closes_at") else None,
        past_cutoff=bool(data.get("past_cutoff")),
        overridden=bool(data.get("overridden")),
    )


def _queue(data: Any) -> QueueView | None:
    if not isinstance(data, Mapping):
        return None
    minutes = data.get("wait_minutes")
    return QueueView(
        waiting=int(data.get("waiting") or 0),
        wait_minutes=int(minutes) if minutes is not None else None,
        callable=bool(data.get("callable", True)),
    )


def _at_kiosk(service: Mapping[str, Any]) -> bool:
    """A step-only service (``kiosk: false``, reached as a visit's later step) gets no button."""
    return service.get("kiosk", True) is not False


def parse_catalog(payload: Mapping[str, Any]) -> Catalog:
    """The server's services answer as a :class:`Catalog`; services nested in their categories or
    listed beside them (with a ``category`` id) are both accepted."""
    categories = payload.get("categories", []) or []
    loose = payload.get("services", []) or []
    views = []
    for category in categories:
        cid = str(category["id"])
        nested = [_service(s, cid) for s in category.get("services", []) or [] if _at_kiosk(s)]
        nested += [_service(s, cid) for s in loose if s.get("category") == cid and _at_kiosk(s)]
        views.append(
            CategoryView(
                id=cid,
                name=_bilingual(category.get("name"), cid),
                icon=str(category.get("icon") or cid),
                services=tuple(nested),
            )
        )
    center = payload.get("center") or {}
    name = center.get("name") if isinstance(center, Mapping) else center
    zone = center.get("timezone") if isinstance(center, Mapping) else None
    sms = payload.get("sms") if isinstance(payload.get("sms"), Mapping) else {}
    return Catalog(
        center_name=_bilingual(name, ""),
        categories=tuple(views),
        timezone=str(zone or "UTC"),
        sms_available=bool(sms.get("available")),
        sms_countries=tuple(str(c) for c in sms.get("countries") or ()),
    )


def page_of(items: Sequence[Any], page: int, per_page: int) -> tuple[list[Any], int, int]:
    """The items on ``page`` (clamped), that page, and how many pages there are (at least one)."""
    per_page = max(1, per_page)
    pages = max(1, -(-len(items) // per_page))
    page = min(max(0, page), pages - 1)
    return list(items[page * per_page : (page + 1) * per_page]), page, pages


def _day_span(days: Sequence[str], lang: str) -> str:
    """``["mon","tue","wed"]`` → "Mon–Wed"; non-consecutive days are listed."""
    order = sorted(DAYS.index(d) for d in days if d in DAYS)
    if not order:
        return ""
    names = [t(f"kiosk.day_{DAYS[i]}", lang) for i in order]
    consecutive = order == list(range(order[0], order[-1] + 1))
    if consecutive and len(order) > 2:
        return f"{names[0]}–{names[-1]}"
    return t("kiosk.list_separator", lang).join(names)


def hours_text(hours: Sequence[Mapping[str, Any]], lang: str) -> str:
    """Opening hours in words: "Mon–Fri 08:00–14:00 · Sat 08:00–12:00"."""
    parts = []
    for window in hours:
        span = _day_span(window.get("days", ()), lang)
        opening, closing = str(window.get("open", ""))[:5], str(window.get("close", ""))[:5]
        parts.append(f"{span} {opening}–{closing}".strip())
    return " · ".join(parts)


def queue_text(service: ServiceView, lang: str) -> str:
    """What a service button and the confirm screen say about its queue, before a ticket is taken:
    nobody serving it now, or how many wait and about how long (the server's figures, as given)."""
    queue = service.queue
    if queue is None or not service.is_open:
        return ""
    if not queue.callable:
        return t("kiosk.queue_unserved", lang)
    if queue.waiting == 0:
        return t("kiosk.queue_empty", lang)
    wait = format_wait(queue.wait_minutes, lang)
    if not wait:
        return t("kiosk.queue_waiting", lang, count=queue.waiting)
    return t("kiosk.queue_waiting_wait", lang, count=queue.waiting, wait=wait)
