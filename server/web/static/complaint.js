// Following a complaint or suggestion by its reference (/c/<reference>, the QR on the kiosk's slip):
// its status, the answer when there is one, the dates (in the center's zone). What the citizen
// wrote and the answer are set with textContent in dir="auto" blocks: never read as HTML, their
// direction isolated. A file reference here reads as mistyped (each kind has its own check).
"use strict";

(() => {
  const page = NF.page;
  const $ = (id) => document.getElementById(id);
  let item = null;
  let problemKey = null;

  function render() {
    if (problemKey) $("problem").textContent = NF.t(problemKey);
    if (!item) return;
    $("loading").classList.add("hidden");
    $("complaint").classList.remove("hidden");
    $("reference").textContent = item.reference;
    $("kind").textContent = NF.pick(item.kind_name);
    $("about").textContent = item.service ? `${NF.pick(item.about_name)} · ${NF.pick(item.service.name)}` : NF.pick(item.about_name);
    $("topic").textContent = item.topic_name ? NF.pick(item.topic_name) : "—";
    $("status").textContent = NF.pick(item.status_name);
    $("status").dataset.status = item.status;
    $("filed").textContent = NF.formatDate(item.filed_at);
    $("deadline").textContent = NF.formatDate(item.deadline);
    $("text-card").classList.toggle("hidden", !item.text);
    $("text").textContent = item.text || "";
    $("answer").textContent = item.answer || "";
    $("answer").classList.toggle("hidden", !item.answer);
    $("no-answer").classList.toggle("hidden", Boolean(item.answer));
    $("history").replaceChildren(...item.history.map((step) =>
      NF.el("li", {},
        NF.el("div", { class: "stage-row" },
          NF.el("span", { class: "stage-name" }, NF.t(`complaints.status_${step.status}`)),
          NF.isolate(NF.formatDatetime(step.at), { class: "number when", dir: "ltr" })))));
  }

  function problem(key) {
    problemKey = key;
    $("loading").classList.add("hidden");
    $("complaint").classList.add("hidden");
    $("problem").textContent = NF.t(key);
    $("problem-box").classList.remove("hidden");
    $("lookup").classList.remove("hidden");
  }

  document.addEventListener("DOMContentLoaded", async () => {
    NF.onLang(render);
    $("lookup-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const typed = $("lookup-input").value.trim().toUpperCase();
      if (typed) location.assign(`/c/${encodeURIComponent(typed)}`);
    });
    if (!page.reference) return problem("complaints.c_not_found");
    $("lookup-input").value = page.reference;
    try {
      item = await NF.api(`/api/v1/complaints/${encodeURIComponent(page.reference)}`);
      render();
    } catch (err) {
      if (err.status === 429) problem("complaints.c_rate_limited");
      else if (err.code === "reference_mistyped") problem("complaints.c_mistyped");
      else problem("complaints.c_not_found");
    }
  });
})();
