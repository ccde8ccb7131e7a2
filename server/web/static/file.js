// A citizen's file on a phone (/f/{reference}, the QR on the receipt): the same view as the kiosk's,
// from the public tracking endpoint: service, stage, expected ready date, what is missing, where to
// go, and the stages with their dates (in the center's zone). No personal data is ever sent to this
// page. A reference that is not found, or none at all (/f), leads to a box to type another one.
"use strict";

(() => {
  const page = NF.page;
  const $ = (id) => document.getElementById(id);
  let file = null;
  let problemKey = null;

  function render() {
    if (problemKey) $("problem").textContent = NF.t(problemKey);
    if (!file) return;
    $("loading").classList.add("hidden");
    $("file").classList.remove("hidden");
    $("reference").textContent = file.reference;
    $("service").textContent = NF.pick(file.service.name);
    $("stage").textContent = `${NF.pick(file.stage.name)} · ${NF.pick(file.status_name)}`;
    $("ready").textContent = file.expected_ready_at ? NF.formatDate(file.expected_ready_at) : "—";
    const missing = file.missing_documents || [];
    $("missing-card").classList.toggle("hidden", missing.length === 0);
    $("missing").replaceChildren(...missing.map((doc) => NF.el("li", { text: NF.pick(doc) })));
    $("where-card").classList.toggle("hidden", !file.where);
    $("where").textContent = NF.pick(file.where);
    const entered = new Map();
    (file.history || []).forEach((entry) => entered.set(entry.stage, entry.at));
    // Each stage's name and its date are apart (a gap and a separate, isolated left-to-right date),
    // so in Arabic the date neither sticks to the name nor flips around it.
    $("history").replaceChildren(
      ...file.stages.map((stage) =>
        NF.el("li", { class: stage.state, "aria-current": stage.state === "current" ? "step" : null },
          NF.el("div", { class: "stage-row" },
            NF.el("span", { class: "stage-name" }, NF.pick(stage.name)),
            entered.has(stage.id) ? NF.isolate(NF.formatDate(entered.get(stage.id)), { class: "number when", dir: "ltr" }) : null,
          ),
        ),
      ),
    );
  }

  function problem(key, offerLookup) {
    problemKey = key;
    $("loading").classList.add("hidden");
    $("file").classList.add("hidden");
    $("problem").textContent = NF.t(key);
    $("problem").dataset.t = key;
    $("problem-box").classList.remove("hidden");
    $("problem-help").classList.toggle("hidden", key === "web.file_rate_limited");
    if (offerLookup) $("lookup").classList.remove("hidden");
  }

  document.addEventListener("DOMContentLoaded", async () => {
    NF.onLang(render);
    $("lookup-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const typed = $("lookup-input").value.trim().toUpperCase();
      if (typed) location.assign(`/f/${encodeURIComponent(typed)}`);
    });
    if (!page.reference) {
      $("loading").classList.add("hidden");
      $("lookup").classList.remove("hidden");
      if (page.asked) problem("web.file_not_found", true);
      return;
    }
    $("lookup-input").value = page.reference;
    try {
      file = await NF.api(`/api/v1/track/${encodeURIComponent(page.reference)}`);
      render();
    } catch (err) {
      if (err.status === 429) problem("web.file_rate_limited", false);
      else if (err.code === "reference_mistyped") problem("web.file_mistyped", true);
      else if (err.status === 404 || err.status === 422) problem("web.file_not_found", true);
      else problem("web.error_generic", false);
    }
  });
})();
