/* Shared helpers of the Huiyin pages: texts, formatting, JSON API calls, field errors and
   the staff sign-in kept in sessionStorage (never localStorage). No data is ever inserted
   as HTML: every value goes through textContent. */
"use strict";
const H = (() => {
  const cfg = JSON.parse(document.getElementById("page-config").textContent);
  const TZ = "Asia/Shanghai";
  const STAFF_KEY = "huiyin.staff.token";

  function t(key, vars) {
    let s = cfg.texts[key] ?? key;
    for (const [k, v] of Object.entries(vars || {})) s = s.replaceAll("{" + k + "}", String(v));
    return s;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  const dateTime = new Intl.DateTimeFormat(cfg.lang, { timeZone: TZ, year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  const fmtTime = (iso) => (iso ? dateTime.format(new Date(iso)) : "—");

  function fmtDuration(seconds) {
    if (seconds === null || seconds === undefined) return "—";
    const sign = seconds < 0 ? "-" : "";
    let s = Math.floor(Math.abs(seconds));
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    const pad = (n) => String(n).padStart(2, "0");
    const clock = `${pad(h)}:${pad(m)}:${pad(s)}`;
    return sign + (d ? (cfg.lang === "en" ? `${d}d ` : `${d}天 `) : "") + clock;
  }

  function fmtRate(rate) {
    if (!rate || rate.value === null || rate.value === undefined) return t("no_data");
    return `${(rate.value * 100).toFixed(1)}%`;
  }

  async function api(url, opts = {}) {
    const headers = Object.assign({ Accept: "application/json" }, opts.headers || {});
    let body = opts.body;
    if (opts.json !== undefined) { headers["Content-Type"] = "application/json"; body = JSON.stringify(opts.json); }
    if (opts.form) { body = new URLSearchParams(opts.form); }
    if (opts.token) headers.Authorization = "Bearer " + opts.token;
    let response;
    try {
      response = await fetch(url, { method: opts.method || (body ? "POST" : "GET"), headers, body });
    } catch (err) {
      return { ok: false, status: 0, data: null, error: t("error_network") };
    }
    if (opts.raw) return { ok: response.ok, status: response.status, response };
    let data = null;
    const type = response.headers.get("content-type") || "";
    if (type.includes("json")) data = await response.json();
    return { ok: response.ok, status: response.status, data, error: response.ok ? null : describe(response.status, data) };
  }

  function describe(status, data) {
    if (status === 0) return t("error_network");
    if (status === 401) return t("error_signin");
    if (status === 429) return t("error_rate");
    if (status === 422) return t("error_invalid");
    if (status >= 500) return t("error_server");
    return (data && data.detail) || t("error_server");
  }

  function fieldMessage(error) {
    const key = "code_" + error.code;
    return cfg.lang === "en" || !(key in cfg.texts) ? error.message : cfg.texts[key];
  }

  /* Show each API field error next to its field. `fieldFor(path)` names the element id. */
  function showFieldErrors(form, errors, fieldFor) {
    clearFieldErrors(form);
    const unplaced = [];
    for (const error of errors || []) {
      const id = fieldFor(error.path);
      const field = id && document.getElementById(id);
      if (!field) { unplaced.push(fieldMessage(error)); continue; }
      field.classList.add("invalid");
      field.setAttribute("aria-invalid", "true");
      const msgId = "error-" + id;
      let msg = document.getElementById(msgId);
      if (!msg) {
        msg = el("div", { class: "field-error", id: msgId, role: "alert" });
        (field.closest(".field") || field).after(msg);
      }
      msg.textContent = msg.textContent ? msg.textContent + "; " + fieldMessage(error) : fieldMessage(error);
      field.setAttribute("aria-describedby", msgId);
    }
    return unplaced;
  }

  function clearFieldErrors(form) {
    form.querySelectorAll(".field-error").forEach((n) => n.remove());
    form.querySelectorAll(".invalid").forEach((n) => { n.classList.remove("invalid"); n.removeAttribute("aria-invalid"); });
  }

  function notice(box, kind, text) {
    box.replaceChildren();
    if (!text) { box.classList.add("hidden"); return; }
    box.classList.remove("hidden");
    box.className = "notice " + kind;
    box.setAttribute("role", kind === "error" ? "alert" : "status");
    box.textContent = text;
  }

  /* The staff JWT lives in this tab's sessionStorage only; the claims are read for display. */
  const staff = {
    token: () => sessionStorage.getItem(STAFF_KEY),
    save: (token) => sessionStorage.setItem(STAFF_KEY, token),
    clear: () => sessionStorage.removeItem(STAFF_KEY),
    claims() {
      const token = staff.token();
      if (!token) return null;
      try {
        const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
        const claims = JSON.parse(decodeURIComponent(escape(atob(part))));
        if (claims.exp && claims.exp * 1000 < Date.now()) { staff.clear(); return null; }
        return claims;
      } catch (err) { staff.clear(); return null; }
    },
  };

  async function signIn(username, password) {
    if (cfg.urls.routing === null) return { ok: false, error: t("signin_needs_routing") };
    const res = await api(cfg.urls.routing + "/api/v1/auth/token", { form: { username, password } });
    if (res.ok) { staff.save(res.data.access_token); return { ok: true }; }
    return { ok: false, error: res.status === 401 ? t("signin_wrong") : res.error };
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, v);
    return q.toString();
  }

  return { cfg, t, el, fmtTime, fmtDuration, fmtRate, api, describe, showFieldErrors, clearFieldErrors, notice,
    staff, signIn, query, lang: cfg.lang, urls: cfg.urls };
})();
