// Admin pages: services, counters, people and kiosk devices edited through the admin API (every
// change lands in the audited event log), and that log itself, newest first.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let catalog = null;

  function say(key, isError, detail) {
    const box = $("status");
    box.className = isError ? "error" : "ok";
    box.textContent = (key ? NF.t(key) : "") + (detail ? ` ${detail}` : "");
  }

  async function act(fn) {
    $("status").className = "";
    $("status").textContent = "";
    try {
      await fn();
      say("web.admin_saved", false);
      return true;
    } catch (err) {
      say(null, true, NF.pick(err.bilingual) || err.code);
      return false;
    }
  }

  function th(key) { return NF.el("th", { scope: "col" }, NF.t(key)); }
  function input(name, value, attrs = {}) {
    return NF.el("input", { name, value: value ?? "", "aria-label": attrs.label || name, ...attrs, label: null });
  }
  function check(name, checked, label) {
    const box = NF.el("input", { type: "checkbox", name, "aria-label": label });
    box.checked = Boolean(checked);
    return box;
  }

  // ---------------------------------------------------------------- categories
  function renderCategories() {
    const rows = catalog.categories.map((category) => {
      const nameAr = input("name_ar", category.name.ar, { label: NF.t("web.admin_name_ar"), dir: "rtl", size: 28 });
      const nameEn = input("name_en", category.name.en, { label: NF.t("web.admin_name_en"), dir: "ltr", size: 28 });
      const save = NF.el("button", {
        type: "button",
        onclick: () => act(async () => {
          const body = { ...category, name: { ar: nameAr.value, en: nameEn.value } };
          await NF.api(`/api/v1/admin/categories/${encodeURIComponent(category.id)}`, { method: "PUT", body });
          await loadCatalog();
        }),
      }, NF.t("web.admin_save"));
      return NF.el("tr", { "data-id": category.id },
        NF.el("td", { class: "number" }, category.id), NF.el("td", {}, nameAr), NF.el("td", {}, nameEn), NF.el("td", {}, save));
    });
    $("categories").replaceChildren(
      NF.el("thead", {}, NF.el("tr", {}, th("web.admin_id"), th("web.admin_name_ar"), th("web.admin_name_en"), NF.el("td"))),
      NF.el("tbody", {}, ...rows),
    );
  }

  // ---------------------------------------------------------------- services
  function renderServices() {
    const rows = catalog.services.map((service) => {
      const nameAr = input("name_ar", service.name.ar, { label: NF.t("web.admin_name_ar"), dir: "rtl", size: 28 });
      const nameEn = input("name_en", service.name.en, { label: NF.t("web.admin_name_en"), dir: "ltr", size: 28 });
      const prefix = input("prefix", service.prefix, { label: NF.t("web.admin_prefix"), size: 2, maxlength: 2 });
      const target = input("target", service.target_wait_min, { label: NF.t("web.admin_target"), type: "number", min: 1, max: 600, style: "width:5em" });
      const active = check("active", service.active, NF.t("web.admin_active"));
      const save = NF.el("button", {
        type: "button",
        onclick: () => act(async () => {
          const body = { ...service, name: { ar: nameAr.value, en: nameEn.value }, prefix: prefix.value.toUpperCase(), target_wait_min: Number(target.value), active: active.checked };
          await NF.api(`/api/v1/admin/services/${encodeURIComponent(service.id)}`, { method: "PUT", body });
          await loadCatalog();
        }),
      }, NF.t("web.admin_save"));
      return NF.el("tr", { "data-id": service.id },
        NF.el("td", { class: "number" }, service.id), NF.el("td", {}, prefix), NF.el("td", {}, nameAr),
        NF.el("td", {}, nameEn), NF.el("td", {}, target), NF.el("td", {}, active), NF.el("td", {}, save));
    });
    $("services").replaceChildren(
      NF.el("thead", {}, NF.el("tr", {}, th("web.admin_id"), th("web.admin_prefix"), th("web.admin_name_ar"), th("web.admin_name_en"), th("web.admin_target"), th("web.admin_active"), NF.el("td"))),
      NF.el("tbody", {}, ...rows),
    );
  }

  // ---------------------------------------------------------------- counters
  function renderCounters() {
    const rows = catalog.counters.map((counter) => {
      const number = input("number", counter.number, { label: NF.t("web.admin_number"), type: "number", min: 1, max: 999, style: "width:4.5em" });
      const nameAr = input("name_ar", counter.name.ar, { label: NF.t("web.admin_name_ar"), dir: "rtl", size: 14 });
      const nameEn = input("name_en", counter.name.en, { label: NF.t("web.admin_name_en"), dir: "ltr", size: 14 });
      const services = NF.el("select", { multiple: true, size: 4, "aria-label": NF.t("web.admin_services_served") },
        ...catalog.services.map((s) => {
          const option = NF.el("option", { value: s.id }, `${s.prefix} · ${NF.pick(s.name)}`);
          option.selected = counter.services.includes(s.id);
          return option;
        }));
      const save = NF.el("button", {
        type: "button",
        onclick: () => act(async () => {
          const chosen = [...services.selectedOptions].map((o) => o.value);
          const body = { ...counter, number: Number(number.value), name: { ar: nameAr.value, en: nameEn.value }, services: chosen };
          await NF.api(`/api/v1/admin/counters/${encodeURIComponent(counter.id)}`, { method: "PUT", body });
          await loadCatalog();
        }),
      }, NF.t("web.admin_save"));
      return NF.el("tr", { "data-id": counter.id },
        NF.el("td", { class: "number" }, counter.id), NF.el("td", {}, number), NF.el("td", {}, nameAr),
        NF.el("td", {}, nameEn), NF.el("td", {}, services), NF.el("td", {}, save));
    });
    $("counters").replaceChildren(
      NF.el("thead", {}, NF.el("tr", {}, th("web.admin_id"), th("web.admin_number"), th("web.admin_name_ar"), th("web.admin_name_en"), th("web.admin_services_served"), NF.el("td"))),
      NF.el("tbody", {}, ...rows),
    );
  }

  async function loadCatalog() {
    catalog = await NF.api("/api/v1/admin/catalog");
    renderCategories();
    renderServices();
    renderCounters();
  }

  // ---------------------------------------------------------------- people
  async function loadPeople() {
    const people = await NF.api("/api/v1/admin/people");
    const rows = people.map((person) => {
      const role = NF.el("select", { "aria-label": NF.t("web.admin_role") },
        ...["clerk", "manager", "admin"].map((r) => { const o = NF.el("option", { value: r }, r); o.selected = r === person.role; return o; }));
      const password = input("password", "", { label: NF.t("web.admin_new_password"), type: "password", minlength: 4, autocomplete: "new-password", size: 12 });
      const active = check("active", person.active, NF.t("web.admin_active"));
      const save = NF.el("button", {
        type: "button",
        onclick: () => act(async () => {
          const body = { role: role.value, active: active.checked };
          if (password.value) body.password = password.value;
          await NF.api(`/api/v1/admin/people/${encodeURIComponent(person.username)}`, { method: "PATCH", body });
          await loadPeople();
        }),
      }, NF.t("web.admin_save"));
      return NF.el("tr", { "data-id": person.username },
        NF.el("td", { class: "number" }, person.username), NF.el("td", {}, person.name || ""),
        NF.el("td", {}, role), NF.el("td", {}, password), NF.el("td", {}, active), NF.el("td", {}, save));
    });
    $("people").replaceChildren(
      NF.el("thead", {}, NF.el("tr", {}, th("web.admin_username"), th("web.dash_name"), th("web.admin_role"), th("web.admin_new_password"), th("web.admin_active"), NF.el("td"))),
      NF.el("tbody", {}, ...rows),
    );
  }

  // ---------------------------------------------------------------- devices
  async function loadDevices() {
    const devices = await NF.api("/api/v1/admin/devices");
    const rows = devices.map((device) =>
      NF.el("tr", { "data-id": device.id },
        NF.el("td", { class: "number" }, device.id), NF.el("td", {}, device.kind), NF.el("td", {}, device.name || ""),
        NF.el("td", {}, device.active ? NF.t("web.admin_active") : "—"),
        NF.el("td", {}, device.active
          ? NF.el("button", { type: "button", class: "quiet", onclick: () => act(async () => {
              await NF.api(`/api/v1/admin/devices/${encodeURIComponent(device.id)}/revoke`, { method: "POST" });
              await loadDevices();
            }) }, NF.t("web.admin_cancel"))
          : "")));
    $("devices").replaceChildren(
      NF.el("thead", {}, NF.el("tr", {}, th("web.admin_id"), th("web.admin_role"), th("web.dash_name"), th("web.admin_active"), NF.el("td"))),
      NF.el("tbody", {}, ...rows),
    );
  }

  // ---------------------------------------------------------------- change log
  function summary(data) {
    const text = JSON.stringify(data);
    return text.length > 140 ? `${text.slice(0, 140)}…` : text;
  }

  async function loadAudit() {
    const events = await NF.api("/api/v1/admin/events?limit=100");
    $("audit").replaceChildren(
      NF.el("thead", {}, NF.el("tr", {}, th("web.admin_when"), th("web.admin_who"), th("web.admin_what"), NF.el("th", { scope: "col" }, ""))),
      NF.el("tbody", {}, ...events.map((e) => NF.el("tr", {},
        NF.el("td", { class: "number" }, (e.at || "").replace("T", " ").slice(0, 19)),
        NF.el("td", { class: "number" }, e.actor || e.device || ""),
        NF.el("td", { class: "number" }, e.kind),
        NF.el("td", { class: "number", dir: "ltr" }, summary(e.data))))),
    );
  }

  // ---------------------------------------------------------------- wiring
  const loaders = { categories: loadCatalog, services: loadCatalog, counters: loadCatalog, people: loadPeople, devices: loadDevices, audit: loadAudit };

  function showTab(name) {
    document.querySelectorAll("[data-panel]").forEach((panel) => panel.classList.toggle("hidden", panel.id !== `tab-${name}`));
    document.querySelectorAll("[data-tab]").forEach((button) => {
      if (button.dataset.tab === name) button.setAttribute("aria-current", "page");
      else button.removeAttribute("aria-current");
    });
    loaders[name]().catch((err) => say(null, true, NF.pick(err.bilingual) || err.code));
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-tab]").forEach((button) => button.addEventListener("click", () => showTab(button.dataset.tab)));
    NF.onLang(() => { if (catalog) { renderCategories(); renderServices(); renderCounters(); } });
    $("person-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = new FormData(event.target);
      if (await act(() => NF.api("/api/v1/admin/people", { method: "POST", body: Object.fromEntries(form) }))) {
        event.target.reset();
        loadPeople();
      }
    });
    $("device-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = new FormData(event.target);
      let created = null;
      if (await act(async () => { created = await NF.api("/api/v1/admin/devices", { method: "POST", body: Object.fromEntries(form) }); })) {
        event.target.reset();
        $("device-token").classList.remove("hidden");
        $("device-token-value").textContent = created.token || "";
        loadDevices();
      }
    });
    NF.session(["admin"], () => showTab(new URL(location.href).searchParams.get("tab") || "services"));
  });
})();
