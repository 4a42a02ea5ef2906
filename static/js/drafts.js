/* Long phone forms keep a local draft (form[data-draft]): every change is written to this
   browser's localStorage under the user and the page, and the form is filled from it when
   opened again, until it is submitted (or the draft is cleared with the button shown).
   Not kept: files, hidden fields (the form token), passwords, and fields marked
   autocomplete="off" (phones and ID numbers stay off the device). Rows added to a formset
   (its TOTAL_FORMS) are added again before the values are put back. */
(function () {
  "use strict";
  var body = document.body;
  var user = body.getAttribute("data-user") || "anonymous";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function kept(el) {
    if (!el.name || el.disabled) { return false; }
    if (el.type === "file" || el.type === "password" || el.type === "submit" || el.type === "button") { return false; }
    if (el.type === "hidden") { return /-TOTAL_FORMS$/.test(el.name); }
    return el.getAttribute("autocomplete") !== "off";
  }

  function collect(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        data[el.name] = data[el.name] || [];
        if (el.checked) { data[el.name].push(el.value); }
      } else if (el.multiple) {
        data[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function apply(form, data) {
    // Formset rows first: click the form's add button until TOTAL_FORMS matches.
    Object.keys(data).forEach(function (name) {
      var m = /^(.*)-TOTAL_FORMS$/.exec(name);
      if (!m) { return; }
      var total = form.querySelector("[name='" + name + "']");
      var add = form.querySelector("[data-formset-add='" + m[1] + "']");
      var guard = 0;
      while (total && add && parseInt(total.value, 10) < parseInt(data[name], 10) && guard++ < 60) { add.click(); }
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el) || el.type === "hidden" || !(el.name in data)) { return; }
      var value = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = value.indexOf(el.value) >= 0;
      } else if (el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) >= 0; });
      } else {
        el.value = value;
      }
    });
  }

  function differs(form, data) {
    var now = collect(form);
    return Object.keys(data).some(function (name) {
      return JSON.stringify(data[name]) !== JSON.stringify(now[name]);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    var store = storage();
    if (!store) { return; }
    var key = "draft:" + user + ":" + form.getAttribute("data-draft");
    // A page that comes back with errors holds what was sent: that wins over the draft.
    var hasErrors = !!form.querySelector(".errorlist");
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved && !hasErrors && differs(form, saved)) {
      apply(form, saved);
      var note = document.createElement("p");
      note.className = "draft-note warning-box";
      note.setAttribute("data-testid", "draft-restored");
      note.textContent = body.getAttribute("data-draft-restored") || "";
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "secondary outline";
      discard.textContent = body.getAttribute("data-draft-discard") || "";
      discard.addEventListener("click", function () {
        store.removeItem(key);
        window.location.reload();
      });
      note.appendChild(discard);
      form.insertBefore(note, form.firstChild);
    }
    var save = function () {
      try { store.setItem(key, JSON.stringify(collect(form))); } catch (e) { /* full or private */ }
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function () { store.removeItem(key); });
  });
})();
