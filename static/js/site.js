// Behaviour of every page, kept out of the templates so that the Content Security Policy
// allows no inline script.
(function () {
  "use strict";

  // The language menu submits itself on change (a button stays for browsers without script).
  var language = document.getElementById("language-select");
  if (language) {
    language.addEventListener("change", function () { language.form.submit(); });
  }

  // <a data-print> prints the page.
  document.querySelectorAll("[data-print]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });

  // <button data-formset-add="PREFIX" data-formset-template="ID" data-formset-target="ID">
  // appends one more form of a Django formset from its <template>.
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    button.addEventListener("click", function () {
      var total = document.getElementById("id_" + button.dataset.formsetAdd + "-TOTAL_FORMS");
      var template = document.getElementById(button.dataset.formsetTemplate);
      var html = template.innerHTML.replace(/__prefix__/g, total.value);
      document.getElementById(button.dataset.formsetTarget).insertAdjacentHTML("beforeend", html);
      total.value = parseInt(total.value, 10) + 1;
    });
  });
})();

// The phone's 菜单 opens the header's menu over the page (without script: #site-menu:target).
(function () {
  "use strict";
  var toggle = document.querySelector("[data-menu-toggle]");
  var menu = document.getElementById("site-menu");
  if (!toggle || !menu) { return; }
  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    var open = menu.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { var first = menu.querySelector("a"); if (first) { first.focus(); } }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("open")) {
      menu.classList.remove("open");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
})();

// A form whose page comes back with errors: the first error is brought into view and its
// field focused, so that an error far below (an upload, on a phone) is not missed.
(function () {
  "use strict";
  var error = document.querySelector("main form .errorlist");
  if (!error) { return; }
  var container = error.closest("fieldset, article, label, div") || error;
  var field = container.querySelector("input:not([type=hidden]), select, textarea");
  if (!field) {
    var prev = error.previousElementSibling;
    field = prev && prev.matches("input, select, textarea, .picker") ? prev : null;
  }
  error.scrollIntoView({ block: "center" });
  if (field && field.focus) { field.focus({ preventScroll: true }); }
})();
