/*
 * The import page while a check or a write runs: polls the job's progress endpoint
 * (data-url on #import-progress) every second, moves the bar, and reloads the page to show
 * the preview or the outcome once the step has finished. Without script the page says to reload.
 */
(function () {
  "use strict";

  var box = document.getElementById("import-progress");
  if (!box) {
    return;
  }
  var bar = box.querySelector("[data-progress-bar]");
  var text = box.querySelector("[data-progress-text]");

  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : Promise.reject(response.status);
      })
      .then(function (job) {
        if (!job.running) {
          window.location.reload();
          return;
        }
        bar.value = job.progress;
        text.textContent = job.progress + "%";
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
