// /p/<token>: a place taken from a phone. People ahead now and the wait (the server's figures and
// rounding, as the ticket page), the time to come back by and to confirm by (the center's zone),
// and the QR the kiosk scans to turn the place into a ticket at its position. Re-read on every
// event of the live stream (at most twice a second) and every 30 s.
"use strict";

(() => {
  const page = NF.page;
  const $ = (id) => document.getElementById(id);
  let place = null;
  let timer = null;

  function render() {
    if (!place) return;
    $("loading").classList.add("hidden");
    $("place").classList.remove("hidden");
    $("service").textContent = NF.pick(place.service_name);
    const waiting = place.state === "waiting";
    const ticket = place.ticket;
    if (place.state === "confirmed" && ticket) {
      const number = NF.isolate(ticket.number, { dir: "ltr" }); // "W-003" whole inside Arabic
      $("state").replaceChildren(...NF.fill("appointments.w_place_state_confirmed", { number }));
      $("ticket-link").href = ticket.url;
    } else {
      $("state").textContent = NF.t(`appointments.w_place_state_${place.state}`);
    }
    $("ticket-row").classList.toggle("hidden", !(place.state === "confirmed" && ticket));
    for (const id of ["figures", "come-back-box", "qr-box"]) $(id).classList.toggle("hidden", !waiting);
    // Nobody ahead any more: the next call of its counters could be this place's, once confirmed.
    $("come-now").classList.toggle("hidden", !(waiting && place.people_ahead === 0));
    $("ahead").textContent = String(place.people_ahead ?? "—");
    $("wait").textContent = NF.formatWait(place.wait_minutes) || "—";
    $("come-back").textContent = NF.formatTime(place.come_back_at);
    $("confirm-by").replaceChildren(
      ...NF.fill("appointments.w_confirm_by", { time: NF.isolate(NF.formatTime(place.expires_at), { dir: "ltr" }) }),
    );
    $("qr").setAttribute("aria-label", NF.t("appointments.w_place_scan"));
  }

  async function refresh() {
    timer = null;
    try {
      place = await NF.api(`/api/v1/places/${encodeURIComponent(page.token)}`);
      render();
    } catch (err) {
      if (err.status === 404 || err.status === 422) {
        $("loading").classList.add("hidden");
        $("missing").classList.remove("hidden");
      }
    }
  }

  function soon(delay) { if (!timer) timer = setTimeout(refresh, delay); }

  document.addEventListener("DOMContentLoaded", async () => {
    NF.onLang(render);
    if (!page.token) {
      $("loading").classList.add("hidden");
      return $("missing").classList.remove("hidden");
    }
    $("qr").src = `/p/${encodeURIComponent(page.token)}/qr.svg`;
    await refresh();
    if (!place) return;
    NF.stream("/api/v1/events", { onEvent: () => soon(500), onState: (up) => { if (up) soon(0); } });
    setInterval(() => soon(0), 30000);
  });
})();
