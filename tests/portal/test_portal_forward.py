"""Bookings and complaints through the national portal, on a real network: a real PostgreSQL, the
real ``nafitha hub`` (its nats-server), two real centers (``nafitha leaf`` + ``nafitha server``)
whose leaves reach the hub through TCP links the test can cut.

- booked through the portal → the booking exists at the center, made by ``portal``; cancelled;
- a retried request id → the first answer again, one booking;
- the link cut → a clear bilingual refusal and nothing booked at the center;
- a complaint filed through the portal is followed by its reference (channel ``portal``);
- a place in today's queue taken through the portal, retried once, confirmed at the center;
- bad and oversized requests get refusals from the hub and from the center itself.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import tempfile
import time
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from hub.store.database import connect
from nafitha.client import Client
from nafitha.harness.tcp_proxy import TcpProxy
from nafitha.national.local_network import HUB_DATABASE, NationalNetwork
from nafitha.national.nats import HUB_PORTAL_USER, portal_subject

pytestmark = pytest.mark.slow

CENTERS = (("c1", "مركز الاختبار ١", "Test center 1"), ("c2", "مركز الاختبار ٢", "Test center 2"))


@dataclass
class Net:
    net: NationalNetwork
    links: dict[str, TcpProxy]

    @property
    def url(self) -> str:
        return self.net.hub_url

    def api(self, center: str) -> str:
        return f"{self.url}/api/v1/portal/centers/{center}"

    def fresh_bucket(self) -> None:
        assert self.net.pg is not None
        with connect(self.net.pg.dsn(HUB_DATABASE)) as conn:
            conn.execute("DELETE FROM portal_rate_limits")

    def rows(self, center: str, sql: str, *args: Any) -> list[tuple]:
        with sqlite3.connect(self.net.centers[center].db, timeout=10) as db:
            return db.execute(sql, args).fetchall()

    def wait_for(self, what: str, check: Any, timeout: float = 60.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := check():
                return found
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}")

    def free_slot(
        self, center: str, skip: set[tuple[str, str, str]] | None = None
    ) -> tuple[str, str, str]:
        """(service, day, start) of a free slot from tomorrow on, as the portal lists them."""
        services = requests.get(self.api(center) + "/appointments/services", timeout=15).json()
        for service in services["services"]:
            first = (date.today() + timedelta(days=1)).isoformat()
            answer = requests.get(
                self.api(center) + "/appointments/slots",
                params={"service": service["id"], "from": first, "days": 7},
                timeout=15,
            )
            assert answer.status_code == 200, answer.text
            for day in answer.json()["days"]:
                for slot in day["slots"]:
                    found = (service["id"], day["day"], slot["start"])
                    if slot["free"] > 0 and found not in (skip or set()):
                        return found
        raise AssertionError("no free slot in a week")

    def answering(self, center: str) -> bool:
        """The center answers through the portal (its responder's interest reached the hub)."""
        answer = requests.get(self.api(center) + "/appointments/services", timeout=15)
        return answer.status_code == 200


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Net]:
    folder = tmp_path_factory.mktemp("portal-forward")
    pg_folder = Path(tempfile.mkdtemp(prefix="nafitha-pg-"))
    links: dict[str, TcpProxy] = {}

    def through_link(center: str, hub_leaf_port: int) -> str:
        links[center] = TcpProxy(hub_leaf_port).start()
        return f"nats-leaf://127.0.0.1:{links[center].port}"

    network = NationalNetwork(
        folder=folder, centers_wanted=CENTERS, leaf_hub_url=through_link, pg_folder=pg_folder
    )
    try:
        network.prepare()
        assert network.hub_config is not None
        hub_toml = network.hub_config.read_text(encoding="utf-8")
        hub_toml += "\n[portal]\nforward_per_minute = 600\nforward_burst = 200\n"
        hub_toml += "forward_timeout_s = 3\n"
        network.hub_config.write_text(hub_toml, encoding="utf-8")
        network.start()
        running = Net(network, links)
        for center, *_ in CENTERS:
            running.wait_for(f"{center} answering", lambda c=center: running.answering(c))
        yield running
    finally:
        network.stop()
        for link in links.values():
            link.stop()
        shutil.rmtree(pg_folder, ignore_errors=True)


def _book(net: Net, center: str, slot: tuple[str, str, str], request_id: str) -> requests.Response:
    service, day, start = slot
    body = {"request_id": request_id, "service": service, "day": day, "start": start, "lang": "en"}
    return requests.post(net.api(center) + "/appointments", json=body, timeout=15)


def test_a_booking_through_the_portal_is_made_at_the_center_then_cancelled(net: Net) -> None:
    net.fresh_bucket()
    slot = net.free_slot("c1")
    answer = _book(net, "c1", slot, uuid.uuid4().hex)
    assert answer.status_code == 201, answer.text
    booking = answer.json()
    assert booking["center"] == "c1" and booking["status"] == "booked"
    assert (booking["service"], booking["day"], booking["start"]) == slot
    code = booking["code"]
    assert booking["url"] == f"{net.net.centers['c1'].url}/a/{code}"  # the center's own page
    at_center = requests.get(f"{net.net.centers['c1'].url}/api/v1/appointments/{code}", timeout=15)
    assert at_center.status_code == 200 and at_center.json()["status"] == "booked"
    canonical = code.replace("-", "")
    assert net.rows("c1", "SELECT by, status FROM bookings WHERE code = ?", canonical) == [
        ("portal", "booked")
    ]
    assert net.rows("c2", "SELECT count(*) FROM bookings WHERE code = ?", canonical) == [(0,)]

    seen = requests.get(f"{net.api('c1')}/appointments/{code}", timeout=15)
    assert seen.status_code == 200 and seen.json()["code"] == code
    other = net.free_slot("c1", skip={slot})
    moved = requests.post(
        f"{net.api('c1')}/appointments/{code}/move",
        json={"request_id": uuid.uuid4().hex, "day": other[1], "start": other[2]}, timeout=15,
    )  # fmt: skip
    assert moved.status_code == 200, moved.text
    assert net.rows("c1", "SELECT day, start FROM bookings WHERE code = ?", canonical) == [
        (other[1], other[2])
    ]
    health = requests.get(f"{net.net.centers['c1'].url}/api/v1/health", timeout=15).json()
    assert health["national"]["portal"]["state"] == "connected"
    assert health["national"]["portal"]["answered"] >= 4
    cancelled = requests.post(
        f"{net.api('c1')}/appointments/{code}/cancel", json={"request_id": uuid.uuid4().hex},
        timeout=15,
    )  # fmt: skip
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert net.rows("c1", "SELECT status FROM bookings WHERE code = ?", canonical) == [
        ("cancelled",)
    ]
    again = requests.post(f"{net.api('c1')}/appointments/{code}/cancel", json={}, timeout=15)
    assert again.status_code == 409 and again.json()["error"]["code"] == "booking_cancelled"
    assert again.json()["error"]["message"]["ar"]


def test_a_retried_request_id_gives_the_first_answer_and_one_booking(net: Net) -> None:
    net.fresh_bucket()
    slot = net.free_slot("c2")
    request_id = uuid.uuid4().hex
    before = net.rows("c2", "SELECT count(*) FROM bookings")[0][0]
    first = _book(net, "c2", slot, request_id)
    second = _book(net, "c2", slot, request_id)
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert first.json() == second.json()
    assert net.rows("c2", "SELECT count(*) FROM bookings")[0][0] == before + 1
    elsewhere = "23:59" if slot[2] != "23:59" else "00:01"  # any other start: another request
    other = _book(net, "c2", (slot[0], slot[1], elsewhere), request_id)  # same id
    assert other.status_code == 409 and other.json()["error"]["code"] == "portal_request_reused"


def test_a_cut_link_is_a_clear_refusal_and_nothing_is_booked(net: Net) -> None:
    net.fresh_bucket()
    slot = net.free_slot("c1")
    before = net.rows("c1", "SELECT count(*) FROM bookings")[0][0]
    net.links["c1"].cut()
    try:
        refused = _book(net, "c1", slot, uuid.uuid4().hex)
        assert refused.status_code == 503, refused.text
        error = refused.json()["error"]
        assert error["code"] == "center_unreachable"
        assert "cannot be reached through the portal right now" in error["message"]["en"]
        assert "راجع المركز" in error["message"]["ar"]
        assert refused.headers["Retry-After"] == "30"
        assert net.answering("c2")  # the other center still books
    finally:
        net.links["c1"].restore()
    assert net.rows("c1", "SELECT count(*) FROM bookings")[0][0] == before
    net.wait_for("c1 answering again", lambda: net.answering("c1"))
    assert _book(net, "c1", slot, uuid.uuid4().hex).status_code == 201


def test_a_complaint_filed_through_the_portal_is_followed_by_reference(net: Net) -> None:
    net.fresh_bucket()
    options = requests.get(net.api("c2") + "/complaints/options", timeout=15)
    assert options.status_code == 200, options.text
    kind = options.json()["kinds"][0]
    body = {
        "request_id": uuid.uuid4().hex, "kind": kind["id"], "about": "center",
        "topic": kind["topics"][0]["id"] if kind["topics"] else None,
        "text": "The waiting hall had no chairs left at noon.", "anonymous": True, "lang": "en",
    }  # fmt: skip
    filed = requests.post(net.api("c2") + "/complaints", json=body, timeout=15)
    assert filed.status_code == 201, filed.text
    reference = filed.json()["reference"]
    assert filed.json()["url"] == f"{net.net.centers['c2'].url}/c/{reference}"
    followed = requests.get(f"{net.api('c2')}/complaints/{reference}", timeout=15)
    assert followed.status_code == 200, followed.text
    assert followed.json()["status"] == "received"
    assert net.rows(
        "c2", "SELECT channel FROM complaints WHERE reference = ?", reference.replace("-", "")
    ) == [("portal",)]
    elsewhere = requests.get(f"{net.api('c1')}/complaints/{reference}", timeout=15)
    assert elsewhere.status_code == 404  # held by c2 only


def test_a_place_taken_through_the_portal_is_confirmed_at_the_centers_kiosk(net: Net) -> None:
    net.fresh_bucket()
    center = net.net.centers["c2"]
    clerk = Client(center.url, timeout=10)
    clerk.login("clerk8", "demo", "c8")  # counter 8 serves work permits: a place can be taken
    offered = requests.get(net.api("c2") + "/places/services", timeout=15).json()
    assert offered["allowed"] is True and offered["center"] == "c2"
    shown = {s["id"]: s["queue"] for s in offered["services"]}
    own = {s["id"]: s["queue"] for s in clerk.services()["services"]}
    assert shown["work-permit"]["wait_minutes"] == own["work-permit"]["wait_minutes"]
    body = {"request_id": uuid.uuid4().hex, "service": "work-permit", "phone": "03 555 123",
            "lang": "en"}  # fmt: skip
    joined = requests.post(net.api("c2") + "/places", json=body, timeout=15)
    assert joined.status_code == 201, joined.text
    place = joined.json()
    again = requests.post(net.api("c2") + "/places", json=body, timeout=15)  # a lost answer
    assert again.status_code == 201 and again.json()["token"] == place["token"]
    assert net.rows("c2", "SELECT count(*) FROM queue_places WHERE token = ?", place["token"]) == [
        (1,)
    ]
    assert place["qr"] == f"{center.url}/p/{place['token']}"  # what the kiosk scans
    qr = requests.get(f"{net.api('c2')}/places/{place['token']}/qr.svg", timeout=15)
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")
    other = dict(body, request_id=uuid.uuid4().hex)
    refused = requests.post(net.api("c2") + "/places", json=other, timeout=15)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "place_limit_reached"
    confirmed = clerk.confirm_place(place["token"])  # scanned at the kiosk on arrival
    seen = requests.get(f"{net.api('c2')}/places/{place['token']}", timeout=15).json()
    assert seen["state"] == "confirmed"
    assert seen["ticket"]["number"] == confirmed["ticket"]["number"]
    unknown = requests.get(f"{net.api('c1')}/places/{place['token']}", timeout=15)
    assert unknown.status_code == 404  # held by c2 only


def test_bad_requests_are_refused_by_the_hub_and_by_the_center(net: Net) -> None:
    net.fresh_bucket()
    bad = requests.post(net.api("c1") + "/appointments", json={"service": "x"}, timeout=15)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "forward_invalid"
    for body in ({"service": "work-permit"}, {"service": "work-permit", "phone": "<b>"},
                 {"service": "work-permit", "phone": "1", "admin": True}):  # fmt: skip
        bad = requests.post(net.api("c1") + "/places", json=body, timeout=15)
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "forward_invalid", body
    huge = requests.post(
        net.api("c1") + "/appointments", data=b"{" + b" " * 20_000 + b"}", timeout=15
    )
    assert huge.status_code == 413
    unknown = requests.get(net.api("nowhere") + "/appointments/services", timeout=15)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_center"
    mistyped = requests.get(net.api("c1") + "/appointments/AAAA-AAAA-A", timeout=15)
    assert mistyped.status_code == 422, mistyped.text

    # the center's own refusals, asked directly on the hub's nats-server as the forwarder
    secrets_toml = tomllib.loads((net.net.folder / "secrets.toml").read_text())
    answers = asyncio.run(
        _ask_raw(
            f"nats://127.0.0.1:{net.net.ports['nats_client']}",
            secrets_toml["hub_writer"],
            [b"not json", b"{" + b" " * 20_000 + b"}",
             json.dumps({"v": 1, "id": "x" * 12, "op": "drop_tables", "args": {}}).encode()],
        )
    )  # fmt: skip
    codes = [a["error"]["code"] for a in answers]
    assert codes == ["portal_request_invalid", "portal_request_too_large", "portal_request_invalid"]
    assert all(not a["ok"] and a["error"]["message"]["ar"] for a in answers)
    assert all("Traceback" not in json.dumps(a) for a in answers)


async def _ask_raw(url: str, password: str, bodies: list[bytes]) -> list[dict[str, Any]]:
    import nats

    client = await nats.connect(url, user=HUB_PORTAL_USER, password=password, connect_timeout=2)
    try:
        out = []
        for body in bodies:
            reply = await client.request(portal_subject("c1"), body, timeout=5)
            out.append(json.loads(reply.data))
        return out
    finally:
        await client.close()
