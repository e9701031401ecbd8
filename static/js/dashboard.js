// The executive dashboard's charts (Chart.js, vendored), drawn from the json_script data.
// Progressive enhancement: every chart's table is open without JavaScript; once its chart
// is drawn, the table folds away behind "Table". The report page's print button lives here too.
(function () {
  "use strict";

  const printButton = document.querySelector("[data-print]");
  if (printButton) printButton.addEventListener("click", () => window.print());

  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colors = ["#0f5c8c", "#b3261e", "#1c7c43", "#a86400", "#6b3fa0", "#00838f", "#5b6472"];
  const money = (v) => Number(v).toLocaleString(undefined, { maximumFractionDigits: 0 });
  const base = { animation: false, maintainAspectRatio: false, responsive: true };

  const builders = {
    funnel(d) {
      return {
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            { label: "Initiatives", data: d.counts, backgroundColor: colors[0] },
            { label: "Stuck", data: d.stuck, backgroundColor: colors[1] },
          ],
        },
        options: { ...base, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
      };
    },
    finance(d) {
      if (!d.labels.length) return null;
      return {
        type: "bar",
        data: {
          labels: d.labels,
          datasets: [
            { label: "Investment", data: d.investment, backgroundColor: colors[0] },
            { label: "Benefit that held", data: d.counted, backgroundColor: colors[2] },
            { label: "Withheld (relapsed or unsupported)", data: d.withheld, backgroundColor: colors[3] },
          ],
        },
        options: {
          ...base,
          indexAxis: "y",
          scales: { x: { beginAtZero: true, ticks: { callback: money } } },
          plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${money(c.raw)}` } } },
        },
      };
    },
    nps(d) {
      if (!d.series.length) return null;
      return {
        type: "line",
        data: {
          labels: d.labels,
          datasets: d.series.map((s, i) => ({
            label: s.label, data: s.data, borderColor: colors[i % colors.length],
            backgroundColor: colors[i % colors.length], spanGaps: false, tension: 0.2,
          })),
        },
        options: { ...base, scales: { y: { suggestedMin: -100, suggestedMax: 100, title: { display: true, text: "NPS" } } } },
      };
    },
    ipa(d) {
      if (!d.points || !d.points.length) return null;
      const concentrate = d.points.filter((p) => p.quadrant === "concentrate");
      const others = d.points.filter((p) => p.quadrant !== "concentrate");
      const split = (value, axis) => ({
        type: "line", borderDash: [4, 3], borderColor: "#5b6472", borderWidth: 1, pointRadius: 0,
        label: axis === "x" ? "Mean performance" : "Mean importance",
        data: axis === "x" ? [{ x: value, y: 1 }, { x: value, y: d.scale }] : [{ x: 1, y: value }, { x: d.scale, y: value }],
      });
      const datasets = [
        { label: "Concentrate here", data: concentrate, backgroundColor: colors[1], pointRadius: 6 },
        { label: "Other statements", data: others, backgroundColor: colors[0], pointRadius: 4 },
      ];
      if (d.grand_performance != null) datasets.push(split(d.grand_performance, "x"));
      if (d.grand_importance != null) datasets.push(split(d.grand_importance, "y"));
      return {
        type: "scatter",
        data: { datasets },
        options: {
          ...base,
          scales: {
            x: { min: 1, max: d.scale, title: { display: true, text: "Performance" } },
            y: { min: 1, max: d.scale, title: { display: true, text: "Importance" } },
          },
          plugins: { tooltip: { callbacks: { label: (c) => (c.raw.label ? `${c.raw.label}` : c.dataset.label) } } },
        },
      };
    },
  };

  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const key = canvas.dataset.chart;
    const config = builders[key] && data[key] ? builders[key](data[key]) : null;
    if (!config) return;
    new Chart(canvas, config);
    canvas.dataset.rendered = "true";
    const section = canvas.closest("section, .chart-group") || canvas.parentElement;
    const table = canvas.parentElement.nextElementSibling;
    if (table && table.matches("details.chart-table")) table.open = false;
    if (section) section.classList.add("has-chart");
  });
})();
