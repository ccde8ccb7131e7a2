// /a/<code>: a booking on a phone (docs/appointments.md): its code in large type and the QR of this
// page (what the kiosk scans), service, day and time in the center's zone, the documents, the status,
// and cancel / move, each asked once more before it is done. Texts are set with textContent only.
"use strict";

(() => {
  const page = NF.page;
  const $ = (id) => document.getElementById(id);
  let booking = null;
  let picker = null;
  let pending = null; // the action awaiting the citizen's yes: {key, run}
  let problemKey = null;

  function render() {
    if (problemKey) $("problem").textContent = NF.t(problemKey);
    if (!booking) return;
    $("loading").classList.add("hidden");
    $("booking").classList.remove("hidden");
    $("code").textContent = booking.code;
    $("service").textContent = NF.pick(booking.service_name);
    $("day").replaceChildren(NFSlots.weekday(booking.day), " ", NF.isolate(NF.formatDay(booking.day), { dir: "ltr" }));
    $("time").textContent = `${NF.formatTime(booking.at)} – ${booking.end}`;
    $("status").textContent = NF.t(`appointments.w_status_${booking.status}`);
    const hasTicket = Boolean(booking.ticket_number);
    $("ticket-label").classList.toggle("hidden", !hasTicket);
    $("ticket-number").classList.toggle("hidden", !hasTicket);
    $("ticket-number").textContent = booking.ticket_number || "";
    const phone = booking.phone_masked;
    $("phone-label").classList.toggle("hidden", !phone);
    $("phone").parentElement.classList.toggle("hidden", !phone);
    $("phone").textContent = phone || "";
    const docs = booking.documents || [];
    $("documents-box").classList.toggle("hidden", docs.length === 0 || booking.status !== "booked");
    $("documents").replaceChildren(...docs.map((d) => NF.el("li", { dir: "auto" }, NF.pick(d))));
    $("actions").classList.toggle("hidden", booking.status !== "booked");
    $("qr-box").classList.toggle("hidden", booking.status !== "booked"); // nothing left to scan
    if (booking.status !== "booked") { $("move-box").classList.add("hidden"); hideConfirm(); }
    if (pending) $("confirm-text").replaceChildren(...pending.text());
    if (pending) $("confirm-yes").textContent = NF.t(pending.yes);
  }

  function problem(key) {
    problemKey = key;
    $("loading").classList.add("hidden");
    $("booking").classList.add("hidden");
    $("problem").textContent = NF.t(key);
    $("problem-box").classList.remove("hidden");
  }

  function showError(text) {
    $("error").textContent = text;
    $("error").classList.toggle("hidden", !text);
  }

  function ask(action) {
    pending = action;
    $("confirm-box").classList.remove("hidden");
    render();
    $("confirm-box").scrollIntoView({ block: "center" });
    $("confirm-yes").focus();
  }

  function hideConfirm() {
    pending = null;
    $("confirm-box").classList.add("hidden");
  }

  async function act(path, body) {
    showError("");
    try {
      booking = await NF.api(path, { method: "POST", body });
      hideConfirm();
      $("move-box").classList.add("hidden");
      render();
      window.scrollTo(0, 0);
    } catch (err) {
      showError(err.bilingual ? NF.pick(err.bilingual) : NF.t("appointments.w_error"));
      if (picker && !$("move-box").classList.contains("hidden")) await picker.load();
    }
  }

  const base = () => `/api/v1/appointments/${encodeURIComponent(booking.code)}`;

  async function startMove() {
    showError("");
    $("move-box").classList.remove("hidden");
    picker = NFSlots.create({
      service: booking.service,
      days: 14,
      daysBox: $("days"),
      slotsBox: $("slots"),
      skip: { day: booking.day, start: booking.start },
      onPick: (day, slot) => ask({
        yes: "appointments.w_move_yes",
        text: () => NF.fill("appointments.w_move_ask", {
          day: NF.isolate(NF.formatDay(day.day), { dir: "ltr" }),
          time: NF.isolate(NF.formatTime(slot.at), { dir: "ltr" }),
        }),
        run: () => act(`${base()}/move`, { day: day.day, start: slot.start }),
      }),
    });
    await picker.load();
  }

  document.addEventListener("DOMContentLoaded", async () => {
    NF.onLang(render);
    $("move").addEventListener("click", startMove);
    $("cancel").addEventListener("click", () => ask({
      yes: "appointments.w_cancel_yes",
      text: () => [NF.t("appointments.w_cancel_ask")],
      run: () => act(`${base()}/cancel`),
    }));
    $("confirm-no").addEventListener("click", hideConfirm);
    $("confirm-yes").addEventListener("click", () => pending && pending.run());
    if (!page.code) return problem("appointments.w_booking_missing");
    try {
      booking = await NF.api(`/api/v1/appointments/${encodeURIComponent(page.code)}`);
    } catch (err) {
      if (err.status === 429) return problem("appointments.w_rate_limited");
      if (err.code === "reference_mistyped") return problem("appointments.w_code_mistyped");
      if (err.status === 404 || err.status === 422) return problem("appointments.w_booking_missing");
      return problem("appointments.w_error");
    }
    $("qr").src = `/a/${encodeURIComponent(booking.code)}/qr.svg`;
    $("qr").setAttribute("aria-label", NF.t("appointments.w_show_qr"));
    render();
  });
})();
