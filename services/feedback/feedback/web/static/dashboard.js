/* The supervision dashboard: per-unit rates (chart + table), the trend, the ranking with the
   figures behind each score, the overdue list, exports. Reads feedback's supervision API. */
"use strict";
(() => {
  const RATES = ["response_rate", "on_time_resolution_rate", "resolution_rate", "satisfaction_rate"];
  const COLOURS = ["#1d4ed8", "#0f766e", "#b45309", "#b3261e"];
  const el = H.el, t = H.t;
  const form = document.getElementById("filters");
  const errorBox = document.getElementById("filter-error");
  const charts = {};
  const districts = new Map();

  const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(new Date());
  const isoDay = (d) => d.toISOString().slice(0, 10);
  const shiftDays = (day, n) => { const d = new Date(day + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + n); return isoDay(d); };
  const get = (path, params) => HStaff.call(`/api/v1${path}?${H.query(params || {})}`);

  function filters() {
    return { period: form.period.value, on: form.on.value || today(), district_id: form.district_id.value, category: form.category.value };
  }

  const rateText = (r) => (r && r.value !== null ? `${H.fmtRate(r)} (${r.numerator}/${r.denominator})` : t("no_data"));
  const pct = (r) => (r && r.value !== null ? +(r.value * 100).toFixed(1) : null);

  function fillTable(table, headers, rows, rowClass) {
    if (!rows.length) { table.replaceChildren(el("caption", { text: t("none") })); return; }
    const head = el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col", class: h.num ? "num" : null, text: h.label }))));
    const body = el("tbody", {}, rows.map((cells, i) => el("tr", { class: rowClass ? rowClass(i) : null },
      cells.map((c, j) => el("td", { "data-label": headers[j].label, class: headers[j].num ? "num" : null }, c)))));
    table.replaceChildren(head, body);
  }

  /* "钟楼分局鼓楼派出所 (Gulou Police Station (Zhonglou))" -> "鼓楼派出所" or the English name. */
  function shortName(name) {
    const cut = name.indexOf(" (");
    if (cut < 0) return name;
    return H.lang === "en" ? name.slice(cut + 2, -1).replace(/ Police Station/, "") : name.slice(0, cut).replace(/^.*分局(?=.+所$)/, "");
  }

  function drawChart(id, type, labels, datasets, horizontal) {
    if (typeof Chart === "undefined") {
      document.querySelectorAll(".chart-missing").forEach((n) => n.classList.remove("hidden"));
      document.getElementById(id).closest(".chart-box").classList.add("hidden");
      return;
    }
    if (charts[id]) charts[id].destroy();
    const percent = { min: 0, max: 100, ticks: { callback: (v) => v + "%" } };
    if (horizontal) document.getElementById(id).closest(".chart-box").style.height = `${Math.max(260, labels.length * 70 + 90)}px`;
    charts[id] = new Chart(document.getElementById(id), {
      type, data: { labels, datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, spanGaps: true,
        indexAxis: horizontal ? "y" : "x", scales: horizontal ? { x: percent } : { y: percent },
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.raw === null ? t("no_data") : c.raw + "%"}` } } } },
    });
  }

  const rateSets = (rows, type) => RATES.map((name, i) => ({ label: t(name), data: rows.map((r) => pct(r.rates[name])),
    backgroundColor: COLOURS[i], borderColor: COLOURS[i], fill: false, tension: 0.2, pointRadius: 4, type }));

  function showRates(items) {
    const headers = [{ label: t("unit") }, { label: t("received"), num: 1 }, ...RATES.map((n) => ({ label: t(n), num: 1 })),
      { label: t("breaches"), num: 1 }, { label: t("escalations"), num: 1 },
      { label: t("hotspots_adopted"), num: 1 }, { label: t("hotspot_on_time_rate"), num: 1 }];
    fillTable(document.getElementById("rates-table"), headers, items.map((r) => [r.unit.name, r.counts.received,
      ...RATES.map((n) => rateText(r.rates[n])), r.counts.ack_breaches + r.counts.resolve_breaches, r.counts.escalations,
      r.counts.hotspots_adopted, rateText(r.rates.hotspot_on_time_rate)]));
    drawChart("rates-chart", "bar", items.map((r) => shortName(r.unit.name)), rateSets(items, "bar"), true);
  }

  function showRanking(result) {
    const w = result.weights;
    document.getElementById("weights").textContent = `${t("weights")}: ` +
      Object.entries(w).map(([k, v]) => `${t(k)} ${v}`).join(" · ");
    const headers = [{ label: t("rank"), num: 1 }, { label: t("unit") }, { label: t("score"), num: 1 },
      ...RATES.map((n) => ({ label: t(n), num: 1 })), { label: t("received"), num: 1 }];
    fillTable(document.getElementById("ranking-table"), headers, result.ranked.map((r) => [r.rank, r.unit.name,
      r.score.toFixed(1), ...RATES.map((n) => rateText(r.rates[n])), r.counts.received]));
    const unrankedHeaders = [{ label: t("unit") }, { label: t("missing") }, ...RATES.map((n) => ({ label: t(n), num: 1 }))];
    fillTable(document.getElementById("unranked-table"), unrankedHeaders, result.unranked.map((r) => [r.unit.name,
      r.missing.map((m) => t(m)).join("、"), ...RATES.map((n) => rateText(r.rates[n]))]));
  }

  function showOverdue(body) {
    const table = document.getElementById("overdue-table");
    if (!body.items.length) { table.replaceChildren(el("caption", { text: t("overdue_none") })); return; }
    const headers = [{ label: t("complaint") }, { label: t("unit") }, { label: t("category") }, { label: t("deadline_kind") },
      { label: t("due") }, { label: t("overdue_by"), num: 1 }];
    fillTable(table, headers, body.items.map((r) => [
      el("a", { href: `/dashboard/audit?complaint=${encodeURIComponent(r.complaint_id)}`, text: r.complaint_id.slice(0, 8) }),
      r.unit_name || r.unit_id, r.category, t("kind_" + r.kind), H.fmtTime(r.due), H.fmtDuration(r.overdue_s)]), () => "overdue");
  }

  async function showTrend() {
    const f = filters();
    const weeks = document.querySelector("input[name=trend]:checked").value === "weeks";
    const points = weeks ? [...Array(8).keys()].reverse().map((i) => shiftDays(f.on, -7 * i)) : [...Array(14).keys()].reverse().map((i) => shiftDays(f.on, -i));
    const results = await Promise.all(points.map((on) => get("/metrics/units", { group: "city", period: weeks ? "week" : "day", on,
      district_id: f.district_id, category: f.category })));
    if (results.some((r) => !r.ok)) return;
    const rows = results.map((r) => ({ label: r.data.period.start, rates: r.data.items[0].rates }));
    fillTable(document.getElementById("trend-table"), [{ label: weeks ? t("week_of") : t("day") }, ...RATES.map((n) => ({ label: t(n), num: 1 }))],
      rows.map((r) => [r.label, ...RATES.map((n) => rateText(r.rates[n]))]));
    drawChart("trend-chart", "line", rows.map((r) => r.label), rateSets(rows, "line"));
  }

  function rememberDistricts(items) {
    const select = form.district_id;
    for (const { unit } of items) {
      if (!unit.district_id || districts.has(unit.district_id)) continue;
      districts.set(unit.district_id, unit.district_name || unit.district_id);
      select.append(el("option", { value: unit.district_id, text: unit.district_name || unit.district_id }));
    }
  }

  async function load() {
    const f = filters();
    H.notice(errorBox, "", "");
    const [metrics, ranking, overdue] = await Promise.all([get("/metrics/units", f), get("/rankings", f), get("/overdue", f)]);
    const failed = [metrics, ranking, overdue].find((r) => !r.ok);
    if (failed) { H.notice(errorBox, "error", failed.error); return; }
    const p = metrics.data.period;
    document.getElementById("period-label").textContent = `${t("figures_for")}: ${p.start} – ${shiftDays(p.end, -1)}`;
    rememberDistricts(metrics.data.items);
    showRates(metrics.data.items);
    showRanking(ranking.data);
    showOverdue(overdue.data);
    await showTrend();
  }

  async function download(kind, format) {
    const res = await HStaff.call(`/api/v1/exports/${kind}?${H.query({ ...filters(), format })}`, { raw: true });
    if (!res.ok) { H.notice(errorBox, "error", H.describe(res.status, null)); return; }
    const blob = await res.response.blob();
    const match = /filename="([^"]+)"/.exec(res.response.headers.get("content-disposition") || "");
    const link = el("a", { href: URL.createObjectURL(blob), download: match ? match[1] : `${kind}.${format}` });
    document.body.append(link); link.click(); link.remove();
  }

  async function loadCategories() {
    if (H.urls.routing === null) return;
    const res = await H.api(H.urls.routing + "/api/v1/categories");
    if (!res.ok) return;
    for (const c of res.data) form.category.append(el("option", { value: c.code, text: H.lang === "en" ? c.name_en : c.name }));
  }

  HStaff.require(async () => {
    document.getElementById("board").classList.remove("hidden");
    form.on.value = today();
    form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
    document.querySelectorAll("input[name=trend]").forEach((r) => r.addEventListener("change", showTrend));
    document.querySelectorAll("[data-export]").forEach((b) => b.addEventListener("click", () => download(b.dataset.export, b.dataset.format)));
    await loadCategories();
    await load();
  });
})();
