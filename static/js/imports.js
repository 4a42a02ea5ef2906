// Follows an import running on the worker: the bar fills, the page reloads when it is done.
(function () {
  var bar = document.getElementById("import-progress");
  if (!bar) { return; }
  function poll() {
    fetch(bar.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (data) {
        bar.value = data.done;
        if (data.total) { bar.max = data.total; }
        if (data.state === "running") { window.setTimeout(poll, 1000); } else { window.location.reload(); }
      });
  }
  poll();
})();
