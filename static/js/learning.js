// Learning: the metric chart (series, baseline and target lines). Data comes from
// {{ chart|json_script:"metric-chart-data" }}; the page reads fine without this file.
(function () {
  function drawMetricChart() {
    const canvas = document.getElementById("metric-chart");
    const source = document.getElementById("metric-chart-data");
    if (!canvas || !source || typeof window.Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const flat = (value) => data.labels.map(() => value);
    const datasets = [
      {
        label: data.name + (data.unit ? " (" + data.unit + ")" : ""),
        data: data.values,
        borderColor: "#0f5c8c",
        backgroundColor: "#0f5c8c",
        pointRadius: data.values.length > 60 ? 0 : 2,
        borderWidth: 1.5,
        tension: 0,
      },
    ];
    if (data.baseline !== null) {
      datasets.push({
        label: "Baseline", data: flat(data.baseline), borderColor: "#a86400",
        borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5,
      });
    }
    if (data.target !== null) {
      datasets.push({
        label: "Target", data: flat(data.target), borderColor: "#1c7c43",
        borderDash: [2, 3], pointRadius: 0, borderWidth: 1.5,
      });
    }
    // The hold date as a shaded bar: from it the improved level should hold.
    if (data.hold_from) {
      const index = data.labels.findIndex((label) => label >= data.hold_from);
      if (index >= 0) {
        datasets.push({
          label: "Holds from " + data.hold_from,
          data: data.labels.map((_, i) => (i === index ? Math.max(...data.values) : null)),
          type: "bar", backgroundColor: "rgba(17,50,77,0.35)", barThickness: 2,
        });
      }
    }
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { x: { ticks: { maxTicksLimit: 8, autoSkip: true } } },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 14 } } },
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawMetricChart);
  } else {
    drawMetricChart();
  }
})();
