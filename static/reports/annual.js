/*
 * The annual report's charts, drawn from the JSON the page embeds with json_script
 * (id "annual-charts": a list of {key, title, type, labels, series: [{label, data}]}), this year
 * beside last year. Every chart's figures are also in a table on the page.
 *
 * Printing: the print stylesheet gives the charts a fixed A4-sized box; Chart.js does not notice
 * a media change by itself, so each chart is resized before and after printing.
 */
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });

  var source = document.getElementById("annual-charts");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);

  // This year in the report's blue, last year in a quiet grey: red stays for actions.
  var colours = ["#2e5e8c", "#a9b4be"];
  var bodyStyle = window.getComputedStyle(document.body);
  Chart.defaults.font.family = bodyStyle.fontFamily;
  Chart.defaults.font.size = Math.max(13, Math.round(parseFloat(bodyStyle.fontSize) * 0.85));
  Chart.defaults.color = "#212529";
  Chart.defaults.maintainAspectRatio = false;
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (reduceMotion) {
    Chart.defaults.animation = false;
  }
  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined);

  var drawn = [];
  charts.forEach(function (chart) {
    var canvas = document.querySelector('canvas[data-chart="' + chart.key + '"]');
    if (!canvas) {
      return;
    }
    drawn.push(
      new Chart(canvas, {
        type: chart.type,
        data: {
          labels: chart.labels,
          datasets: chart.series.map(function (series, index) {
            return {
              label: series.label,
              data: series.data,
              backgroundColor: colours[index % colours.length],
              borderColor: colours[index % colours.length],
              maxBarThickness: 36,
            };
          }),
        },
        options: {
          plugins: {
            legend: { position: "bottom", labels: { boxWidth: 14 } },
            tooltip: {
              callbacks: {
                label: function (context) {
                  return " " + context.dataset.label + ": " + numberFormat.format(context.parsed.y);
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
      })
    );
  });

  function resizeAll() {
    drawn.forEach(function (chart) {
      chart.resize();
    });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
  // Some browsers print without firing beforeprint; the print media query change comes in time.
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    if (printing.addEventListener) {
      printing.addEventListener("change", resizeAll);
    }
  }
})();
