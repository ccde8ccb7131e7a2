// A citizen's file on a phone (/f/{reference}, the QR on the receipt): the same view as the kiosk's,
// from the public tracking endpoint: service, stage, expected ready date, what is missing, where to
// go, and the stages with their history. No personal data is ever sent to this page.
"use strict";

(() => {
  const page = JSON.parse(document.getElementById("nf-page").textContent);
  const $ = (id) => document.getElementById(id);
  let file = null;

  function day(isoText) {
    if (!isoText) return "—";
    return isoText.slice(0, 10);
  }

  function render() {
    if (!file) return;
    $("loading").classList.add("hidden");
    $("file").classList.remove("hidden");
    $("reference").textContent = file.reference;
    $("service").textContent = NF.pick(file.service.name);
    $("stage").textContent = `${NF.pick(file.stage.name)} · ${NF.pick(file.status_name)}`;
    $("ready").textContent = day(file.expected_ready_at);
    const missing = file.missing_documents || [];
    $("missing-card").classList.toggle("hidden", missing.length === 0);
    $("missing").replaceChildren(...missing.map((doc) => NF.el("li", { text: NF.pick(doc) })));
    $("where-card").classList.toggle("hidden", !file.where);
    $("where").textContent = NF.pick(file.where);
    const entered = new Map();
    (file.history || []).forEach((entry) => entered.set(entry.stage, entry.at));
    $("history").replaceChildren(
      ...file.stages.map((stage) =>
        NF.el("li", { class: stage.state, "aria-current": stage.state === "current" ? "step" : null },
          NF.pick(stage.name),
          entered.has(stage.id) ? NF.el("span", { class: "muted number when", text: day(entered.get(stage.id)) }) : null,
        ),
      ),
    );
  }

  function problem(key) {
    $("loading").classList.add("hidden");
    $("file").classList.add("hidden");
    const box = $("problem");
    box.dataset.t = key;
    box.textContent = NF.t(key);
    box.classList.remove("hidden");
  }

  document.addEventListener("DOMContentLoaded", async () => {
    NF.onLang(render);
    if (!page.reference) return problem("web.file_not_found");
    try {
      file = await NF.api(`/api/v1/track/${encodeURIComponent(page.reference)}`);
      render();
    } catch (err) {
      if (err.status === 429) problem("web.file_rate_limited");
      else if (err.code === "reference_mistyped") problem("web.file_mistyped");
      else if (err.status === 404 || err.status === 422) problem("web.file_not_found");
      else problem("web.error_generic");
    }
  });
})();
