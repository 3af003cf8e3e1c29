/* Tracking a complaint with its code and token (kept in this page's memory only): status,
   unit, deadlines, timeline and answer; answering an information request; the verdict,
   which goes to feedback's API (a sibling service, allowed by CORS: docs/web.md). */
"use strict";
(() => {
  const t = H.t, el = H.el;
  const WITHDRAWABLE = ["submitted", "routed", "rerouted", "returned", "unroutable", "acknowledged", "in_progress", "awaiting_citizen", "reopened"];
  const creds = { code: null, token: null };
  const errorBox = document.getElementById("track-error");
  let timer = null;
  const text = (id, value) => { document.getElementById(id).textContent = value ?? "—"; };
  const show = (id, on) => document.getElementById(id).classList.toggle("hidden", !on);
  const citizenHeaders = () => ({ "X-Access-Token": creds.token });

  function timelineItem(item) {
    const d = item.detail || {};
    const vars = { unit_name: d.unit_name || "", question: d.question || "", text: d.text || "", until: H.fmtTime(d.until),
      owner_unit_name: d.owner_unit_name || "", deadline: H.fmtTime(d.deadline), summary: d.summary || "" };
    const key = "tl_" + item.kind;
    return el("li", { "data-kind": item.kind }, el("div", { class: "when", text: H.fmtTime(item.at) }),
      el("div", { text: key in H.cfg.texts ? t(key, vars) : item.kind }));
  }

  /* Only an adopted hot spot is shown: its size, owner and deadline, never other complaints. */
  function showHotspot(h) {
    show("hotspot-box", Boolean(h));
    if (!h) return;
    const box = document.getElementById("hotspot-text");
    box.dataset.status = h.status;
    box.textContent = h.status === "solved"
      ? t("hotspot_solved", { at: H.fmtTime(h.solved_at), summary: h.solved_summary || "" })
      : t("hotspot_adopted", { n: h.complaints_in_it, unit: h.owner_unit_name || "—", deadline: H.fmtTime(h.deadline) });
  }

  function render(c) {
    text("state", c.state_label[H.lang] || c.state);
    document.getElementById("state").dataset.state = c.state;
    text("f-code", c.tracking_code);
    text("f-category", c.category.name[H.lang] + (c.priority === "urgent" ? ` (${t("priority_urgent")})` : ""));
    text("f-unit", c.unit ? c.unit.name || c.unit.id : t("unit_pending"));
    text("f-submitted", H.fmtTime(c.submitted_at));
    text("f-ack-by", H.fmtTime(c.deadlines.acknowledge_by));
    text("f-resolve-by", H.fmtTime(c.deadlines.resolve_by));
    text("f-updated", H.fmtTime(c.updated_at));
    text("f-description", c.description);
    const loc = c.location;
    text("f-location", [loc.address, loc.lat !== null ? `${loc.lat.toFixed(5)}, ${loc.lon.toFixed(5)}` : null].filter(Boolean).join(" · "));
    show("answer-box", Boolean(c.answer));
    text("answer", c.answer);
    text("resolved-at", H.fmtTime(c.resolved_at));
    const asked = c.state === "awaiting_citizen" && c.information_request;
    show("info-box", Boolean(asked));
    if (asked) text("info-question", c.information_request.question);
    showHotspot(c.hotspot);
    show("withdraw-box", WITHDRAWABLE.includes(c.state));
    document.getElementById("timeline").replaceChildren(...c.timeline.slice().reverse().map(timelineItem));
    if (c.feedback.requested || ["resolved", "closed"].includes(c.state)) loadVerdict();
    else show("verdict-box", false);
  }

  async function lookup() {
    const res = await H.api(`/api/v1/complaints/${encodeURIComponent(creds.code)}`, { headers: citizenHeaders() });
    if (res.status === 404) { H.notice(errorBox, "error", t("track_not_found")); show("complaint", false); return false; }
    if (!res.ok) { H.notice(errorBox, "error", res.error); return false; }
    H.notice(errorBox, "", "");
    show("complaint", true);
    render(res.data);
    return true;
  }

  async function loadVerdict() {
    const status = document.getElementById("verdict-status");
    const vform = document.getElementById("verdict-form");
    show("verdict-box", true);
    if (H.urls.feedback === null) { H.notice(status, "warn", t("verdict_unavailable")); return; }
    const res = await H.api(`${H.urls.feedback}/api/v1/complaints/${encodeURIComponent(creds.code)}/feedback`, { headers: citizenHeaders() });
    if (!res.ok) { H.notice(status, "error", res.error); return; }
    const fb = res.data;
    if (fb.status === "open") {
      text("verdict-until", H.fmtTime(fb.closes_at));
      if (vform.classList.contains("hidden")) vform.classList.remove("hidden");
      H.notice(status, "", "");
    } else {
      vform.classList.add("hidden");
      if (fb.status === "given") {
        const v = fb.verdict;
        H.notice(status, "ok", `${t("verdict_given")}: ${v.resolved ? t("yes") : t("no")} · ${t(v.satisfaction)}` +
          (v.reopen_requested ? ` · ${t("verdict_reopen")}` : ""));
      } else if (fb.status === "expired") H.notice(status, "warn", t("verdict_expired"));
      else show("verdict-box", false);
    }
  }

  document.getElementById("track-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    creds.code = document.getElementById("track-code").value.trim();
    creds.token = document.getElementById("track-token").value.trim();
    if (!creds.code || !creds.token) { H.notice(errorBox, "error", t("track_not_found")); return; }
    clearInterval(timer);
    if (await lookup()) timer = setInterval(() => { if (!document.hidden) lookup(); }, 15000);
  });
  document.getElementById("refresh").addEventListener("click", lookup);

  document.getElementById("info-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const res = await H.api(`/api/v1/complaints/${encodeURIComponent(creds.code)}/information`,
      { json: { text: document.getElementById("info-text").value }, headers: citizenHeaders() });
    if (res.status === 422) { H.showFieldErrors(form, res.data.errors, () => "info-text"); return; }
    if (!res.ok) { H.notice(errorBox, "error", res.error); return; }
    H.clearFieldErrors(form);
    document.getElementById("info-text").value = "";
    render(res.data);
  });

  document.getElementById("verdict-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const resolved = form.querySelector("input[name=resolved]:checked");
    const satisfaction = form.querySelector("input[name=satisfaction]:checked");
    const missing = [];
    if (!resolved) missing.push({ path: "resolved", code: "verdict_choose", message: t("verdict_choose") });
    if (!satisfaction) missing.push({ path: "satisfaction", code: "verdict_choose", message: t("verdict_choose") });
    if (missing.length) { H.showFieldErrors(form, missing, (p) => "verdict-" + p); return; }
    const comment = document.getElementById("verdict-comment").value.trim();
    const res = await H.api(`${H.urls.feedback}/api/v1/complaints/${encodeURIComponent(creds.code)}/feedback`, {
      json: { resolved: resolved.value === "true", satisfaction: satisfaction.value, comment: comment || null }, headers: citizenHeaders() });
    const status = document.getElementById("verdict-status");
    if (res.status === 409) { H.notice(status, "warn", t(res.data.code) || res.data.detail); return; }
    if (res.status === 422) { H.showFieldErrors(form, res.data.errors, (p) => (p.includes("comment") ? "verdict-comment" : null)); return; }
    if (!res.ok) { H.notice(status, "error", res.error); return; }
    H.clearFieldErrors(form);
    await loadVerdict();
    H.notice(status, "ok", `${t("verdict_thanks")} ${status.textContent}`);
    setTimeout(lookup, 1500);
  });

  document.getElementById("withdraw-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const reason = document.getElementById("withdraw-reason").value.trim();
    const res = await H.api(`/api/v1/complaints/${encodeURIComponent(creds.code)}/withdraw`,
      { json: reason ? { reason } : {}, headers: citizenHeaders() });
    if (!res.ok) { H.notice(errorBox, "error", res.error); return; }
    render(res.data);
  });
})();
