"""The file's pure rules: documents, how ids and phones are kept, what the public may see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from server.domain.files import (
    Citizen,
    CitizenFile,
    HistoryEntry,
    normalize_id,
    normalize_phone,
    public_view,
    split_documents,
    staff_view,
)
from tests.server.domain.test_workflow import PASSPORT

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
DOCS = [{"ar": f"م{i}", "en": f"doc {i}"} for i in range(4)]


def test_documents_split_into_received_and_missing_in_order() -> None:
    assert split_documents(DOCS, [2, 0]) == ([DOCS[0], DOCS[2]], [DOCS[1], DOCS[3]])
    assert split_documents(DOCS, []) == ([], DOCS)
    assert split_documents(DOCS, [4]) is None
    assert split_documents(DOCS, [-1]) is None


def test_phones_and_ids_are_kept_in_one_form() -> None:
    assert normalize_phone("+961 3-123 456") == "+9613123456"
    assert normalize_phone("(03) 123456") == "03123456"
    assert normalize_phone("  ") is None and normalize_phone(None) is None
    assert normalize_id("lb 12-34/5") == "LB12345"
    assert normalize_id("--") is None


@given(st.text(alphabet="0123456789 +-()", max_size=20))
def test_a_normalized_phone_is_stable(phone: str) -> None:
    once = normalize_phone(phone)
    assert normalize_phone(once) == once


def make_file(stage: str, status: str, history: list[tuple[str, str]]) -> CitizenFile:
    entries = tuple(
        HistoryEntry(
            seq=i + 1,
            at=T0 + timedelta(hours=i),
            kind=kind,
            from_stage=None,
            stage=s,
            status="open",
            by="clerk9",
            role="clerk",
            note=f"note {i}",
            reason="secret",
        )
        for i, (kind, s) in enumerate(history)
    )
    return CitizenFile(
        reference="7KQ2M9XDM",
        service="passport-new",
        workflow="passport",
        stage=stage,
        status=status,  # type: ignore[arg-type]
        stage_entered_at=T0,
        opened_at=T0,
        opened_by="clerk9",
        citizen=Citizen("Private Name", "ID123", "+9613000"),
        note="staff only",
        missing=({"ar": "صورة", "en": "photo"},),
        history=entries,
    )


def test_public_view_names_no_person_and_no_reason() -> None:
    file = make_file("check", "missing_documents", [("open", "received"), ("forward", "check")])
    view = public_view(file, PASSPORT, {"ar": "جواز", "en": "Passport"}, T0, "Asia/Beirut")
    text = repr(view)
    for secret in ["Private Name", "ID123", "+9613000", "clerk9", "secret", "staff only"]:
        assert secret not in text
    assert view["reference"] == "7KQ2-M9XD-M"
    assert view["missing_documents"] == [{"ar": "صورة", "en": "photo"}]
    assert view["waits_on_citizen"] and view["expected_ready_at"] is None
    assert view["where"] is None  # held for a document: a return visit, not the pickup counter
    assert view["opened_at"] == "2026-11-23T10:00:00+02:00"  # the center's local time
    staff = staff_view(file, PASSPORT, {"ar": "جواز", "en": "Passport"}, T0, "Asia/Beirut")
    assert staff["citizen"]["name"] == "Private Name" and staff["history"][1]["reason"] == "secret"
    assert staff["next_stages"] == ["security", "review"]


def test_finished_files_say_where_to_go_no_more() -> None:
    closed = make_file("delivered", "closed", [("open", "received")])
    view = public_view(closed, PASSPORT, {"ar": "ج", "en": "P"}, T0, "Asia/Beirut")
    assert view["where"] is None and not view["ready"]
    assert {s["state"] for s in view["stages"]} <= {"done", "skipped"}
    ready = make_file("ready", "open", [("open", "received")])
    view = public_view(ready, PASSPORT, {"ar": "ج", "en": "P"}, T0, "Asia/Beirut")
    assert view["ready"] and view["where"] == {"ar": "«Counter 3»", "en": "Counter 3"}
