// The board's rotation: after every `every_s` seconds of the normal view, the day's integrity
// summary (tickets issued, share called in order, calls out of order, the chain head) for `show_s`
// seconds, from the public GET /api/v1/integrity. A call always wins: board.js calls interrupt()
// for every fresh call, which puts the normal view back at once, and the panel never starts within
// CALM_MS of a call, so it never hides a call the hall has just heard.
// The timings come from the center's config (board_rotation_s, board_integrity_s) through the page.
"use strict";

const BoardRotation = (() => {
  const CALM_MS = 15000;
  const page = NF.page.rotation || {};
  const everyMs = Math.max(0, Number(page.every_s || 0) * 1000);
  const showMs = Math.max(1000, Number(page.show_s || 12) * 1000);
  let timer = null;
  let lastCall = 0;
  let showing = false;
  let shown = 0; // how many times the panel was shown (tests and support)
  let interrupted = 0; // how many times a call cut the panel short
  let summary = null;
  const $ = (id) => document.getElementById(id);

  function share(part, whole) {
    if (!whole) return "—";
    const tenths = Math.floor((part * 1000) / whole); // rounded down: never 100 % with one out
    return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
  }

  function render() {
    if (!summary) return;
    $("integrity-issued").querySelector(".value").textContent = String(summary.issued);
    $("integrity-in-order").querySelector(".value").textContent = share(summary.called_in_order, summary.called);
    $("integrity-out-of-order").querySelector(".value").textContent = String(summary.called_out_of_order);
    $("integrity-head").textContent = summary.head ? `${summary.head.seq}:${summary.head.hash.slice(0, 12)}` : "—";
    const other = NF.lang === "ar" ? "en" : "ar";
    $("integrity-more").replaceChildren(moreLine(NF.lang, null), moreLine(other, "second"));
  }

  // "The full report ...: <address>/integrity" in one language, the address kept left-to-right.
  function moreLine(lang, className) {
    const [before, after] = NF.tIn(lang, "web.board_integrity_more").split("{url}");
    const url = NF.isolate(`${location.host}/integrity`, { dir: "ltr" });
    return NF.el("span", { lang, class: className, dir: lang === "ar" ? "rtl" : "ltr" }, before, url, after || "");
  }

  function setShowing(on) {
    showing = on;
    document.body.classList.toggle("rotation-integrity", on);
    $("integrity-panel").classList.toggle("hidden", !on);
    $("integrity-panel").setAttribute("aria-hidden", on ? "false" : "true");
  }

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(step, ms);
  }

  async function step() {
    if (showing) {
      setShowing(false);
      schedule(everyMs);
      return;
    }
    const quiet = Date.now() - lastCall;
    if (quiet < CALM_MS) {
      schedule(CALM_MS - quiet);
      return;
    }
    try {
      summary = await NF.api("/api/v1/integrity");
    } catch (_) {
      schedule(everyMs); // offline or limited: the normal view stays, try at the next turn
      return;
    }
    if (Date.now() - lastCall < CALM_MS) { // a call came while the summary was on its way
      schedule(CALM_MS);
      return;
    }
    render();
    setShowing(true);
    shown += 1;
    schedule(showMs);
  }

  // A fresh call: the normal view at once, and a full turn of it before the panel comes back.
  function interrupt() {
    lastCall = Date.now();
    if (showing) {
      setShowing(false);
      interrupted += 1;
    }
    if (everyMs) schedule(everyMs);
  }

  function start() {
    NF.onLang(render);
    if (everyMs) schedule(everyMs);
  }

  return {
    start, interrupt,
    get showing() { return showing; },
    get shown() { return shown; },
    get interrupted() { return interrupted; },
  };
})();

window.NFBoardRotation = BoardRotation;
document.addEventListener("DOMContentLoaded", () => BoardRotation.start());
