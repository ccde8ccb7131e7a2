// The ministry's dashboard: sign in, then every center side by side (live, a period against the
// previous one, integrity). Plain browser JavaScript, nothing fetched from outside the hub.
// Dates are 29/11/2026 and times 14:05 (24 h), Western digits, always in the time zone of the
// center they happened at (the API sends each center's zone beside its figures).
"use strict";

const NFM = (() => {
  const texts = JSON.parse(document.getElementById("nf-texts").textContent);
  let lang = document.documentElement.lang || "ar";
  const TOKEN = "nf-hub-token";
  const state = { period: null, live: null, integrity: null, complaints: null, sort: { key: "name", dir: 1 },
                  serviceSort: { key: "center", dir: 1 }, service: "" };

  function t(key, params) {
    const entry = texts[key];
    if (!entry) return key;
    let text = entry[lang] || entry.ar;
    for (const [name, value] of Object.entries(params || {})) text = text.split(`{${name}}`).join(String(value));
    return text;
  }

  function applyTexts() {
    document.querySelectorAll("[data-t]").forEach((node) => { node.textContent = t(node.dataset.t); });
  }

  function pick(value) {
    if (value == null) return "";
    if (typeof value === "string") return value;
    return value[lang] || value.ar || value.en || "";
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // A number, date or id kept whole and left to right; words (a duration, a share) isolated only.
  const num = (text) => el("bdi", { class: "number" }, text == null ? "" : String(text));
  const words = (text) => el("bdi", {}, text == null ? "" : String(text));

  async function api(path, options = {}) {
    const headers = { Accept: "application/json" };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const token = sessionStorage.getItem(TOKEN);
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(path, {
      method: options.method || "GET", headers, cache: "no-store",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (response.status === 204) return null;
    let data = null;
    try { data = await response.json(); } catch (_) { data = null; }
    if (!response.ok) {
      const error = new Error((data && data.error && data.error.code) || `http_${response.status}`);
      error.status = response.status;
      error.message_ = data && data.error && data.error.message;
      throw error;
    }
    return data;
  }

  // ------------------------------------------------------------------- dates, times, durations
  const formats = new Map();
  function parts(seconds, zone) {
    const key = zone || "UTC";
    if (!formats.has(key)) {
      formats.set(key, new Intl.DateTimeFormat("en-GB-u-nu-latn", {
        timeZone: key, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      }));
    }
    const out = {};
    for (const part of formats.get(key).formatToParts(new Date(seconds * 1000))) out[part.type] = part.value;
    return out;
  }
  function datetime(seconds, zone) {
    if (seconds == null) return t("ministry.never");
    const p = parts(seconds, zone);
    return `${p.day}/${p.month}/${p.year} ${p.hour === "24" ? "00" : p.hour}:${p.minute}`;
  }
  function day(iso) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso || ""));
    return match ? `${match[3]}/${match[2]}/${match[1]}` : String(iso || "");
  }
  function duration(seconds) {
    if (seconds == null) return "—";
    const s = Math.max(0, Math.round(Number(seconds)));
    if (s < 60) return t("common.duration_seconds", { seconds: s });
    const m = Math.round(s / 60);
    if (m < 60) return t("common.duration_minutes", { minutes: m });
    return t("common.duration_hours", { hours: Math.floor(m / 60), minutes: String(m % 60).padStart(2, "0") });
  }
  // A long delay (a complaint days overdue) in whole days from two days on; shorter: duration.
  function days(seconds) {
    if (seconds == null || seconds < 2 * 86400) return duration(seconds);
    const n = Math.floor(seconds / 86400);
    const form = n === 1 ? "one" : n === 2 ? "two" : n <= 10 ? "few" : "many";
    return t(`ministry.days_${form}`, { days: n });
  }
  const percent = (share) => (share == null ? "—" : `${Math.round(share * 100)}%`);
  const count = (value) => (value == null ? "—" : String(value));

  // ------------------------------------------------------------------------------- figures
  // name, catalog key, format, and whether less is better (for the change's colour).
  const FIGURES = [
    ["tickets", "ministry.tickets", count, null],
    ["served", "ministry.served", count, null],
    ["no_shows", "ministry.no_shows", count, true],
    ["wait_mean", "ministry.wait_mean", duration, true],
    ["wait_median", "ministry.wait_median", duration, true],
    ["wait_p90", "ministry.wait_p90", duration, true],
    ["within_target", "ministry.within_target", percent, false],
    ["quote_error_mean", "ministry.quote_error", duration, true],
  ];

  function changeNode(figure, compared, lessIsBetter) {
    const change = compared.change[figure];
    const previous = compared.previous[figure];
    if (change == null) return el("span", { class: "change" }, t("ministry.no_change"));
    const sign = change > 0 ? "+" : "";
    let kind = "";
    if (lessIsBetter !== null && Math.abs(change) >= 0.005) kind = (change < 0) === lessIsBetter ? "better" : "worse";
    const label = t("ministry.previous_value", { value: String(previous) });
    return el("span", { class: `change ${kind}`, title: label }, num(`${sign}${Math.round(change * 100)}%`));
  }

  function figureCells(compared) {
    return FIGURES.map(([name, , format, lessIsBetter]) =>
      el("td", { class: "num" }, words(format(compared.current[name])), changeNode(name, compared, lessIsBetter)));
  }

  // A column title that sorts the table by it (again: the other way); aria-sort on the cell.
  function sortTh(key, label, sort, redraw, numeric) {
    const button = el("button", {
      type: "button", class: "sort",
      onclick: () => { if (sort.key === key) sort.dir = -sort.dir; else { sort.key = key; sort.dir = key === "name" || key === "center" || key === "service" ? 1 : -1; } redraw(); },
    }, label);
    return el("th", { scope: "col", class: numeric ? "num" : null,
      "aria-sort": sort.key === key ? (sort.dir > 0 ? "ascending" : "descending") : null }, button);
  }

  function sorted(items, sort, valueOf) {
    return items.slice().sort((a, b) => {
      const x = valueOf(a, sort.key);
      const y = valueOf(b, sort.key);
      if (x == null && y == null) return 0;
      if (x == null) return 1;
      if (y == null) return -1;
      return (typeof x === "string" ? x.localeCompare(y, lang) : x - y) * sort.dir;
    });
  }

  function drawCenters() {
    const report = state.period;
    const table = document.getElementById("centers");
    const redraw = () => drawCenters();
    const head = el("tr", {}, sortTh("name", t("ministry.center"), state.sort, redraw, false),
      FIGURES.map(([name, key]) => sortTh(name, t(key), state.sort, redraw, true)),
      ["opened", "closed", "overdue"].map((k) => sortTh(`files_${k}`, t(`ministry.files_${k}`), state.sort, redraw, true)));
    const valueOf = (c, key) => (key === "name" ? pick(c.name) : key.startsWith("files_") ? c.files[key.slice(6)].current : c.current[key]);
    const rows = sorted(report.centers, state.sort, valueOf).map((c) => el("tr", {},
      el("th", { scope: "row" }, pick(c.name), el("span", { class: "zone" }, num(c.timezone))),
      figureCells(c),
      ["opened", "closed", "overdue"].map((k) => el("td", { class: "num" }, num(c.files[k].current)))));
    const total = el("tr", { class: "total" }, el("th", { scope: "row" }, t("ministry.all_centers")), figureCells(report.all),
      ["opened", "closed", "overdue"].map((k) => el("td", { class: "num" }, num(report.centers.reduce((s, c) => s + c.files[k].current, 0)))));
    table.replaceChildren(el("thead", {}, head), el("tbody", {}, rows, total));
  }

  function drawServices() {
    const report = state.period;
    const select = document.getElementById("service-filter");
    const names = new Map();
    report.centers.forEach((c) => c.services.forEach((s) => { if (!names.has(s.id)) names.set(s.id, s.name ? pick(s.name) : s.id); }));
    select.replaceChildren(el("option", { value: "" }, t("ministry.all_services")),
      [...names].sort((a, b) => a[1].localeCompare(b[1], lang)).map(([id, name]) => el("option", { value: id, selected: id === state.service }, name)));
    const items = [];
    report.centers.forEach((c) => c.services.forEach((s) => { if (!state.service || s.id === state.service) items.push({ center: c, service: s }); }));
    const redraw = () => drawServices();
    const valueOf = (item, key) => (key === "center" ? pick(item.center.name) : key === "service" ? (item.service.name ? pick(item.service.name) : item.service.id) : key === "target" ? item.service.target_s : item.service.current[key]);
    const head = el("tr", {}, sortTh("center", t("ministry.center"), state.serviceSort, redraw, false),
      sortTh("service", t("ministry.service"), state.serviceSort, redraw, false),
      sortTh("target", t("ministry.target"), state.serviceSort, redraw, true),
      FIGURES.map(([name, key]) => sortTh(name, t(key), state.serviceSort, redraw, true)));
    const rows = sorted(items, state.serviceSort, valueOf).map(({ center, service }) => el("tr", {},
      el("td", {}, pick(center.name)), el("td", {}, service.name ? pick(service.name) : service.id),
      el("td", { class: "num" }, service.target_s == null ? t("ministry.no_target") : words(duration(service.target_s))),
      figureCells(service)));
    document.getElementById("services").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
  }

  function drawPeriod() {
    const p = state.period.period;
    document.getElementById("ranges").replaceChildren(t("ministry.ranges", { from: day(p.from), to: day(p.to), previous_from: day(p.previous_from), previous_to: day(p.previous_to) }),
      ...(state.period.approximate ? [el("span", { class: "approximate" }, " ", t("ministry.approximate"))] : []));
    drawCenters();
    drawServices();
  }

  function statusPill(c) {
    if (c.status === "stopped") return el("span", { class: "pill bad" }, t("ministry.stopped"));
    if (c.silent) return el("span", { class: "pill warn" }, t("ministry.silent"));
    return el("span", { class: "pill good" }, t("ministry.running"));
  }

  function drawLive() {
    const live = state.live;
    const head = el("tr", {}, ["center", "status", "last_contact", "waiting", "longest_wait", "alarms"].map((k) => el("th", { scope: "col" }, t(`ministry.${k}`))));
    const rows = live.centers.map((c) => el("tr", {},
      el("th", { scope: "row" }, pick(c.name), el("span", { class: "zone" }, num(c.timezone))),
      el("td", {}, statusPill(c), c.stopped_reason ? el("div", {}, num(c.stopped_reason)) : null),
      el("td", {}, num(datetime(c.last_contact, c.timezone))),
      el("td", { class: "num" }, num(c.waiting)),
      el("td", { class: "num" }, words(duration(c.longest_wait_s))),
      el("td", {}, c.alarms.length ? el("ul", {}, c.alarms.map((a) => el("li", {}, alarmName(a.kind), " ", num(datetime(a.at, c.timezone)), " ", el("bdi", {}, a.detail)))) : t("ministry.none"))));
    document.getElementById("live").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
    const zones = Object.fromEntries(live.centers.map((c) => [c.id, c]));
    const alertHead = el("tr", {}, ["center", "alert_when", "alert_kind", "alert_device", "alert_message", "status"].map((k) => el("th", { scope: "col" }, t(`ministry.${k}`))));
    const alertRows = live.device_alerts.map((a) => el("tr", {},
      el("td", {}, pick((zones[a.center] || {}).name) || a.center),
      el("td", {}, num(datetime(a.at, (zones[a.center] || {}).timezone))),
      el("td", {}, alertName(a.kind)), el("td", {}, num(a.label || a.device || "—")), el("td", {}, el("bdi", {}, alertDetail(a.message))),
      el("td", {}, a.resolved_at == null ? el("span", { class: "pill bad" }, t("ministry.alert_open")) : el("span", { class: "pill good" }, t("ministry.alert_resolved")))));
    document.getElementById("alerts").replaceChildren(el("thead", {}, alertHead), el("tbody", {}, alertRows.length ? alertRows : el("tr", {}, el("td", { colspan: 6 }, t("ministry.none")))));
  }

  // A device alert's name as the center's own dashboard says it (a printer's fault codes are
  // named printer_<code> there); a chain alarm's from this page's texts; the code itself only
  // for a kind neither knows.
  const PRINTER_CODES = new Set(["bad_setting", "offline", "paper_out", "cover_open", "printer_error", "timeout",
    "permission_denied", "no_such_device", "missing_library", "io_error", "too_wide"]);
  function alertName(kind) {
    const key = `web.alert_${PRINTER_CODES.has(kind) ? `printer_${kind}` : kind}`;
    return texts[key] ? t(key) : t("web.alert_unknown");
  }
  // A center's alert message says both languages ("… / …"): the page's own part, else all.
  function alertDetail(message) {
    const parts = String(message || "").split(" / ").map((p) => p.trim()).filter(Boolean);
    const mine = parts.filter((p) => /[\u0600-\u06FF]/.test(p) === (lang === "ar"));
    return (mine.length ? mine : parts).join(" · ");
  }
  function alarmName(kind) {
    return texts[`ministry.alarm_${kind}`] ? t(`ministry.alarm_${kind}`) : String(kind);
  }

  function drawIntegrity() {
    const report = state.integrity;
    const head = el("tr", {}, ["center", "head", "signed_head", "in_order", "out_of_order", "share_in_order"].map((k) => el("th", { scope: "col" }, t(`ministry.${k}`))));
    const rows = report.centers.map((c) => el("tr", {},
      el("th", { scope: "row" }, pick(c.name), el("span", { class: "zone" }, num(c.timezone))),
      el("td", {}, num(`#${c.head_seq}`), " ", el("code", { class: "hash" }, (c.head_hash || "").slice(0, 16)), el("div", {}, num(datetime(c.head_at, c.timezone)))),
      el("td", {}, c.signed_seq == null ? t("ministry.none") : [num(`#${c.signed_seq}`), " ", el("code", { class: "hash" }, (c.signed_hash || "").slice(0, 16)), el("div", {}, num(datetime(c.signed_at, c.timezone)))]),
      el("td", { class: "num" }, num(c.in_order)), el("td", { class: "num" }, num(c.out_of_order)),
      el("td", { class: "num" }, words(c.share_in_order == null ? "—" : `${(Math.floor(c.share_in_order * 1000) / 10).toFixed(1)}%`))));
    document.getElementById("integrity").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
    const callHead = el("tr", {}, ["center", "day", "when", "ticket", "counter", "clerk", "reason"].map((k) => el("th", { scope: "col" }, t(`ministry.${k}`))));
    const callRows = [];
    report.centers.forEach((c) => c.days.forEach((d) => d.calls.forEach((call) => callRows.push(el("tr", {},
      el("td", {}, pick(c.name)), el("td", {}, num(day(d.day))), el("td", {}, num(datetime(call.at, c.timezone))),
      el("td", {}, num(call.number || call.ticket_id)), el("td", {}, num(call.counter || "")), el("td", {}, el("bdi", {}, call.actor || "")),
      el("td", {}, el("bdi", {}, call.reason || "")))))));
    document.getElementById("calls").replaceChildren(el("thead", {}, callHead), el("tbody", {}, callRows.length ? callRows : el("tr", {}, el("td", { colspan: 7 }, t("ministry.none")))));
  }

  // Complaints the centers escalated to the ministry: open ones first, the longest overdue first.
  function drawComplaints() {
    const report = state.complaints;
    document.getElementById("complaints-open").replaceChildren(t("ministry.complaints_open", { count: report.open }));
    const head = el("tr", {}, ["center", "complaint_reference", "complaint_kind", "complaint_about", "status", "complaint_filed", "complaint_deadline", "complaint_escalated"]
      .map((k) => el("th", { scope: "col" }, t(`ministry.${k}`))));
    const rows = report.complaints.map((c) => {
      const topic = c.topic ? t(`complaints.topic_${c.topic}`) : "";
      const about = c.about === "center" || !c.service ? t(`complaints.about_${c.about}`) : (c.service_name ? pick(c.service_name) : c.service);
      let status;
      if (c.spam) status = el("span", { class: "pill warn" }, t("ministry.complaint_spam"));
      else if (c.open) status = [el("span", { class: "pill bad" }, t(`complaints.status_${c.status}`)), el("div", {}, words(t("ministry.complaint_overdue", { duration: days(c.overdue_s) })))];
      else status = [el("span", { class: "pill good" }, t(`complaints.status_${c.status}`)), c.answered_at == null ? null : el("div", {}, t("ministry.complaint_answered", { when: datetime(c.answered_at, c.timezone) }))];
      return el("tr", { "data-reference": c.reference },
        el("td", {}, pick(c.center_name) || c.center),
        el("td", {}, num(c.reference)),
        el("td", {}, t(`complaints.kind_${c.kind}`), topic ? el("div", { class: "muted" }, topic) : null),
        el("td", {}, el("bdi", {}, about)),
        el("td", {}, status),
        el("td", {}, num(datetime(c.filed_at, c.timezone))),
        el("td", {}, num(datetime(c.deadline_at, c.timezone))),
        el("td", {}, num(datetime(c.escalated_at, c.timezone))));
    });
    document.getElementById("complaints").replaceChildren(el("thead", {}, head),
      el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: 8 }, t("ministry.complaints_none")))));
  }

  // ------------------------------------------------------------------ the hub's people (hub_admin)
  const ROLES = ["ministry", "auditor", "hub_admin"];
  // The last outcome, kept as text keys or the API's bilingual message: a language switch
  // redraws it in the other language.
  function showPeopleNote() {
    const note = state.peopleNote || {};
    document.getElementById("people-done").textContent = note.done ? t(note.done, note.params) : "";
    document.getElementById("people-error").textContent = note.error ? pick(note.error) : note.failed ? t(note.failed) : "";
  }
  function peopleSaid(key, params) {
    state.peopleNote = { done: key, params };
    showPeopleNote();
  }
  function peopleFailed(err) {
    state.peopleNote = err.message_ ? { error: err.message_ } : { failed: "ministry.load_failed" };
    showPeopleNote();
  }
  async function changePerson(username, change, doneKey) {
    try {
      await api(`/api/v1/ministry/people/${encodeURIComponent(username)}`, { method: "PATCH", body: change });
      await loadPeople();
      peopleSaid(doneKey, { username });
    } catch (err) {
      if (err.status === 401) return showLogin(null);
      await loadPeople();
      peopleFailed(err);
    }
  }
  function drawPeople() {
    const people = state.people || [];
    const head = el("tr", {}, ["login_username", "people_role", "people_state", "people_actions"].map((k) => el("th", { scope: "col" }, t(`ministry.${k}`))));
    const rows = people.map((p) => el("tr", { "data-person": p.username },
      el("td", {}, el("bdi", {}, p.username)),
      el("td", {}, el("select", { "aria-label": t("ministry.people_role_of", { username: p.username }), "data-role-of": p.username,
        onchange: (event) => changePerson(p.username, { role: event.target.value }, "ministry.people_saved") },
        ROLES.map((r) => el("option", { value: r, selected: r === p.role }, t(`ministry.role_${r}`))))),
      el("td", {}, p.active ? el("span", { class: "pill good" }, t("ministry.people_active")) : el("span", { class: "pill bad" }, t("ministry.people_disabled"))),
      el("td", {}, el("button", { type: "button", class: "quiet", "data-toggle-of": p.username,
        onclick: () => changePerson(p.username, { active: !p.active }, p.active ? "ministry.people_disabled_done" : "ministry.people_enabled_done") },
        t(p.active ? "ministry.people_disable" : "ministry.people_enable")))));
    document.getElementById("people").replaceChildren(el("thead", {}, head), el("tbody", {}, rows));
    const chosen = document.getElementById("password-person").value;
    document.getElementById("password-person").replaceChildren(...people.map((p) => el("option", { value: p.username, selected: p.username === chosen }, p.username)));
    showPeopleNote();
    document.querySelectorAll("[data-roles]").forEach((select) => {
      const value = select.value || "ministry";
      select.replaceChildren(...ROLES.map((r) => el("option", { value: r, selected: r === value }, t(`ministry.role_${r}`))));
    });
  }
  async function loadPeople() {
    try {
      state.people = (await api("/api/v1/ministry/people")).people;
      drawPeople();
    } catch (err) {
      if (err.status === 401) return showLogin(null);
      peopleFailed(err);
    }
  }

  function redrawAll() {
    applyTexts();
    if (state.live) drawLive();
    if (state.complaints) drawComplaints();
    if (state.people) drawPeople();
    if (state.period) drawPeriod();
    if (state.integrity) drawIntegrity();
  }

  // ------------------------------------------------------------------------ loading, session
  // A "last N days" period ends on the latest center's today: each center's days are its own
  // (a ticket's day is the center's date), so a ministry browser in another zone, or the hours
  // just after a center's midnight, must not leave that center's today out.
  const dayFormats = new Map();
  function todayIn(zone) {
    if (!dayFormats.has(zone)) dayFormats.set(zone, new Intl.DateTimeFormat("en-CA-u-nu-latn", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }));
    return dayFormats.get(zone).format(new Date());
  }
  function centersToday(live) {
    const now = new Date();
    const local = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
    const days = ((live && live.centers) || []).map((c) => { try { return todayIn(c.timezone || "UTC"); } catch (_) { return local; } });
    return days.length ? days.reduce((a, b) => (a > b ? a : b)) : local;
  }
  function setRange(days, live) {
    const to = centersToday(live);
    const end = new Date(`${to}T00:00:00Z`);
    document.getElementById("from").value = new Date(end.getTime() - (days - 1) * 86400000).toISOString().slice(0, 10);
    document.getElementById("to").value = to;
    state.rangeDays = days;
  }
  function range() { return `from=${document.getElementById("from").value}&to=${document.getElementById("to").value}`; }

  async function load() {
    const error = document.getElementById("period-error");
    error.textContent = "";
    try {
      const live = await api("/api/v1/ministry/live");
      if (state.rangeDays) setRange(state.rangeDays, live); // the centers' today, now their zones are known
      const [period, integrity, complaints] = await Promise.all([
        api(`/api/v1/ministry/period?${range()}`), api(`/api/v1/ministry/integrity?${range()}`), api("/api/v1/ministry/complaints"),
      ]);
      Object.assign(state, { live, period, integrity, complaints });
      redrawAll();
      document.body.dataset.loaded = "yes";
    } catch (err) {
      if (err.status === 401) return showLogin(null);
      error.textContent = err.message_ ? pick(err.message_) : t("ministry.load_failed");
    }
  }

  // The live table and the escalated complaints again every 30 s while signed in (the period
  // and integrity on request).
  let liveTimer = null;
  async function refreshLive() {
    try {
      const [live, complaints] = await Promise.all([api("/api/v1/ministry/live"), api("/api/v1/ministry/complaints")]);
      Object.assign(state, { live, complaints });
      drawLive();
      drawComplaints();
    } catch (err) {
      if (err.status === 401) showLogin(null);
    }
  }

  async function exportCsv() {
    const response = await fetch(`/api/v1/ministry/period.csv?${range()}`, { headers: { Authorization: `Bearer ${sessionStorage.getItem(TOKEN)}` } });
    if (!response.ok) return;
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: `nafitha-centers-${document.getElementById("from").value}-${document.getElementById("to").value}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function showLogin(key) {
    clearInterval(liveTimer);
    sessionStorage.removeItem(TOKEN);
    document.getElementById("content").classList.add("hidden");
    document.getElementById("logout").classList.add("hidden");
    document.getElementById("login").classList.remove("hidden");
    document.getElementById("who").textContent = "";
    document.getElementById("login-error").textContent = key ? t(key) : "";
  }

  function enter(me) {
    document.getElementById("login").classList.add("hidden");
    document.getElementById("content").classList.remove("hidden");
    document.getElementById("logout").classList.remove("hidden");
    document.getElementById("who").replaceChildren(el("bdi", {}, me.username), ` (${t(`ministry.role_${me.role}`)})`);
    const admin = me.role === "hub_admin"; // the people's section: the only one who may change them
    document.getElementById("people-section").classList.toggle("hidden", !admin);
    state.people = null;
    state.peopleNote = null;
    if (admin) loadPeople();
    load();
    clearInterval(liveTimer);
    liveTimer = setInterval(refreshLive, 30000);
  }

  function setLang(next) {
    lang = next === "en" ? "en" : "ar";
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
    document.cookie = `lang=${lang}; path=/; max-age=31536000; samesite=lax`;
    document.title = t("ministry.title");
    redrawAll();
  }

  document.addEventListener("DOMContentLoaded", () => {
    applyTexts();
    setRange(30);
    document.querySelector("[data-switch-lang]").addEventListener("click", () => setLang(lang === "ar" ? "en" : "ar"));
    document.getElementById("login-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      try {
        const answer = await api("/api/v1/ministry/auth/login", { method: "POST", body: { username: data.get("username"), password: data.get("password") } });
        sessionStorage.setItem(TOKEN, answer.token);
        event.target.reset();
        enter(answer);
      } catch (err) {
        showLogin(err.status === 429 ? "ministry.login_throttled" : "ministry.login_failed");
      }
    });
    document.getElementById("logout").addEventListener("click", async () => {
      try { await api("/api/v1/ministry/auth/logout", { method: "POST" }); } catch (_) { /* gone anyway */ }
      showLogin(null);
    });
    document.getElementById("period-form").addEventListener("submit", (event) => { event.preventDefault(); load(); });
    ["from", "to"].forEach((id) => document.getElementById(id).addEventListener("input", () => { state.rangeDays = null; }));
    document.getElementById("person-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      const body = { username: String(data.get("username") || "").trim(), role: data.get("role"), password: data.get("password") };
      try {
        await api("/api/v1/ministry/people", { method: "POST", body });
        event.target.reset();
        await loadPeople();
        peopleSaid("ministry.people_created", { username: body.username });
      } catch (err) {
        if (err.status === 401) return showLogin(null);
        peopleFailed(err);
      }
    });
    document.getElementById("password-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(event.target);
      const username = String(data.get("username") || "");
      event.target.querySelector("input[name=password]").value = "";
      await changePerson(username, { password: data.get("password") }, "ministry.people_password_done");
    });
    document.querySelectorAll("[data-days]").forEach((button) => button.addEventListener("click", () => { setRange(Number(button.dataset.days), state.live); load(); }));
    document.getElementById("export").addEventListener("click", exportCsv);
    document.getElementById("service-filter").addEventListener("change", (event) => { state.service = event.target.value; drawServices(); });
    if (!sessionStorage.getItem(TOKEN)) return showLogin(null);
    api("/api/v1/ministry/auth/me").then(enter, () => showLogin(null));
  });

  return { get lang() { return lang; }, state };
})();
