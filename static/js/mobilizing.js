// Mobilizing: drag-and-drop on the stakeholder grid, and the charts (pulse trends, IPA).
// Every page works without this file: the grid has a small form per card, every chart a table.
(function () {
  "use strict";

  function csrfToken() {
    try {
      const headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
      if (headers["X-CSRFToken"]) return headers["X-CSRFToken"];
    } catch (e) { /* fall back to a form's token */ }
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- Stakeholder grid -----------------------------------------------------------------
  function initGrid(grid) {
    const status = document.getElementById("grid-status");
    let dragged = null;

    function say(message, isError) {
      if (!status) return;
      status.textContent = message;
      status.classList.toggle("error", Boolean(isError));
      status.dataset.state = isError ? "error" : "ok";
    }

    function cellFor(influence, support) {
      return grid.querySelector(
        '.sh-cell[data-influence="' + influence + '"][data-support="' + support + '"]'
      );
    }

    function place(card, data) {
      const cell = cellFor(data.influence, data.support);
      if (cell && card.parentElement !== cell) cell.appendChild(card);
      const form = card.querySelector("[data-move-form]");
      if (form) {
        form.querySelector("[data-lock-version]").value = data.lock_version;
        form.elements.influence.value = String(data.influence);
        form.elements.support.value = String(data.support);
      }
      if (typeof data.to_win === "boolean") card.classList.toggle("to-win", data.to_win);
    }

    async function move(card, influence, support) {
      const form = card.querySelector("[data-move-form]");
      if (!form) return;
      const body = new FormData();
      body.append("influence", influence);
      body.append("support", support);
      body.append("lock_version", form.querySelector("[data-lock-version]").value);
      card.setAttribute("aria-busy", "true");
      if (status) status.dataset.state = "pending"; // tests wait for "ok" or "error"
      try {
        const response = await fetch(card.dataset.moveUrl, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        });
        const data = await response.json().catch(() => ({}));
        if (response.ok) {
          place(card, data);
          say(data.message || "Moved.", false);
        } else if (response.status === 409) {
          place(card, data); // back to where the other person put it
          say(data.error, true);
        } else {
          const errors = data.errors ? Object.values(data.errors).flat().join(" ") : "";
          say("Not moved: " + (errors || "the server refused (" + response.status + ")."), true);
        }
      } catch (e) {
        say("Not moved: the server could not be reached. Try again.", true);
      } finally {
        card.removeAttribute("aria-busy");
      }
    }

    grid.addEventListener("dragstart", (event) => {
      const card = event.target.closest ? event.target.closest(".sh-card[draggable=true]") : null;
      if (!card) return;
      dragged = card;
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.id);
    });
    grid.addEventListener("dragend", () => {
      if (dragged) dragged.classList.remove("dragging");
      dragged = null;
      grid.querySelectorAll(".sh-cell.drop-target").forEach((c) => c.classList.remove("drop-target"));
    });
    grid.addEventListener("dragover", (event) => {
      const cell = event.target.closest(".sh-cell");
      if (!cell) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      cell.classList.add("drop-target");
    });
    grid.addEventListener("dragleave", (event) => {
      const cell = event.target.closest(".sh-cell");
      if (cell && !cell.contains(event.relatedTarget)) cell.classList.remove("drop-target");
    });
    grid.addEventListener("drop", (event) => {
      const cell = event.target.closest(".sh-cell");
      if (!cell) return;
      event.preventDefault();
      cell.classList.remove("drop-target");
      const id = event.dataTransfer.getData("text/plain");
      const card = dragged || (id && document.getElementById(id));
      if (!card || card.parentElement === cell) return;
      move(card, cell.dataset.influence, cell.dataset.support);
    });
    // The per-card form moves without a page load when JS is on.
    grid.addEventListener("submit", (event) => {
      const form = event.target.closest("[data-move-form]");
      if (!form) return;
      event.preventDefault();
      move(form.closest(".sh-card"), form.elements.influence.value, form.elements.support.value);
    });
  }

  // --- Charts -----------------------------------------------------------------------------
  const PALETTE = ["#0f5c8c", "#b3261e", "#1c7c43", "#a86400", "#6a3d9a", "#2f6f73",
    "#8c564b", "#5b6472", "#d62728", "#17becf"];

  function readJson(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function trendChart() {
    const canvas = document.getElementById("trend-chart");
    const data = readJson("trend-data");
    if (!canvas || !data || typeof Chart === "undefined") return;
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.series.map((s, i) => ({
          label: s.label,
          data: s.data,
          borderColor: PALETTE[i % PALETTE.length],
          backgroundColor: PALETTE[i % PALETTE.length],
          borderWidth: s.key === "trust" ? 4 : 2,
          spanGaps: true,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { min: 1, max: 5, title: { display: true, text: "Mean (1-5)" } } },
      },
    });
  }

  // Dashed lines at the grand means split the plot into the four quadrants.
  const quadrantLines = {
    id: "quadrantLines",
    afterDraw(chart, args, opts) {
      const { ctx, chartArea, scales } = chart;
      if (opts.x == null || opts.y == null) return;
      const x = scales.x.getPixelForValue(opts.x);
      const y = scales.y.getPixelForValue(opts.y);
      ctx.save();
      ctx.strokeStyle = "#5b6472";
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top); ctx.lineTo(x, chartArea.bottom);
      ctx.moveTo(chartArea.left, y); ctx.lineTo(chartArea.right, y);
      ctx.stroke();
      ctx.fillStyle = "#5b6472";
      ctx.font = "12px system-ui, sans-serif";
      ctx.fillText("Concentrate here", chartArea.left + 6, chartArea.top + 14);
      ctx.fillText("Keep up the good work", x + 6, chartArea.top + 14);
      ctx.fillText("Low priority", chartArea.left + 6, chartArea.bottom - 6);
      ctx.fillText("Possible overkill", x + 6, chartArea.bottom - 6);
      ctx.restore();
    },
  };

  const QUADRANT_COLOURS = {
    concentrate: "#b3261e", keep_up: "#1c7c43", low_priority: "#5b6472", overkill: "#a86400",
  };

  function ipaChart() {
    const canvas = document.getElementById("ipa-chart");
    const data = readJson("ipa-data");
    if (!canvas || !data || typeof Chart === "undefined") return;
    new Chart(canvas, {
      type: "scatter",
      data: {
        datasets: [{
          label: "Statements",
          data: data.points,
          pointRadius: 6,
          pointBackgroundColor: data.points.map((p) => QUADRANT_COLOURS[p.quadrant] || "#0f5c8c"),
        }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (ctx) => ctx.raw.label + " (performance " + ctx.raw.x +
            ", importance " + ctx.raw.y + ")" } },
          quadrantLines: { x: data.grand_performance, y: data.grand_importance },
        },
        scales: {
          x: { min: 1, max: data.scale, title: { display: true, text: "Performance" } },
          y: { min: 1, max: data.scale, title: { display: true, text: "Importance" } },
        },
      },
      plugins: [quadrantLines],
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const grid = document.querySelector("[data-stakeholder-grid]");
    if (grid) initGrid(grid);
    trendChart();
    ipaChart();
  });
})();
