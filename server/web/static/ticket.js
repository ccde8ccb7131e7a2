// A citizen's ticket on a phone (/t/{token}, the QR on the paper): people ahead, the estimated
// wait, and once called the counter to go to, big. Live from the event stream, with a slow poll as
// a safety net; small enough for a cheap phone.
"use strict";

(() => {
  const page = JSON.parse(document.getElementById("nf-page").textContent);
  const $ = (id) => document.getElementById(id);
  let ticket = null;
  let timer = null;
  let wasCalled = false;

  function render() {
    if (!ticket) return;
    $("loading").classList.add("hidden");
    $("ticket").classList.remove("hidden");
    $("number").textContent = ticket.number;
    $("service").textContent = NF.pick(ticket.service && ticket.service.name);
    $("center").textContent = NF.pick(ticket.center);
    const called = ticket.state === "called" || ticket.state === "serving";
    $("called").classList.toggle("hidden", !called);
    $("figures").classList.toggle("hidden", ticket.state !== "waiting");
    if (called && ticket.counter) $("counter-name").textContent = NF.pick(ticket.counter.name);
    $("ahead").textContent = String(ticket.people_ahead ?? "—");
    $("wait").textContent = NF.minutes(ticket.estimated_wait_s);
    $("status").textContent = NF.t(`web.ticket_status_${ticket.state}`);
    if (called && !wasCalled && navigator.vibrate) navigator.vibrate([300, 150, 300]);
    wasCalled = called;
  }

  async function refresh() {
    timer = null;
    try {
      ticket = await NF.api(`/api/v1/tickets/public/${encodeURIComponent(page.token)}`);
      render();
    } catch (err) {
      if (err.status === 404 || err.status === 422) {
        $("loading").classList.add("hidden");
        $("ticket").classList.add("hidden");
        $("missing").classList.remove("hidden");
      }
    }
  }

  function soon(delay = 300) {
    if (!timer) timer = setTimeout(refresh, delay);
  }

  document.addEventListener("DOMContentLoaded", async () => {
    NF.onLang(render);
    if (!page.token) {
      $("loading").classList.add("hidden");
      $("missing").classList.remove("hidden");
      return;
    }
    await refresh();
    if (!ticket) return;
    NF.stream("/api/v1/events", {
      // Only what can move this ticket: its own service's queue, its number, counters opening.
      onEvent: (message) => {
        const data = message.data || {};
        const kind = data.kind || message.event || "";
        const service = data.service && data.service.id;
        if (!ticket || service === ticket.service.id || data.ticket === ticket.number || kind.startsWith("counter_")) soon(500);
      },
      onState: (up) => { $("banner").classList.toggle("hidden", up); if (up) soon(0); },
    });
    setInterval(() => soon(0), 30000);
  });
})();
