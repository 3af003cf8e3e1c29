/* The demo city's jurisdictions drawn as SVG from their GeoJSON (no tile server is needed):
   district bureaus as coloured areas, police stations inside them, community police offices
   dashed. A click (or tap) picks a point and reports the station whose area contains it. */
"use strict";
const HMap = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const PALETTE = ["#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#ede9fe", "#cffafe"];
  const WIDTH = 1000;

  function rings(geometry) {
    if (!geometry) return [];
    if (geometry.type === "Polygon") return [geometry.coordinates];
    if (geometry.type === "MultiPolygon") return geometry.coordinates;
    return [];
  }

  function inRing(lon, lat, ring) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i], [xj, yj] = ring[j];
      if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function contains(feature, lon, lat) {
    return rings(feature.geometry).some((poly) => inRing(lon, lat, poly[0]) && !poly.slice(1).some((hole) => inRing(lon, lat, hole)));
  }

  function label(props, lang) {
    if (lang === "en" && props.name_en) return props.name_en.replace(/ \(.*\)$/, "").replace(/ Police Station$/, "");
    return (props.name || props.id).replace(/^.*分局(?=.+派出所$)/, "").replace(/派出所$/, "所");
  }

  /* Draw `geojson` into `svg`; returns {pick(lat, lon), unitsAt(lat, lon), describe(found)}. */
  function draw(svg, geojson, opts = {}) {
    const lang = opts.lang || "zh-CN";
    const drawn = geojson.features.filter((f) => f.geometry && f.properties.kind !== "traffic_brigade");
    const pts = drawn.flatMap((f) => rings(f.geometry).flatMap((p) => p[0]));
    const minX = Math.min(...pts.map((p) => p[0])), maxX = Math.max(...pts.map((p) => p[0]));
    const minY = Math.min(...pts.map((p) => p[1])), maxY = Math.max(...pts.map((p) => p[1]));
    const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180); // equirectangular, true to scale at mid-latitude
    const scale = WIDTH / ((maxX - minX) * kx);
    const height = Math.round((maxY - minY) * scale);
    const x = (lon) => (lon - minX) * kx * scale, y = (lat) => (maxY - lat) * scale;
    const lonOf = (px) => px / (kx * scale) + minX, latOf = (py) => maxY - py / scale;
    svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
    svg.replaceChildren();
    const bureaus = drawn.filter((f) => f.properties.kind === "district_bureau").map((f) => f.properties.id);
    const colour = (f) => PALETTE[Math.max(0, bureaus.indexOf(f.properties.kind === "district_bureau" ? f.properties.id : f.properties.parent_id)) % PALETTE.length];
    const order = { district_bureau: 0, police_station: 1, community_police_office: 2 };
    const byId = {};
    for (const f of drawn.slice().sort((a, b) => (order[a.properties.kind] ?? 3) - (order[b.properties.kind] ?? 3))) {
      const d = rings(f.geometry).map((poly) => poly.map((ring) => "M" + ring.map(([lo, la]) => `${x(lo).toFixed(1)},${y(la).toFixed(1)}`).join("L") + "Z").join("")).join("");
      const path = document.createElementNS(NS, "path");
      path.setAttribute("d", d);
      path.setAttribute("fill-rule", "evenodd");
      path.dataset.unit = f.properties.id;
      const kind = f.properties.kind;
      path.setAttribute("fill", kind === "community_police_office" ? "none" : colour(f));
      if (kind === "community_police_office") path.setAttribute("stroke-dasharray", "4 3");
      if (kind === "district_bureau") path.setAttribute("stroke-width", "2.5");
      const title = document.createElementNS(NS, "title");
      title.textContent = lang === "en" && f.properties.name_en ? f.properties.name_en : f.properties.name;
      path.append(title);
      svg.append(path);
      byId[f.properties.id] = path;
    }
    for (const f of drawn.filter((g) => g.properties.kind === "police_station")) {
      const ring = rings(f.geometry)[0][0];
      const cx = ring.reduce((s, p) => s + x(p[0]), 0) / ring.length, cy = ring.reduce((s, p) => s + y(p[1]), 0) / ring.length;
      const text = document.createElementNS(NS, "text");
      text.setAttribute("x", cx.toFixed(1)); text.setAttribute("y", cy.toFixed(1));
      text.setAttribute("text-anchor", "middle");
      text.textContent = label(f.properties, lang);
      svg.append(text);
    }
    const marker = document.createElementNS(NS, "circle");
    marker.setAttribute("r", "9"); marker.setAttribute("class", "marker hidden");
    svg.append(marker);

    /* The front-line units whose area holds the point: the police station, and the
       community police office inside it if any (routing decides by category which one). */
    function unitsAt(lat, lon) {
      const hits = drawn.filter((f) => contains(f, lon, lat));
      const station = hits.find((f) => f.properties.kind === "police_station") || null;
      const office = hits.find((f) => f.properties.kind === "community_police_office") || null;
      return station || office ? { station, office } : null;
    }

    function pick(lat, lon) {
      Object.values(byId).forEach((p) => p.classList.remove("selected"));
      if (lat === null || lat === undefined) { marker.classList.add("hidden"); return null; }
      marker.setAttribute("cx", x(lon).toFixed(1)); marker.setAttribute("cy", y(lat).toFixed(1));
      marker.classList.remove("hidden");
      const found = unitsAt(lat, lon);
      if (found && found.station) byId[found.station.properties.id].classList.add("selected");
      return found;
    }

    if (opts.onPick) {
      svg.addEventListener("click", (event) => {
        const box = svg.getBoundingClientRect();
        const px = ((event.clientX - box.left) / box.width) * WIDTH, py = ((event.clientY - box.top) / box.height) * height;
        const lat = +latOf(py).toFixed(6), lon = +lonOf(px).toFixed(6);
        opts.onPick(lat, lon, pick(lat, lon));
      });
    }
    const name = (f) => (lang === "en" && f.properties.name_en ? f.properties.name_en : f.properties.name);
    const describe = (found) => [found.station, found.office].filter(Boolean).map(name).join(" · ");
    return { pick, unitsAt, describe, project: (lat, lon) => [x(lon), y(lat)] };
  }

  return { draw };
})();
