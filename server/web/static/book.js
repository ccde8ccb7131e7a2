// /book: a citizen books a slot on a phone (docs/appointments.md): service → day → time → the
// optional name and phone the center asks for, and the documents to bring. Then the booking's own
// page, /a/<code>. Every name and text is set with textContent (NF.el), never as HTML.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let info = null; // GET /api/v1/appointments/services
  let service = null;
  let picked = null; // {day, slot}
  let picker = null;

  function renderServices() {
    $("services").replaceChildren(
      ...info.services.map((s) =>
        NF.el(
          "button",
          {
            type: "button",
            class: "choice",
            "data-service": s.id,
            "aria-pressed": String(service && service.id === s.id),
            onclick: () => choose(s),
          },
          NF.el("span", { class: "choice-name", dir: "auto" }, NF.pick(s.name)),
        ),
      ),
    );
  }

  function renderDetails() {
    if (!service) return;
    $("documents-box").classList.toggle("hidden", service.documents.length === 0);
    $("documents").replaceChildren(...service.documents.map((d) => NF.el("li", { dir: "auto" }, NF.pick(d))));
    $("phone-label").textContent = NF.t(info.require_phone ? "appointments.w_phone" : "appointments.w_phone_optional");
    if (!picked) return;
    $("summary").replaceChildren(
      NF.el("bdi", { dir: "auto" }, NF.pick(service.name)), " · ",
      NFSlots.weekday(picked.day.day), " ", NF.isolate(NF.formatDay(picked.day.day), { dir: "ltr" }), " · ",
      NF.isolate(`${NF.formatTime(picked.slot.at)}`, { dir: "ltr" }),
    );
  }

  async function choose(s) {
    service = s;
    picked = null;
    renderServices();
    $("step-details").classList.add("hidden");
    $("step-slot").classList.add("hidden");
    $("step-day").classList.remove("hidden");
    picker = NFSlots.create({
      service: s.id,
      days: Math.min(info.horizon_days || 14, 31),
      daysBox: $("days"),
      slotsBox: $("slots"),
      onPick: (day, slot) => {
        picked = { day, slot };
        $("step-details").classList.remove("hidden");
        renderDetails();
        $("step-details").scrollIntoView({ block: "nearest" });
      },
    });
    $("days").addEventListener("click", () => $("step-slot").classList.remove("hidden"));
    await picker.load();
    renderDetails();
  }

  function showError(text) {
    $("error").textContent = text;
    $("error").classList.toggle("hidden", !text);
  }

  async function submit(event) {
    event.preventDefault();
    if (!service || !picked) return;
    showError("");
    const body = { service: service.id, day: picked.day.day, start: picked.slot.start, lang: NF.lang };
    const name = $("name").value.trim();
    const phone = $("phone").value.trim();
    if (info.ask_name && name) body.name = name;
    if (info.ask_phone && phone) {
      body.phone = phone;
      if (info.messages && $("notify").checked) body.notify = true;
    }
    $("submit").disabled = true;
    try {
      const booking = await NF.api("/api/v1/appointments", { method: "POST", body });
      location.assign(`/a/${encodeURIComponent(booking.code)}`);
    } catch (err) {
      showError(err.bilingual ? NF.pick(err.bilingual) : NF.t("appointments.w_error"));
      if (err.code === "slot_full" || err.code === "slot_closed" || err.code === "slot_past") await picker.load();
    } finally {
      $("submit").disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    $("step-details").addEventListener("submit", submit);
    NF.onLang(() => { if (info) { renderServices(); renderDetails(); } });
    try {
      info = await NF.api("/api/v1/appointments/services");
    } catch (_) {
      $("loading").classList.add("hidden");
      return showError(NF.t("appointments.w_error"));
    }
    $("loading").classList.add("hidden");
    $("none").classList.toggle("hidden", info.services.length > 0);
    $("name-row").classList.toggle("hidden", !info.ask_name);
    $("phone-row").classList.toggle("hidden", !info.ask_phone);
    $("phone").required = Boolean(info.require_phone);
    $("notify-row").classList.toggle("hidden", !info.messages);
    renderServices();
    if (info.services.length === 1) await choose(info.services[0]);
  });
})();
