// The center's self-assessment (/assessment, managers): the last month's four measures against
// their goals, and every measure month by month with its change from the month before. Printable
// (static/ratings.css has the print layout). Every figure carries its raw value in data-value.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let data = null;

  const MEASURES = [
    // [measure, kind, goal key, basis]
    ["within_target", "share", "within_target", (m) => ({ key: "ratings.basis_within_target", whole: m.called })],
    ["mean_wait_s", "duration", null, null],
    ["resolution", "share", "resolution", (m) => ({ key: "ratings.basis_resolution", part: m.visits_resolved, whole: m.visits_finished })],
    ["mean_stars", "stars", "mean_stars", (m) => ({ key: "ratings.basis_ratings", whole: m.ratings })],
    ["satisfied", "share", "satisfied", (m) => ({ key: "ratings.basis_ratings", whole: m.ratings })],
    ["complaints_on_time", "share", "complaints_on_time", (m) => ({ key: "ratings.basis_complaints", part: m.complaints_answered_on_time, whole: m.complaints_due })],
  ];
  const CARDS = ["within_target", "resolution", "satisfied", "complaints_on_time"];

  function monthName(month) {
    const [year, mm] = String(month).split("-");
    return `${mm}/${year}`;
  }

  function shown(value, kind) {
    if (value === null || value === undefined) return NF.t("ratings.assess_no_data");
    if (kind === "share") return NF.percent(value);
    if (kind === "duration") return NF.formatDuration(value);
    if (kind === "stars") return Number(value).toFixed(2);
    return String(value);
  }

  function change(value, kind) {
    if (value === null || value === undefined) return "";
    const sign = value > 0 ? "+" : value < 0 ? "−" : "±";
    const size = Math.abs(value);
    if (kind === "share") return `${sign}${Math.round(size * 100)}%`;
    if (kind === "duration") return `${sign}${NF.formatDuration(size)}`;
    return `${sign}${size.toFixed(2)}`;
  }

  function better(measure, value) {
    if (!value) return null;
    return data.lower_is_better.includes(measure) ? value < 0 : value > 0;
  }

  function renderCards() {
    const latest = data.months[data.months.length - 1];
    $("latest-title").replaceChildren(...NF.fill("ratings.assess_latest", { month: NF.isolate(monthName(latest.month)) }));
    $("measures").replaceChildren(...CARDS.map((measure) => {
      const [, kind, goalKey, basis] = MEASURES.find((m) => m[0] === measure);
      const value = latest[measure];
      const met = data.met[goalKey];
      const goal = data.goals[goalKey];
      const b = basis(latest);
      return NF.el("div", { class: "measure", "data-measure": measure },
        NF.el("span", { class: "name" }, NF.t(`ratings.m_${measure}`)),
        NF.el("span", { class: "value number", "data-figure": `latest.${measure}`, "data-value": value ?? "" }, shown(value, kind)),
        NF.el("span", { class: "target" }, ...NF.fill(b.key, { part: NF.isolate(b.part ?? ""), whole: NF.isolate(b.whole ?? 0) })),
        NF.el("span", { class: "target" }, ...NF.fill("ratings.assess_goal", { goal: NF.isolate(shown(goal, kind)) })),
        met === null ? null : NF.el("strong", { class: met ? "met" : "missed", "data-met": String(met) },
          NF.t(met ? "ratings.assess_met" : "ratings.assess_missed")),
        NF.el("span", { class: "trend" }, ...(latest.change[measure] == null ? []
          : NF.fill("ratings.assess_change", { change: NF.isolate(change(latest.change[measure], kind)) }))),
      );
    }));
  }

  function renderTable() {
    const head = NF.el("tr", {}, NF.el("th", { scope: "col" }, NF.t("ratings.assess_measure")),
      ...data.months.map((m) => NF.el("th", { scope: "col", class: "num" }, NF.isolate(monthName(m.month)))));
    const rows = MEASURES.map(([measure, kind, goalKey]) => {
      const goal = goalKey ? data.goals[goalKey] : null;
      return NF.el("tr", { "data-measure": measure },
        NF.el("th", { scope: "row" }, NF.t(`ratings.m_${measure}`),
          goal === null ? null : NF.el("div", { class: "small" }, ...NF.fill("ratings.assess_goal", { goal: NF.isolate(shown(goal, kind)) }))),
        ...data.months.map((m) => {
          const value = m[measure];
          const delta = m.change ? m.change[measure] : null;
          const up = better(measure, delta);
          const reached = goal === null || value === null ? "" : value >= goal ? "met" : "missed";
          return NF.el("td", { class: `num ${reached}`, "data-figure": `${m.month}.${measure}`, "data-value": value ?? "" },
            NF.el("bdi", {}, shown(value, kind)),
            delta == null ? null : NF.el("div", { class: `trend ${up === null ? "" : up ? "up" : "down"}`, "data-change": delta },
              NF.isolate(change(delta, kind))));
        }));
    });
    $("assess-table").replaceChildren(NF.el("thead", {}, head), NF.el("tbody", {}, ...rows));
  }

  function render() {
    if (!data) return;
    $("center-name").textContent = NF.pick(data.center);
    renderCards();
    renderTable();
    $("printed-at").textContent = NF.t("ratings.assess_printed", { when: NF.formatDatetime(new Date()) });
  }

  async function load() {
    $("assess-error").textContent = "";
    const until = $("until").value;
    const months = $("months").value;
    try {
      data = await NF.api(`/api/v1/assessment?months=${months}${until ? `&until=${until}` : ""}`);
      if (!until) $("until").value = data.until;
      render();
      document.body.dataset.assessmentLoaded = `${data.until}/${data.months.length}`;
    } catch (err) {
      $("assess-error").textContent = NF.pick(err.bilingual) || NF.t("web.error_generic");
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const page = NF.page;
    if (/^\d{4}-\d{2}$/.test(page.until || "")) $("until").value = page.until;
    if (["3", "6", "12"].includes(page.months)) $("months").value = page.months;
    NF.onLang(render);
    $("assess-form").addEventListener("submit", (event) => { event.preventDefault(); load(); });
    $("print").addEventListener("click", () => window.print());
    NF.session(["manager", "admin"], load);
  });
})();
