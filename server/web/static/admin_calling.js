// The admin page's "Calling" tab: the center's default calling profile and each counter's own
// (or the center's), with the services it helps with (docs/server.md, "Calling profiles").
// Saved through PUT /api/v1/admin/center/profile and /counters/{id}/profile: each change is an
// audited event. admin.js shows the tab and calls NFCalling.load() when it opens; a manager signs
// in to this tab only (the other tabs are the admin's).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const POLICIES = ["longest_wait", "target_ratio"];
  const PRIORITIES = ["first", "ratio", "capped"];
  let center = null;
  let catalog = null;

  function select(name, values, chosen, prefix) {
    const box = NF.el("select", { name, "aria-label": NF.t(`web.admin_${name}`) },
      ...values.map((v) => NF.el("option", { value: v }, NF.t(`web.${prefix}_${v}`))));
    box.value = chosen;
    return box;
  }

  function number(name, value) {
    return NF.el("input", { name, type: "number", min: 1, max: 100, class: "short", value: String(value), "aria-label": NF.t(`web.admin_${name}`) });
  }

  function labelled(key, control) {
    return NF.el("label", {}, NF.el("span", {}, NF.t(key)), control);
  }

  // The fields of one profile; ``read()`` gives the profile, or null (a field's mistake shown).
  function profileFields(profile) {
    const policy = select("policy", POLICIES, profile.policy, "policy");
    const priority = select("priority", PRIORITIES, profile.priority, "priority");
    const perPriority = number("normal_per_priority", profile.normal_per_priority);
    const maxRun = number("max_priority_run", profile.max_priority_run);
    const help = NF.el("input", { type: "checkbox", name: "help_after_target" });
    help.checked = profile.help_after_target;
    const node = NF.el("span", { class: "profile-fields" },
      labelled("web.admin_policy", policy), labelled("web.admin_priority", priority),
      labelled("web.admin_normal_per_priority", perPriority), labelled("web.admin_max_priority_run", maxRun),
      NF.el("label", { class: "check" }, help, NF.t("web.admin_help_after_target")));
    function whole(input) {
      const value = Number(input.value);
      if (Number.isInteger(value) && value >= 1 && value <= 100) return value;
      input.setAttribute("aria-invalid", "true");
      input.after(NF.el("span", { class: "field-error error" }, NF.t("web.admin_error_range", { min: 1, max: 100 })));
      return null;
    }
    function read() {
      node.querySelectorAll(".field-error").forEach((n) => n.remove());
      node.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
      const n = whole(perPriority);
      const m = whole(maxRun);
      if (n === null || m === null) return null;
      return { policy: policy.value, priority: priority.value, normal_per_priority: n, max_priority_run: m, help_after_target: help.checked };
    }
    function enable(on) { node.querySelectorAll("input, select").forEach((n) => { n.disabled = !on; }); }
    return { node, read, enable };
  }

  // Save, then show the saved state again (the tab is drawn anew) with "saved" where it was.
  async function save(path, body, statusId) {
    const status = $(statusId);
    status.className = "row-status";
    status.textContent = "";
    try {
      await NF.api(path, { method: "PUT", body });
      await load();
      $(statusId).className = "row-status ok";
      $(statusId).textContent = NF.t("web.admin_saved");
    } catch (err) {
      status.className = "row-status error";
      status.textContent = NF.pick(err.bilingual) || NF.t("web.error_generic");
    }
  }

  function renderCenter() {
    const fields = profileFields(center);
    const status = NF.el("span", { class: "row-status", role: "status", id: "center-profile-status" });
    const button = NF.el("button", { type: "button", id: "save-center-profile", onclick: () => {
      const profile = fields.read();
      if (profile) save("/api/v1/admin/center/profile", profile, status.id);
    } }, NF.t("web.admin_save"));
    $("center-profile").replaceChildren(fields.node, button, status);
  }

  function counterRow(counter) {
    const own = NF.el("input", { type: "checkbox", name: "own", "aria-label": `${NF.t("web.admin_own_profile")} · ${NF.pick(counter.name)}` });
    own.checked = counter.profile !== null && counter.profile !== undefined;
    const fields = profileFields(counter.profile || center);
    fields.enable(own.checked);
    own.addEventListener("change", () => fields.enable(own.checked));
    const helps = NF.el("fieldset", { class: "services-served" },
      NF.el("legend", { class: "visually-hidden" }, `${NF.t("web.admin_helps")} · ${NF.pick(counter.name)}`),
      ...catalog.services.filter((s) => !counter.services.includes(s.id)).map((s) => {
        const box = NF.el("input", { type: "checkbox", name: "help", value: s.id });
        box.checked = (counter.helps || []).includes(s.id);
        return NF.el("label", { class: "check" }, box, NF.el("span", { class: "pill number" }, s.prefix), " ", NF.pick(s.name));
      }));
    const status = NF.el("span", { class: "row-status", role: "status", id: `profile-status-${counter.id}` });
    const button = NF.el("button", { type: "button", onclick: () => {
      const profile = own.checked ? fields.read() : null;
      if (own.checked && !profile) return;
      const chosen = [...helps.querySelectorAll("input:checked")].map((box) => box.value);
      save(`/api/v1/admin/counters/${encodeURIComponent(counter.id)}/profile`, { profile, helps: chosen }, status.id);
    } }, NF.t("web.admin_save"));
    return NF.el("tr", { "data-id": counter.id },
      NF.el("td", { class: "number" }, String(counter.number)),
      NF.el("td", {}, NF.pick(counter.name)),
      NF.el("td", {}, NF.el("label", { class: "check" }, own, NF.t("web.admin_own_profile")), fields.node),
      NF.el("td", {}, helps),
      NF.el("td", {}, button, status));
  }

  function render() {
    if (!center || !catalog) return;
    renderCenter();
    const head = ["web.admin_number", "web.dash_name", "web.admin_profile", "web.admin_helps"]
      .map((key) => NF.el("th", { scope: "col" }, NF.t(key)));
    $("counter-profiles").replaceChildren(
      NF.el("thead", {}, NF.el("tr", {}, ...head, NF.el("td"))),
      NF.el("tbody", {}, ...catalog.counters.map(counterRow)));
  }

  // What a manager may read: the public counters and services, and the profiles themselves.
  async function load() {
    const [answer, counters, services] = await Promise.all([
      NF.api("/api/v1/admin/center/profile"),
      NF.api("/api/v1/counters"),
      NF.api("/api/v1/services"),
    ]);
    const profiles = await Promise.all(counters.map((c) => NF.api(`/api/v1/admin/counters/${encodeURIComponent(c.id)}/profile`)));
    center = answer.profile;
    catalog = {
      services: services.services,
      counters: counters.map((c, i) => ({ ...c, profile: profiles[i].profile, helps: profiles[i].helps })),
    };
    render();
  }

  window.NFCalling = { load };
  document.addEventListener("DOMContentLoaded", () => NF.onLang(render));
})();
