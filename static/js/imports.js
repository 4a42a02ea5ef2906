// Follows an import checked or committed on the worker: the bar fills, and the page reloads
// when the import leaves the state it was waiting in.
(function () {
  var bar = document.getElementById("import-progress");
  if (!bar) { return; }
  var waiting = bar.dataset.waiting || "running";
  function poll() {
    fetch(bar.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (data) {
        bar.value = data.done;
        if (data.total) { bar.max = data.total; }
        if (data.state === waiting) { window.setTimeout(poll, 1000); } else { window.location.reload(); }
      });
  }
  poll();
})();
