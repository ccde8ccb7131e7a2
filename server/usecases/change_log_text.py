"""The change log in words: each audited event described in both languages from the catalog
(``web.audit_<kind>``), with the names the admin knows (a service's name, a counter's number), so
the admin page shows sentences, never raw JSON or English event codes."""

from __future__ import annotations

from typing import Any

from nafitha.text import both, catalogs
from server.domain.files import printed
from server.usecases.catalog import Catalog

Bilingual = dict[str, str]


def _name(value: Any, fallback: str) -> Bilingual | str:
    if isinstance(value, dict) and value.get("ar") and value.get("en"):
        return {"ar": value["ar"], "en": value["en"]}
    return fallback


def _service_name(catalog: Catalog, service_id: str) -> Bilingual | str:
    service = catalog.services.get(service_id)
    return service.name.model_dump() if service else service_id


def _word(group: str, value: Any) -> Bilingual | str:
    """A role or device kind in words (``web.role_clerk``), else the value itself."""
    key = f"web.{group}_{value}"
    return both(key) if key in catalogs() else str(value or "")


def _params(event: dict[str, Any], catalog: Catalog) -> tuple[str, dict[str, Any]]:
    """The catalog key for this event and its parameters (bilingual where the words differ)."""
    kind = event["kind"]
    data = event.get("data") or {}
    actor = event.get("actor") or ""
    device = event.get("device") or ""
    if kind == "category_saved":
        key = "web.audit_category_added" if data.get("created") else "web.audit_category_saved"
        return key, {"name": _name(data.get("name"), data.get("id", ""))}
    if kind == "service_saved":
        key = "web.audit_service_added" if data.get("created") else "web.audit_service_saved"
        return key, {
            "name": _name(data.get("name"), data.get("id", "")),
            "prefix": data.get("prefix", ""),
        }
    if kind == "call_profile_saved":  # the calling profiles (server/usecases/call_profiles.py)
        profile = data.get("profile")
        rule = both("web.admin_center_profile")  # a counter given back the center's
        if profile:
            rule = _word("priority", profile.get("priority"))
        if data.get("scope") == "center":
            return "web.audit_call_profile_center", {"priority": rule}
        counter = catalog.counters.get(event.get("counter") or "")
        return "web.audit_call_profile_counter", {
            "counter": counter.number if counter else event.get("counter") or "",
            "priority": rule,
            "helps": len(data.get("helps") or []),
        }
    if kind == "counter_saved":
        key = "web.audit_counter_added" if data.get("created") else "web.audit_counter_saved"
        return key, {"number": data.get("number", ""), "services": len(data.get("services") or [])}
    if kind in ("person_created", "person_updated"):
        return f"web.audit_{kind}", {
            "username": data.get("username", ""),
            "role": _word("role", data.get("role")),
        }
    if kind in ("device_created", "device_revoked"):
        return f"web.audit_{kind}", {"device": device, "kind": _word("device", data.get("kind"))}
    if kind in ("person_signed_in", "person_signed_out"):
        counter = catalog.counters.get(event.get("counter") or "")
        if counter is not None:
            return f"web.audit_{kind}_at", {"username": actor, "number": counter.number}
        return f"web.audit_{kind}", {"username": actor}
    if kind in ("counter_opened", "counter_paused"):
        counter = catalog.counters.get(event.get("counter") or "")
        return f"web.audit_{kind}", {"number": counter.number if counter else event.get("counter")}
    if kind == "cutoff_overridden":  # the cut-off (server/usecases/cutoff.py)
        key = "web.audit_cutoff_kept_open" if data.get("open") else "web.audit_cutoff_rule_again"
        return key, {
            "service": _service_name(catalog, data.get("service", "")),
            "day": data.get("day", ""),
        }
    if kind == "ticket_refused_limit":
        return "web.audit_ticket_refused_limit", {
            "service": _service_name(catalog, data.get("service", "")),
            "limit": data.get("limit", ""),
        }
    if kind == "board_message":
        message = data.get("message") or ""
        if not message:
            return "web.audit_board_message_cleared", {}
        return "web.audit_board_message", {"message": message}
    if kind == "alert_raised":
        kind_of = str(data.get("kind", ""))
        keys = [f"web.alert_{kind_of}", f"web.alert_printer_{kind_of}"]  # counters send bare codes
        known = [key for key in keys if key in catalogs()]
        what = both(known[0]) if known else kind_of
        return "web.audit_alert_raised", {"alert": what, "device": device}
    if kind == "alert_resolved":
        return "web.audit_alert_resolved", {"id": data.get("alert", "")}
    if kind in ("file_opened", "file_moved"):
        service = _service_name(catalog, data.get("service", "")) if kind == "file_opened" else ""
        reference = str(data.get("reference", ""))
        shown = printed(reference) if len(reference) == 9 else reference
        return f"web.audit_{kind}", {"reference": shown, "service": service}
    key = f"web.audit_{kind}"
    if key in catalogs():
        return key, {}
    return "web.audit_other", {"kind": kind}


def describe(event: dict[str, Any], catalog: Catalog) -> Bilingual:
    """One sentence per language saying what the event changed."""
    key, params = _params(event, catalog)
    try:
        return both(key, **params)
    except (KeyError, IndexError, ValueError):
        return both("web.audit_other", kind=event["kind"])
