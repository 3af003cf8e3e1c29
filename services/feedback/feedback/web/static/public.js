/* A unit's public trend: the rates of its last published months as lines (a month whose
   rate is not published is a gap, never a zero). The same numbers are in the table. */
"use strict";
(() => {
  const cfg = JSON.parse(document.getElementById("page-config").textContent);
  const trend = cfg.trend;
  const canvas = document.getElementById("trend-chart");
  if (!trend || !canvas) return;
  if (typeof Chart === "undefined") {
    document.querySelectorAll(".chart-missing").forEach((n) => n.classList.remove("hidden"));
    canvas.closest(".chart-box").classList.add("hidden");
    return;
  }
  const COLOURS = ["#1d4ed8", "#0f766e", "#b45309", "#b3261e", "#6b21a8"];
  const value = (p, name) => {
    const f = p.row && p.row.rates[name];
    return f && f.status === "published" ? +(f.value * 100).toFixed(2) : null;
  };
  new Chart(canvas, {
    type: "line",
    data: {
      labels: trend.months.map((p) => p.month),
      datasets: cfg.rates.map((name, i) => ({ label: H.t(name), data: trend.months.map((p) => value(p, name)),
        borderColor: COLOURS[i], backgroundColor: COLOURS[i], fill: false, tension: 0.2, pointRadius: 4 })),
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, spanGaps: false,
      scales: { y: { min: 0, max: 100, ticks: { callback: (v) => v + "%" } } } },
  });
})();
