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
