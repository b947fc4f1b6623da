/*
 * Draws the dashboard's charts from the JSON the page embeds with json_script
 * (id "dashboard-charts": a list of {key, title, type, labels, counts}).
 * Each chart's figures are also in a table on the page, so nothing depends on this.
 */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);

  // Muted, distinguishable colours; Party red stays for the header and primary actions.
  var palette = ["#2e5e8c", "#d9a21b", "#6c7a86", "#5b8c5a", "#a9b4be", "#8c5a7a"];
  var barColour = "#2e5e8c";
  var textColour = "#212529";

  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var bodyStyle = window.getComputedStyle(document.body);
  Chart.defaults.font.family = bodyStyle.fontFamily;
  Chart.defaults.font.size = Math.max(14, Math.round(parseFloat(bodyStyle.fontSize) * 0.9));
  Chart.defaults.color = textColour;
  Chart.defaults.maintainAspectRatio = false;
  if (reduceMotion) {
    Chart.defaults.animation = false;
  }

  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function doughnut(chart) {
    return {
      type: "doughnut",
      data: {
        labels: chart.labels,
        datasets: [
          {
            data: chart.counts,
            backgroundColor: chart.labels.map(function (_label, index) {
              return palette[index % palette.length];
            }),
            borderColor: "#fff",
            borderWidth: 2,
          },
        ],
      },
      options: {
        plugins: {
          legend: { position: window.innerWidth < 576 ? "bottom" : "right", labels: { boxWidth: 16, padding: 12 } },
          tooltip: {
            callbacks: {
              label: function (context) {
                return " " + context.label + ": " + numberFormat.format(context.parsed);
              },
            },
          },
        },
      },
    };
  }

  function bar(chart) {
    return {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [{ label: chart.title, data: chart.counts, backgroundColor: barColour, maxBarThickness: 56 }],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                return " " + numberFormat.format(context.parsed.y);
              },
            },
          },
        },
        scales: {
          x: { grid: { display: false } },
          y: {
            beginAtZero: true,
            ticks: {
              precision: 0,
              callback: function (value) {
                return numberFormat.format(value);
              },
            },
          },
        },
      },
    };
  }

  charts.forEach(function (chart) {
    var canvas = document.querySelector('canvas[data-chart="' + chart.key + '"]');
    if (!canvas) {
      return;
    }
    new Chart(canvas, chart.type === "doughnut" ? doughnut(chart) : bar(chart));
  });
})();
