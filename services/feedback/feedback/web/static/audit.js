/* A complaint's full audit timeline (feedback's hash-chained log), and a check of the chain. */
"use strict";
(() => {
  const el = H.el, t = H.t;
  const input = document.getElementById("audit-complaint");
  const errorBox = document.getElementById("audit-error");

  function entry(e) {
    const facts = el("dl", { class: "facts" });
    const add = (label, value) => { if (value) facts.append(el("dt", { text: label }), el("dd", { text: value })); };
    add(t("who"), e.actor);
    add(t("unit"), e.unit_id);
    if (e.deadline) add(t("due"), Object.entries(e.deadline).map(([k, v]) => `${k}: ${/\d{4}-/.test(String(v)) ? H.fmtTime(v) : v}`).join(" · "));
    add(t("explanation"), e.explanation);
    if (e.verdict) add(t("verdict"), Object.entries(e.verdict).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${v}`).join(" · "));
    return el("li", { "data-type": e.type }, el("div", { class: "when", text: H.fmtTime(e.when) }), el("strong", { text: e.what }), facts);
  }

  async function show(id) {
    const list = document.getElementById("audit-timeline");
    list.replaceChildren();
    H.notice(errorBox, "", "");
    if (!id) return;
    const res = await HStaff.call(`/api/v1/audit/complaints/${encodeURIComponent(id)}`);
    if (res.status === 404 || res.status === 422) { H.notice(errorBox, "error", t("audit_not_found")); return; }
    if (!res.ok) { H.notice(errorBox, "error", res.error); return; }
    list.replaceChildren(...res.data.entries.map(entry));
  }

  async function verify() {
    const box = document.getElementById("chain-result");
    const res = await HStaff.call("/api/v1/audit/verify");
    if (!res.ok) { H.notice(box, "error", res.error); return; }
    const r = res.data;
    H.notice(box, r.ok ? "ok" : "error", r.ok ? t("chain_ok", { n: r.checked }) : t("chain_bad", r.first_mismatch));
  }

  HStaff.require(() => {
    document.getElementById("audit").classList.remove("hidden");
    document.getElementById("verify-chain").addEventListener("click", verify);
    input.value = new URLSearchParams(location.search).get("complaint") || "";
    show(input.value.trim());
  });
})();
