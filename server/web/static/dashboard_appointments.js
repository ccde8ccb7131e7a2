// The dashboard's appointment figures (docs/appointments.md): for the period the manager chose,
// bookings, check-ins, no-shows, cancellations and the share called within the grace of their
// slot, and per day the appointment wait beside the walk-in wait (median and 90th percentile),
// all from GET /api/v1/appointments/figures. It follows the period form: every time the
// dashboard loads a period (body[data-stats-loaded]) it reads the same days.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const COUNTS = [
    ["appointments.w_fig_booked", "booked"],
    ["appointments.w_fig_checked_in", "checked_in"],
    ["appointments.w_fig_no_show", "no_show"],
    ["appointments.w_fig_cancelled", "cancelled"],
  ];
  let figures = null;

  function total(key) {
    return figures.days.reduce((n, day) => n + (day[key] || 0), 0);
  }

  function punctualShare() {
    const called = total("called");
    return called ? total("punctual") / called : null;
  }

  function duration(seconds) {
    return seconds == null ? "—" : NF.formatDuration(seconds);
  }

  function waits(pair) {
    return `${duration(pair.p50)} / ${duration(pair.p90)}`;
  }

  function render() {
    if (!figures) return;
    const tile = (label, key, value, text) =>
      NF.el("div", { class: "tile" },
        NF.el("span", { class: "value number", "data-figure": key, "data-value": value ?? "" }, text),
        NF.el("span", { class: "name" }, NF.t(label)));
    const share = punctualShare();
    $("appointment-tiles").replaceChildren(
      ...COUNTS.map(([label, key]) => tile(label, key, total(key), String(total(key)))),
      tile("appointments.w_fig_punctual", "punctual_share", share, NF.percent(share)),
    );
    const any = figures.days.some((d) => d.booked || d.cancelled);
    $("appointment-none").classList.toggle("hidden", any);
    const head = NF.el("tr", {},
      NF.el("th", {}, NF.t("appointments.w_fig_day")),
      ...COUNTS.map(([label]) => NF.el("th", { class: "num" }, NF.t(label))),
      NF.el("th", { class: "num" }, NF.t("appointments.w_fig_punctual")),
      NF.el("th", { class: "num" }, NF.t("appointments.w_fig_wait_appointment")),
      NF.el("th", { class: "num" }, NF.t("appointments.w_fig_wait_walk_in")));
    const rows = figures.days.map((day) =>
      NF.el("tr", { "data-day": day.day },
        NF.el("td", {}, NF.isolate(NF.formatDay(day.day))),
        ...COUNTS.map(([, key]) => NF.el("td", { class: "num number", "data-figure": key }, String(day[key]))),
        NF.el("td", { class: "num number", "data-figure": "punctual_share" }, NF.percent(day.punctual_share)),
        NF.el("td", { class: "num words", "data-figure": "appointment_wait" }, waits(day.appointment_wait_s)),
        NF.el("td", { class: "num words", "data-figure": "walk_in_wait" }, waits(day.walk_in_wait_s))));
    $("appointment-days").replaceChildren(NF.el("thead", {}, head), NF.el("tbody", {}, ...rows));
  }

  async function load() {
    const from = $("from").value, to = $("to").value;
    if (!from || !to) return;
    $("appointment-error").textContent = "";
    try {
      figures = await NF.api(`/api/v1/appointments/figures?from=${from}&to=${to}`);
      render();
      document.body.dataset.appointmentsLoaded = `${from}/${to}`;
    } catch (err) {
      figures = null;
      $("appointment-error").textContent = NF.pick(err.bilingual) || NF.t("web.error_generic");
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    NF.onLang(render);
    new MutationObserver(load).observe(document.body, { attributes: true, attributeFilter: ["data-stats-loaded"] });
  });
})();
