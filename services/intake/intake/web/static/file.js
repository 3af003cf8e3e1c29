/* Filing a complaint: character counter, a point picked on the jurisdiction map, contact or
   anonymous, then POST /api/v1/complaints; field errors are shown next to their fields. The
   tracking code and access token are shown once and stored nowhere. */
"use strict";
(() => {
  const t = H.t;
  const form = document.getElementById("file-form");
  const formError = document.getElementById("form-error");
  const point = { lat: null, lon: null };
  let map = null;
  let idempotencyKey = newKey();

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const description = document.getElementById("description");
  const counter = document.getElementById("description-count");
  const count = () => { counter.textContent = `${[...description.value].length} / 5000 ${t("chars")}`; };
  description.addEventListener("input", count);
  count();

  document.querySelectorAll("input[name=contact_mode]").forEach((r) => r.addEventListener("change", () => {
    document.getElementById("contact-fields").classList.toggle("hidden", !document.getElementById("contact-named").checked);
  }));

  function showPoint(found) {
    const picked = document.getElementById("picked");
    document.getElementById("clear-point").classList.toggle("hidden", point.lat === null);
    if (point.lat === null) { picked.textContent = t("picked_none"); return; }
    const where = found ? map.describe(found) : t("outside_city");
    picked.textContent = `${t("picked")}: ${point.lat.toFixed(5)}, ${point.lon.toFixed(5)} · ${t("jurisdiction")}: ${where}`;
  }

  async function loadMap() {
    const svg = document.getElementById("map");
    const res = H.urls.routing === null ? { ok: false } : await H.api(H.urls.routing + "/web/jurisdictions.geojson");
    if (!res.ok) {
      svg.classList.add("hidden");
      document.getElementById("map-unavailable").classList.remove("hidden");
      return;
    }
    map = HMap.draw(svg, res.data, { lang: H.lang, onPick: (lat, lon, found) => {
      point.lat = lat; point.lon = lon; showPoint(found);
    } });
    document.getElementById("clear-point").addEventListener("click", () => {
      point.lat = point.lon = null; map.pick(null); showPoint(null);
    });
  }

  function body() {
    const value = (id) => document.getElementById(id).value.trim();
    const out = { category: value("category"), description: description.value, channel: "web",
      location: { address: value("address") || null, lat: point.lat, lon: point.lon } };
    const occurred = value("occurred_at");
    if (occurred) out.occurred_at = new Date(occurred).toISOString();
    if (document.getElementById("contact-named").checked) {
      out.contact = { name: value("contact_name") || null, phone: value("contact_phone") || null, email: value("contact_email") || null };
    }
    const links = value("attachments").split(/\s+/).filter(Boolean);
    if (links.length) out.attachments = links;
    return out;
  }

  function fieldFor(path) {
    const p = path.replace(/^body\.?/, "");
    const exact = { category: "category", description: "description", occurred_at: "occurred_at",
      "contact.name": "contact_name", "contact.phone": "contact_phone", "contact.email": "contact_email",
      contact: "contact_phone", "location.address": "address" };
    if (p in exact) return exact[p];
    if (p.startsWith("location")) return "location";
    if (p.startsWith("attachments")) return "attachments";
    return null;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = document.getElementById("file-submit");
    button.disabled = true;
    const res = await H.api("/api/v1/complaints", { json: body(), headers: { "Idempotency-Key": idempotencyKey } });
    button.disabled = false;
    if (res.status === 422) {
      const unplaced = H.showFieldErrors(form, res.data.errors, fieldFor);
      H.notice(formError, "error", [t("error_invalid"), ...unplaced].join(" "));
      const first = form.querySelector(".invalid");
      if (first) first.scrollIntoView({ block: "center" });
      return;
    }
    if (!res.ok) { H.notice(formError, "error", res.error); return; }
    H.clearFieldErrors(form);
    H.notice(formError, "", "");
    idempotencyKey = newKey();
    form.classList.add("hidden");
    document.getElementById("filed-code").textContent = res.data.tracking_code;
    document.getElementById("filed-token").textContent = res.data.access_token;
    document.getElementById("filed-duplicate").classList.toggle("hidden", !res.data.possible_duplicate);
    document.getElementById("filed").classList.remove("hidden");
    window.scrollTo(0, 0);
  });

  document.querySelectorAll("[data-copy]").forEach((b) => b.addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(document.getElementById(b.dataset.copy).textContent); b.textContent = t("copied"); }
    catch (err) { b.textContent = t("copy"); }
  }));

  loadMap();
})();
