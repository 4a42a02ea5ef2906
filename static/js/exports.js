// Follows an export written on the worker (templates/core/exportjob_detail.html): the bar
// fills, and the page reloads to offer the file once the export has finished.
(function () {
  "use strict";
  var bar = document.getElementById("export-progress");
  if (!bar) { return; }
  var done = document.getElementById("export-done");
  function poll() {
    fetch(bar.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.total) { bar.max = data.total; }
        bar.value = data.done;
        if (done) { done.textContent = data.done; }
        if (data.state === "queued" || data.state === "running") {
          window.setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
