// The day and slot chooser of /book and of "move" on /a/<code>: the service's days (closed ones
// say why), then the day's slots with their free places; full, closed and past slots cannot be
// chosen. Times are the center's (NF.formatTime of the slot's instant, never the phone's zone).
// Big buttons: people not at ease with screens tap them with a thumb.
"use strict";

window.NFSlots = (() => {
  const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

  function weekday(isoDay) {
    // The calendar day's weekday (no zone: noon UTC of that date is that date everywhere).
    const day = new Date(`${isoDay}T12:00:00Z`).getUTCDay();
    return NF.t(`appointments.w_weekday_${WEEKDAYS[day]}`);
  }

  function dayLabel(isoDay) {
    return [NF.el("span", { class: "choice-name" }, weekday(isoDay)), " ", NF.isolate(NF.formatDay(isoDay), { dir: "ltr" })];
  }

  function whyClosed(day) {
    if (day.why === "closed_by_manager" && day.reason) return day.reason;
    return NF.t(`appointments.w_day_${day.why || "closed"}`);
  }

  // create({service, days, daysBox, slotsBox, onPick(day, slot), skip}) → {load(), clear()}
  function create(options) {
    let days = [];
    let chosenDay = null;
    let chosenSlot = null;

    function freeOf(day) {
      return day.slots.reduce((n, s) => n + (s.closed || s.past ? 0 : s.free), 0);
    }

    function renderDays() {
      options.daysBox.replaceChildren(
        ...days.map((day) => {
          const free = day.closed ? 0 : freeOf(day);
          const info = day.closed
            ? NF.el("span", { class: "choice-info", dir: "auto" }, whyClosed(day))
            : NF.el("span", { class: "choice-info" }, NF.fill("appointments.w_free_places", { free: NF.isolate(free) }));
          return NF.el(
            "button",
            {
              type: "button",
              class: "choice",
              "data-day": day.day,
              "aria-pressed": String(day.day === chosenDay),
              disabled: day.closed || free === 0,
              onclick: () => { chosenDay = day.day; chosenSlot = null; renderDays(); renderSlots(); },
            },
            NF.el("span", { class: "choice-name" }, ...dayLabel(day.day)),
            info,
          );
        }),
      );
    }

    function renderSlots() {
      const day = days.find((d) => d.day === chosenDay);
      options.slotsBox.classList.toggle("hidden", !day);
      if (!day) return options.slotsBox.replaceChildren();
      options.slotsBox.replaceChildren(
        ...day.slots.map((slot) => {
          const skip = options.skip && options.skip.day === day.day && options.skip.start === slot.start;
          const unusable = slot.closed || slot.past || slot.free <= 0 || skip;
          let info;
          if (skip) info = NF.t("appointments.w_slot_yours");
          else if (slot.closed) info = NF.t("appointments.w_slot_closed");
          else if (slot.past) info = NF.t("appointments.w_slot_past");
          else if (slot.free <= 0) info = NF.t("appointments.w_slot_full");
          else info = NF.fill("appointments.w_free_places", { free: NF.isolate(slot.free) });
          return NF.el(
            "button",
            {
              type: "button",
              class: "choice slot",
              "data-start": slot.start,
              "aria-pressed": String(chosenSlot === slot.start),
              disabled: unusable,
              onclick: () => { chosenSlot = slot.start; renderSlots(); options.onPick(day, slot); },
            },
            NF.el("span", { class: "choice-name" }, NF.isolate(NF.formatTime(slot.at), { dir: "ltr" })),
            NF.el("span", { class: "choice-info" }, info),
          );
        }),
      );
    }

    async function load() {
      const query = new URLSearchParams({ service: options.service, days: String(options.days || 14) });
      const answer = await NF.api(`/api/v1/appointments/slots?${query}`);
      days = answer.days;
      if (!days.some((d) => d.day === chosenDay)) { chosenDay = null; chosenSlot = null; }
      renderDays();
      renderSlots();
      return answer;
    }

    NF.onLang(() => { renderDays(); renderSlots(); });
    return { load, get day() { return chosenDay; }, get slot() { return chosenSlot; } };
  }

  return { create, weekday };
})();
