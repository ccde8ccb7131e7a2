"""The hub's portal answers the center's tracking contract from its projections (in process, on a
real PostgreSQL, fed with a real center's log): same view, typo check, collisions between
centers, rate limit, centers now, services search, and never any personal data."""

from __future__ import annotations

import re

import pytest

from tests.portal.conftest import NAMES, LoadedHub, assert_same_view


def test_the_hub_tracks_a_file_exactly_as_its_center_does(loaded_hub: LoadedHub) -> None:
    client = loaded_hub.client()
    for reference in loaded_hub.references:
        answer = client.get(f"/api/v1/track/{reference}", params={"center": "c1"})
        assert answer.status_code == 200, answer.text
        view = answer.json()
        center = loaded_hub.center_views[reference]
        assert_same_view(view, center)
        assert view["center"] == {"id": "c1", "name": NAMES["c1"]}
        assert view["stale"] is False and view["as_of"].startswith("20")
    # typed the way people type: lower case, no dashes, Arabic-Indic digits are folded
    typed = loaded_hub.references[0].replace("-", "").lower()
    assert client.get(f"/api/v1/track/{typed}?center=c1").status_code == 200


def test_a_reference_held_by_two_centers_is_never_answered_with_one_of_them(
    loaded_hub: LoadedHub,
) -> None:
    client = loaded_hub.client()
    reference = loaded_hub.references[0]
    answer = client.get(f"/api/v1/track/{reference}")
    assert answer.status_code == 409
    body = answer.json()
    assert body["error"]["code"] == "reference_in_several_centers"
    assert set(body["error"]["message"]) == {"ar", "en"}
    assert body["centers"] == [{"id": c, "name": NAMES[c]} for c in ("c1", "c2")]
    assert "stage" not in body and "history" not in body
    c2 = client.get(f"/api/v1/track/{reference}", params={"center": "c2"}).json()
    assert c2["center"]["id"] == "c2" and c2["stale"] is True  # c2 last heard an hour ago


def _mistype(reference: str) -> str:
    code = reference.replace("-", "")
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    swapped = alphabet[(alphabet.index(code[3]) + 1) % 32]
    return code[:3] + swapped + code[4:]


def test_a_mistyped_reference_says_so_and_never_names_another_file(loaded_hub: LoadedHub) -> None:
    client = loaded_hub.client()
    others = {r.replace("-", "") for r in loaded_hub.references}
    for reference in loaded_hub.references:
        answer = client.get(f"/api/v1/track/{_mistype(reference)}")
        assert answer.status_code == 422
        assert answer.json()["error"]["code"] == "reference_mistyped"
        assert not any(o in answer.text.replace("-", "") for o in others)
    malformed = client.get("/api/v1/track/HELLO")
    assert malformed.status_code == 422
    assert malformed.json()["error"]["code"] == "reference_malformed"
    unknown = client.get("/api/v1/track/7KQ2-M9XD-M")  # well formed, no such file
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "file_not_found"


def test_lookups_past_the_burst_are_refused_with_retry_after(loaded_hub: LoadedHub) -> None:
    client = loaded_hub.client(track_per_minute=1, track_burst=3)
    codes = [client.get("/api/v1/track/7KQ2-M9XD-M").status_code for _ in range(5)]
    assert codes == [404, 404, 404, 429, 429]
    refused = client.get(f"/api/v1/track/{loaded_hub.references[0]}?center=c1")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert refused.json()["error"]["code"] == "track_rate_limited"
    assert "stage" not in refused.json()


def test_centers_now_gives_waiting_and_wait_per_service_and_marks_stale(
    loaded_hub: LoadedHub,
) -> None:
    answer = loaded_hub.client().get("/api/v1/centers")
    assert answer.status_code == 200
    by_id = {c["id"]: c for c in answer.json()["centers"]}
    assert set(by_id) == {"c1", "c2"}
    assert by_id["c1"]["stale"] is False and by_id["c2"]["stale"] is True
    assert by_id["c2"]["as_of"] == by_id["c2"]["last_contact"] is not None
    services = {s["id"]: s for s in by_id["c1"]["services"]}
    assert {"civil-extract", "passport-new", "criminal-record"} <= set(services)
    for service in services.values():
        assert set(service) == {
            "id", "name", "waiting", "estimated_wait_s", "wait_minutes", "callable"
        }  # fmt: skip
        assert service["callable"] == (service["estimated_wait_s"] is not None)
    # the same figures as the center's own services list (same model, same rounding)
    fields = ("waiting", "callable", "estimated_wait_s", "wait_minutes")
    for service_id, queue in loaded_hub.center_queues.items():
        assert [services[service_id][f] for f in fields] == [queue[f] for f in fields], service_id
    assert any(queue["estimated_wait_s"] for queue in loaded_hub.center_queues.values())
    # no intake status on the public list: that is /api/v1/status/centers
    assert "head_seq" not in by_id["c1"] and "open_alarms" not in by_id["c1"]


def test_services_search_folds_arabic_letters_and_diacritics(loaded_hub: LoadedHub) -> None:
    client = loaded_hub.client()
    every = client.get("/api/v1/services").json()["services"]
    assert every and all(s["documents"] is not None for s in every)
    passport = next(s for s in every if s["id"] == "passport-new" and s["center"]["id"] == "c1")
    arabic = passport["name"]["ar"]
    variants = {
        arabic,
        arabic.replace("ا", "أ", 1),
        arabic.replace("ة", "ه"),
        "ـ".join(arabic.split(" ")[0]) if arabic else arabic,
        re.sub(r"(\w)", "\\1\u064e", arabic.split(" ")[0], count=2),
    }
    for query in variants:
        found = client.get("/api/v1/services", params={"q": query, "center": "c1"}).json()
        assert "passport-new" in {s["id"] for s in found["services"]}, query
    english = client.get("/api/v1/services", params={"q": "PASSPORT", "center": "c1"}).json()
    assert "passport-new" in {s["id"] for s in english["services"]}
    document = passport["documents"][0]["ar"]
    by_document = client.get("/api/v1/services", params={"q": document}).json()["services"]
    assert {"c1", "c2"} <= {s["center"]["id"] for s in by_document}
    none = client.get("/api/v1/services", params={"q": "zzzz-nothing"}).json()
    assert none["services"] == []
    assert client.get("/api/v1/services", params={"center": "nowhere"}).status_code == 404


def test_the_portal_reads_as_a_role_that_postgresql_refuses_personal_data(
    loaded_hub: LoadedHub,
) -> None:
    import psycopg

    from hub.store.database import connect_reader  # what every portal request reads through

    assert loaded_hub.personal  # the hub does hold some
    refused = psycopg.errors.InsufficientPrivilege
    with connect_reader(loaded_hub.dsn) as conn, pytest.raises(refused):
        conn.execute("SELECT name FROM personal").fetchall()


def test_quiet_buckets_are_forgotten(loaded_hub: LoadedHub) -> None:
    from hub.store.database import connect_reader
    from hub.usecases.portal import allow_lookup

    with connect_reader(loaded_hub.dsn) as conn:
        allow_lookup(conn, "192.0.2.7", 1000.0, 20, 10)
        count = "SELECT count(*) FROM portal_rate_limits WHERE client = 'address:192.0.2.7'"
        assert conn.execute(count).fetchone()[0] == 1
        allow_lookup(conn, "192.0.2.8", 1000.0 + 3601, 20, 10, clean=True)
        assert conn.execute(count).fetchone()[0] == 0


def test_a_file_of_a_center_whose_catalog_never_reached_the_hub_says_so(
    loaded_hub: LoadedHub,
) -> None:
    from hub.store import centers
    from hub.store.database import connect

    reference = loaded_hub.references[0].replace("-", "")
    with connect(loaded_hub.dsn) as conn:  # an old center: a file, and no shipped catalog
        centers.register(conn, [("old", {"ar": "قديم", "en": "Old"}, None)])
        conn.execute(
            "INSERT INTO files (center, reference, service, workflow, stage, status,"
            " first_event, last_event) SELECT 'old', reference, service, workflow, stage, status,"
            " first_event, last_event FROM files WHERE center = 'c1' AND reference = %s",
            [reference],
        )
    try:
        answer = loaded_hub.client().get(f"/api/v1/track/{reference}?center=old")
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "center_catalog_missing"
    finally:
        with connect(loaded_hub.dsn) as conn:
            conn.execute("DELETE FROM files WHERE center = 'old'")
            conn.execute("DELETE FROM centers WHERE id = 'old'")


def test_odd_query_values_get_the_contract_error_shape_or_a_page(loaded_hub: LoadedHub) -> None:
    client = loaded_hub.client()
    reference = loaded_hub.references[0]
    odd = client.get(f"/api/v1/track/{reference}", params={"center": "NOPE!" * 20})
    assert odd.status_code == 404 and odd.json()["error"]["code"] == "file_not_found"
    long_query = client.get("/api/v1/services", params={"q": "ج" * 500})
    assert long_query.status_code == 200 and long_query.json()["services"] == []
    page = client.get(f"/f/{reference}", params={"lang": "xx" * 10, "center": "c1"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="ar" dir="rtl">' in page.text  # an unknown language: Arabic first
    typed = client.get(
        "/f", params={"reference": "7kq2 m9xd m" + " " * 200}, follow_redirects=False
    )
    assert typed.status_code == 303 and typed.headers["location"].startswith("/f/7kq2%20m9xd%20m")


def test_one_service_at_every_center_lists_current_centers_first(loaded_hub: LoadedHub) -> None:
    page = loaded_hub.client().get("/centers", params={"service": "civil-extract", "lang": "en"})
    assert page.status_code == 200
    main = page.text.split("<main>", 1)[1]
    assert main.index("Test center 1") < main.index("Test center 2")  # c2 is stale: last
    assert main.count("old figures: no contact with the center") == 1
    assert "<script" not in page.text
