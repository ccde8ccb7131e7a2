// The dashboard's satisfaction section (docs/ratings.md): the period's ratings overall, per
// service, counter, clerk or hour beside the same group's wait and service time, and the
// citizens' comments. It follows the period the dashboard shows (static/dashboard.js marks
// <body data-stats-loaded="from/to"> after each load). Comments are a citizen's own words: only
// ever set as text (textContent), each isolated in its own direction, never as HTML.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  let data = null;
  let period = null;

  function duration(seconds) { return seconds == null ? "—" : NF.formatDuration(seconds); }
  function share(value) { return value == null ? "—" : NF.percent(value); }
  function mean(value) { return value == null ? "—" : Number(value).toFixed(2); }

  function cell(value, text, name, kind) {
    return NF.el("td", {
      class: kind === "words" ? "num words" : "num number", "data-figure": name, "data-value": value ?? "",
    }, text);
  }

  function label(group, key) {
    const names = data.names || { services: {}, counters: {} };
    if (group === "service") {
      const s = names.services[key];
      return s ? `${s.prefix} · ${NF.pick(s.name)}` : String(key);
    }
    if (group === "counter") {
      const c = names.counters[key];
      return c ? NF.pick(c.name) : String(key);
    }
    if (group === "hour") return `${String(key).padStart(2, "0")}:00`;
    return String(key ?? "");
  }

  function distribution(stars) {
    const counts = [1, 2, 3, 4, 5].map((n) => (stars && stars[n]) || 0);
    const top = Math.max(1, ...counts);
    const title = counts.map((c, i) => `${i + 1}★ ${c}`).join(" · ");
    return NF.el("span", { class: "distribution", role: "img", title, "aria-label": title, dir: "ltr" },
      ...counts.map((c) => {
        const bar = NF.el("span");
        bar.style.height = `${Math.max(2, Math.round((c / top) * 100))}%`; // CSSOM, not an attribute
        return bar;
      }));
  }

  function renderTiles() {
    const o = data.overall;
    const tiles = [
      ["ratings.dash_count", o.count, String(o.count), "count"],
      ["ratings.dash_mean", o.mean, mean(o.mean), "mean"],
      ["ratings.dash_satisfied", o.satisfied, share(o.satisfied), "satisfied"],
      ["ratings.dash_comments", o.comments, String(o.comments), "comments"],
      ["ratings.dash_wait_mean", o.wait && o.wait.mean, duration(o.wait && o.wait.mean), "wait", "words"],
      ["ratings.dash_service_mean", o.service_time && o.service_time.mean, duration(o.service_time && o.service_time.mean), "service_time", "words"],
    ];
    $("ratings-tiles").replaceChildren(...tiles.map(([key, value, text, name, kind]) =>
      NF.el("div", { class: "tile" },
        NF.el("span", { class: kind === "words" ? "value words" : "value number", "data-figure": `ratings.overall.${name}`, "data-value": value ?? "" }, text),
        NF.el("span", { class: "name" }, NF.t(key)))));
  }

  function renderTable() {
    const group = $("ratings-by").value;
    const rows = (data.groups[group] || []).filter((row) => row.count > 0 || row.tickets > 0);
    const head = NF.el("tr", {},
      NF.el("th", { scope: "col" }, NF.t(`ratings.dash_group_${group}`)),
      ...["dash_count", "dash_mean", "dash_satisfied", "dash_stars_given", "dash_tickets", "dash_wait_mean", "dash_service_mean"]
        .map((key) => NF.el("th", { class: "num", scope: "col" }, NF.t(`ratings.${key}`))));
    const body = rows.map((row) => NF.el("tr", { "data-key": row.key },
      NF.el("th", { scope: "row" }, NF.el("bdi", {}, label(group, row.key))),
      cell(row.count, String(row.count), `ratings.${group}.${row.key}.count`),
      cell(row.mean, mean(row.mean), `ratings.${group}.${row.key}.mean`),
      cell(row.satisfied, share(row.satisfied), `ratings.${group}.${row.key}.satisfied`),
      NF.el("td", {}, distribution(row.stars)),
      cell(row.tickets, String(row.tickets), `ratings.${group}.${row.key}.tickets`),
      cell(row.wait && row.wait.mean, duration(row.wait && row.wait.mean), `ratings.${group}.${row.key}.wait`, "words"),
      cell(row.service_time && row.service_time.mean, duration(row.service_time && row.service_time.mean), `ratings.${group}.${row.key}.service_time`, "words"),
    ));
    $("ratings-table").replaceChildren(NF.el("thead", {}, head), NF.el("tbody", {}, ...body));
  }

  function renderComments() {
    const head = NF.el("tr", {},
      ...["dash_when", "dash_ticket", "dash_stars", "dash_group_service", "dash_group_counter", "dash_group_clerk", "dash_comment"]
        .map((key) => NF.el("th", { scope: "col" }, NF.t(`ratings.${key}`))));
    const rows = data.comments.map((c) => {
      const words = NF.el("bdi", { dir: "auto", lang: c.lang });
      words.textContent = c.comment; // the citizen's words: text only, isolated
      return NF.el("tr", { "data-ticket": c.number },
        NF.el("td", {}, NF.isolate(`${NF.formatDay(c.day)} ${NF.formatTime(c.at)}`)),
        NF.el("td", {}, NF.isolate(c.number)),
        NF.el("td", { class: "stars-mean", "aria-label": NF.t("ratings.stars_label", { stars: c.stars, word: NF.t(`ratings.star_${c.stars}`) }) },
          NF.el("span", { "aria-hidden": "true" }, "★".repeat(c.stars) + "☆".repeat(5 - c.stars))), // from the start side
        NF.el("td", {}, NF.el("bdi", {}, label("service", c.service))),
        NF.el("td", {}, NF.el("bdi", {}, c.counter ? label("counter", c.counter) : "")),
        NF.el("td", {}, NF.isolate(c.clerk || "")),
        NF.el("td", { class: "comment" }, words));
    });
    $("ratings-comments").replaceChildren(NF.el("thead", {}, head), NF.el("tbody", {},
      ...(rows.length ? rows : [NF.el("tr", {}, NF.el("td", { colspan: 7, class: "muted" }, NF.t("ratings.dash_no_comments")))])));
    const more = data.comments_total > data.comments.length;
    $("ratings-comments-more").textContent = more
      ? NF.t("ratings.dash_comments_more", { shown: data.comments.length, total: data.comments_total }) : "";
  }

  function render() {
    if (!data) return;
    renderTiles();
    renderTable();
    renderComments();
  }

  async function load() {
    const from = $("from").value, to = $("to").value;
    if (!from || !to) return;
    period = { from, to };
    $("ratings-error").textContent = "";
    try {
      data = await NF.api(`/api/v1/ratings?from=${from}&to=${to}`);
      render();
      document.body.dataset.ratingsLoaded = `${from}/${to}`;
    } catch (err) {
      $("ratings-error").textContent = NF.pick(err.bilingual) || NF.t("web.error_generic");
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    // The dashboard loads a period's figures: ours follow.
    new MutationObserver(() => {
      if (document.body.dataset.statsLoaded) load();
    }).observe(document.body, { attributes: true, attributeFilter: ["data-stats-loaded"] });
    $("ratings-by").addEventListener("change", renderTable);
    $("export-ratings").addEventListener("click", () => {
      const from = (period && period.from) || $("from").value, to = (period && period.to) || $("to").value;
      NF.download(`/api/v1/ratings.csv?from=${from}&to=${to}`, `ratings-${from}-${to}.csv`);
    });
    NF.onLang(render);
  });
})();
