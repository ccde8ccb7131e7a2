// /join: a place in today's queue from a phone on the center's Wi-Fi (docs/appointments.md).
// The services the kiosk offers and that a counter serves now, each with its wait as a ticket taken
// now would be told it (the server's rounding, never rounded again here); the phone number; then
// the place's own page (/p/<token>) with its QR for the kiosk. Names and texts are set with
// textContent only.
"use strict";

(() => {
  const page = NF.page;
  const $ = (id) => document.getElementById(id);
  let services = [];
  let chosen = null;

  function waitText(queue) {
    return queue && queue.callable ? NF.formatWait(queue.wait_minutes) : "";
  }

  function renderServices() {
    $("loading").classList.add("hidden");
    $("no-services").classList.toggle("hidden", services.length > 0);
    // Nothing to join: no phone field to fill in for nothing.
    $("join-details").classList.toggle("hidden", services.length === 0);
    $("services").replaceChildren(
      ...services.map((service) => {
        const button = NF.el(
          "button",
          {
            type: "button",
            class: "choice",
            role: "radio",
            "aria-checked": String(service.id === chosen),
            "data-service": service.id,
            onclick: () => { chosen = service.id; renderServices(); },
          },
          NF.el("span", { class: "choice-name", dir: "auto" }, NF.pick(service.name)),
          NF.el("span", { class: "choice-info" },
            NF.fill("appointments.w_waiting_now", { waiting: NF.isolate(service.queue.waiting) }),
            " · ", waitText(service.queue)),
        );
        return button;
      }),
    );
  }

  function showError(message) {
    $("error").textContent = message;
    $("error").classList.toggle("hidden", !message);
  }

  async function loadServices() {
    const answer = await NF.api("/api/v1/services");
    services = answer.services.filter((s) => s.kiosk !== false && s.open_now && s.queue && s.queue.callable);
    if (!services.some((s) => s.id === chosen)) chosen = services.length === 1 ? services[0].id : null;
    renderServices();
  }

  async function submit(event) {
    event.preventDefault();
    showError("");
    const phone = $("phone").value.trim();
    if (!chosen) return showError(NF.t("appointments.w_choose_service"));
    if (!phone) return showError(NF.t("appointments.w_phone"));
    $("submit").disabled = true;
    try {
      const place = await NF.api("/api/v1/places", {
        method: "POST",
        body: { service: chosen, phone, lang: NF.lang, notify: $("notify").checked },
      });
      location.assign(place.url);
    } catch (err) {
      showError(err.bilingual ? NF.pick(err.bilingual) : NF.t("appointments.w_error"));
    } finally {
      $("submit").disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    if (!page.enabled) return $("off").classList.remove("hidden");
    $("join-form").classList.remove("hidden");
    $("notify-row").classList.toggle("hidden", !page.sms);
    $("join-form").addEventListener("submit", submit);
    NF.onLang(renderServices);
    try { await loadServices(); } catch (_) { showError(NF.t("appointments.w_error")); }
  });
})();
