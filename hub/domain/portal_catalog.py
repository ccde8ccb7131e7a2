"""Each center's catalog (services, documents, counters, workflows) rebuilt from its events, and the
Arabic-aware search of the portal's "Services and required documents" page. Pure.

A center ships its catalog in its events: ``catalog_imported`` carries the whole catalog
(``data["catalog"]``) and an admin's edit carries the item it saved (``service_saved``,
``category_saved``, ``counter_saved``). Folding them in order gives the catalog the center runs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

CATALOG_KINDS = ("catalog_imported", "category_saved", "service_saved", "counter_saved")
_ITEMS = {"category_saved": "categories", "service_saved": "services", "counter_saved": "counters"}

# Arabic diacritics (harakat, tanwin, shadda, sukun, dagger alef, Quranic marks) and tatweel.
_MARKS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",  # Persian yeh, typed on some keyboards
        "ئ": "ي",
        "ؤ": "و",
        "ک": "ك",
    }
)


def empty_catalog() -> dict[str, Any]:
    return {"center": None, "categories": [], "services": [], "counters": [], "workflows": []}


def _upsert(items: list[dict[str, Any]], item: dict[str, Any]) -> list[dict[str, Any]]:
    for i, existing in enumerate(items):
        if existing.get("id") == item.get("id"):
            return [*items[:i], item, *items[i + 1 :]]
    return [*items, item]


def fold(catalog: dict[str, Any], kind: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """``catalog`` after one catalog event (a new dict; events of other kinds change nothing)."""
    if kind == "catalog_imported":
        shipped = data.get("catalog")
        if not isinstance(shipped, Mapping):
            return catalog  # an older center: counts only, the catalog itself was not shipped
        return {key: shipped.get(key, value) for key, value in empty_catalog().items()}
    if kind in _ITEMS:
        item = {k: v for k, v in data.items() if k != "created"}
        return {**catalog, _ITEMS[kind]: _upsert(catalog[_ITEMS[kind]], item)}
    return catalog


def fold_all(events: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
    catalog = empty_catalog()
    for kind, data in events:
        catalog = fold(catalog, kind, data)
    return catalog


def normalize(text: str) -> str:
    """Text folded for search: Arabic alef forms, taa marbuta, yaa and alef maqsura, hamza seats
    and diacritics unified; Latin case and accents dropped; runs of spaces made one."""
    text = _MARKS.sub("", unicodedata.normalize("NFKC", text)).translate(_LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def _texts(service: Mapping[str, Any], category: Mapping[str, Any] | None) -> list[str]:
    texts = [service.get("id", "")]
    for named in [service.get("name"), category.get("name") if category else None]:
        if isinstance(named, Mapping):
            texts += [str(v) for v in named.values()]
    for document in service.get("documents", []):
        if isinstance(document, Mapping):
            texts += [str(v) for v in document.values()]
    return texts


def matches(query: str, service: Mapping[str, Any], category: Mapping[str, Any] | None) -> bool:
    """Every word of ``query`` is in the service's names, its category's or its documents'."""
    words = normalize(query).split()
    haystack = normalize(" ".join(_texts(service, category)))
    return all(word in haystack for word in words)


def active_services(catalog: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [s for s in catalog.get("services", []) if s.get("active", True)]


def workflow(catalog: Mapping[str, Any], workflow_id: str | None) -> dict[str, Any] | None:
    for candidate in catalog.get("workflows", []):
        if candidate.get("id") == workflow_id:
            return candidate
    return None


def service(catalog: Mapping[str, Any], service_id: str | None) -> dict[str, Any] | None:
    for candidate in catalog.get("services", []):
        if candidate.get("id") == service_id:
            return candidate
    return None
