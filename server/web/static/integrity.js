// The published integrity report (/integrity?day=YYYY-MM-DD&lang=ar|en): a day's figures from the
// center's own event log, every call out of order with its reason (never a name, never free text),
// and the day's chain head with the command that checks it. Public; read from GET /api/v1/integrity.
// Western digits in both languages, as on every page of the center (docs/web.md).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const page = NF.page;
  let report = null;
  let problemKey = null;

  // A share from its two counts, rounded down to one decimal (one call out of order in 900 is
  // 99.8 %, never 100 %); "—" when nobody was called.
  function share(part, whole) {
    if (!whole) return "—";
    const tenths = Math.floor((part * 1000) / whole);
    const text = `${Math.floor(tenths / 10)}.${tenths % 10}`;
    return `${text}%`;
  }

  function shiftDay(day, by) {
    const [y, m, d] = day.split("-").map(Number);
    const moment = new Date(Date.UTC(y, m - 1, d + by));
    return moment.toISOString().slice(0, 10);
  }

  function today() {
    const shown = NF.formatDate(new Date()); // dd/mm/yyyy in the center's zone
    const [d, m, y] = shown.split("/");
    return `${y}-${m}-${d}`;
  }

  function link(day) {
    const url = new URL("/integrity", location.href);
    url.searchParams.set("day", day);
    url.searchParams.set("lang", NF.lang);
    return url.pathname + url.search;
  }

  function setFigure(id, value, detail) {
    const box = $(id);
    box.querySelector(".value").textContent = value;
    const more = box.querySelector(".detail");
    if (more) more.textContent = detail || "";
  }

  function reasonName(call) {
    return call.reason_name ? NF.pick(call.reason_name) : NF.t("web.integrity_reason_other");
  }

  function renderDay(day) {
    $("day-input").value = day;
    $("lang-input").value = NF.lang;
    $("day-shown").textContent = String(NF.formatDay(day));
    $("previous-day").href = link(shiftDay(day, -1));
    const next = shiftDay(day, 1);
    $("next-day").href = link(next);
    $("next-day").classList.toggle("hidden", next > today());
  }

  function render() {
    if (problemKey) $("problem").textContent = NF.t(problemKey);
    if (!report) return;
    renderDay(report.day);
    $("loading").classList.add("hidden");
    $("report").classList.remove("hidden");
    $("center-name").textContent = NF.pick(report.center);
    setFigure("fig-issued", String(report.issued));
    setFigure("fig-called", String(report.called));
    setFigure(
      "fig-in-order",
      share(report.called_in_order, report.called),
      NF.t("web.integrity_in_order_of", { in_order: String(report.called_in_order), called: String(report.called) }),
    );
    setFigure("fig-out-of-order", String(report.called_out_of_order));
    setFigure("fig-transfers", String(report.transfers));
    setFigure("fig-priority", share(report.priority_calls, report.called));
    for (const [id, value] of [["fig-next-steps", report.next_steps], ["fig-reprints", report.reprints], ["fig-no-shows", report.no_shows]]) {
      setFigure(id, String(value || 0));
      $(id).classList.toggle("hidden", !value);
    }
    const calls = report.out_of_order || [];
    $("none-out-of-order").classList.toggle("hidden", calls.length > 0);
    $("calls").classList.toggle("hidden", calls.length === 0);
    $("calls-body").replaceChildren(
      ...calls.map((call) =>
        NF.el("tr", { "data-number": call.number },
          NF.el("td", {}, NF.isolate(String(NF.formatTime(call.at)), { dir: "ltr" })),
          NF.el("td", {}, NF.isolate(call.number, { dir: "ltr" })),
          NF.el("td", {}, NF.isolate(call.counter == null ? "—" : String(call.counter))),
          NF.el("td", { class: "reason", "data-reason": call.reason }, reasonName(call)),
        ),
      ),
    );
    const head = report.head;
    $("no-events").classList.toggle("hidden", Boolean(head));
    $("head-box").classList.toggle("hidden", !head);
    if (head) {
      const option = (text) => NF.el("bdi", { dir: "ltr", class: "option" }, text);
      $("head-help").replaceChildren(...NF.fill("web.integrity_head_help", { db: option("--db"), config: option("--config") }));
      $("verify-command").textContent = report.verify;
      $("head-at").replaceChildren(NF.isolate(String(NF.formatDatetime(head.at)), { dir: "ltr" }));
      $("events-count").textContent = NF.t("web.integrity_events", { count: String(report.events) });
      const signed = report.signed;
      $("signed").classList.toggle("hidden", !signed);
      $("signed").replaceChildren(
        ...(signed ? NF.fill("web.integrity_signed", { seq: NF.isolate(String(signed.seq)), key: NF.isolate(signed.key, { dir: "ltr" }) }) : []),
      );
    }
  }

  function problem(key) {
    problemKey = key;
    $("loading").classList.add("hidden");
    $("report").classList.add("hidden");
    $("problem-box").classList.remove("hidden");
    $("problem").textContent = NF.t(key);
  }

  document.addEventListener("DOMContentLoaded", async () => {
    NF.onLang(() => {
      render();
      if (!report && /^\d{4}-\d{2}-\d{2}$/.test(page.day || "")) renderDay(page.day);
    });
    const asked = /^\d{4}-\d{2}-\d{2}$/.test(page.day || "");
    if (asked) renderDay(page.day);
    $("day-form").addEventListener("submit", () => { $("lang-input").value = NF.lang; });
    const query = page.day ? `?day=${encodeURIComponent(page.day)}` : "";
    try {
      report = await NF.api(`/api/v1/integrity${query}`);
      render();
    } catch (err) {
      if (err.status === 429) problem("web.integrity_rate_limited");
      else if (err.status === 422) problem("web.integrity_bad_day");
      else problem("web.error_generic");
    }
    document.body.dataset.ready = "1";
  });
})();
