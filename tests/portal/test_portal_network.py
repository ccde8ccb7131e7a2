"""The portal on a real national network: two real centers (``nafitha server`` + ``nafitha leaf``)
whose leaves reach the hub through TCP links the test can cut, a real ``nafitha hub`` with three
HTTP worker processes, a real PostgreSQL 15, and headless Chromium.

- a file opened at center 2 is found on the portal; its receipt's printed QR code opens it;
- a file moved at a center while its link is cut shows the old stage "as of" the last contact,
  then the new stage once the link heals; meanwhile the center list marks that center stale;
- the tracking rate limit holds across the worker processes (one bucket, wherever it lands);
- no answer of the portal ever holds a name, a phone or a national id the hub stores.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from hub.store.database import PERSONAL_ROLE, connect
from nafitha.client import Client
from nafitha.harness.tcp_proxy import TcpProxy
from nafitha.national.local_network import HUB_DATABASE, NationalNetwork
from tests.portal.conftest import assert_same_view

pytestmark = pytest.mark.slow

CENTERS = (("c1", "مركز الاختبار ١", "Test center 1"), ("c2", "مركز الاختبار ٢", "Test center 2"))
CITIZENS = {
    "c1": {"name": "سلمى الخطيب", "national_id": "77889900112", "phone": "+961 70 111 222"},
    "c2": {"name": "Karim Haddad", "national_id": "AB1234567", "phone": "+961 3 987 654"},
}
STALE_AFTER_S = 6
BURST = 12


@dataclass
class Portal:
    net: NationalNetwork
    links: dict[str, TcpProxy]
    answers: list[str] = field(
        default_factory=list
    )  # every portal answer seen, for the privacy test

    @property
    def url(self) -> str:
        return self.net.hub_url

    @property
    def dsn(self) -> str:
        assert self.net.pg is not None
        return self.net.pg.dsn(HUB_DATABASE)

    def get(self, path: str, **params: Any) -> requests.Response:
        answer = requests.get(self.url + path, params=params, timeout=10)
        self.answers.append(answer.text)
        return answer

    def fresh_bucket(self) -> None:
        """Forget this machine's lookups (every test's requests come from 127.0.0.1)."""
        with connect(self.dsn) as conn:
            conn.execute("DELETE FROM portal_rate_limits")

    def clerk(self, center: str) -> Client:
        client = Client(self.net.centers[center].url, timeout=10)
        client.login("clerk1", "demo", "c1")
        return client

    def wait_for(self, what: str, check: Any, timeout: float = 60.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}")

    def tracked(self, reference: str, center: str) -> dict[str, Any] | None:
        self.fresh_bucket()
        answer = self.get(f"/api/v1/track/{reference}", center=center)
        return answer.json() if answer.status_code == 200 else None

    def center_entry(self, center: str) -> dict[str, Any]:
        answer = self.get("/api/v1/centers")
        assert answer.status_code == 200
        return next(c for c in answer.json()["centers"] if c["id"] == center)


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    folder = tmp_path_factory.mktemp("portal-network")
    pg_folder = Path(tempfile.mkdtemp(prefix="nafitha-pg-"))  # reachable by PostgreSQL's user
    links: dict[str, TcpProxy] = {}

    def through_link(center: str, hub_leaf_port: int) -> str:
        links[center] = TcpProxy(hub_leaf_port).start()
        return f"nats-leaf://127.0.0.1:{links[center].port}"

    net = NationalNetwork(
        folder=folder,
        centers_wanted=CENTERS,
        leaf_hub_url=through_link,
        pg_folder=pg_folder,
        portal_links=True,
    )
    try:
        net.prepare()
        assert net.hub_config is not None
        hub_toml = net.hub_config.read_text(encoding="utf-8")
        hub_toml = hub_toml.replace("[http]\n", "[http]\nworkers = 3\n", 1)
        hub_toml += (
            f"\n[portal]\nstale_after_s = {STALE_AFTER_S}\ntrack_per_minute = 1\n"
            f"track_burst = {BURST}\n"
        )
        net.hub_config.write_text(hub_toml, encoding="utf-8")
        net.start()
        yield Portal(net, links)
    finally:
        net.stop()
        for link in links.values():
            link.stop()
        shutil.rmtree(pg_folder, ignore_errors=True)


def _decoded_receipt_qr(file: dict[str, Any], center: Client) -> list[str]:
    import zxingcpp

    from counter.receipts import receipt_from_file
    from printers.printables import LayoutOptions
    from printers.receipt_layout import render_receipt

    catalog = center.request("GET", "/api/v1/services")
    receipt = receipt_from_file(file, catalog["center"] | {"timezone": catalog["timezone"]})
    image = render_receipt(receipt, LayoutOptions())
    return [code.text for code in zxingcpp.read_barcodes(image.convert("L"))]


def test_a_file_opened_at_center_2_is_found_on_the_portal_from_its_printed_qr(
    portal: Portal,
) -> None:
    clerk = portal.clerk("c2")
    opened = clerk.open_file("civil-extract", CITIZENS["c2"], [0, 1])
    reference = opened["reference"]
    assert opened["track_url"] == f"{portal.url}/f/{reference}?center=c2"
    printed = _decoded_receipt_qr(clerk.get_file(reference), clerk)  # the Code128 and the QR
    assert [c for c in printed if "://" in c] == [opened["track_url"]]

    view = portal.wait_for("the file at the hub", lambda: portal.tracked(reference, "c2"))
    center_view = Client(portal.net.centers["c2"].url).track(reference)
    assert_same_view(view, center_view)
    assert view["center"]["id"] == "c2" and view["stale"] is False

    portal.fresh_bucket()
    page = requests.get(opened["track_url"] + "&lang=en", timeout=10)  # what the QR opens
    portal.answers.append(page.text)
    assert page.status_code == 200 and "<script" not in page.text
    assert center_view["stage"]["name"]["en"] in page.text and "Test center 2" in page.text


def test_a_file_moved_while_the_link_is_cut_shows_the_old_stage_as_of_then_the_new(
    portal: Portal,
) -> None:
    clerk = portal.clerk("c1")
    reference = clerk.open_file("civil-extract", CITIZENS["c1"], [0, 1])["reference"]
    before = portal.wait_for("the file at the hub", lambda: portal.tracked(reference, "c1"))
    assert before["stage"]["id"] == "received" and before["stale"] is False

    portal.links["c1"].cut()
    try:
        cut_at = time.time()
        moved = clerk.move_file(reference, "document-check")  # the center works on, cut off
        assert moved["stage"]["id"] == "document-check"
        entry = portal.wait_for(
            "c1 marked stale", lambda: (e := portal.center_entry("c1"))["stale"] and e
        )
        # the other center is current (waited for: a loaded machine may delay its writer a beat)
        portal.wait_for("c2 current", lambda: not portal.center_entry("c2")["stale"])
        assert entry["as_of"] is not None and entry["services"]  # the old figures, with their time
        old = portal.tracked(reference, "c1")
        assert old is not None and old["stage"]["id"] == "received"
        assert old["stale"] is True and old["as_of"] == entry["as_of"]
        assert (
            datetime.fromisoformat(old["as_of"]).timestamp() <= cut_at + 2
        )  # "as of" is before the cut, never now
        portal.fresh_bucket()
        page = portal.get(f"/f/{reference}", center="c1", lang="en")
        assert "No contact with the center since" in page.text
        assert old["stage"]["name"]["en"] in page.text
    finally:
        portal.links["c1"].restore()

    healed = portal.wait_for(
        "the move at the hub",
        lambda: (
            (v := portal.tracked(reference, "c1")) and v["stage"]["id"] == "document-check" and v
        ),
    )
    assert healed["stale"] is False
    portal.wait_for("c1 current again", lambda: not portal.center_entry("c1")["stale"])


def test_the_rate_limit_holds_across_the_hub_worker_processes(portal: Portal) -> None:
    portal.fresh_bucket()
    codes, workers = [], set()
    for _ in range(BURST + 8):  # each on a new connection: the kernel spreads them over workers
        answer = requests.get(f"{portal.url}/api/v1/track/7KQ2-M9XD-M", timeout=10)
        codes.append(answer.status_code)
        workers.add(answer.headers["X-Hub-Worker"])
    assert codes == [404] * BURST + [429] * 8
    assert len(workers) >= 2, workers  # answered by more than one process, one bucket
    # behind a proxy on the hub's machine (trusted by default), each citizen has a bucket of
    # their own: the proxy's X-Forwarded-For is the address counted, in every worker
    behind = {"X-Forwarded-For": "203.0.113.7"}
    for _ in range(4):
        answer = requests.get(f"{portal.url}/api/v1/track/7KQ2-M9XD-M", headers=behind, timeout=10)
        assert answer.status_code == 404, answer.status_code
    portal.fresh_bucket()


def test_no_portal_answer_holds_personal_data(portal: Portal) -> None:
    portal.fresh_bucket()
    for path in ("/api/v1/centers", "/api/v1/services", "/centers", "/services", "/f"):
        assert portal.get(path).status_code == 200
    with connect(portal.dsn, role=PERSONAL_ROLE) as conn:
        rows = conn.execute("SELECT reference, name, national_id, phone FROM personal").fetchall()
    assert {"77889900112", "AB1234567"} <= {r[2] for r in rows}
    for reference, *_ in rows:
        portal.fresh_bucket()
        for center in ("c1", "c2"):
            portal.get(f"/api/v1/track/{reference}", center=center)
            portal.get(f"/f/{reference}", center=center)
    everything = "\n".join(portal.answers)
    assert len(portal.answers) > 15
    for _, name, national_id, phone in rows:
        for value in (name, national_id, phone, (phone or "").lstrip("+")):
            if value:
                assert value not in everything, value
