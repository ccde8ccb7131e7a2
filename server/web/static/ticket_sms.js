// "Message me when my turn is near" on a citizen's ticket page (/t/{token}): offered only while the
// ticket waits and the center sends text messages (the ticket's "sms" field), posted to
// POST /api/v1/tickets/public/{token}/notify with the page's language. Every text is set with
// textContent; the number shown back is the server's masked one, isolated. The ticket comes from
// static/ticket.js (an "nf-ticket" event after each render).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let ticket = null;
  let answer = null; // the server's answer once signed up here: {phone, turn_near, near}
  let sending = false;

  function help(sms) {
    const ahead = sms.turn_near || 0;
    return ahead > 0 ? NF.t("web.ticket_sms_help", { ahead }) : NF.t("web.ticket_sms_help_called");
  }

  function doneText() {
    if (answer) {
      const key = answer.near ? "web.ticket_sms_done_near" : "web.ticket_sms_done";
      return NF.fill(key, { phone: NF.isolate(answer.phone, { dir: "ltr" }) });
    }
    return [NF.t("web.ticket_sms_on")];
  }

  function render() {
    const box = $("sms-box");
    const sms = ticket && ticket.sms;
    const offered = Boolean(sms && sms.available && ticket.state === "waiting");
    const signed = Boolean(answer || (sms && sms.opted_in));
    box.classList.toggle("hidden", !(offered || (signed && ticket.state === "waiting")));
    if (!sms) return;
    $("sms-form").classList.toggle("hidden", signed);
    $("sms-done").classList.toggle("hidden", !signed);
    $("sms-help").textContent = help(sms);
    if (signed) $("sms-done").replaceChildren(...doneText());
    $("sms-send").disabled = sending;
  }

  async function send(event) {
    event.preventDefault();
    const phone = $("sms-phone").value.trim();
    $("sms-error").textContent = "";
    if (!phone) {
      $("sms-error").textContent = NF.t("web.ticket_sms_empty");
      return;
    }
    sending = true;
    render();
    try {
      answer = await NF.api(`/api/v1/tickets/public/${encodeURIComponent(NF.page.token)}/notify`, {
        method: "POST",
        body: { phone, lang: NF.lang },
      });
      $("sms-phone").value = "";
    } catch (err) {
      const message = err instanceof NF.ApiError ? NF.pick(err.bilingual) : "";
      $("sms-error").textContent = message || NF.t("web.offline");
    } finally {
      sending = false;
      render();
    }
  }

  window.NFTicketSms = { get answer() { return answer; } };

  document.addEventListener("DOMContentLoaded", () => {
    $("sms-form").addEventListener("submit", send);
    NF.onLang(render);
  });
  document.addEventListener("nf-ticket", (event) => { ticket = event.detail; render(); });
})();
