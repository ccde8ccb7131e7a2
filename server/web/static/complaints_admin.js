// The manager's complaints page (/complaints-admin): lists by status, overdue or spam; one
// complaint's detail with what the citizen wrote (textContent in a dir="auto" block, so a script
// or a direction override stays inert text), its steps, and the actions: start the review, answer,
// close, reopen, mark or unmark spam. Every action is a step in the audited chain; nothing is deleted.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const FILTERS = [
    ["all", "complaints.m_all", ""],
    ["received", "complaints.status_received", "?status=received&spam=false"],
    ["under_review", "complaints.status_under_review", "?status=under_review&spam=false"],
    ["answered", "complaints.status_answered", "?status=answered&spam=false"],
    ["closed", "complaints.status_closed", "?status=closed&spam=false"],
    ["overdue", "complaints.m_overdue", "?overdue=true&spam=false"],
    ["spam", "complaints.m_spam", "?spam=true"],
  ];
  let filter = "all";
  let data = { complaints: [], counts: {} };
  let open = null;

  function renderFilters() {
    $("filters").replaceChildren(...FILTERS.map(([id, key]) => {
      const count = id === "all" ? null : data.counts[id];
      return NF.el("button", { type: "button", class: "quiet", "data-filter": id,
        "aria-current": id === filter ? "page" : null,
        onclick: () => { filter = id; load(); } },
      NF.t(key), count == null ? null : [" ", NF.isolate(count)]);
    }));
  }

  function renderList() {
    renderFilters();
    $("none").classList.toggle("hidden", data.complaints.length > 0);
    $("rows").replaceChildren(...data.complaints.map((c) => NF.el("tr", {
      "data-reference": c.reference, class: c.overdue ? "overdue" : null,
      onclick: () => { open = c; renderDetail(); } },
    NF.el("td", {}, NF.el("button", { type: "button", class: "quiet" }, NF.isolate(c.reference))),
    NF.el("td", {}, NF.pick(c.kind_name)),
    NF.el("td", {}, c.topic_name ? NF.pick(c.topic_name) : "—"),
    NF.el("td", {}, NF.pick(c.status_name), c.spam ? [" · ", NF.t("complaints.m_spam")] : null),
    NF.el("td", { class: c.overdue ? "error" : null }, NF.isolate(NF.formatDate(c.deadline))))));
    if (open) renderDetail();
  }

  async function act(path, body) {
    const out = $("detail-error");
    out.textContent = "";
    try {
      open = await NF.api(`/api/v1/complaints/${encodeURIComponent(open.reference)}/${path}`, { method: "POST", body });
      await load();
    } catch (err) {
      out.textContent = err.bilingual ? NF.pick(err.bilingual) : NF.t("web.error_generic");
    }
  }

  function button(key, onclick, name) {
    return NF.el("button", { type: "button", "data-action": name, onclick }, NF.t(key));
  }

  function renderDetail() {
    const c = open;
    const box = $("detail");
    box.classList.remove("hidden");
    const text = NF.el("p", { class: "citizen-text", dir: "auto", "data-field": "text" });
    text.textContent = c.text || "—";
    const answerShown = NF.el("p", { class: "citizen-text", dir: "auto", "data-field": "answer" });
    answerShown.textContent = c.answer || "";
    const answer = NF.el("textarea", { id: "answer-text", dir: "auto", rows: "4", maxlength: "2000",
      placeholder: NF.t("complaints.m_answer_placeholder") });
    const actions = [];
    if (c.status === "received") actions.push(button("complaints.m_review", () => act("status", { status: "under_review" }), "review"));
    if (c.status === "received" || c.status === "under_review") {
      actions.push(answer, button("complaints.m_answer", () => act("answer", { text: answer.value, lang: NF.lang }), "answer"));
    }
    if (c.status !== "closed") actions.push(button("complaints.m_close", () => act("status", { status: "closed" }), "close"));
    if (c.status === "closed" || c.status === "answered") actions.push(button("complaints.m_reopen", () => act("status", { status: "under_review" }), "reopen"));
    actions.push(c.spam
      ? button("complaints.m_unmark_spam", () => act("spam", { spam: false }), "unspam")
      : button("complaints.m_mark_spam", () => act("spam", { spam: true }), "spam"));
    const rows = [
      ["complaints.reference_label", NF.isolate(c.reference)],
      ["complaints.c_kind", NF.pick(c.kind_name)],
      ["complaints.c_about", c.service ? `${NF.pick(c.about_name)} · ${NF.pick(c.service.name)}` : NF.pick(c.about_name)],
      ["complaints.c_topic", c.topic_name ? NF.pick(c.topic_name) : "—"],
      ["complaints.c_status", NF.pick(c.status_name)],
      ["complaints.m_channel", NF.t(`complaints.channel_${c.channel}`)],
      ["complaints.m_phone", c.phone ? NF.isolate(c.phone) : NF.t("complaints.m_anonymous")],
      ["complaints.c_filed_at", NF.isolate(NF.formatDatetime(c.filed_at))],
      ["complaints.m_deadline", NF.isolate(NF.formatDatetime(c.deadline))],
    ];
    if (c.alerted_at) rows.push(["complaints.m_alerted", NF.isolate(NF.formatDatetime(c.alerted_at))]);
    if (c.escalated_at) rows.push(["complaints.m_escalated", NF.isolate(NF.formatDatetime(c.escalated_at))]);
    box.replaceChildren(
      NF.el("h2", {}, NF.isolate(c.reference)),
      NF.el("dl", {}, ...rows.flatMap(([key, value]) => [NF.el("dt", {}, NF.t(key)), NF.el("dd", {}, value)])),
      NF.el("h3", {}, NF.t("complaints.m_text")), text,
      ...(c.answer ? [NF.el("h3", {}, NF.t("complaints.c_answer")), answerShown] : []),
      NF.el("h3", {}, NF.t("complaints.c_history")),
      NF.el("ol", {}, ...c.steps.map((s) => NF.el("li", { "data-step": s.step },
        NF.t(`complaints.step_${s.step}`), " · ", NF.t(`complaints.status_${s.status}`), " · ",
        NF.isolate(s.by || "—"), " · ", NF.isolate(NF.formatDatetime(s.at))))),
      NF.el("div", { class: "actions" }, ...actions),
      NF.el("p", { class: "error", id: "detail-error", role: "alert" }),
    );
  }

  async function load() {
    const query = FILTERS.find(([id]) => id === filter)[2];
    data = await NF.api(`/api/v1/complaints${query}`);
    if (open) open = data.complaints.find((c) => c.reference === open.reference) || open;
    renderList();
  }

  document.addEventListener("DOMContentLoaded", () => {
    NF.onLang(() => renderList());
    NF.session(["manager", "admin"], () => load());
  });
})();
