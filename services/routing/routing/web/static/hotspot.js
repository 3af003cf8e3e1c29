/* One hot spot: its facts, a map of its complaints over the jurisdictions, its growth, its
   deadline, progress notes, and the adopt / note / solve forms for those allowed. */
"use strict";
(() => {
  const t = H.t, el = H.el;
  const id = H.cfg.hotspot_id;
  const NS = "http://www.w3.org/2000/svg";
  const errorBox = document.getElementById("hs-error");
  const resultBox = document.getElementById("hs-result");
  const label = (prefix, v) => ((prefix + v) in H.cfg.texts ? t(prefix + v) : v);
  const text = (elId, value) => { document.getElementById(elId).textContent = value ?? "—"; };
  let current = null, claims = null, geojson = null, units = [];

  function svgEl(tag, attrs) {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  }

  function drawMap(h) {
    if (!geojson) return;
    const svg = document.getElementById("hs-map");
    const map = HMap.draw(svg, geojson, { lang: H.lang });
    for (const c of h.complaints) {
      const [x, y] = map.project(c.lat, c.lon);
      const dot = svgEl("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 7, class: "marker", "data-complaint": c.complaint_id });
      dot.append(Object.assign(document.createElementNS(NS, "title"), { textContent: c.tracking_code || c.complaint_id }));
      svg.append(dot);
    }
  }

  function drawGrowth(points) {
    const svg = document.getElementById("hs-growth");
    svg.replaceChildren();
    const W = 320, Hh = 160, pad = 28, max = Math.max(1, ...points.map((p) => p.total));
    const x = (i) => pad + (points.length > 1 ? (i * (W - 2 * pad)) / (points.length - 1) : (W - 2 * pad) / 2);
    const y = (v) => Hh - pad - (v * (Hh - 2 * pad)) / max;
    svg.append(svgEl("line", { x1: pad, y1: Hh - pad, x2: W - pad, y2: Hh - pad, stroke: "#9aa5b1" }));
    svg.append(svgEl("polyline", { points: points.map((p, i) => `${x(i)},${y(p.total)}`).join(" "), fill: "none", stroke: "#b42318", "stroke-width": 2 }));
    points.forEach((p, i) => {
      svg.append(svgEl("circle", { cx: x(i), cy: y(p.total), r: 3, fill: "#b42318" }));
      const tx = svgEl("text", { x: x(i), y: Hh - 8, "text-anchor": "middle", "font-size": 10 });
      tx.textContent = String(p.date).slice(5);
      svg.append(tx);
    });
    const top = svgEl("text", { x: 4, y: y(max) + 4, "font-size": 10 });
    top.textContent = String(max);
    svg.append(top);
    document.getElementById("hs-growth-table").replaceChildren(el("tr", {}, [t("hs_day"), t("hs_new"), t("hs_total")].map((s) => el("th", { text: s }))),
      ...points.map((p) => el("tr", {}, el("td", { text: p.date }), el("td", { text: String(p.count) }), el("td", { text: String(p.total) }))));
  }

  function facts(dl, pairs) {
    dl.replaceChildren(...pairs.filter(([, v]) => v).flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
  }

  function render(h) {
    current = h;
    text("h-category", h.category_name);
    text("h-status", label("hs_", h.status));
    text("h-keywords", h.keywords.join(" · "));
    text("h-count", String(h.complaint_count));
    text("h-citizens", String(h.citizen_count));
    text("h-unit", h.unit_name);
    text("h-span", `${H.fmtTime(h.first_at)} / ${H.fmtTime(h.last_at)}`);
    text("h-detected", H.fmtTime(h.detected_at));
    facts(document.getElementById("h-sla"), [[t("hs_status"), label("hs_sla_", h.sla.state)], [t("hs_owner"), h.owner_unit_name],
      [t("hs_deadline"), h.sla.deadline && H.fmtTime(h.sla.deadline)],
      [t("hs_adopted_by"), h.adoption && `${h.adoption.by} · ${H.fmtTime(h.adoption.at)}${h.adoption.note ? " · " + h.adoption.note : ""}`],
      [t("hs_solution"), h.solution && `${h.solution.summary} · ${h.solution.by} · ${H.fmtTime(h.solution.at)}`]]);
    document.getElementById("h-notes").replaceChildren(...(h.notes.length ? h.notes.slice().reverse().map((n) => el("li", {},
      el("div", { class: "when", text: `${H.fmtTime(n.at)} · ${n.by}` }), el("div", { text: n.note }))) : [el("li", { class: "muted", text: t("hs_no_notes") })]));
    document.querySelector("#h-complaints tbody").replaceChildren(...h.complaints.map((c) => el("tr", {},
      el("td", { "data-label": t("tracking_code") }, el("a", { href: `/station/complaints/${c.complaint_id}`, text: c.tracking_code || c.complaint_id.slice(0, 8) })),
      el("td", { "data-label": t("submitted_at"), text: H.fmtTime(c.submitted_at) }), el("td", { "data-label": t("unit"), text: c.unit_name || "—" }),
      el("td", { "data-label": t("location"), text: `${c.lat.toFixed(5)}, ${c.lon.toFixed(5)}` }))));
    drawGrowth(h.growth);
    drawMap(h);
    showForms(h);
  }

  function showForms(h) {
    const sup = claims.role === "supervision", owner = claims.unit && claims.unit === h.owner_unit_id;
    const allowed = {
      "adopt-form": sup && h.status === "detected",
      "note-form": h.status === "adopted" && (sup || (owner && ["officer", "station_head", "district_supervisor"].includes(claims.role))),
      "solve-form": h.status === "adopted" && (sup || (owner && claims.role === "station_head")),
    };
    for (const [formId, ok] of Object.entries(allowed)) document.getElementById(formId).classList.toggle("hidden", !ok);
    document.getElementById("hs-no-actions").classList.toggle("hidden", Object.values(allowed).some(Boolean));
  }

  async function act(action, form, body) {
    const res = await HStaff.call(`/api/v1/hotspots/${id}/${action}`, { json: { ...body, version: current.version } });
    if (res.status === 422) { H.showFieldErrors(form, res.data.errors, (p) => `${form.id.replace("-form", "")}-${p.split(".").pop()}`); return; }
    H.clearFieldErrors(form);
    if (!res.ok) { H.notice(resultBox, res.status === 409 ? "warn" : "error", res.data?.detail || res.error); await load(); return; }
    H.notice(resultBox, "ok", t("hs_done"));
    form.reset();
    render(res.data);
  }

  const forms = {
    "adopt-form": (f) => ["adopt", { owner_unit_id: f.elements.owner_unit_id.value, note: f.elements.note.value || null,
      deadline: f.elements.deadline.value ? new Date(f.elements.deadline.value).toISOString() : "" }],
    "note-form": (f) => ["notes", { note: f.elements.note.value }],
    "solve-form": (f) => ["solve", { summary: f.elements.summary.value }],
  };
  for (const [formId, read] of Object.entries(forms)) {
    const form = document.getElementById(formId);
    form.addEventListener("submit", (e) => { e.preventDefault(); const [action, body] = read(form); act(action, form, body); });
  }

  async function load() {
    const res = await HStaff.call(`/api/v1/hotspots/${id}`);
    if (res.status === 403) { H.notice(errorBox, "error", t("hs_forbidden")); return; }
    if (res.status === 404) { H.notice(errorBox, "error", t("hs_not_found")); return; }
    if (!res.ok) { H.notice(errorBox, "error", res.error); return; }
    document.getElementById("hotspot").classList.remove("hidden");
    render(res.data);
  }

  HStaff.require(async (who) => {
    claims = who;
    const [geo, list] = await Promise.all([H.api("/web/jurisdictions.geojson"), HStaff.call("/api/v1/units")]);
    if (geo.ok) geojson = geo.data;
    if (list.ok) units = list.data.filter((u) => !u.retired_at && u.kind !== "dispatch_desk");
    document.getElementById("adopt-owner_unit_id").replaceChildren(...units.map((u) => el("option", { value: u.id, text: H.lang === "en" && u.name_en ? u.name_en : u.name })));
    await load();
    if (current) document.getElementById("adopt-owner_unit_id").value = current.unit_id;
  });
})();
