/* One complaint at the station: facts, deadlines, why it was routed here, history, the
   citizen's masked contact (intake's API; unmasking needs a reason), and the actions. */
"use strict";
(() => {
  const t = H.t, el = H.el;
  const id = H.cfg.complaint_id;
  const errorBox = document.getElementById("case-error");
  const resultBox = document.getElementById("action-result");
  const WORKING = ["assign", "note", "request-information", "resolve", "return", "transfer"];
  const ACTIONS = { routed: ["acknowledge", "return", "transfer"], acknowledged: WORKING, in_progress: WORKING,
    awaiting_citizen: ["assign", "note", "resolve", "return", "transfer"] };
  const FIELDS = { assign: [["officer_id", "officer_id", "input"]], note: [["note", "note", "textarea"]],
    "request-information": [["question", "question", "textarea"]], resolve: [["answer", "answer_text", "textarea"]],
    return: [["reason", "reason", "input"]], transfer: [["to_unit_id", "to_unit", "select"], ["reason", "reason", "input"]] };
  const SHOWN = ["answer", "note", "text", "question", "reason", "officer_id", "to_unit_id"];
  let current = null, units = [], mapDrawn = false;
  const text = (elId, value) => { document.getElementById(elId).textContent = value ?? "—"; };
  const actionLabel = (a) => t("act_" + a.replace("-", "_"));

  function facts(dl, pairs) {
    dl.replaceChildren(...pairs.filter(([, v]) => v).flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
  }

  function render(c) {
    current = c;
    text("c-code", c.tracking_code);
    text("c-state", ("st_" + c.state) in H.cfg.texts ? t("st_" + c.state) : c.state);
    text("c-category", c.category_name);
    text("c-priority", t(c.priority === "urgent" ? "urgent" : "normal"));
    text("c-submitted", H.fmtTime(c.submitted_at));
    text("c-unit", c.unit_name);
    text("c-officer", c.officer_id);
    const loc = c.location || {};
    text("c-location", [loc.address, loc.lat != null ? `${(+loc.lat).toFixed(5)}, ${(+loc.lon).toFixed(5)}` : null].filter(Boolean).join(" · ") || null);
    text("c-subject", c.subject ? Object.values(c.subject).filter(Boolean).join(" · ") : null);
    text("c-description", c.description);
    document.getElementById("c-answer-box").classList.toggle("hidden", !c.answer);
    text("c-answer", c.answer);
    const cycle = c.cycles.filter((x) => !x.cancelled_at).slice(-1)[0] || c.cycles.slice(-1)[0];
    const done = (at) => (at ? ` (${t("done_at")} ${H.fmtTime(at)})` : "");
    facts(document.getElementById("c-deadlines"), cycle ? [[t("ack_due"), H.fmtTime(cycle.ack_due) + done(cycle.ack_done_at)],
      [t("resolve_due"), H.fmtTime(cycle.resolve_due) + done(cycle.resolve_done_at)]] : []);
    text("c-explanation", c.explanation);
    const rows = c.assignments.map((a) => el("tr", {}, el("td", { text: a.unit_name }), el("td", { text: H.fmtTime(a.routed_at) }),
      el("td", { text: a.explanation }), el("td", { text: a.candidates.map((x) => `${x.unit_id}: ${x.why}`).join("; ") }),
      el("td", { text: a.end_reason || "" })));
    document.getElementById("c-assignments").replaceChildren(el("thead", {}, el("tr", {},
      [t("unit"), t("at"), t("routing_explanation"), t("candidates"), ""].map((h) => el("th", { text: h })))), el("tbody", {}, rows));
    document.getElementById("c-history").replaceChildren(...c.history.slice().reverse().map((h) => el("li", { "data-action": h.action },
      el("div", { class: "when", text: `${H.fmtTime(h.at)} · ${h.actor || ""}` }),
      el("strong", { text: ("h_" + h.action) in H.cfg.texts ? t("h_" + h.action) : h.action }),
      el("div", { text: Object.entries(h.detail || {}).filter(([k, v]) => SHOWN.includes(k) && typeof v === "string" && v !== "initial").map(([, v]) => v).join(" · ") }))));
    renderActions(c);
    if (!mapDrawn && loc.lat != null) drawMap(+loc.lat, +loc.lon);
  }

  function renderActions(c) {
    const box = document.getElementById("actions");
    const allowed = ACTIONS[c.state] || [];
    if (!allowed.length) { box.replaceChildren(el("p", { class: "muted", text: t("no_actions") })); return; }
    box.replaceChildren(...allowed.map((action) => {
      const form = el("form", { "data-action": action, novalidate: true });
      for (const [name, label, kind] of FIELDS[action] || []) {
        const fieldId = `${action}-${name}`;
        const input = kind === "select"
          ? el("select", { id: fieldId, name }, units.filter((u) => u.id !== c.unit_id).map((u) => el("option", { value: u.id, text: H.lang === "en" && u.name_en ? u.name_en : u.name })))
          : el(kind, { id: fieldId, name, type: kind === "input" ? "text" : null });
        form.append(el("div", { class: "field" }, el("label", { for: fieldId, text: t(label) }), input));
      }
      form.append(el("div", { class: "actions" }, el("button", { type: "submit", id: `do-${action}`, text: actionLabel(action) })));
      form.addEventListener("submit", (e) => { e.preventDefault(); act(action, form); });
      return action === "acknowledge" ? form : el("details", { class: "card" }, el("summary", { text: actionLabel(action) }), form);
    }));
  }

  async function act(action, form) {
    const body = { version: current.version };
    for (const [name] of FIELDS[action] || []) body[name] = form.elements[name].value;
    const res = await HStaff.call(`/api/v1/assignments/${id}/${action}`, { json: body });
    if (res.status === 422) { H.showFieldErrors(form, res.data.errors, (p) => `${action}-${p.split(".").pop()}`); return; }
    if (res.status === 409) { H.notice(resultBox, "warn", `${t("conflict")} ${res.data.detail || ""}`); await load(); return; }
    if (!res.ok) { H.notice(resultBox, "error", res.status === 403 ? `${t("error_forbidden")} ${res.data?.detail || ""}` : res.error); return; }
    H.notice(resultBox, "ok", t("done", { action: actionLabel(action) }));
    await load();
  }

  async function drawMap(lat, lon) {
    const res = await H.api("/web/jurisdictions.geojson");
    if (!res.ok) return;
    const svg = document.getElementById("map");
    svg.classList.remove("hidden");
    HMap.draw(svg, res.data, { lang: H.lang }).pick(lat, lon);
    mapDrawn = true;
  }

  async function loadContact() {
    const status = document.getElementById("contact-status");
    if (H.urls.intake === null) { H.notice(status, "warn", t("contact_unavailable")); return; }
    const res = await HStaff.call(`${H.urls.intake}/api/v1/complaints/${id}/contact`);
    showContact(res);
  }

  function showContact(res) {
    const status = document.getElementById("contact-status");
    const form = document.getElementById("unmask-form");
    if (!res.ok) { H.notice(status, "warn", res.data?.detail || res.error); form.classList.add("hidden"); return; }
    const c = res.data;
    facts(document.getElementById("contact-facts"), [[t("name"), c.name], [t("phone"), c.phone], [t("email"), c.email]]);
    H.notice(status, c.anonymous ? "" : "warn", c.anonymous ? t("contact_anonymous") : c.masked ? t("contact_masked") : "");
    if (c.anonymous) status.classList.remove("hidden");
    form.classList.toggle("hidden", c.anonymous || !c.masked);
  }

  document.getElementById("unmask-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const res = await HStaff.call(`${H.urls.intake}/api/v1/complaints/${id}/contact/unmask`, { json: { reason: document.getElementById("unmask-reason").value } });
    if (res.status === 422) { H.showFieldErrors(e.target, res.data.errors, () => "unmask-reason"); return; }
    H.clearFieldErrors(e.target);
    showContact(res);
  });

  async function load() {
    const res = await HStaff.call(`/api/v1/assignments/${id}`);
    if (res.status === 403) { H.notice(errorBox, "error", t("not_your_unit")); document.getElementById("case").classList.add("hidden"); return false; }
    if (res.status === 404) { H.notice(errorBox, "error", t("not_found")); return false; }
    if (!res.ok) { H.notice(errorBox, "error", res.error); return false; }
    H.notice(errorBox, "", "");
    document.getElementById("case").classList.remove("hidden");
    render(res.data);
    return true;
  }

  HStaff.require(async () => {
    const list = await HStaff.call("/api/v1/units");
    if (list.ok) units = list.data.filter((u) => !u.retired_at && ["police_station", "community_police_office", "traffic_brigade", "district_bureau"].includes(u.kind));
    if (await load()) await loadContact();
  });
})();
