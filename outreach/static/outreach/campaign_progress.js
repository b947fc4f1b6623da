/*
 * Draws a campaign's progress charts from the JSON the page embeds with json_script:
 * "campaign-progress" (labels, monthly and to-date talks and audience, the targets) and
 * "campaign-progress-labels" (the translated series names). The same figures are in a
 * table on the page, so nothing depends on this.
 */
(function () {
  "use strict";

  var source = document.getElementById("campaign-progress");
  var names = document.getElementById("campaign-progress-labels");
  if (!source || !names || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var label = JSON.parse(names.textContent);

  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var bodyStyle = window.getComputedStyle(document.body);
  Chart.defaults.font.family = bodyStyle.fontFamily;
  Chart.defaults.font.size = Math.max(14, Math.round(parseFloat(bodyStyle.fontSize) * 0.9));
  Chart.defaults.color = "#212529";
  Chart.defaults.maintainAspectRatio = false;
  if (reduceMotion) {
    Chart.defaults.animation = false;
  }
  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function chart(key, monthly, toDate, target) {
    var canvas = document.querySelector('canvas[data-chart="' + key + '"]');
    if (!canvas) {
      return;
    }
    var datasets = [
      { type: "bar", label: label.monthly, data: monthly, backgroundColor: "#2e5e8c", maxBarThickness: 40, order: 3 },
      { type: "line", label: label.to_date, data: toDate, borderColor: "#d9a21b", backgroundColor: "#d9a21b", tension: 0, order: 2 },
    ];
    if (target) {
      datasets.push({
        type: "line",
        label: label.target,
        data: data.labels.map(function () {
          return target;
        }),
        borderColor: "#6c7a86",
        borderDash: [6, 4],
        pointRadius: 0,
        order: 1,
      });
    }
    new Chart(canvas, {
      data: { labels: data.labels, datasets: datasets },
      options: {
        plugins: {
          legend: { position: "bottom" },
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
    });
  }

  chart("talks", data.talks, data.talks_to_date, data.target_talks);
  chart("audience", data.audience, data.audience_to_date, data.target_audience);
})();
