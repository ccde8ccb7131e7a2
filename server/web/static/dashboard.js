// The manager's dashboard: the queue now (live), the board's message line, and a period's figures
// against the previous period, with tables, SVG charts drawn here, overdue files and CSV exports.
// Every figure carries its raw value in data-value, so tests compare it with their own computation.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let stats = null;
  let queue = null;
  let alerts = [];
  let overdue = null;
  let nowTimer = null;

  // ---------------------------------------------------------------- formatting
  function figure(value, kind) {
    if (value === null || value === undefined) return "—";
    if (kind === "duration") return NF.formatDuration(value);
    if (kind === "share") return NF.percent(value);
    if (kind === "change") {
      const sign = value > 0 ? "+" : "";
      return `${sign}${Math.round(value * 100)}%`;
    }
    return String(value);
  }

  // Durations are words ("1 س 05 د"): they keep the page's direction; plain figures are isolated
  // left to right.
  function cell(value, kind, name) {
    const cls = kind === "duration" ? "num words" : "num number";
    return NF.el("td", { class: cls, "data-figure": name, "data-value": value ?? "" }, figure(value, kind));
  }

  // The center's calendar day of a moment (not the browser's), as the API takes it: 2026-11-29.
  function isoDay(date) {
    const [day, month, year] = NF.formatDate(date).split("/");
    return `${year}-${month}-${day}`;
  }

  // ---------------------------------------------------------------- now
  const COUNTER_STATES = new Set(["open", "paused", "closed"]);
  async function loadNow() {
    try {
      let health;
      [queue, alerts, health] = await Promise.all([
        NF.api("/api/v1/queue"), NF.api("/api/v1/alerts"), NF.api("/api/v1/health").catch(() => null)]);
      $("banner").classList.add("hidden");
      renderNow();
      renderReplica(health && health.replica);
    } catch (err) {
      if (err.status === 401) location.reload();
      $("banner").classList.remove("hidden");
    }
  }

  // Services people wait for that no open counter serves: nobody will call them. The most urgent
  // thing a manager can learn, so it stands above everything else.
  function unserved() {
    const open = queue.counters.filter((c) => c.status === "open");
    return queue.services.filter((s) => s.waiting > 0 && !open.some((c) => (c.services || []).includes(s.id)));
  }

  // Device alerts: the catalog's text for the fault's code, the device and time isolated, the
  // device's own words in the page's language when it sent both, and a button to clear it.
  const PRINTER_CODES = new Set(["bad_setting", "offline", "paper_out", "cover_open", "printer_error", "timeout",
    "permission_denied", "no_such_device", "missing_library", "io_error", "too_wide"]);
  function alertKey(kind) {
    const code = PRINTER_CODES.has(kind) ? `printer_${kind}` : kind;
    const key = `web.alert_${code}`;
    return NF.t(key) === key ? "web.alert_unknown" : key;
  }

  function alertDetail(message) {
    const parts = String(message || "").split(" / ").map((p) => p.trim()).filter(Boolean);
    const arabic = (p) => /[\u0600-\u06FF]/.test(p);
    const mine = parts.filter((p) => arabic(p) === (NF.lang === "ar"));
    return (mine.length ? mine : parts).join(" · ");
  }

  function alertItem(a) {
    const resolve = NF.el("button", {
      type: "button", class: "quiet small-button", "data-alert": a.id,
      onclick: async (event) => {
        event.target.disabled = true;
        try {
          await NF.api(`/api/v1/alerts/${a.id}/resolve`, { method: "POST" });
          alerts = alerts.filter((x) => x.id !== a.id);
          renderNow();
        } catch (err) {
          event.target.disabled = false;
          event.target.after(NF.el("span", { class: "error" }, ` ${NF.pick(err.bilingual) || NF.t("web.error_generic")}`));
        }
      },
    }, NF.t("web.dash_alert_resolve"));
    const detail = alertDetail(a.message);
    return NF.el("li", { "data-kind": a.kind, "data-alert": a.id },
      NF.el("strong", {}, NF.t(alertKey(a.kind))),
      alertKey(a.kind) === "web.alert_unknown" ? [" ", NF.isolate(a.kind)] : null,
      " · ", NF.isolate(a.device || a.actor || ""), " · ", NF.isolate(NF.formatTime(a.at)),
      detail ? NF.el("div", { class: "muted small" }, NF.el("bdi", {}, detail)) : null,
      resolve,
    );
  }

  // A silent alarm from a counter (a staff member in trouble): above everything, red, with the
  // counter's number and name and the time; the manager clears it once someone has gone there.
  // It comes by a wait the server answers the moment an alert is raised (GET /alerts/wait), never
  // by the public stream.
  const SILENT = "silent_alarm";
  const PAGE_TITLE = document.title;
  function renderSilentAlarms() {
    const open = alerts.filter((a) => a.kind === SILENT);
    $("silent-alarm").classList.toggle("hidden", open.length === 0);
    document.title = open.length ? `\u26A0 ${NF.t("web.dash_silent_alarm_tab")} \u2014 ${PAGE_TITLE}` : PAGE_TITLE;
    $("silent-alarm-list").replaceChildren(...open.map((a) => {
      const item = alertItem(a);
      item.classList.add("silent-alarm");
      return item;
    }));
  }

  async function waitForAlerts() {
    let after = null;
    for (;;) {
      try {
        const answer = await NF.api(`/api/v1/alerts/wait${after === null ? "" : `?after=${after}`}`);
        alerts = answer.alerts; // the open alerts as the server has them now
        if (queue) renderNow();
        after = answer.last;
      } catch (err) {
        if (err.status === 401) return;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  function renderNow() {
    if (!queue) return;
    const longest = Math.max(0, ...queue.services.map((s) => (s.waiting ? s.oldest_wait_s : 0)));
    $("now-waiting").textContent = String(queue.waiting);
    $("now-longest").textContent = NF.formatDuration(longest);
    $("now-open").textContent = String(queue.counters_open);
    $("now-alerts").textContent = String(alerts.length);
    const stranded = unserved();
    $("no-counter-alarm").classList.toggle("hidden", stranded.length === 0);
    $("no-counter-list").replaceChildren(
      ...stranded.map((s) => NF.el("li", { "data-service": s.id },
        NF.fill("web.dash_alarm_line", {
          service: NF.el("strong", {}, NF.el("span", { class: "pill number" }, s.prefix), " ", NF.pick(s.name)),
          waiting: NF.isolate(s.waiting),
          oldest: NF.el("bdi", {}, NF.formatDuration(s.oldest_wait_s)),
        }))),
    );
    $("now-services").tBodies[0].replaceChildren(
      ...queue.services.filter((s) => s.waiting > 0).map((s) =>
        NF.el("tr", {},
          NF.el("td", {}, NF.el("span", { class: "pill number" }, s.prefix), " ", NF.pick(s.name)),
          cell(s.waiting, "count", `now.${s.id}.waiting`),
          NF.el("td", { class: `num words ${s.oldest_wait_s > s.target_wait_s ? "error" : ""}` }, NF.formatDuration(s.oldest_wait_s)),
        ),
      ),
    );
    $("now-counters").tBodies[0].replaceChildren(
      ...queue.counters.map((c) =>
        NF.el("tr", {},
          NF.el("td", { class: "number" }, String(c.number)),
          NF.el("td", {}, NF.pick(c.name), " ",
            NF.el("span", { class: `pill ${c.status}`, "data-t": `web.dash_counter_${COUNTER_STATES.has(c.status) ? c.status : "closed"}` },
              NF.t(`web.dash_counter_${COUNTER_STATES.has(c.status) ? c.status : "closed"}`))),
          NF.el("td", {}, c.status === "closed" ? "" : NF.isolate(c.clerk || "")),
          NF.el("td", { class: "number" }, c.current ? c.current.number : ""),
        ),
      ),
    );
    renderSilentAlarms();
    const faults = alerts.filter((a) => a.kind !== SILENT);
    $("now-alerts-list").replaceChildren(
      ...(faults.length
        ? faults.map(alertItem)
        : [NF.el("li", { class: "muted", "data-t": "web.dash_no_alerts" }, NF.t("web.dash_no_alerts"))]),
    );
  }

  // The off-site replica (health's details for staff): status, lag, position, last error.
  const REPLICA_STATES = new Set(["starting", "ok", "behind", "failing"]);
  function renderReplica(replica) {
    $("replica").classList.toggle("hidden", !replica);
    if (!replica) return;
    const status = REPLICA_STATES.has(replica.status) ? replica.status : "failing";
    const pill = $("replica-status");
    pill.className = `pill ${status === "ok" ? "open" : status === "starting" ? "paused" : "closed"}`;
    pill.dataset.status = status;
    pill.textContent = NF.t(`web.dash_replica_status_${status}`);
    $("replica-url").textContent = replica.url || "";
    $("replica-lag").dataset.value = replica.lag_s ?? "";
    $("replica-lag").textContent = NF.formatDuration(replica.lag_s);
    $("replica-position").dataset.value = replica.replicated_txid ?? "";
    $("replica-position").textContent = replica.replicated_txid == null ? "—"
      : `${replica.replicated_txid} / ${replica.local_txid ?? "—"}`;
    $("replica-last").textContent = replica.replicated_at ? NF.formatDatetime(replica.replicated_at * 1000) : "—";
    $("replica-error-row").classList.toggle("hidden", !replica.error);
    $("replica-error").textContent = replica.error || "";
  }

  function nowSoon() {
    if (!nowTimer) nowTimer = setTimeout(() => { nowTimer = null; loadNow(); }, 1000);
  }

  // ---------------------------------------------------------------- period
  const TILES = [
    ["web.dash_tickets", "tickets", "count", "tickets"],
    ["web.dash_served", "served", "count", "served"],
    ["web.dash_no_shows", "no_shows", "count", "no_shows"],
    ["web.dash_wait", "wait.mean", "duration", "wait_mean", "web.dash_mean"],
    ["web.dash_wait", "wait.median", "duration", null, "web.dash_median"],
    ["web.dash_wait", "wait.p90", "duration", "wait_p90", "web.dash_p90"],
    ["web.dash_service_time", "service.mean", "duration", "service_mean", "web.dash_mean"],
    ["web.dash_service_time", "service.median", "duration", null, "web.dash_median"],
    ["web.dash_service_time", "service.p90", "duration", null, "web.dash_p90"],
    ["web.dash_within_target", "within_target", "share", "within_target"],
    ["web.dash_quoted", "quoted_mean_s", "duration", null],
    ["web.dash_actual", "actual_mean_s", "duration", null],
    ["web.dash_quote_error", "quote_error_mean_s", "duration", null],
    ["web.dash_resolution", "resolution", "share", null], // visits ended resolved (visit steps)
  ];

  function get(object, path) {
    return path.split(".").reduce((value, key) => (value == null ? undefined : value[key]), object);
  }

  function renderTiles() {
    const overall = stats.overall;
    $("previous-range").replaceChildren(...NF.fill("web.dash_range", {
      from: NF.isolate(NF.formatDay(stats.previous.from)),
      to: NF.isolate(NF.formatDay(stats.previous.to)),
    }));
    $("approximate").classList.toggle("hidden", stats.exact !== false);
    $("tiles").replaceChildren(
      ...TILES.map(([label, path, kind, change, sub]) => {
        const value = get(overall, path);
        const delta = change ? stats.change[change] : null;
        const good = path.startsWith("wait") || path.startsWith("service") || path === "no_shows" ? delta < 0 : delta > 0;
        return NF.el("div", { class: "tile" },
          NF.el("span", { class: kind === "duration" ? "value words" : "value number", "data-figure": `overall.${path}`, "data-value": value ?? "" }, figure(value, kind)),
          NF.el("span", { class: "name" }, NF.t(label), sub ? ` · ${NF.t(sub)}` : ""),
          delta === null || delta === undefined ? null
            : NF.el("span", { class: `delta ${good ? "up" : "down"} number`, "data-figure": `change.${change}` }, ` ${figure(delta, "change")}`),
        );
      }),
    );
  }

  const ALL_COLUMNS = [
    ["web.dash_tickets", "tickets", "count"],
    ["web.dash_served", "served", "count"],
    ["web.dash_no_shows", "no_shows", "count"],
    ["web.dash_wait", "wait.mean", "duration", "web.dash_mean"],
    ["web.dash_wait", "wait.median", "duration", "web.dash_median"],
    ["web.dash_wait", "wait.p90", "duration", "web.dash_p90"],
    ["web.dash_service_time", "service.mean", "duration", "web.dash_mean"],
    ["web.dash_service_time", "service.median", "duration", "web.dash_median"],
    ["web.dash_service_time", "service.p90", "duration", "web.dash_p90"],
    ["web.dash_within_target", "within_target", "share"],
    ["web.dash_quoted", "quoted_mean_s", "duration"],
    ["web.dash_actual", "actual_mean_s", "duration"],
    ["web.dash_resolution", "resolution", "share"],
  ];

  function groupLabel(group, key) {
    if (group === "service") {
      const s = stats.names.services[key];
      return s ? `${s.prefix} · ${NF.pick(s.name)}` : key;
    }
    if (group === "counter") {
      const c = stats.names.counters[key];
      return c ? NF.pick(c.name) : key;
    }
    if (group === "hour") return `${String(key).padStart(2, "0")}:00`;
    return String(key);
  }

  function renderTable(id, group) {
    // first-visit resolution is kept per service chosen at the kiosk only
    const COLUMNS = ALL_COLUMNS.filter((c) => group === "service" || c[1] !== "resolution");
    const head = NF.el("tr", {},
      NF.el("th", { scope: "col" }, NF.t({ service: "web.file_service", counter: "web.board_counter", clerk: "web.dash_clerk_at", hour: "web.dash_by_hour" }[group])),
      ...COLUMNS.map(([label, , , sub]) => NF.el("th", { class: "num", scope: "col" }, NF.t(label), sub ? NF.el("br") : null, sub ? NF.t(sub) : null)),
    );
    const ordered = [...(stats[group] || [])];
    if (group === "counter") {
      const number = (row) => (stats.names.counters[row.key] || { number: 1e9 }).number;
      ordered.sort((a, b) => number(a) - number(b));
    } else if (group === "clerk") {
      ordered.sort((a, b) => String(a.key).localeCompare(String(b.key), "en", { numeric: true }));
    }
    const rows = ordered.map((row) =>
      NF.el("tr", { "data-key": row.key },
        NF.el("th", { scope: "row", class: group === "hour" ? "number" : null }, groupLabel(group, row.key)),
        ...COLUMNS.map(([, path, kind]) => cell(get(row, path), kind, `${group}.${row.key}.${path}`)),
      ),
    );
    $(id).replaceChildren(NF.el("thead", {}, head), NF.el("tbody", {}, ...rows));
  }

  // ---------------------------------------------------------------- charts (SVG, drawn here)
  const SVG = "http://www.w3.org/2000/svg";
  function svgEl(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Vertical bars, two series side by side, e.g. tickets and served per hour (time reads left to
  // right in both languages, as on a clock).
  function columnChart(svg, items) {
    const width = 640, height = 260, left = 40, bottom = 28, top = 10;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const title = svg.querySelector("title");
    svg.replaceChildren(title);
    const max = Math.max(1, ...items.map((i) => i.a));
    const band = (width - left - 10) / Math.max(1, items.length);
    const scale = (v) => ((height - top - bottom) * v) / max;
    svg.append(svgEl("line", { class: "axis", x1: left, y1: height - bottom, x2: width - 5, y2: height - bottom }));
    for (const tick of [0, 0.5, 1]) {
      const y = height - bottom - scale(max * tick);
      svg.append(svgEl("text", { x: left - 6, y: y + 4, "text-anchor": "end", direction: "ltr" }, String(Math.round(max * tick))));
    }
    items.forEach((item, i) => {
      const x = left + i * band + band * 0.1;
      const w = band * 0.4;
      svg.append(svgEl("rect", { class: "bar", x, y: height - bottom - scale(item.a), width: w, height: scale(item.a) }, undefined));
      svg.append(svgEl("rect", { class: "bar second", x: x + w, y: height - bottom - scale(item.b), width: w, height: scale(item.b) }));
      svg.append(svgEl("text", { x: x + w, y: height - 10, "text-anchor": "middle", direction: "ltr" }, item.label));
    });
  }

  // Horizontal bars with names at the start side (right in Arabic), mean and p90 per service.
  function barChart(svg, items) {
    const rtl = NF.lang === "ar";
    const rowH = 26, labelW = 230, width = 640;
    const height = Math.max(40, items.length * rowH + 10);
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const title = svg.querySelector("title");
    svg.replaceChildren(title);
    const max = Math.max(1, ...items.map((i) => Math.max(i.a, i.b)));
    const room = width - labelW - 95;
    items.forEach((item, i) => {
      const y = 5 + i * rowH;
      const wa = (room * item.a) / max;
      const wb = (room * item.b) / max;
      const xa = rtl ? width - labelW - wa : labelW;
      const xb = rtl ? width - labelW - wb : labelW;
      svg.append(svgEl("text", { x: rtl ? width - 4 : 4, y: y + 15, "text-anchor": "start", direction: rtl ? "rtl" : "ltr" }, item.label));
      svg.append(svgEl("rect", { class: "bar second", x: xb, y: y + 2, width: wb, height: rowH - 8 }));
      svg.append(svgEl("rect", { class: "bar", x: xa, y: y + 6, width: wa, height: rowH - 16 }));
      svg.append(svgEl("text", { x: rtl ? xb - 4 : xb + wb + 4, y: y + 15, "text-anchor": rtl ? "end" : "start", direction: "ltr" },
        `${(item.a / 60).toFixed(1)} / ${(item.b / 60).toFixed(1)}`));
    });
  }

  function renderCharts() {
    const hours = new Map((stats.hour || []).map((row) => [row.key, row]));
    const keys = [...hours.keys()];
    const first = keys.length ? Math.min(...keys) : 8;
    const last = keys.length ? Math.max(...keys) : 14;
    const items = [];
    for (let h = first; h <= last; h++) {
      const row = hours.get(h);
      items.push({ label: String(h), a: row ? row.tickets : 0, b: row ? row.served : 0 });
    }
    $("chart-hours-title").textContent = NF.t("web.dash_chart_tickets_by_hour");
    columnChart($("chart-hours"), items);
    $("chart-services-title").textContent = NF.t("web.dash_chart_wait_by_service");
    barChart($("chart-services"), (stats.service || []).filter((r) => r.wait.count > 0).map((row) => ({
      label: groupLabel("service", row.key).slice(0, 34),
      a: row.wait.mean || 0,
      b: row.wait.p90 || 0,
    })));
  }

  function renderStats() {
    if (!stats) return;
    renderTiles();
    renderCharts();
    renderTable("by-service", "service");
    renderTable("by-counter", "counter");
    renderTable("by-clerk", "clerk");
    renderTable("by-hour", "hour");
  }

  async function loadStats() {
    const from = $("from").value, to = $("to").value;
    $("period-error").textContent = "";
    try {
      stats = await NF.api(`/api/v1/stats?from=${from}&to=${to}`);
      renderStats();
      document.body.dataset.statsLoaded = `${from}/${to}`;
    } catch (err) {
      $("period-error").textContent = NF.pick(err.bilingual) || NF.t("web.error_generic");
    }
  }

  // ---------------------------------------------------------------- overdue files
  async function loadOverdue() {
    try {
      overdue = await NF.api("/api/v1/files/overdue");
    } catch (_) {
      overdue = null;
    }
    renderOverdue();
  }

  function renderOverdue() {
    const rows = overdue ? overdue.by_service_stage : [];
    $("overdue").tBodies[0].replaceChildren(
      ...(rows.length
        ? rows.map((row) => NF.el("tr", {},
            NF.el("td", {}, NF.pick(row.service.name)),
            NF.el("td", {}, NF.pick(row.stage.name)),
            cell(row.count, "count", `overdue.${row.service.id}.${row.stage.id}`)))
        : [NF.el("tr", {}, NF.el("td", { colspan: 3, class: "muted" }, NF.t("web.dash_no_overdue")))]),
    );
    // The files themselves, by reference (a staff page: references are what a clerk looks up).
    const names = new Map(rows.map((row) => [row.service.id, row.service.name]));
    const files = overdue ? overdue.files : [];
    $("overdue-files").tBodies[0].replaceChildren(
      ...files.map((file) => NF.el("tr", { "data-reference": file.reference },
        NF.el("td", {}, NF.isolate(file.reference, { class: "number reference" })),
        NF.el("td", {}, NF.pick(names.get(file.service)) || file.service),
        NF.el("td", {}, NF.pick(file.stage_name)),
        NF.el("td", { class: "num words" }, NF.formatDuration(file.overdue_s)))),
    );
  }

  // ---------------------------------------------------------------- wiring
  function setRange(days) {
    const today = new Date();
    const start = new Date(today.getTime() - (days - 1) * 86400000);
    $("from").value = isoDay(start);
    $("to").value = isoDay(today);
    loadStats();
  }

  async function ready() {
    const board = await NF.api("/api/v1/board");
    $("message-input").value = board.message || "";
    const params = new URL(location.href).searchParams;
    if (params.get("from") && params.get("to")) {
      $("from").value = params.get("from");
      $("to").value = params.get("to");
      loadStats();
    } else {
      setRange(7);
    }
    loadNow();
    loadOverdue();
    waitForAlerts(); // a silent alarm shows the moment it is raised
    setInterval(loadNow, 5000); // device alerts are not on the public stream: ask often
    setInterval(loadOverdue, 120000);
    NF.stream("/api/v1/events", {
      onEvent: (event) => { if (event.event !== "board_message") nowSoon(); },
      onState: (up) => $("banner").classList.toggle("hidden", up),
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    NF.onLang(() => { renderNow(); renderStats(); renderOverdue(); });
    $("period-form").addEventListener("submit", (event) => { event.preventDefault(); loadStats(); });
    document.querySelectorAll("[data-days]").forEach((button) =>
      button.addEventListener("click", () => setRange(Number(button.dataset.days))));
    $("export-tickets").addEventListener("click", () =>
      NF.download(`/api/v1/stats/tickets.csv?from=${$("from").value}&to=${$("to").value}`,
        `tickets-${$("from").value}-${$("to").value}.csv`));
    $("export-files").addEventListener("click", () =>
      NF.download(`/api/v1/stats/files.csv?from=${$("from").value}&to=${$("to").value}`,
        `files-${$("from").value}-${$("to").value}.csv`));
    $("message-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await NF.api("/api/v1/board/message", { method: "PUT", body: { message: $("message-input").value } });
        $("message-status").textContent = NF.t("web.dash_saved");
        $("message-status").className = "ok";
      } catch (err) {
        $("message-status").textContent = NF.pick(err.bilingual) || NF.t("web.error_generic");
        $("message-status").className = "error";
      }
    });
    NF.session(["manager", "admin"], ready);
  });
})();
