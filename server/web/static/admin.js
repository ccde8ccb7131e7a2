// Admin pages: categories, services (names, letter, category, target wait, required documents,
// opening hours; add a new one), counters (the services each serves, as checkboxes), people and
// kiosk devices, edited through the admin API (every change lands in the audited event log), and
// that log itself in words, newest first.
// Every field is checked here first, by the server's own rules, and a mistake is shown in the
// page's language at the field itself; what only the server can refuse is shown next to the form.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const ID = /^[a-z0-9][a-z0-9-]{0,47}$/;
  const USERNAME = /^[a-z0-9._-]{2,32}$/;
  const PREFIX = /^[A-Z]{1,2}$/;
  let catalog = null;
  let editing = null; // the service in the editor (null: a new one)

  // ---------------------------------------------------------------- messages
  function say(box, key, isError, detail) {
    box.className = isError ? "error" : "ok";
    box.textContent = (key ? NF.t(key) : "") + (detail ? `${key ? " " : ""}${detail}` : "");
  }

  // The server's refusal in the page's language (its message is bilingual), never its code.
  function refusal(err) {
    return NF.pick(err.bilingual) || NF.t("web.error_generic");
  }

  async function act(fn, box) {
    const where = box || $("status");
    where.className = "";
    where.textContent = "";
    try {
      await fn();
      say(where, "web.admin_saved", false);
      return true;
    } catch (err) {
      say(where, null, true, refusal(err));
      return false;
    }
  }

  // ---------------------------------------------------------------- field checks
  let errorIds = 0;
  function clearErrors(root) {
    root.querySelectorAll(".field-error").forEach((node) => node.remove());
    root.querySelectorAll("[aria-invalid]").forEach((node) => {
      node.removeAttribute("aria-invalid");
      node.removeAttribute("aria-describedby");
    });
  }

  // A mistake shown at the field: marked invalid, described by the message right after it.
  function fieldError(input, key, params) {
    const id = `field-error-${++errorIds}`;
    const message = NF.el("span", { class: "field-error error", id, "data-t-key": key }, NF.t(key, params));
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
    const label = input.closest("label");
    if (label) label.append(message); // under the field, inside its label
    else input.after(message);
    return false;
  }

  function checkText(input, { required = true, max = 300 } = {}) {
    const value = input.value.trim();
    if (required && !value) return fieldError(input, "web.admin_error_required");
    if (value.length > max) return fieldError(input, "web.admin_error_too_long", { max });
    return true;
  }

  function checkNumber(input, min, max) {
    const value = Number(input.value);
    if (input.value.trim() === "" || !Number.isInteger(value) || value < min || value > max) {
      return fieldError(input, "web.admin_error_range", { min, max });
    }
    return true;
  }

  function checkPattern(input, pattern, key) {
    if (!input.value.trim()) return fieldError(input, "web.admin_error_required");
    return pattern.test(input.value.trim()) ? true : fieldError(input, key);
  }

  function all(results) { return results.every(Boolean); }

  function th(key) { return NF.el("th", { scope: "col" }, NF.t(key)); }
  function input(name, value, attrs = {}) {
    return NF.el("input", { name, value: value ?? "", "aria-label": attrs.label || name, ...attrs, label: null });
  }
  function check(name, checked, label) {
    const box = NF.el("input", { type: "checkbox", name, "aria-label": label });
    box.checked = Boolean(checked);
    return box;
  }
  function rowStatus() { return NF.el("span", { class: "row-status", role: "status" }); }

  // ---------------------------------------------------------------- categories
  function renderCategories() {
    const rows = catalog.categories.map((category) => {
      const nameAr = input("name_ar", category.name.ar, { label: NF.t("web.admin_name_ar"), dir: "rtl", size: 28 });
      const nameEn = input("name_en", category.name.en, { label: NF.t("web.admin_name_en"), dir: "ltr", size: 28 });
      const status = rowStatus();
      const row = NF.el("tr", { "data-id": category.id });
      const save = NF.el("button", {
        type: "button",
        onclick: () => {
          clearErrors(row);
          if (!all([checkText(nameAr), checkText(nameEn)])) return;
          act(async () => {
            const body = { ...category, name: { ar: nameAr.value.trim(), en: nameEn.value.trim() } };
            await NF.api(`/api/v1/admin/categories/${encodeURIComponent(category.id)}`, { method: "PUT", body });
            await loadCatalog();
          }, $("status"));
        },
      }, NF.t("web.admin_save"));
      row.append(NF.el("td", {}, NF.isolate(category.id)), NF.el("td", {}, nameAr), NF.el("td", {}, nameEn), NF.el("td", {}, save, status));
      return row;
    });
    $("categories").replaceChildren(
      NF.el("thead", {}, NF.el("tr", {}, th("web.admin_id"), th("web.admin_name_ar"), th("web.admin_name_en"), NF.el("td"))),
      NF.el("tbody", {}, ...rows),
    );
  }

  // ---------------------------------------------------------------- services: the list
  function categoryName(id) {
    const category = catalog.categories.find((c) => c.id === id);
    return category ? NF.pick(category.name) : id;
  }

  function hoursText(hours) {
    return hours.map((h) => `${h.days.map((d) => NF.t(`web.day_${d}`)).join("، ")} ${h.open.slice(0, 5)}–${h.close.slice(0, 5)}`).join(" · ");
  }

  function renderServices() {
    const rows = catalog.services.map((service) =>
      NF.el("tr", { "data-id": service.id },
        NF.el("td", {}, NF.isolate(service.id)),
        NF.el("td", {}, NF.el("span", { class: "pill number" }, service.prefix)),
        NF.el("td", {}, NF.pick(service.name)),
        NF.el("td", {}, categoryName(service.category)),
        NF.el("td", { class: "num number" }, String(service.target_wait_min)),
        NF.el("td", { class: "num number" }, String(service.documents.length)),
        NF.el("td", { class: "small" }, service.hours.length ? NF.el("bdi", {}, hoursText(service.hours)) : "—"),
        NF.el("td", {}, service.active ? NF.t("web.admin_active") : "—"),
        NF.el("td", {}, NF.el("button", { type: "button", class: "quiet edit", onclick: () => openEditor(service) }, NF.t("web.admin_edit"))),
      ));
    $("services").replaceChildren(
      NF.el("thead", {}, NF.el("tr", {}, th("web.admin_id"), th("web.admin_prefix"), th("web.dash_name"), th("web.admin_category"),
        th("web.admin_target"), th("web.admin_documents"), th("web.admin_hours"), th("web.admin_active"), NF.el("td"))),
      NF.el("tbody", {}, ...rows),
    );
  }

  // ---------------------------------------------------------------- services: the editor
  function documentRow(doc) {
    const ar = input("document_ar", doc.ar, { label: NF.t("web.admin_document_ar"), dir: "rtl", size: 34, maxlength: 300 });
    const en = input("document_en", doc.en, { label: NF.t("web.admin_document_en"), dir: "ltr", size: 34, maxlength: 300 });
    const item = NF.el("li", { class: "document" },
      NF.el("label", {}, NF.el("span", {}, NF.t("web.admin_document_ar")), ar),
      NF.el("label", {}, NF.el("span", {}, NF.t("web.admin_document_en")), en));
    item.append(NF.el("button", { type: "button", class: "quiet", onclick: () => item.remove() }, NF.t("web.admin_remove")));
    return item;
  }

  function hoursRow(hours) {
    const days = NF.el("fieldset", { class: "days" }, NF.el("legend", {}, NF.t("web.admin_hours")),
      ...DAYS.map((day) => {
        const box = NF.el("input", { type: "checkbox", name: "day", value: day });
        box.checked = hours.days.includes(day);
        return NF.el("label", { class: "check" }, box, NF.t(`web.day_${day}`));
      }));
    const opens = input("open", hours.open.slice(0, 5), { type: "time", label: NF.t("web.admin_opens") });
    const closes = input("close", hours.close.slice(0, 5), { type: "time", label: NF.t("web.admin_closes") });
    const item = NF.el("li", { class: "hours" }, days,
      NF.el("label", {}, NF.el("span", {}, NF.t("web.admin_opens")), opens),
      NF.el("label", {}, NF.el("span", {}, NF.t("web.admin_closes")), closes));
    item.append(NF.el("button", { type: "button", class: "quiet", onclick: () => { item.remove(); showHoursNone(); } }, NF.t("web.admin_remove")));
    return item;
  }

  function showHoursNone() {
    $("hours-none").classList.toggle("hidden", $("hours").children.length > 0);
  }

  function openEditor(service) {
    editing = service;
    const form = $("service-editor");
    clearErrors(form);
    $("service-editor-status").textContent = "";
    const blank = { id: "", prefix: "", name: { ar: "", en: "" }, category: catalog.categories[0].id, target_wait_min: 15,
      service_time_s: 300, documents: [], hours: [], active: true };
    const s = service || blank;
    $("service-editor-title").textContent = service ? `${NF.t("web.admin_edit_service")}: ${NF.pick(service.name)}` : NF.t("web.admin_new_service");
    form.elements.id.value = s.id;
    form.elements.id.readOnly = Boolean(service);
    form.elements.prefix.value = s.prefix;
    form.elements.name_ar.value = s.name.ar;
    form.elements.name_en.value = s.name.en;
    form.elements.category.replaceChildren(...catalog.categories.map((c) => {
      const option = NF.el("option", { value: c.id }, NF.pick(c.name));
      option.selected = c.id === s.category;
      return option;
    }));
    form.elements.target_wait_min.value = s.target_wait_min;
    form.elements.service_time_s.value = s.service_time_s;
    form.elements.active.checked = s.active;
    $("documents").replaceChildren(...s.documents.map(documentRow));
    $("hours").replaceChildren(...s.hours.map(hoursRow));
    showHoursNone();
    form.classList.remove("hidden");
    form.scrollIntoView({ block: "start" });
    (service ? form.elements.name_ar : form.elements.id).focus();
  }

  // The editor's service as the API takes it, or null when a field is wrong (shown at the field).
  function readEditor() {
    const form = $("service-editor");
    const f = form.elements;
    clearErrors(form);
    f.prefix.value = f.prefix.value.trim().toUpperCase();
    const checks = [
      editing ? true : checkPattern(f.id, ID, "web.admin_error_id") &&
        (catalog.services.some((s) => s.id === f.id.value.trim()) ? fieldError(f.id, "web.admin_error_id_taken") : true),
      checkPattern(f.prefix, PREFIX, "web.admin_error_prefix"),
      checkText(f.name_ar), checkText(f.name_en),
      checkNumber(f.target_wait_min, 1, 600), checkNumber(f.service_time_s, 10, 7200),
    ];
    const documents = [...$("documents").children].map((item) => {
      const [ar, en] = item.querySelectorAll("input");
      checks.push(checkText(ar), checkText(en));
      return { ar: ar.value.trim(), en: en.value.trim() };
    });
    const hours = [...$("hours").children].map((item) => {
      const days = [...item.querySelectorAll("input[name=day]:checked")].map((box) => box.value);
      const opens = item.querySelector("input[name=open]");
      const closes = item.querySelector("input[name=close]");
      if (!days.length) checks.push(fieldError(item.querySelector("fieldset.days"), "web.admin_error_no_days"));
      if (!opens.value) checks.push(fieldError(opens, "web.admin_error_required"));
      else if (!closes.value) checks.push(fieldError(closes, "web.admin_error_required"));
      else if (opens.value >= closes.value) checks.push(fieldError(closes, "web.admin_error_hours_order"));
      return { days, open: opens.value, close: closes.value };
    });
    if (!all(checks)) {
      say($("service-editor-status"), "web.admin_fix_fields", true);
      const first = form.querySelector("[aria-invalid]");
      if (first && first.focus) first.focus();
      return null;
    }
    return {
      ...(editing || {}),
      id: editing ? editing.id : f.id.value.trim(),
      prefix: f.prefix.value.trim().toUpperCase(),
      name: { ar: f.name_ar.value.trim(), en: f.name_en.value.trim() },
      category: f.category.value,
      target_wait_min: Number(f.target_wait_min.value),
      service_time_s: Number(f.service_time_s.value),
      active: f.active.checked,
      documents,
      hours,
    };
  }

  async function saveEditor(event) {
    event.preventDefault();
    const body = readEditor();
    if (!body) return;
    const saved = await act(async () => {
      await NF.api(`/api/v1/admin/services/${encodeURIComponent(body.id)}`, { method: "PUT", body });
      await loadCatalog();
    }, $("service-editor-status"));
    if (saved) editing = catalog.services.find((s) => s.id === body.id) || null;
  }

  // ---------------------------------------------------------------- counters
  function renderCounters() {
    const rows = catalog.counters.map((counter) => {
      const number = input("number", counter.number, { label: NF.t("web.admin_number"), type: "number", min: 1, max: 999, class: "short" });
      const nameAr = input("name_ar", counter.name.ar, { label: NF.t("web.admin_name_ar"), dir: "rtl", size: 14 });
      const nameEn = input("name_en", counter.name.en, { label: NF.t("web.admin_name_en"), dir: "ltr", size: 14 });
      const services = NF.el("fieldset", { class: "services-served" },
        NF.el("legend", { class: "visually-hidden" }, `${NF.t("web.admin_services_served")} · ${NF.pick(counter.name)}`),
        ...catalog.services.map((s) => {
          const box = NF.el("input", { type: "checkbox", name: "service", value: s.id });
          box.checked = counter.services.includes(s.id);
          return NF.el("label", { class: "check" }, box, NF.el("span", { class: "pill number" }, s.prefix), " ", NF.pick(s.name));
        }));
      const status = rowStatus();
      const row = NF.el("tr", { "data-id": counter.id });
      const save = NF.el("button", {
        type: "button",
        onclick: () => {
          clearErrors(row);
          const chosen = [...services.querySelectorAll("input:checked")].map((box) => box.value);
          const taken = catalog.counters.some((c) => c.id !== counter.id && c.number === Number(number.value));
          const fine = all([
            checkNumber(number, 1, 999) && (taken ? fieldError(number, "web.admin_error_number_taken", { number: number.value }) : true),
            checkText(nameAr), checkText(nameEn),
            chosen.length ? true : fieldError(services, "web.admin_error_no_services"),
          ]);
          if (!fine) return say(status, "web.admin_fix_fields", true);
          act(async () => {
            const body = { ...counter, number: Number(number.value), name: { ar: nameAr.value.trim(), en: nameEn.value.trim() }, services: chosen };
            await NF.api(`/api/v1/admin/counters/${encodeURIComponent(counter.id)}`, { method: "PUT", body });
            await loadCatalog();
          }, $("status"));
        },
      }, NF.t("web.admin_save"));
      row.append(NF.el("td", {}, NF.isolate(counter.id)), NF.el("td", {}, number), NF.el("td", {}, nameAr),
        NF.el("td", {}, nameEn), NF.el("td", {}, services), NF.el("td", {}, save, status));
      return row;
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
  function roleSelect(current) {
    return NF.el("select", { "aria-label": NF.t("web.admin_role") },
      ...["clerk", "manager", "admin"].map((r) => {
        const option = NF.el("option", { value: r }, NF.t(`web.role_${r}`));
        option.selected = r === current;
        return option;
      }));
  }

  async function loadPeople() {
    const people = await NF.api("/api/v1/admin/people");
    const rows = people.map((person) => {
      const role = roleSelect(person.role);
      const password = input("password", "", { label: NF.t("web.admin_new_password"), type: "password", autocomplete: "new-password", size: 12 });
      const active = check("active", person.active, NF.t("web.admin_active"));
      const status = rowStatus();
      const row = NF.el("tr", { "data-id": person.username });
      const save = NF.el("button", {
        type: "button",
        onclick: () => {
          clearErrors(row);
          if (password.value && password.value.length < 8) return fieldError(password, "web.admin_error_password");
          act(async () => {
            const body = { role: role.value, active: active.checked };
            if (password.value) body.password = password.value;
            await NF.api(`/api/v1/admin/people/${encodeURIComponent(person.username)}`, { method: "PATCH", body });
            await loadPeople();
          }, $("status"));
        },
      }, NF.t("web.admin_save"));
      row.append(NF.el("td", {}, NF.isolate(person.username)), NF.el("td", {}, person.name || ""),
        NF.el("td", {}, role), NF.el("td", {}, password), NF.el("td", {}, active), NF.el("td", {}, save, status));
      return row;
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
        NF.el("td", {}, NF.isolate(device.id)), NF.el("td", {}, NF.t(`web.device_${device.kind}`)), NF.el("td", {}, device.name || ""),
        NF.el("td", {}, device.active ? NF.t("web.admin_active") : NF.t("web.admin_revoked")),
        NF.el("td", {}, device.active
          ? NF.el("button", { type: "button", class: "quiet revoke", onclick: () => act(async () => {
              await NF.api(`/api/v1/admin/devices/${encodeURIComponent(device.id)}/revoke`, { method: "POST" });
              await loadDevices();
            }) }, NF.t("web.admin_revoke"))
          : "")));
    $("devices").replaceChildren(
      NF.el("thead", {}, NF.el("tr", {}, th("web.admin_id"), th("web.admin_kind"), th("web.dash_name"), th("web.admin_active"), NF.el("td"))),
      NF.el("tbody", {}, ...rows),
    );
  }

  // ---------------------------------------------------------------- change log
  let events = [];
  function renderAudit() {
    $("audit").replaceChildren(
      NF.el("thead", {}, NF.el("tr", {}, th("web.admin_when"), th("web.admin_who"), th("web.admin_what"))),
      NF.el("tbody", {}, ...events.map((e) => NF.el("tr", { "data-kind": e.kind },
        NF.el("td", {}, NF.isolate(NF.formatDatetime(e.at))),
        NF.el("td", {}, NF.isolate(e.actor || e.device || "")),
        NF.el("td", { class: "what" }, NF.pick(e.description) || e.kind)))),
    );
  }

  async function loadAudit() {
    events = await NF.api("/api/v1/admin/events?limit=100");
    renderAudit();
  }

  // ---------------------------------------------------------------- wiring
  const loaders = { categories: loadCatalog, services: loadCatalog, counters: loadCatalog, people: loadPeople, devices: loadDevices, audit: loadAudit,
    calling: () => window.NFCalling.load() }; // admin_calling.js

  function showTab(name) {
    document.querySelectorAll("[data-panel]").forEach((panel) => panel.classList.toggle("hidden", panel.id !== `tab-${name}`));
    document.querySelectorAll("[data-tab]").forEach((button) => {
      if (button.dataset.tab === name) button.setAttribute("aria-current", "page");
      else button.removeAttribute("aria-current");
    });
    // The panel is busy while its rows are fetched again: they are replaced when the answer comes,
    // so what was typed into the old rows would be lost (tests wait for aria-busy to go).
    const panel = $(`tab-${name}`);
    if (panel) panel.setAttribute("aria-busy", "true");
    (loaders[name] || loadCatalog)()
      .catch((err) => say($("status"), null, true, refusal(err)))
      .finally(() => { if (panel) panel.removeAttribute("aria-busy"); });
  }

  function checkNewPerson(form) {
    clearErrors(form);
    const f = form.elements;
    return all([
      checkPattern(f.username, USERNAME, "web.admin_error_username"),
      checkText(f.name, { required: false, max: 100 }),
      f.password.value.length >= 8 ? true : fieldError(f.password, "web.admin_error_password"),
    ]);
  }

  function checkNewDevice(form) {
    clearErrors(form);
    return all([checkPattern(form.elements.id, ID, "web.admin_error_id"), checkText(form.elements.name, { required: false, max: 100 })]);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-tab]").forEach((button) => button.addEventListener("click", () => showTab(button.dataset.tab)));
    NF.onLang(() => {
      // Field messages follow the language switch too.
      document.querySelectorAll(".field-error").forEach((node) => { node.textContent = NF.t(node.dataset.tKey); });
      if (catalog) { renderCategories(); renderServices(); renderCounters(); }
      if (events.length) renderAudit();
    });
    $("add-service").addEventListener("click", () => openEditor(null));
    $("close-editor").addEventListener("click", () => { $("service-editor").classList.add("hidden"); editing = null; });
    $("add-document").addEventListener("click", () => $("documents").append(documentRow({ ar: "", en: "" })));
    $("add-hours").addEventListener("click", () => { $("hours").append(hoursRow({ days: ["mon", "tue", "wed", "thu", "fri"], open: "08:00", close: "14:00" })); showHoursNone(); });
    $("service-editor").addEventListener("submit", saveEditor);
    $("person-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!checkNewPerson(event.target)) return;
      const form = new FormData(event.target);
      if (await act(() => NF.api("/api/v1/admin/people", { method: "POST", body: Object.fromEntries(form) }))) {
        event.target.reset();
        loadPeople();
      }
    });
    $("device-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!checkNewDevice(event.target)) return;
      const form = new FormData(event.target);
      let created = null;
      if (await act(async () => { created = await NF.api("/api/v1/admin/devices", { method: "POST", body: Object.fromEntries(form) }); })) {
        event.target.reset();
        $("device-token").classList.remove("hidden");
        $("device-token-value").textContent = created.token || "";
        loadDevices();
      }
    });
    NF.session(["admin", "manager"], (me) => {
      // A manager chooses the calling rules (admin_calling.js): that tab only.
      const manager = me.role === "manager";
      document.querySelectorAll("[data-tab]").forEach((button) => button.classList.toggle("hidden", manager && button.dataset.tab !== "calling"));
      showTab(manager ? "calling" : new URL(location.href).searchParams.get("tab") || "services");
    });
  });
})();
