// A new complaint or suggestion from a phone (/c, or /c?t=<ticket token> from a ticket's page):
// kind, what it is about, a common topic (one touch), optional words, anonymous by default, an
// optional phone for the answer by text message when the center sends messages. The answer is a
// reference of the complaint kind, shown with its label and a link to follow it.
"use strict";

(() => {
  const page = NF.page;
  const $ = (id) => document.getElementById(id);
  let options = null;
  const chosen = { kind: "complaint", about: page.ticket_token ? "visit" : "center", topic: null };

  function choice(group, id, name, current, onPick) {
    const input = NF.el("input", { type: "radio", name: group, value: id, checked: id === current,
      onchange: () => onPick(id) });
    return NF.el("label", { class: "choice" }, input, NF.el("span", {}, NF.pick(name)));
  }

  function render() {
    if (!options) return;
    const kind = options.kinds.find((k) => k.id === chosen.kind);
    $("kinds").replaceChildren(...options.kinds.map((k) =>
      choice("kind", k.id, k.name, chosen.kind, (id) => { chosen.kind = id; chosen.topic = null; render(); })));
    $("abouts").replaceChildren(...options.abouts.map((a) =>
      choice("about", a.id, a.name, chosen.about, (id) => { chosen.about = id; render(); })));
    $("topics").replaceChildren(...kind.topics.map((t) =>
      choice("topic", t.id, t.name, chosen.topic, (id) => { chosen.topic = id; })));
    const service = $("service");
    const keep = service.value;
    service.replaceChildren(...options.services.map((s) => NF.el("option", { value: s.id }, NF.pick(s.name))));
    if (keep) service.value = keep;
    $("service-row").classList.toggle("hidden", chosen.about !== "service");
    const named = !$("anonymous").checked;
    $("phone-row").classList.toggle("hidden", !(named && options.sms));
    $("visit-linked").classList.toggle("hidden", !(named && page.ticket_token && chosen.about === "visit"));
  }

  function showError(err) {
    const box = $("error");
    box.textContent = err && err.bilingual ? NF.pick(err.bilingual) : NF.t("web.error_generic");
    box.classList.remove("hidden");
  }

  async function send(event) {
    event.preventDefault();
    $("error").classList.add("hidden");
    const named = !$("anonymous").checked;
    const body = { kind: chosen.kind, about: chosen.about, anonymous: !named, lang: NF.lang };
    if (chosen.topic) body.topic = chosen.topic;
    const text = $("text").value.trim();
    if (text) body.text = text;
    if (chosen.about === "service") body.service = $("service").value;
    if (named && options.sms && $("phone").value.trim()) body.phone = $("phone").value.trim();
    if (named && page.ticket_token && chosen.about === "visit") body.ticket_token = page.ticket_token;
    $("send").disabled = true;
    try {
      const answer = await NF.api("/api/v1/complaints", { method: "POST", body });
      $("complaint-form").classList.add("hidden");
      $("sent").classList.remove("hidden");
      $("sent-reference").textContent = answer.reference;
      $("sent-deadline").textContent = NF.formatDate(answer.deadline);
      $("sent-link").setAttribute("href", `/c/${encodeURIComponent(answer.reference)}`);
    } catch (err) {
      showError(err);
    } finally {
      $("send").disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    NF.onLang(render);
    $("anonymous").addEventListener("change", render);
    $("complaint-form").addEventListener("submit", send);
    try {
      options = await NF.api("/api/v1/complaints/options");
      render();
    } catch (err) {
      showError(err);
    }
  });
})();
