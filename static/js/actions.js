/* A case page lists the actions the user may take now; each action's form is fetched from
   its own address (?fragment=1) the first time its entry is opened, so the page does not
   build and send a dozen forms nobody opened. Without script, or if the fetch fails, the
   entry's link opens the form on a page of its own. Loaded by base.html; no inline script. */
(function () {
  "use strict";

  function load(details) {
    var url = details.getAttribute("data-action-form");
    if (!url || details.hasAttribute("data-loading")) { return; }
    details.setAttribute("data-loading", "");
    var placeholder = details.querySelector("[data-action-placeholder]");
    if (placeholder) { placeholder.setAttribute("aria-busy", "true"); }
    var request = new XMLHttpRequest();
    request.open("GET", url + (url.indexOf("?") < 0 ? "?" : "&") + "fragment=1");
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.onload = function () {
      details.removeAttribute("data-loading");
      if (request.status !== 200) {
        if (placeholder) { placeholder.removeAttribute("aria-busy"); }
        return;
      }
      var holder = document.createElement("div");
      holder.innerHTML = request.responseText;
      if (placeholder) { placeholder.replaceWith.apply(placeholder, holder.childNodes); }
      details.removeAttribute("data-action-form");
      if (window.setUpPickers) { window.setUpPickers(details); }
    };
    request.onerror = function () {
      details.removeAttribute("data-loading");
      if (placeholder) { placeholder.removeAttribute("aria-busy"); }
    };
    request.send();
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.tagName === "DETAILS" && details.open && details.hasAttribute("data-action-form")) {
      load(details);
    }
  }, true);
  // An entry opened before this script ran (a link to #action-…).
  Array.prototype.forEach.call(document.querySelectorAll("details[open][data-action-form]"), load);
})();
