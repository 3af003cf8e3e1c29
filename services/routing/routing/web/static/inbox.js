/* The station inbox: nearest deadline first, live countdowns, overdue rows highlighted,
   due-soon and overdue filters, and the escalations addressed to the unit. */
"use strict";
(() => {
  const t = H.t, el = H.el;
  const SOON_S = 2 * 3600;
  const form = document.getElementById("inbox-filters");
  const errorBox = document.getElementById("inbox-error");
  const tbody = document.querySelector("#inbox-table tbody");
  let rows = [];  // [{tr, cell, dueAt}]
  const categoryNames = new Map();

  const stateLabel = (s) => (("st_" + s) in H.cfg.texts ? t("st_" + s) : s);
  const val = (id) => document.getElementById(id).value;
  const checked = (id) => document.getElementById(id).checked;

  function tick() {
    const now = Date.now();
    for (const r of rows) {
      if (r.dueAt === null) continue;
      const left = (r.dueAt - now) / 1000;
      r.cell.textContent = H.fmtDuration(left);
      r.tr.classList.toggle("overdue", left <= 0);
      r.tr.classList.toggle("due-soon", left > 0 && left <= SOON_S);
    }
  }

  function badges(item) {
    const out = [];
    if (item.overdue) out.push(el("span", { class: "badge bad", text: t("overdue") }));
    if (item.escalated_to_you) out.push(el("span", { class: "badge warn", text: `${t("escalated_to_you")} L${item.escalation_level}` }));
    if (item.priority === "urgent") out.push(el("span", { class: "badge bad", text: t("urgent") }));
    if (item.paused) out.push(el("span", { class: "badge", text: t("paused") }));
    if (item.provisional) out.push(el("span", { class: "badge", text: t("provisional") }));
    return out;
  }

  function showInbox(page) {
    const fetchedAt = Date.now();
    document.getElementById("inbox-total").textContent = t("total", { n: page.total });
    document.getElementById("inbox-empty").classList.toggle("hidden", page.items.length > 0);
    rows = page.items.map((item) => {
      const cell = el("td", { class: "num countdown", "data-label": t("time_left") });
      const link = el("a", { href: `/station/complaints/${item.complaint_id}`, text: item.tracking_code });
      const tr = el("tr", { "data-complaint": item.complaint_id, class: item.overdue ? "overdue" : null },
        cell, el("td", { "data-label": t("tracking_code") }, link), el("td", { "data-label": t("category"), text: categoryNames.get(item.category) || item.category }),
        el("td", { "data-label": t("summary"), text: item.summary }), el("td", { "data-label": t("state"), text: stateLabel(item.state) }),
        el("td", { "data-label": t("next_due") }, item.next_deadline ? `${t("deadline_" + item.next_deadline)} ${H.fmtTime(item.next_due)}` : "—"),
        el("td", { "data-label": t("flags") }, badges(item)));
      return { tr, cell, dueAt: item.time_left_s === null ? null : fetchedAt + item.time_left_s * 1000 };
    });
    tbody.replaceChildren(...rows.map((r) => r.tr));
    tick();
  }

  async function showEscalations(unit) {
    const table = document.getElementById("escalations-table");
    const res = await HStaff.call(`/api/v1/units/${encodeURIComponent(unit)}/escalations?limit=20`);
    if (!res.ok) { table.replaceChildren(el("caption", { text: res.error })); return; }
    if (!res.data.length) { table.replaceChildren(el("caption", { text: t("escalations_none") })); return; }
    const head = el("thead", {}, el("tr", {}, [t("at"), t("complaint"), t("level"), t("next_due"), t("from_unit")].map((h) => el("th", { text: h }))));
    const body = el("tbody", {}, res.data.map((e) => el("tr", {},
      el("td", { "data-label": t("at"), text: H.fmtTime(e.at) }),
      el("td", { "data-label": t("complaint") }, el("a", { href: `/station/complaints/${e.complaint_id}`, text: e.complaint_id.slice(0, 8) })),
      el("td", { "data-label": t("level"), text: `L${e.level} · ${t("deadline_" + e.kind)}${e.forced_by ? " · " + e.forced_by : ""}` }),
      el("td", { "data-label": t("next_due"), text: H.fmtTime(e.due) }), el("td", { "data-label": t("from_unit"), text: e.unit_id }))));
    table.replaceChildren(head, body);
  }

  async function load() {
    const unit = val("f-unit");
    if (!unit) return;
    const q = H.query({ state: val("f-state"), category: val("f-category"), due_within_h: checked("f-due-soon") ? 2 : "",
      overdue: checked("f-overdue") ? "true" : "", sort: "deadline", limit: 200 });
    const res = await HStaff.call(`/api/v1/stations/${encodeURIComponent(unit)}/inbox?${q}`);
    if (!res.ok) { H.notice(errorBox, "error", res.error); return; }
    H.notice(errorBox, "", "");
    showInbox(res.data);
    await showEscalations(unit);
  }

  async function fillChoices(claims) {
    const units = document.getElementById("f-unit");
    if (claims.unit) units.append(el("option", { value: claims.unit, text: claims.unit }));
    const res = await HStaff.call("/api/v1/units");
    if (res.ok) {
      units.replaceChildren();
      for (const u of res.data.filter((x) => !x.retired_at)) {
        units.append(el("option", { value: u.id, text: H.lang === "en" && u.name_en ? u.name_en : u.name, selected: u.id === claims.unit }));
      }
    }
    const cats = await H.api("/api/v1/categories");
    if (!cats.ok) return;
    for (const c of cats.data) {
      categoryNames.set(c.code, H.lang === "en" ? c.name_en : c.name);
      document.getElementById("f-category").append(el("option", { value: c.code, text: categoryNames.get(c.code) }));
    }
  }

  HStaff.require(async (claims) => {
    document.getElementById("inbox").classList.remove("hidden");
    await fillChoices(claims);
    form.addEventListener("submit", (e) => { e.preventDefault(); load(); });
    ["f-unit", "f-state", "f-category", "f-due-soon", "f-overdue"].forEach((id) => document.getElementById(id).addEventListener("change", load));
    await load();
    setInterval(tick, 1000);
    setInterval(() => { if (!document.hidden) load(); }, 10000);
  });
})();
