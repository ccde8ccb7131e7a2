// The dashboard's text messages (docs/sms.md): the modem's state now, and for the period the
// manager chose, messages sent, delivered, failed and given up, and the opt-in rate (tickets whose
// holder asked for messages per ticket issued), in total and per day, from GET /api/v1/sms/figures.
// The section shows only when the server sends messages (health has "sms"). The modem's state is
// read from GET /api/v1/health every 3 s and at once when the alert list changes (the dashboard's
// long-poll), so a modem gone shows within seconds. The figures follow the period form: each time
// the dashboard loads a period (body[data-stats-loaded]) they are read for the same days.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const STATES = new Set(["connected", "starting", "absent", "no_network", "rejected", "stopped"]);
  const COUNTS = [
    ["web.dash_sms_sent", "sent"],
    ["web.dash_sms_delivered", "delivered"],
    ["web.dash_sms_failed", "failed"],
    ["web.dash_sms_given_up", "given_up"],
  ];
  let figures = null;
  let modem = null; // health.sms.state, null while unknown or without messages
  let polling = false;

  function total(key) {
    return figures.days.reduce((n, day) => n + (day[key] || 0), 0);
  }

  function stateName(state) {
    const name = String(state || "").replace(/^fault:/, "");
    return STATES.has(name) ? name : state === "standby" ? "starting" : "absent";
  }

  function renderModem() {
    $("sms").classList.toggle("hidden", modem === null);
    if (modem === null) return;
    const name = stateName(modem);
    const pill = $("sms-modem");
    pill.className = `pill ${name === "connected" ? "open" : name === "starting" ? "paused" : "fault"}`;
    pill.dataset.state = modem;
    pill.textContent = NF.t(`web.dash_sms_state_${name}`);
  }

  function render() {
    renderModem();
    if (!figures) return;
    const tile = (label, key, value, text) =>
      NF.el("div", { class: "tile" },
        NF.el("span", { class: "value number", "data-figure": key, "data-value": value ?? "" }, text),
        NF.el("span", { class: "name" }, NF.t(label)));
    const tickets = total("tickets");
    const rate = tickets ? total("opted_in") / tickets : null;
    $("sms-tiles").replaceChildren(
      ...COUNTS.map(([label, key]) => tile(label, key, total(key), String(total(key)))),
      tile("web.dash_sms_opt_in_rate", "opt_in_rate", rate, NF.percent(rate)),
    );
    const any = figures.days.some((d) => d.queued || d.sent || d.failed || d.received || d.opted_in);
    $("sms-none").classList.toggle("hidden", any);
    const head = NF.el("tr", {},
      NF.el("th", {}, NF.t("web.dash_sms_day")),
      ...COUNTS.map(([label]) => NF.el("th", { class: "num" }, NF.t(label))),
      NF.el("th", { class: "num" }, NF.t("web.dash_sms_waiting")),
      NF.el("th", { class: "num" }, NF.t("web.dash_sms_received")),
      NF.el("th", { class: "num" }, NF.t("web.dash_sms_opted_in")),
      NF.el("th", { class: "num" }, NF.t("web.dash_sms_opt_in_rate")));
    const cell = (key, text) => NF.el("td", { class: "num number", "data-figure": key }, text);
    const rows = figures.days.map((day) =>
      NF.el("tr", { "data-day": day.day },
        NF.el("td", {}, NF.isolate(NF.formatDay(day.day))),
        ...COUNTS.map(([, key]) => cell(key, String(day[key]))),
        cell("queued", String(day.queued)),
        cell("received", String(day.received)),
        cell("opted_in", NF.isolate(`${day.opted_in} / ${day.tickets}`)),
        cell("opt_in_rate", NF.percent(day.opt_in_rate))));
    $("sms-days").replaceChildren(NF.el("thead", {}, head), NF.el("tbody", {}, ...rows));
  }

  async function loadModem() {
    try {
      const health = await NF.api("/api/v1/health");
      modem = health.sms ? String(health.sms.state || "starting") : null;
    } catch (err) {
      return; // the dashboard's banner already says the server is unreachable
    }
    render();
  }

  async function loadFigures() {
    const from = $("from").value, to = $("to").value;
    if (!from || !to) return;
    if (!polling) {
      polling = true;
      setInterval(loadModem, 3000);
      new MutationObserver(loadModem).observe($("now-alerts-list"), { childList: true, subtree: true });
    }
    await loadModem();
    if (modem === null) { // no messages on this server: nothing to show
      document.body.dataset.smsLoaded = "none";
      return;
    }
    $("sms-error").textContent = "";
    try {
      figures = await NF.api(`/api/v1/sms/figures?from=${from}&to=${to}`);
      render();
      document.body.dataset.smsLoaded = `${from}/${to}`;
    } catch (err) {
      figures = null;
      $("sms-error").textContent = NF.pick(err.bilingual) || NF.t("web.error_generic");
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    NF.onLang(render);
    new MutationObserver(loadFigures).observe(document.body, { attributes: true, attributeFilter: ["data-stats-loaded"] });
  });
})();
