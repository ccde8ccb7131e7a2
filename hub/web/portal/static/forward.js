// The portal's booking, complaint and place pages (hub/web/portal/forward_pages.py): every request
// goes through the hub's forwarding API to the center; texts come from the embedded catalog JSON
// and every value is set with textContent (never innerHTML). Dates read 29/11/2026 and times 14:05
// in the center's zone, Western digits in both languages, as on every other surface
// (nafitha/formats.py).
"use strict";
(function () {
  const root = document.getElementById("forward");
  if (!root) return;
  const center = root.dataset.center;
  const lang = root.dataset.lang;
  const texts = JSON.parse(document.getElementById("texts").textContent);
  const api = `/api/v1/portal/centers/${encodeURIComponent(center)}`;
  const $ = (id) => document.getElementById(id);

  function say(key, params) {
    let text = texts[key] || key;
    for (const [k, v] of Object.entries(params || {})) text = text.split(`{${k}}`).join(String(v));
    return text;
  }
  function pick(both) {
    return both && typeof both === "object" ? both[lang] || both.ar || "" : String(both || "");
  }
  function newId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function showError(body) {
    const box = $("error");
    const message = body && body.error ? pick(body.error.message) : "";
    box.textContent = message || say("appointments.w_error");
    box.hidden = false;
  }
  function clearError() {
    $("error").hidden = true;
    $("error").textContent = "";
  }
  function busy(on) {
    const note = $("busy");
    note.textContent = on ? say("sending") : "";
    note.hidden = !on;
  }
  async function call(method, path, body) {
    const options = { method, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let answer;
    try {
      answer = await fetch(api + path, options);
    } catch (err) {
      return { ok: false, body: null };
    }
    let parsed = null;
    try {
      parsed = await answer.json();
    } catch (err) {
      parsed = null;
    }
    return { ok: answer.ok, status: answer.status, body: parsed };
  }
  // A calendar day "2026-11-29" (or the start of an ISO time in the center's zone) as 29/11/2026.
  function day(iso) {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ""));
    return match ? `${match[3]}/${match[2]}/${match[1]}` : "";
  }
  // An epoch second as 14:05 in the center's zone (never the phone's).
  function time(seconds, zone) {
    if (seconds == null) return "";
    const parts = {};
    const format = new Intl.DateTimeFormat("en-GB-u-nu-latn", {
      timeZone: zone || undefined, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    for (const part of format.formatToParts(new Date(seconds * 1000))) parts[part.type] = part.value;
    return `${parts.hour === "24" ? "00" : parts.hour}:${parts.minute}`;
  }
  // The center's rounded wait (its wait_minutes) in words; never rounded again here.
  function waitWords(minutes) {
    if (minutes == null) return "";
    if (minutes <= 0) return say("common.wait_moment");
    if (minutes >= 60) {
      return say("common.wait_hours", { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, "0") });
    }
    return say("common.wait_minutes", { minutes });
  }
  function option(select, value, label) {
    const item = document.createElement("option");
    item.value = value;
    item.textContent = label;
    select.appendChild(item);
  }

  // -- booking ---------------------------------------------------------------------------
  let pendingId = null; // kept for a retry of the same booking, renewed when the choice changes
  let shown = null;

  function showBooking(booking) {
    shown = booking;
    $("booking").hidden = false;
    $("booking-code").textContent = booking.code;
    $("booking-when").textContent = `${day(booking.day)} ${booking.start}–${booking.end}`;
    $("booking-status").textContent = say(`status_${booking.status}`);
    const list = $("booking-documents");
    list.replaceChildren();
    for (const doc of booking.documents || []) {
      const item = document.createElement("li");
      item.textContent = pick(doc);
      list.appendChild(item);
    }
    const link = $("booking-link");
    link.href = booking.url; // the center's own page, as the center answered it
    link.textContent = say("center_page");
    const qr = $("booking-qr");
    qr.src = `${api}/appointments/${encodeURIComponent(booking.code)}/qr.svg`;
    qr.hidden = booking.status !== "booked";
    $("cancel").hidden = booking.status !== "booked";
    $("move-box").hidden = booking.status !== "booked";
    if (booking.status === "booked") fillSlots($("move-slot"), booking.service, booking);
  }

  // the free slots of ``service`` from tomorrow, into ``select`` (``current``'s own left out)
  async function fillSlots(select, service, current) {
    select.replaceChildren();
    const from = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
    const answer = await call("GET", `/appointments/slots?service=${encodeURIComponent(service)}&from=${from}&days=7`);
    if (!answer.ok) {
      showError(answer.body);
      return 0;
    }
    for (const one of answer.body.days) {
      for (const slot of one.slots) {
        const same = current && current.day === one.day && current.start === slot.start;
        if (slot.free > 0 && !same) {
          option(select, `${one.day} ${slot.start}`, say("slot_free", { day: day(one.day), start: slot.start, free: slot.free }));
        }
      }
    }
    return select.options.length;
  }

  async function loadSlots() {
    const service = $("service").value;
    pendingId = null;
    if (!service) return;
    const count = await fillSlots($("slot"), service, null);
    $("no-slots").hidden = count > 0;
    $("book").disabled = count === 0;
  }

  async function startBooking() {
    const answer = await call("GET", "/appointments/services");
    if (!answer.ok) return showError(answer.body);
    for (const service of answer.body.services) option($("service"), service.id, pick(service.name));
    const asks = answer.body; // what this center asks for a booking (its own settings)
    $("name-box").hidden = !asks.ask_name;
    $("name").required = Boolean(asks.ask_name);
    $("phone-box").hidden = !asks.ask_phone;
    $("phone").required = Boolean(asks.require_phone);
    $("notify-box").hidden = !(asks.ask_phone && asks.messages);
    $("service").addEventListener("change", () => { clearError(); loadSlots(); });
    for (const id of ["slot", "name", "phone", "notify"]) {
      $(id).addEventListener("change", () => { pendingId = null; }); // another request: a new id
    }
    await loadSlots();
    $("book-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      clearError();
      const [day, start] = $("slot").value.split(" ");
      pendingId = pendingId || newId();
      busy(true);
      $("book").disabled = true;
      const body = { request_id: pendingId, service: $("service").value, day, start, lang };
      if (!$("name-box").hidden && $("name").value.trim()) body.name = $("name").value.trim();
      if (!$("phone-box").hidden && $("phone").value.trim()) {
        body.phone = $("phone").value.trim();
        body.notify = !$("notify-box").hidden && $("notify").checked;
      }
      const answer = await call("POST", "/appointments", body);
      busy(false);
      $("book").disabled = false;
      if (!answer.ok) return showError(answer.body); // nothing shown as booked: the center did not confirm
      pendingId = null;
      $("book-form").hidden = true;
      showBooking(answer.body);
    });
    $("find-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      clearError();
      const answer = await call("GET", `/appointments/${encodeURIComponent($("find-code").value.trim())}`);
      if (!answer.ok) return showError(answer.body);
      showBooking(answer.body);
    });
    $("move").addEventListener("click", async () => {
      if (!shown || !$("move-slot").value) return;
      clearError();
      const [day, start] = $("move-slot").value.split(" ");
      busy(true);
      const answer = await call("POST", `/appointments/${encodeURIComponent(shown.code)}/move`, { request_id: newId(), day, start });
      busy(false);
      if (!answer.ok) return showError(answer.body);
      showBooking(answer.body);
    });
    $("cancel").addEventListener("click", async () => {
      if (!shown) return;
      clearError();
      busy(true);
      const answer = await call("POST", `/appointments/${encodeURIComponent(shown.code)}/cancel`, { request_id: newId() });
      busy(false);
      if (!answer.ok) return showError(answer.body);
      showBooking(answer.body);
    });
  }

  // -- complaints --------------------------------------------------------------------------
  async function startComplaint() {
    const answer = await call("GET", "/complaints/options");
    if (!answer.ok) return showError(answer.body);
    const { kinds, abouts, services, sms } = answer.body;
    const fillTopics = () => {
      const kind = kinds.find((k) => k.id === $("kind").value);
      $("topic").replaceChildren();
      for (const topic of (kind && kind.topics) || []) option($("topic"), topic.id, pick(topic.name));
      $("topic").hidden = !$("topic").options.length;
    };
    // About a service (which one), a visit (the ticket's number and day when the citizen has the
    // paper: not anonymous then), or the center; a phone for the answer only where the center
    // sends text messages, and only when not anonymous.
    const fillAbout = () => {
      const about = $("about").value;
      $("service-box").hidden = about === "center";
      $("c-service").required = about === "service";
      $("c-service").options[0].hidden = about === "service";
      if (about === "service" && !$("c-service").value) $("c-service").selectedIndex = 1;
      $("visit-box").hidden = about !== "visit";
      const anonymous = $("anonymous").checked;
      $("c-phone-box").hidden = !sms || anonymous;
    };
    for (const kind of kinds) option($("kind"), kind.id, pick(kind.name));
    for (const about of abouts) option($("about"), about.id, pick(about.name));
    option($("c-service"), "", say("any_service"));
    for (const service of services) option($("c-service"), service.id, pick(service.name));
    $("kind").addEventListener("change", fillTopics);
    $("about").addEventListener("change", () => {
      if ($("about").value === "visit") $("c-service").value = ""; // the ticket tells it
      fillAbout();
    });
    $("anonymous").addEventListener("change", fillAbout);
    $("ticket-number").addEventListener("input", () => {
      if ($("ticket-number").value.trim()) $("anonymous").checked = false;
      fillAbout();
    });
    fillTopics();
    fillAbout();
    let sendId = null;
    $("complaint-form").addEventListener("input", () => { sendId = null; });
    $("complaint-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      clearError();
      sendId = sendId || newId();
      const about = $("about").value;
      const anonymous = $("anonymous").checked;
      const body = { request_id: sendId, kind: $("kind").value, about, text: $("text").value, anonymous, lang };
      if ($("topic").value) body.topic = $("topic").value;
      if (about !== "center" && $("c-service").value) body.service = $("c-service").value;
      if (about === "visit" && !anonymous && $("ticket-number").value.trim()) {
        body.ticket_number = $("ticket-number").value.trim();
        if ($("ticket-day").value) body.ticket_day = $("ticket-day").value;
      }
      if (sms && !anonymous && $("c-phone").value.trim()) body.phone = $("c-phone").value.trim();
      busy(true);
      const filed = await call("POST", "/complaints", body);
      busy(false);
      if (!filed.ok) return showError(filed.body);
      $("complaint-form").hidden = true;
      $("filed").hidden = false;
      $("filed-reference").textContent = filed.body.reference;
      $("filed-deadline").textContent = day(filed.body.deadline);
      $("follow").href = `/centers/${encodeURIComponent(center)}/complaints/${encodeURIComponent(filed.body.reference)}?lang=${lang}`;
    });
  }

  async function startFollow() {
    const answer = await call("GET", `/complaints/${encodeURIComponent(root.dataset.reference)}`);
    if (!answer.ok) return showError(answer.body);
    const c = answer.body;
    $("complaint").hidden = false;
    $("c-reference").textContent = c.reference;
    $("c-kind").textContent = pick(c.kind_name);
    $("c-status").textContent = pick(c.status_name);
    $("c-deadline").textContent = day(c.deadline);
    $("c-text").textContent = c.text || "";
    $("c-answer").textContent = c.answer || say("no_answer_yet");
  }

  // -- a place in today's queue -------------------------------------------------------------
  async function startJoin() {
    const answer = await call("GET", "/places/services");
    if (!answer.ok) return showError(answer.body);
    const offered = answer.body;
    if (!offered.allowed) {
      return showError({ error: { message: say("appointments.error_places_portal_off") } });
    }
    $("join-form").hidden = false;
    $("j-notify-box").hidden = !offered.sms;
    const figures = (service) => {
      const queue = (service && service.queue) || {};
      return [say("appointments.w_waiting_now", { waiting: queue.waiting }), waitWords(queue.wait_minutes)].filter(Boolean).join(" · ");
    };
    for (const service of offered.services) {
      option($("j-service"), service.id, `${pick(service.name)} · ${figures(service)}`);
    }
    // the chosen service's figures in full under the list (a phone cuts the option's text)
    const showFigures = () => {
      const chosen = offered.services.find((s) => s.id === $("j-service").value);
      $("j-figures").textContent = chosen ? figures(chosen) : "";
    };
    $("j-service").addEventListener("change", showFigures);
    showFigures();
    const none = offered.services.length === 0;
    $("j-none").hidden = !none;
    $("join").disabled = none;
    let joinId = null; // kept for a retry of the same request, renewed when the choice changes
    $("join-form").addEventListener("input", () => { joinId = null; });
    $("join-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      clearError();
      joinId = joinId || newId();
      const body = { request_id: joinId, service: $("j-service").value, phone: $("j-phone").value.trim(), lang };
      body.notify = !$("j-notify-box").hidden && $("j-notify").checked;
      busy(true);
      $("join").disabled = true;
      const joined = await call("POST", "/places", body);
      busy(false);
      $("join").disabled = false;
      if (!joined.ok) return showError(joined.body); // no place unless the center answered one
      location.assign(`/centers/${encodeURIComponent(center)}/places/${encodeURIComponent(joined.body.token)}?lang=${lang}`);
    });
  }

  async function startPlace() {
    const token = root.dataset.token;
    const answer = await call("GET", `/places/${encodeURIComponent(token)}`);
    if (!answer.ok) {
      showError(answer.body);
      if (!$("place").hidden) setTimeout(startPlace, 30000); // shown already: try again later
      return;
    }
    clearError();
    const p = answer.body;
    const zone = p.timezone;
    $("place").hidden = false;
    $("p-service").textContent = pick(p.service_name);
    const states = {
      waiting: say("appointments.w_place_state_waiting"),
      confirmed: say("appointments.w_place_state_confirmed", { number: (p.ticket && p.ticket.number) || "" }),
      lapsed: say("appointments.w_place_state_lapsed"),
    };
    $("p-state").textContent = states[p.state] || p.state;
    const waiting = p.state === "waiting";
    for (const id of ["p-ahead-box", "p-wait-box", "p-back-box", "p-qr-box", "p-confirm-by"]) $(id).hidden = !waiting;
    $("p-ahead").textContent = String(p.people_ahead == null ? "" : p.people_ahead);
    $("p-wait").textContent = waitWords(p.wait_minutes);
    $("p-back").textContent = time(p.come_back_at, zone);
    $("p-confirm-by").textContent = say("appointments.w_confirm_by", { time: time(p.expires_at, zone) });
    $("p-now").hidden = !(waiting && p.people_ahead === 0);
    $("p-now").textContent = say("appointments.w_come_now");
    const qr = $("p-qr");
    if (waiting && !qr.getAttribute("src")) qr.src = `${api}/places/${encodeURIComponent(token)}/qr.svg`;
    if (waiting) setTimeout(startPlace, 30000); // the queue moves: its figures follow
  }

  const views = { book: startBooking, complaint: startComplaint, follow: startFollow, join: startJoin, place: startPlace };
  (views[root.dataset.view] || (() => {}))();
})();
