/* Hot spots in the staff's scope: newest first, with their counts, keywords, unit and the
   state of their deadline. */
"use strict";
(() => {
  const t = H.t, el = H.el;
  const tbody = document.querySelector("#hs-table tbody");
  const errorBox = document.getElementById("hs-error");
  const val = (id) => document.getElementById(id).value;
  const label = (prefix, v) => ((prefix + v) in H.cfg.texts ? t(prefix + v) : v);

  function badge(sla) {
    const kind = { overdue: "bad", missed: "bad", met: "ok", open: "warn" }[sla.state] || "";
    return el("span", { class: `badge ${kind}`, text: label("hs_sla_", sla.state) });
  }

  function show(page) {
    document.getElementById("hs-total").textContent = t("hotspots_total", { n: page.total });
    document.getElementById("hs-empty").classList.toggle("hidden", page.items.length > 0);
    tbody.replaceChildren(...page.items.map((h) => el("tr", { "data-hotspot": h.id },
      el("td", { "data-label": t("hs_detected_at") }, el("a", { href: `/station/hotspots/${h.id}`, text: H.fmtTime(h.detected_at) })),
      el("td", { "data-label": t("category"), text: h.category_name }),
      el("td", { "data-label": t("hs_keywords"), text: h.keywords.join(" · ") }),
      el("td", { class: "num", "data-label": t("hs_complaints"), text: String(h.complaint_count) }),
      el("td", { class: "num", "data-label": t("hs_citizens"), text: String(h.citizen_count) }),
      el("td", { "data-label": t("unit"), text: h.owner_unit_name || h.unit_name || "—" }),
      el("td", { "data-label": t("hs_status"), text: label("hs_", h.status) }),
      el("td", { "data-label": t("hs_deadline") }, h.sla.deadline ? `${H.fmtTime(h.sla.deadline)} ` : "", badge(h.sla)))));
  }

  async function load() {
    const res = await HStaff.call(`/api/v1/hotspots?${H.query({ status: val("f-status"), category: val("f-category"), limit: 200 })}`);
    if (!res.ok) { H.notice(errorBox, "error", res.status === 403 ? t("error_forbidden") : res.error); return; }
    H.notice(errorBox, "", "");
    show(res.data);
  }

  HStaff.require(async () => {
    document.getElementById("hotspots").classList.remove("hidden");
    const cats = await H.api("/api/v1/categories");
    if (cats.ok) for (const c of cats.data) document.getElementById("f-category").append(el("option", { value: c.code, text: H.lang === "en" ? c.name_en : c.name }));
    document.getElementById("hs-filters").addEventListener("submit", (e) => { e.preventDefault(); load(); });
    ["f-status", "f-category"].forEach((id) => document.getElementById(id).addEventListener("change", load));
    await load();
  });
})();
