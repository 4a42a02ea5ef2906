/* Staff pickers: a <select data-picker> becomes a search-as-you-type list.
   The select stays in the form (hidden) and carries the value sent; without script it is
   an ordinary list. Typing narrows the options to those whose label (name, role, village)
   contains what was typed; arrows move, Enter or a tap chooses, Escape closes.
   data-picker-targets="NAME …" narrows the options further to people whose posts cover
   what the form's checkboxes NAME have checked (option data-keys: lg:<id>, office:<key>). */
(function () {
  "use strict";
  var MAX = 30;

  function targetKeys(select) {
    var names = (select.getAttribute("data-picker-targets") || "").split(/\s+/).filter(Boolean);
    var keys = [];
    names.forEach(function (name) {
      Array.prototype.forEach.call(select.form.querySelectorAll("input[name='" + name + "']:checked"), function (box) {
        keys.push((name.indexOf("office") >= 0 ? "office:" : "lg:") + box.value);
      });
    });
    return keys;
  }

  function setUp(select, index) {
    var wrap = document.createElement("div");
    wrap.className = "picker";
    var input = document.createElement("input");
    input.type = "search";
    input.autocomplete = "off";
    input.id = select.id + "_search";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.placeholder = document.body.getAttribute("data-picker-placeholder") || "";
    var list = document.createElement("ul");
    list.className = "picker-list";
    list.id = "picker-list-" + index;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    var label = document.querySelector("label[for='" + select.id + "']");
    if (label) { label.setAttribute("for", input.id); }
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(select);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    var active = -1;

    function chosenLabel() {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.textContent.trim() : "";
    }

    function matches() {
      var query = input.value.trim().toLowerCase();
      var keys = targetKeys(select);
      return Array.prototype.filter.call(select.options, function (option) {
        if (!option.value) { return false; }
        if (keys.length) {
          var own = (option.getAttribute("data-keys") || "").split(" ");
          if (!keys.some(function (k) { return own.indexOf(k) >= 0; })) { return false; }
        }
        return !query || option.textContent.toLowerCase().indexOf(query) >= 0;
      }).slice(0, MAX);
    }

    function highlight(i) {
      var items = list.querySelectorAll("li");
      active = Math.max(-1, Math.min(i, items.length - 1));
      Array.prototype.forEach.call(items, function (li, n) {
        li.setAttribute("aria-selected", n === active ? "true" : "false");
      });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      list.innerHTML = "";
      matches().forEach(function (option, n) {
        var li = document.createElement("li");
        li.id = list.id + "-" + n;
        li.setAttribute("role", "option");
        li.setAttribute("data-value", option.value);
        li.textContent = option.textContent.trim();
        list.appendChild(li);
      });
      if (!list.children.length) {
        var none = document.createElement("li");
        none.className = "muted";
        none.textContent = document.body.getAttribute("data-picker-empty") || "";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(list.querySelector("li[role=option]") ? 0 : -1);
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function choose(li) {
      if (!li || !li.hasAttribute("data-value")) { return; }
      select.value = li.getAttribute("data-value");
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = chosenLabel();
      close();
    }

    input.value = chosenLabel();
    input.addEventListener("focus", function () { input.select(); open(); });
    input.addEventListener("input", function () {
      if (!input.value.trim()) { select.value = ""; }
      open();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) { open(); } else { highlight(active + 1); } }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && !list.hidden) { event.preventDefault(); choose(list.querySelectorAll("li")[active]); }
      else if (event.key === "Escape") { close(); input.value = chosenLabel(); }
    });
    // mousedown, not click: it comes before the input's blur.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
      choose(event.target.closest("li"));
    });
    input.addEventListener("blur", function () { close(); input.value = chosenLabel(); });
  }

  // Pickers in a form fetched later (an action's form on a case page): actions.js calls this.
  window.setUpPickers = function (root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-picker]"), setUp);
  };
  window.setUpPickers(document);
})();
