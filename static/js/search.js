// The header search (templates/core/_search_box.html): suggestions as one types, grouped by
// kind, chosen with the arrow keys and Enter; without script the form opens the results page.
(function () {
  "use strict";

  var form = document.querySelector("[data-search]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector("[role=listbox]");
  var timer = null;
  var latest = 0;
  var MIN_LENGTH = 2;

  function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function select(index) {
    var all = options();
    all.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    }
  }

  function selected() { return options().findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; }); }

  function item(text, className) {
    var li = document.createElement("li");
    li.setAttribute("role", "presentation");
    li.className = className;
    li.textContent = text;
    return li;
  }

  function render(data) {
    list.textContent = "";
    var n = 0;
    data.groups.forEach(function (group) {
      list.appendChild(item(group.label, "group"));
      group.results.forEach(function (result) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.id = "search-option-" + (n++);
        li.dataset.testid = "search-option";
        var a = document.createElement("a");
        a.href = result.url;
        a.tabIndex = -1;
        var title = document.createElement("strong");
        title.textContent = result.title;
        var detail = document.createElement("span");
        detail.className = "muted";
        detail.textContent = " " + result.detail;
        a.appendChild(title);
        a.appendChild(detail);
        li.appendChild(a);
        list.appendChild(li);
      });
      if (group.more_url) {
        var more = document.createElement("li");
        more.setAttribute("role", "presentation");
        more.className = "more";
        var link = document.createElement("a");
        link.href = group.more_url;
        link.textContent = input.dataset.more;
        more.appendChild(link);
        list.appendChild(more);
      }
    });
    if (!data.groups.length) { list.appendChild(item(input.dataset.empty, "empty")); }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function suggest() {
    var query = input.value.trim();
    if (query.length < MIN_LENGTH) { close(); return; }
    var ticket = ++latest;
    fetch(input.dataset.suggestUrl + "?format=json&q=" + encodeURIComponent(query), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && ticket === latest) { render(data); } })
      .catch(function () { /* offline: Enter still opens the results page */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 200);
  });

  input.addEventListener("keydown", function (event) {
    var all = options();
    var index = selected();
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      select(index + 1 < all.length ? index + 1 : 0);
    } else if (event.key === "ArrowUp" && all.length) {
      event.preventDefault();
      select(index > 0 ? index - 1 : all.length - 1);
    } else if (event.key === "Enter" && !list.hidden && index >= 0) {
      event.preventDefault();
      window.location.href = all[index].querySelector("a").href;
    } else if (event.key === "Escape") {
      close();
    }
  });

  list.addEventListener("mousedown", function (event) {
    // Follow the link before the input's blur closes the list.
    var a = event.target.closest("a");
    if (a) { event.preventDefault(); window.location.href = a.href; }
  });

  input.addEventListener("blur", function () { window.setTimeout(close, 150); });
})();
