// The waiting hall's board: the latest calls, waiting per service, the manager's message line, and a
// spoken announcement of each call (chime, then Arabic, then English) from the project's own clips.
// It runs for days without a reload: lists are bounded, the stream resumes by Last-Event-ID after a
// server restart, and the whole state is re-read after every reconnect and once a minute.
"use strict";

const CALL_KINDS = new Set(["ticket_called", "ticket_called_out_of_order", "ticket_recall"]);
const MAX_CALLS = 9; // the newest one large, eight earlier ones below
const MAX_PENDING_ANNOUNCEMENTS = 3; // after a long outage, say only the latest few
const GONE = new Set(["waiting", "cancelled"]); // a called ticket in these states leaves the list

// ------------------------------------------------------------------ voice
const Voice = (() => {
  let ctx = null;
  let clips = null; // Set of clip names the server has (from the generated manifest)
  let format = "ogg";
  const buffers = new Map();
  const queue = [];
  let busy = false;
  const played = []; // clip names in the order they were started (last 300), for tests and support
  const announced = []; // every announcement accepted, as its clip names (last 50)

  async function init() {
    try {
      const response = await fetch("/sounds/manifest.json", { cache: "no-cache" });
      if (!response.ok) return false; // no clips built: the board stays silent but works
      const manifest = await response.json();
      clips = new Set(manifest.clips);
      clips.add(manifest.chime);
      format = manifest.format || "ogg";
    } catch (_) {
      return false;
    }
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return false;
    ctx = new Context();
    return true;
  }

  function needsGesture() { return ctx !== null && ctx.state === "suspended"; }
  function resume() { if (ctx) ctx.resume(); }

  // The words of a number as clip names: Arabic joins parts with "wa" (ألف ومئتان واثنان وأربعون).
  function numberClips(lang, n) {
    if (!Number.isFinite(n) || n <= 0 || n > 9999) return [];
    const parts = [];
    const thousands = Math.floor(n / 1000);
    const hundreds = Math.floor((n % 1000) / 100);
    const rest = n % 100;
    for (const value of [thousands * 1000, hundreds * 100, rest]) {
      if (!value) continue;
      const joined = lang === "ar" && parts.length > 0 && value < 1000;
      parts.push(`${lang}/${joined ? "wa" : "n"}${value}`);
    }
    return parts;
  }

  // "A-042" at counter 3 → chime, ar: ticket A 42 counter 3, en: ticket A 42 counter 3.
  function plan(number, counter) {
    const match = /^([A-Za-z]*)-?0*(\d+)$/.exec(String(number).trim());
    const letters = match ? match[1].toUpperCase().split("") : [];
    const value = match ? parseInt(match[2], 10) : NaN;
    const names = ["chime"];
    for (const lang of ["ar", "en"]) {
      names.push(`${lang}/ticket`);
      letters.forEach((letter) => names.push(`${lang}/letter-${letter}`));
      names.push(...numberClips(lang, value));
      names.push(`${lang}/counter`);
      names.push(...numberClips(lang, Number(counter)));
    }
    return clips ? names.filter((name) => clips.has(name)) : names;
  }

  // Decoded clips are kept, the most recently used first, up to MAX_DECODED (about 25 MB): a
  // board running for weeks would otherwise end up holding every number it ever said.
  const MAX_DECODED = 80;
  async function load(name) {
    if (buffers.has(name)) {
      const kept = buffers.get(name);
      buffers.delete(name);
      buffers.set(name, kept);
      return kept;
    }
    const response = await fetch(`/sounds/${name}.${format}`);
    if (!response.ok) throw new Error(`clip ${name}: ${response.status}`);
    const buffer = await ctx.decodeAudioData(await response.arrayBuffer());
    buffers.set(name, buffer);
    while (buffers.size > MAX_DECODED) buffers.delete(buffers.keys().next().value);
    return buffer;
  }

  function announce(number, counter) {
    if (!ctx) return;
    const names = plan(number, counter);
    announced.push(names);
    while (announced.length > 50) announced.shift();
    queue.push(names);
    while (queue.length > MAX_PENDING_ANNOUNCEMENTS) queue.shift();
    if (!busy) drain();
  }

  async function drain() {
    busy = true;
    try {
      while (queue.length) {
        const names = queue.shift();
        let loaded;
        try {
          loaded = await Promise.all(names.map(load));
        } catch (err) {
          console.warn("announcement skipped:", err);
          continue;
        }
        let at = ctx.currentTime + 0.05;
        loaded.forEach((buffer, i) => {
          const source = ctx.createBufferSource();
          source.buffer = buffer;
          source.connect(ctx.destination);
          source.start(at);
          played.push(names[i]);
          at += buffer.duration;
        });
        while (played.length > 300) played.shift();
        const seconds = at - ctx.currentTime;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, seconds * 1000) + 300));
      }
    } finally {
      busy = false;
    }
  }

  return { init, plan, announce, needsGesture, resume, played, announced, get enabled() { return ctx !== null; } };
})();

// ------------------------------------------------------------------ board
const Board = (() => {
  let state = { center: null, timezone: undefined, calls: [], waiting: [], message: "" };
  let stream = null;
  let refreshTimer = null;
  const seen = new Set(); // event ids already shown (bounded)
  const ids = [];
  const $ = (id) => document.getElementById(id);

  function remember(id) {
    if (id === null || id === undefined) return true;
    const key = String(id);
    if (seen.has(key)) return false;
    seen.add(key);
    ids.push(key);
    while (ids.length > 500) seen.delete(ids.shift());
    return true;
  }

  // The big number is the latest call still standing; earlier calls below, a no-show marked as
  // missed (in both languages) rather than listed like a served ticket.
  function renderCalls(fresh) {
    const latest = state.calls.find((call) => !call.missed);
    const earlier = state.calls.filter((call) => call !== latest);
    $("now-ticket").textContent = latest ? latest.number : "—";
    $("now-counter").textContent = latest ? String(latest.counter_number ?? latest.counter ?? "") : "—";
    const arrow = NF.lang === "ar" ? "←" : "→";
    $("recent").replaceChildren(
      ...earlier.map((call) =>
        NF.el("li", { class: call.missed ? "missed" : null, "data-number": call.number },
          NF.el("span", { class: "number ticket", text: call.number }),
          call.missed
            ? NF.el("span", { class: "missed-label" },
                NF.el("span", { text: NF.t("web.board_missed") }),
                NF.el("span", { class: "second", text: otherText("web.board_missed") }))
            : NF.el("span", { class: "to number", text: `${arrow} ${call.counter_number ?? call.counter ?? ""}` }),
        ),
      ),
    );
    if (fresh) {
      const now = $("now");
      now.classList.remove("fresh");
      void now.offsetWidth; // restart the highlight animation
      now.classList.add("fresh");
    }
  }

  function otherText(key) { return NF.tIn(NF.lang === "ar" ? "en" : "ar", key); }

  // Both languages at once: the page's language first, the other below it, smaller.
  function bilingual(name) {
    const other = NF.lang === "ar" ? "en" : "ar";
    return NF.el("span", { class: "names" },
      NF.el("span", { class: "first", lang: NF.lang, text: NF.pick(name) }),
      NF.el("span", { class: "second", lang: other, dir: other === "ar" ? "rtl" : "ltr", text: name ? name[other] || "" : "" }),
    );
  }

  // The server's rounded wait for a ticket taken now (never rounded here), in both languages, or
  // that no open counter serves the service now.
  function waitLine(row) {
    const other = NF.lang === "ar" ? "en" : "ar";
    const words = row.callable === false
      ? [NF.t("web.board_no_counter"), otherText("web.board_no_counter")]
      : [NF.formatWait(row.wait_minutes, NF.lang), NF.formatWait(row.wait_minutes, other)];
    if (!words[0]) return null;
    return NF.el("span", { class: `wait${row.callable === false ? " none" : ""}` },
      NF.el("span", { text: words[0] }), " · ", NF.el("span", { lang: other, text: words[1] }));
  }

  // A service's last-ticket time (the honest cut-off, docs/server.md) in both languages, or that
  // no more tickets are issued today (with the closing time); in the center's zone.
  function lastTicketLine(row) {
    const cut = row.cutoff;
    if (!cut || !cut.last_ticket_at) return null;
    const other = NF.lang === "ar" ? "en" : "ar";
    const key = cut.past_cutoff ? "web.board_no_more_tickets" : "web.board_last_ticket";
    const time = NF.formatTime(cut.past_cutoff ? cut.closes_at : cut.last_ticket_at, state.timezone || NF.timezone);
    return NF.el("span", { class: `last-ticket${cut.past_cutoff ? " past" : ""}`, "data-time": time },
      NF.el("span", { text: NF.t(key, { time }) }), " · ", NF.el("span", { lang: other, text: NF.tIn(other, key, { time }) }));
  }

  function renderWaiting() {
    $("waiting").replaceChildren(
      ...state.waiting.filter((row) => row.count > 0 || (row.cutoff && row.cutoff.last_ticket_at)).map((row) => {
        const names = bilingual(row.name);
        const wait = waitLine(row);
        if (wait) names.append(wait);
        const last = lastTicketLine(row);
        if (last) names.append(last);
        return NF.el("li", { "data-service": row.service },
          NF.el("span", { class: "prefix number", text: row.prefix }),
          names,
          NF.el("span", { class: "count number", text: String(row.count) }),
        );
      }),
    );
  }

  function renderHeader() {
    $("center-name").textContent = NF.pick(state.center);
    $("message").textContent = state.message || "";
    $("message").classList.toggle("hidden", !state.message);
    $("arrow").textContent = NF.lang === "ar" ? "←" : "→";
  }

  function renderAll() {
    renderHeader();
    renderCalls(false);
    renderWaiting();
  }

  // The clock in the center's zone (from the page, then the board's answer), 24 h, Western digits.
  function tick() {
    $("clock").textContent = NF.formatTime(new Date(), state.timezone || NF.timezone);
  }

  async function loadState() {
    const data = await NF.api("/api/v1/board");
    state.center = data.center;
    state.timezone = data.timezone;
    state.calls = data.calls.slice(0, MAX_CALLS);
    state.calls.forEach((call) => remember(call.event_id));
    state.waiting = data.waiting;
    state.message = data.message;
    renderAll();
    tick();
    return data;
  }

  function scheduleRefresh(delay = 400) {
    if (refreshTimer) return;
    refreshTimer = setTimeout(async () => {
      refreshTimer = null;
      try {
        const data = await NF.api("/api/v1/board");
        state.waiting = data.waiting;
        state.message = data.message;
        // The calls as they stand on the server (a transfer or no-show missed meanwhile). Their
        // event ids are not marked seen: a call replayed after an outage is still announced.
        state.calls = data.calls.slice(0, MAX_CALLS);
        renderCalls(false);
        renderWaiting();
        renderHeader();
      } catch (_) { /* the next event or the minute timer tries again */ }
    }, delay);
  }

  // A later change of a called ticket: sent back to waiting (a transfer: it will be called again
  // at its new counter) or cancelled → off the list; a no-show → marked missed; an undone no-show →
  // standing again.
  function onTicketChange(number, data) {
    const index = state.calls.findIndex((call) => call.number === number);
    if (index < 0 || !data.state) return false;
    if (GONE.has(data.state)) {
      state.calls.splice(index, 1);
    } else {
      const call = state.calls[index];
      call.state = data.state;
      call.missed = data.state === "no_show";
    }
    renderCalls(false);
    return true;
  }

  let resets = 0;
  async function onReset() {
    // The server could not replay what this board missed: read the whole state again.
    resets += 1;
    try {
      const data = await loadState();
      if (stream) stream.lastEventId = Math.max(Number(stream.lastEventId) || 0, data.last_event_id);
    } catch (_) { scheduleRefresh(1000); }
  }

  function onEvent(message) {
    const data = message.data && typeof message.data === "object" ? message.data : {};
    const kind = data.kind || message.event;
    if (kind === "reset") { onReset(); return; }
    const number = data.number || data.ticket;
    if (CALL_KINDS.has(kind) && number) {
      if (!remember(message.id)) return;
      const counter = data.counter && typeof data.counter === "object" ? data.counter : {};
      const call = { event_id: message.id, number, counter: counter.id, counter_number: counter.number, state: "called", missed: false };
      state.calls = [call, ...state.calls.filter((c) => c.number !== number)].slice(0, MAX_CALLS);
      if (window.NFBoardRotation) window.NFBoardRotation.interrupt(); // a call shows at once
      renderCalls(true);
      Voice.announce(number, counter.number);
    } else if (kind === "board_message") {
      state.message = data.message || "";
      renderHeader();
    } else if (number && String(kind || "").startsWith("ticket_")) {
      onTicketChange(number, data);
    }
    scheduleRefresh();
  }

  function onLinkState(up) {
    $("banner").classList.toggle("hidden", up);
    if (up) scheduleRefresh(0);
  }

  async function start() {
    tick();
    setInterval(tick, 1000);
    setInterval(() => scheduleRefresh(0), 60000);
    NF.onLang(renderAll);
    const soundButton = $("sound");
    soundButton.addEventListener("click", () => { Voice.resume(); soundButton.classList.add("hidden"); });
    Voice.init().then((enabled) => {
      if (enabled && Voice.needsGesture()) soundButton.classList.remove("hidden");
    });
    let lastEventId = null;
    for (;;) {
      try {
        const data = await loadState();
        lastEventId = data.last_event_id;
        break;
      } catch (_) {
        $("banner").classList.remove("hidden");
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    $("banner").classList.add("hidden");
    stream = NF.stream("/api/v1/events", { lastEventId, onEvent, onState: onLinkState });
  }

  return { start, get state() { return state; }, get stream() { return stream; }, get resets() { return resets; } };
})();

window.NFBoard = { Voice, Board };
document.addEventListener("DOMContentLoaded", () => Board.start());
