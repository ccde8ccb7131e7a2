// The rating box of a citizen's ticket page (/t/{token}): once the visit is finished, five large
// star buttons and an optional comment, in the page's language, sent once. Nothing personal is
// asked. The ticket comes from static/ticket.js (an "nf-ticket" event after each render).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const token = NF.page.token;
  let chosen = 0;
  let phase = "unknown"; // unknown | asking | sending | thanked | closed
  let given = null;
  let asked = false;

  function starButtons() {
    const buttons = [];
    for (let n = 1; n <= 5; n++) {
      buttons.push(NF.el("button", {
        type: "button", role: "radio", "data-stars": n, "aria-checked": "false",
        onclick: () => choose(n),
        onkeydown: (event) => keys(event, n),
      }, "\u2605"));
    }
    $("rating-stars").replaceChildren(...buttons);
  }

  // Arrow keys move along the stars in reading order (right to left in Arabic), as a radio group.
  function keys(event, n) {
    const rtl = document.documentElement.dir === "rtl";
    const forward = rtl ? "ArrowLeft" : "ArrowRight";
    const back = rtl ? "ArrowRight" : "ArrowLeft";
    let next = null;
    if (event.key === forward || event.key === "ArrowUp") next = Math.min(5, n + 1);
    if (event.key === back || event.key === "ArrowDown") next = Math.max(1, n - 1);
    if (next === null) return;
    event.preventDefault();
    choose(next);
    $("rating-stars").querySelector(`[data-stars="${next}"]`).focus();
  }

  function choose(n) {
    chosen = n;
    $("rating-error").textContent = "";
    render();
  }

  function label(n) {
    return NF.t("ratings.stars_label", { stars: n, word: NF.t(`ratings.star_${n}`) });
  }

  function render() {
    $("rating-stars").querySelectorAll("button").forEach((button) => {
      const n = Number(button.dataset.stars);
      button.classList.toggle("on", n <= chosen);
      button.setAttribute("aria-checked", String(n === chosen));
      button.setAttribute("aria-label", label(n));
      button.tabIndex = n === (chosen || 1) ? 0 : -1;
    });
    $("rating-word").textContent = chosen ? NF.t(`ratings.star_${chosen}`) : "";
    $("rating-form").classList.toggle("hidden", phase === "thanked");
    $("rating-thanks").classList.toggle("hidden", phase !== "thanked");
    $("rating-send").disabled = phase === "sending";
    if (given) {
      $("rating-given").replaceChildren(
        NF.el("span", { "aria-hidden": "true" }, "\u2605".repeat(given) + "\u2606".repeat(5 - given)),
        NF.el("span", { class: "visually-hidden" }, NF.t("ratings.phone_your_rating", { stars: given })),
      );
    }
    $("rating-box").classList.toggle("hidden", phase === "unknown" || phase === "closed");
  }

  function thank(stars) {
    given = stars;
    phase = "thanked";
    render();
  }

  async function ask(ticket) {
    if (asked || !ticket || ticket.state !== "done") return;
    asked = true;
    try {
      const answer = await NF.api(`/api/v1/tickets/public/${encodeURIComponent(token)}/rating`);
      if (answer.rated) thank(answer.stars);
      else phase = answer.rateable ? "asking" : "closed";
    } catch (_) {
      asked = false; // asked again at the ticket's next render
      return;
    }
    render();
  }

  async function send(event) {
    event.preventDefault();
    if (phase !== "asking") return;
    if (!chosen) {
      $("rating-error").textContent = NF.t("ratings.phone_choose_first");
      return;
    }
    phase = "sending";
    render();
    const comment = $("rating-comment").value.trim();
    try {
      await NF.api(`/api/v1/tickets/public/${encodeURIComponent(token)}/rating`, {
        method: "POST",
        body: { stars: chosen, comment: comment || null, lang: NF.lang },
      });
      thank(chosen);
    } catch (err) {
      if (err.code === "already_rated") return thank(chosen);
      phase = "asking";
      render();
      $("rating-error").textContent = NF.pick(err.bilingual) || NF.t("ratings.phone_failed");
    }
  }

  document.addEventListener("nf-ticket", (event) => ask(event.detail));
  document.addEventListener("DOMContentLoaded", () => {
    starButtons();
    render();
    $("rating-form").addEventListener("submit", send);
    NF.onLang(render);
  });
  window.NFRating = { get phase() { return phase; }, get chosen() { return chosen; } };
})();
