// Shared by every page: texts and language switch, JSON calls with the API's error shape,
// a Server-Sent Events reader that resumes by Last-Event-ID, and small formatting helpers.
// Plain browser JavaScript, no libraries, nothing fetched from outside the server.
"use strict";

const NF = (() => {
  const texts = JSON.parse(document.getElementById("nf-texts").textContent);
  let lang = document.documentElement.lang || "ar";
  const listeners = [];

  function t(key, params) { return tIn(lang, key, params); }

  // A catalog text as nodes, its placeholders filled with nodes (an isolated date, a name...):
  // fill("web.dash_range", {from: isolate(a), to: isolate(b)}) → [text, <bdi>, text, <bdi>].
  function fill(key, params) {
    const out = [];
    let text = t(key);
    const pattern = /\{([a-z_]+)\}/;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (match.index) out.push(text.slice(0, match.index));
      const value = params ? params[match[1]] : undefined;
      out.push(value instanceof Node ? value : String(value ?? ""));
      text = text.slice(match.index + match[0].length);
    }
    if (text) out.push(text);
    return out;
  }

  function applyTexts(root) {
    (root || document).querySelectorAll("[data-t]").forEach((el) => {
      el.textContent = t(el.dataset.t);
    });
    (root || document).querySelectorAll("[data-t-other]").forEach((el) => {
      const entry = texts[el.dataset.tOther];
      el.textContent = entry ? entry[lang === "ar" ? "en" : "ar"] : "";
    });
    (root || document).querySelectorAll("[data-t-label]").forEach((el) => {
      el.setAttribute("aria-label", t(el.dataset.tLabel));
    });
  }

  function setLang(next) {
    lang = next === "en" ? "en" : "ar";
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
    document.cookie = `lang=${lang}; path=/; max-age=31536000; samesite=lax`;
    const url = new URL(location.href);
    if (url.searchParams.has("lang")) {
      url.searchParams.set("lang", lang);
      history.replaceState(null, "", url);
    }
    applyTexts();
    listeners.forEach((fn) => fn(lang));
  }

  function onLang(fn) { listeners.push(fn); }

  // A bilingual value from the API ({ar, en}) in the page's language.
  function pick(value) {
    if (value == null) return "";
    if (typeof value === "string") return value;
    return value[lang] || value.ar || value.en || "";
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(code);
      this.status = status;
      this.code = code;
      this.bilingual = message;
    }
  }

  async function api(path, options = {}) {
    const headers = { Accept: "application/json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const token = options.token || sessionStorage.getItem("nf-token");
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(path, {
      method: options.method || "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: "no-store",
    });
    if (response.status === 204) return null;
    let data = null;
    try { data = await response.json(); } catch (_) { data = null; }
    if (!response.ok) {
      const err = (data && data.error) || {};
      throw new ApiError(response.status, err.code || `http_${response.status}`, err.message);
    }
    return data;
  }

  // Server-Sent Events over fetch, so the reconnect can send Last-Event-ID itself (EventSource gives
  // up for good on some errors, e.g. a 502 from a restarting server). Calls onEvent({id, event,
  // data}) for each message; onState(true/false) when the link comes up or goes down.
  function stream(url, { lastEventId = null, onEvent, onState }) {
    let stopped = false;
    let delay = 250;
    let controller = null;
    let last = lastEventId;

    async function connect() {
      while (!stopped) {
        controller = new AbortController();
        let healthy = false;
        try {
          const headers = { Accept: "text/event-stream" };
          if (last !== null && last !== undefined) headers["Last-Event-ID"] = String(last);
          const response = await fetch(url, { headers, signal: controller.signal, cache: "no-store" });
          if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
          healthy = true;
          delay = 250;
          if (onState) onState(true);
          await read(response.body.getReader());
        } catch (_) {
          // fall through to the retry below
        }
        if (stopped) return;
        if (onState) onState(false);
        await new Promise((resolve) => setTimeout(resolve, healthy ? 250 : delay));
        delay = Math.min(delay * 2, 4000);
      }
    }

    async function read(reader) {
      const decoder = new TextDecoder();
      let buffer = "";
      let message = { id: null, event: "message", data: [] };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.search(/\r?\n/)) >= 0) {
          const line = buffer.slice(0, cut);
          buffer = buffer.slice(cut + (buffer[cut] === "\r" ? 2 : 1));
          if (line === "") {
            if (message.data.length) {
              if (message.id !== null) last = message.id;
              let data = message.data.join("\n");
              try { data = JSON.parse(data); } catch (_) { /* plain text */ }
              try { onEvent({ id: message.id, event: message.event, data }); } catch (e) { console.error(e); }
            } else if (message.id !== null) {
              last = message.id;
            }
            message = { id: null, event: "message", data: [] };
            continue;
          }
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          let value = colon < 0 ? "" : line.slice(colon + 1);
          if (value.startsWith(" ")) value = value.slice(1);
          if (field === "data") message.data.push(value);
          else if (field === "event") message.event = value;
          else if (field === "id") message.id = value;
        }
      }
    }

    connect();
    return {
      stop() { stopped = true; if (controller) controller.abort(); },
      get lastEventId() { return last; },
      set lastEventId(value) { last = value; },
    };
  }

  // ---------------------------------------------------------------- dates, times, durations
  // JavaScript twins of nafitha/formats.py (tests/web/test_formats.py pins them to the Python):
  // Western digits in both languages, 29/11/2026 and 14:05 (24 h), always in the center's zone
  // (the server puts it in the page), never the zone of the device showing the page.
  const page = JSON.parse((document.getElementById("nf-page") || { textContent: "{}" }).textContent || "{}");
  const zone = page.timezone || undefined;
  const partsCache = new Map();

  function moment(value) {
    if (value instanceof Date) return value;
    if (typeof value === "number") return new Date(value * 1000); // Unix time in seconds
    return new Date(String(value)); // ISO 8601 with its offset, as the API writes times
  }

  function parts(value, timezone) {
    const key = timezone || zone || "";
    if (!partsCache.has(key)) {
      partsCache.set(key, new Intl.DateTimeFormat("en-GB-u-nu-latn", {
        timeZone: key || undefined, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      }));
    }
    const out = {};
    for (const part of partsCache.get(key).formatToParts(moment(value))) out[part.type] = part.value;
    if (out.hour === "24") out.hour = "00";
    return out;
  }

  function formatDate(value, timezone) {
    if (value == null || value === "") return "";
    const p = parts(value, timezone);
    return `${p.day}/${p.month}/${p.year}`;
  }

  function formatTime(value, timezone) {
    if (value == null || value === "") return "";
    const p = parts(value, timezone);
    return `${p.hour}:${p.minute}`;
  }

  function formatDatetime(value, timezone) {
    if (value == null || value === "") return "";
    return `${formatDate(value, timezone)} ${formatTime(value, timezone)}`;
  }

  // A calendar day "2026-11-29" (no time, no zone) as 29/11/2026.
  function formatDay(isoDay) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(isoDay || ""));
    return match ? `${match[3]}/${match[2]}/${match[1]}` : String(isoDay || "");
  }

  // Python's round(): halves go to the even neighbour (round(2.5) == 2), unlike Math.round.
  function roundHalfEven(x) {
    const floor = Math.floor(x);
    const rest = x - floor;
    if (rest > 0.5) return floor + 1;
    if (rest < 0.5) return floor;
    return floor % 2 === 0 ? floor : floor + 1;
  }

  function formatDuration(seconds, language) {
    if (seconds == null) return "—";
    const l = language || lang;
    const s = Math.max(0, roundHalfEven(Number(seconds)));
    if (s < 60) return tIn(l, "common.duration_seconds", { seconds: s });
    const m = roundHalfEven(s / 60);
    if (m < 60) return tIn(l, "common.duration_minutes", { minutes: m });
    const hours = Math.floor(m / 60);
    return tIn(l, "common.duration_hours", { hours, minutes: String(m % 60).padStart(2, "0") });
  }

  // The server's rounded wait (wait_minutes) as words; never rounds again. Empty when unknown.
  function formatWait(minutes, language) {
    if (minutes == null) return "";
    const l = language || lang;
    if (minutes <= 0) return tIn(l, "common.wait_moment", {});
    if (minutes >= 60) {
      return tIn(l, "common.wait_hours", { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, "0") });
    }
    return tIn(l, "common.wait_minutes", { minutes });
  }

  function tIn(language, key, params) {
    const entry = texts[key];
    if (!entry) return key;
    let text = entry[language] || entry.ar;
    for (const [name, value] of Object.entries(params || {})) text = text.split(`{${name}}`).join(String(value));
    return text;
  }

  function percent(share) {
    return share == null ? "—" : `${Math.round(share * 100)}%`;
  }

  // A value of another direction (a number, a date, a device id, a Latin name inside Arabic) kept
  // whole: a <bdi> element, so it neither reorders nor drags its neighbours.
  function isolate(text, attrs) {
    return el("bdi", { class: "number", ...(attrs || {}) }, text == null ? "" : String(text));
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Staff pages: sign in (token kept for this tab only), check the role, then call ready().
  function session(roles, ready) {
    const loginBox = document.getElementById("login");
    const content = document.getElementById("content");
    const logout = document.getElementById("logout");
    const form = document.getElementById("login-form");
    const error = document.getElementById("login-error");

    function showLogin(key) {
      sessionStorage.removeItem("nf-token");
      content.classList.add("hidden");
      logout.classList.add("hidden");
      loginBox.classList.remove("hidden");
      error.textContent = key ? t(key) : "";
      if (key) error.dataset.t = key; else delete error.dataset.t;
    }

    function enter(me) {
      loginBox.classList.add("hidden");
      content.classList.remove("hidden");
      logout.classList.remove("hidden");
      ready(me);
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      try {
        const answer = await api("/api/v1/auth/login", {
          method: "POST",
          body: { username: data.get("username"), password: data.get("password") },
        });
        if (!roles.includes(answer.role)) return showLogin("web.login_role_refused");
        sessionStorage.setItem("nf-token", answer.token);
        form.reset();
        enter({ username: data.get("username"), role: answer.role });
      } catch (_) {
        showLogin("web.login_failed");
      }
    });

    logout.addEventListener("click", async () => {
      try { await api("/api/v1/auth/logout", { method: "POST" }); } catch (_) { /* gone anyway */ }
      showLogin(null);
    });

    if (!sessionStorage.getItem("nf-token")) return showLogin(null);
    api("/api/v1/auth/me").then(
      (me) => (roles.includes(me.role) ? enter(me) : showLogin("web.login_role_refused")),
      () => showLogin(null),
    );
  }

  // A file download from an endpoint that needs the bearer token.
  async function download(path, filename) {
    const token = sessionStorage.getItem("nf-token");
    const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (!response.ok) throw new ApiError(response.status, `http_${response.status}`, null);
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: filename });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    applyTexts();
    document.querySelectorAll("[data-switch-lang]").forEach((button) => {
      button.addEventListener("click", () => setLang(lang === "ar" ? "en" : "ar"));
    });
  });

  return {
    t, pick, api, ApiError, stream, setLang, session, download, onLang, applyTexts, percent, el,
    formatDate, formatTime, formatDatetime, formatDay, formatDuration, formatWait, isolate, page, fill, tIn,
    get lang() { return lang; },
    get timezone() { return zone; },
  };
})();
