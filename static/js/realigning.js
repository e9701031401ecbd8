// The control chart: the series, its sustained level and limits, baseline, target, flags.
(function () {
  const canvas = document.getElementById("control-chart");
  const source = document.getElementById("control-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  const d = JSON.parse(source.textContent);
  const flat = (value) => d.labels.map(() => value);
  const flagged = new Set(d.flagged);
  const datasets = [{
    label: "Measured", data: d.values, borderColor: "#0f5c8c", borderWidth: 1.5,
    pointRadius: d.labels.map((l) => (flagged.has(l) ? 5 : 0)),
    pointBackgroundColor: "#b3261e", tension: 0,
  }];
  const line = (label, value, color, dash) => {
    if (value === null || value === undefined) return;
    datasets.push({ label, data: flat(value), borderColor: color, borderDash: dash || [],
      borderWidth: 1.5, pointRadius: 0 });
  };
  line("Baseline", d.baseline, "#b3261e", [6, 4]);
  line("Target", d.target, "#1c7c43", [6, 4]);
  line("Sustained level", d.level, "#5b6472");
  line("Lower control limit", d.lower_limit, "#a86400", [2, 3]);
  line("Upper control limit", d.upper_limit, "#a86400", [2, 3]);
  new Chart(canvas, {
    type: "line",
    data: { labels: d.labels, datasets },
    options: { animation: false, interaction: { mode: "index", intersect: false },
      scales: { x: { ticks: { maxTicksLimit: 12 } } } },
  });
})();
