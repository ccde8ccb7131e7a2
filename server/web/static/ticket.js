// A citizen's ticket on a phone (/t/{token}, the QR on the paper): people ahead, the server's
// rounded wait (never rounded again here), and once called the counter to go to, big. Live from the
// event stream, with a slow poll as a safety net; small enough for a cheap phone.
// A phone in a pocket can only be alerted after a tap on the page (browsers block sound and
// vibration without one): the "notify me" button is that tap, and the call then rings and vibrates.
"use strict";

(() => {
  const page = NF.page;
  const $ = (id) => document.getElementById(id);
  const VIBRATION = [400, 200, 400, 200, 400];
  const FINISHED = new Set(["done", "no_show", "cancelled"]);
  let ticket = null;
  let timer = null;
  let wasCalled = null; // null until the first answer: a page opened after the call does not ring
  let audio = null; // an AudioContext unlocked by the citizen's tap
  const alerts = []; // every alert given, for tests and support: {at, vibrated, sound}

  // ---------------------------------------------------------------- alerting
  function tone(at, frequency, length) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = "sine";
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.6, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
    osc.connect(gain).connect(audio.destination);
    osc.start(at);
    osc.stop(at + length + 0.05);
  }

  function ring() {
    const vibrated = Boolean(navigator.vibrate) && navigator.vibrate(VIBRATION);
    let sound = false;
    if (audio && audio.state === "running") {
      const at = audio.currentTime + 0.05;
      for (let i = 0; i < 3; i++) { tone(at + i * 0.7, 659, 0.3); tone(at + i * 0.7 + 0.3, 523, 0.35); }
      sound = true;
    }
    alerts.push({ at: Date.now(), vibrated, sound });
  }

  async function enableAlerts() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !audio) audio = new Context();
    if (audio && audio.state !== "running") { try { await audio.resume(); } catch (_) { /* silent */ } }
    if (audio) tone(audio.currentTime + 0.02, 880, 0.12); // a short beep: sound works
    if (navigator.vibrate) navigator.vibrate(60);
    $("notify").classList.add("hidden");
    $("notify-on").classList.remove("hidden");
  }

  // ---------------------------------------------------------------- showing
  function nextSteps(state) {
    if (state === "done" && ticket.outcome_resolved === false) return "web.ticket_visit_ended";
    if (state === "no_show") return "web.ticket_no_show_help";
    if (state === "cancelled") return "web.ticket_cancelled_help";
    return null;
  }

  function render() {
    if (!ticket) return;
    $("loading").classList.add("hidden");
    $("ticket").classList.remove("hidden");
    $("number").textContent = ticket.number;
    // A visit through several counters: the service chosen, then "step 2 of 3: the step's name".
    const steps = ticket.steps || 1;
    const visit = steps > 1 && ticket.visit_service ? ticket.visit_service : ticket.service;
    $("service").textContent = NF.pick(visit && visit.name);
    $("step").classList.toggle("hidden", steps < 2);
    if (steps > 1) {
      const name = NF.pick(ticket.service && ticket.service.name);
      $("step").textContent = NF.t("web.ticket_step", { step: ticket.step, steps, name });
    }
    $("center").textContent = NF.pick(ticket.center);
    const called = ticket.state === "called" || ticket.state === "serving";
    const waiting = ticket.state === "waiting";
    // Unknown (an older server) counts as callable; only an explicit false says "no counter".
    const callable = ticket.callable !== false;
    $("called").classList.toggle("hidden", !called);
    $("figures").classList.toggle("hidden", !waiting);
    $("not-callable").classList.toggle("hidden", !waiting || callable);
    if (called && ticket.counter) $("counter-name").textContent = NF.pick(ticket.counter.name);
    $("ahead").textContent = String(ticket.people_ahead ?? "—");
    $("wait").textContent = callable ? NF.formatWait(ticket.wait_minutes) || "—" : "—";
    const statusKey = waiting && !callable ? "web.ticket_status_waiting_no_counter" : `web.ticket_status_${ticket.state}`;
    $("status").textContent = NF.t(statusKey);
    const help = nextSteps(ticket.state);
    $("next-steps").classList.toggle("hidden", !help);
    if (help) $("next-steps-text").textContent = NF.t(help, { outcome: NF.pick(ticket.outcome_name) });
    $("notify-box").classList.toggle("hidden", FINISHED.has(ticket.state));
    if (called && wasCalled === false) ring();
    wasCalled = called;
    document.dispatchEvent(new CustomEvent("nf-ticket", { detail: ticket })); // static/rating.js
  }

  function showMissing() {
    $("loading").classList.add("hidden");
    $("ticket").classList.add("hidden");
    $("missing").classList.remove("hidden");
  }

  async function refresh() {
    timer = null;
    try {
      ticket = await NF.api(`/api/v1/tickets/public/${encodeURIComponent(page.token)}`);
      render();
    } catch (err) {
      if (err.status === 404 || err.status === 422) showMissing();
    }
  }

  function soon(delay = 300) {
    if (!timer) timer = setTimeout(refresh, delay);
  }

  window.NFTicket = { alerts, get audioState() { return audio ? audio.state : null; } };

  document.addEventListener("DOMContentLoaded", async () => {
    NF.onLang(render);
    $("notify").addEventListener("click", enableAlerts);
    if (!page.token) return showMissing();
    await refresh();
    if (!ticket) return;
    NF.stream("/api/v1/events", {
      // Any call, ticket or counter change may move this ticket (people ahead are counted over the
      // counters that can call it, across services): re-read it, at most twice a second.
      onEvent: (message) => {
        const data = message.data || {};
        const kind = data.kind || message.event || "";
        if (kind === "reset" || data.ticket === ticket.number) soon(0);
        else if (!FINISHED.has(ticket.state)) soon(500);
      },
      onState: (up) => { $("banner").classList.toggle("hidden", up); if (up) soon(0); },
    });
    setInterval(() => soon(0), 30000);
  });
})();
