// The dashboard's cut-off panel: per service today's last-ticket time (or that no more tickets
// are issued), the manager's override for the day (keep issuing until closing, or let the rule
// apply), the tickets-per-person limit and today's refusals beyond it. GET /api/v1/admin/cutoff;
// PUT /api/v1/admin/services/{id}/cutoff-override. Figures carry their raw value in data-value.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let data = null;

  function signedIn() {
    const content = $("content");
    return content && !content.classList.contains("hidden") && sessionStorage.getItem("nf-token");
  }

  function lastTicket(cut) {
    if (!cut || !cut.last_ticket_at) return NF.el("td", { "data-value": "" }, "—");
    const zone = data.timezone || NF.timezone;
    const text = cut.past_cutoff
      ? NF.t("web.board_no_more_tickets", { time: NF.formatTime(cut.closes_at, zone) })
      : NF.t("web.board_last_ticket", { time: NF.formatTime(cut.last_ticket_at, zone) });
    return NF.el("td", { class: cut.past_cutoff ? "late" : null, "data-value": cut.last_ticket_at }, text);
  }

  function overrideCell(service) {
    const cut = service.cutoff;
    if (!cut || !cut.last_ticket_at) return NF.el("td", {}, "—");
    const keep = !cut.overridden;
    const button = NF.el("button", {
      type: "button",
      class: keep ? "quiet" : null,
      "data-override": service.id,
      "data-open": String(keep),
    }, NF.t(keep ? "web.cutoff_keep_open" : "web.cutoff_apply_rule"));
    button.addEventListener("click", () => setOverride(service.id, keep));
    const label = cut.overridden ? NF.el("span", { class: "pill" }, NF.t("web.cutoff_overridden")) : "";
    return NF.el("td", {}, label, " ", button);
  }

  function render() {
    const rows = data.services.filter((s) => (s.cutoff && s.cutoff.last_ticket_at) || s.max_tickets_per_person);
    $("cutoff-panel").classList.toggle("hidden", rows.length === 0);
    $("cutoff-services").querySelector("tbody").replaceChildren(...rows.map((s) =>
      NF.el("tr", { "data-service": s.id },
        NF.el("td", {}, NF.pick(s.name)),
        lastTicket(s.cutoff),
        overrideCell(s),
        NF.el("td", { class: "num", "data-figure": "limit", "data-value": s.max_tickets_per_person ?? "" },
          s.max_tickets_per_person
            ? NF.t(s.identify_by === "id_digits" ? "web.cutoff_limit_id" : "web.cutoff_limit_phone", { limit: s.max_tickets_per_person })
            : "—"),
        NF.el("td", { class: "num number", "data-figure": "refusals", "data-value": s.refusals }, String(s.refusals)),
      )));
  }

  async function load() {
    if (!signedIn()) return;
    try {
      data = await NF.api("/api/v1/admin/cutoff");
      $("cutoff-error").textContent = "";
      render();
    } catch (err) {
      if (err.status === 403) $("cutoff-panel").classList.add("hidden");
    }
  }

  async function setOverride(service, open) {
    try {
      await NF.api(`/api/v1/admin/services/${encodeURIComponent(service)}/cutoff-override`,
        { method: "PUT", body: { day: data.day, open } });
      await load();
    } catch (err) {
      $("cutoff-error").textContent = err.message ? NF.pick(err.message) : String(err);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    new MutationObserver(load).observe($("content"), { attributes: true, attributeFilter: ["class"] });
    NF.onLang(() => { if (data) render(); });
    setInterval(load, 30000);
    load();
  });
})();
