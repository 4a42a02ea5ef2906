/* Forms that change data are sent once, and large uploads show their progress.
   - On submit, the form's buttons are disabled until the next page arrives, so a double tap
     on a slow village connection sends one request (the server also refuses a second one
     with the same form token). Back from the next page (bfcache) enables them again.
   - Back to a form already sent, when the browser fetches the page again with the fields
     filled in as they were: the form gets the token it was sent with (kept for the tab in
     sessionStorage), so submitting it again shows the first result instead of a twin.
     A new form, opened from a link, has a new token.
   - A form with files of 256 KB or more is sent with XMLHttpRequest, with a progress bar
     under its buttons; the answer (the case page, or the form with its errors) replaces
     the page as a normal submission would.
   No inline script and no network access: a file of its own, loaded by base.html. */
(function () {
  "use strict";
  var PROGRESS_FROM_BYTES = 256 * 1024;
  var body = document.body;
  var TOKEN = "input[name=idempotency_token]";

  function sentKey(form) {
    return "sent-token:" + (form.getAttribute("action") || window.location.pathname);
  }

  function remember(form) {
    var token = form.querySelector(TOKEN);
    try { if (token) { window.sessionStorage.setItem(sentKey(form), token.value); } } catch (e) { /* private mode */ }
  }

  function restoreSentTokens() {
    var nav = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    if (!nav || nav.type !== "back_forward") { return; }
    Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
      var token = form.querySelector(TOKEN);
      var sent = null;
      try { sent = window.sessionStorage.getItem(sentKey(form)); } catch (e) { /* private mode */ }
      if (token && sent) { token.value = sent; }
    });
  }

  function buttons(form) {
    return Array.prototype.slice.call(
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]"));
  }

  function lock(form) {
    form.setAttribute("data-submitting", "");
    remember(form);
    // After the browser has collected the form data: a disabled button sends no value.
    window.setTimeout(function () {
      buttons(form).forEach(function (b) { b.disabled = true; b.setAttribute("aria-busy", "true"); });
    }, 0);
  }

  function unlock(form) {
    form.removeAttribute("data-submitting");
    buttons(form).forEach(function (b) { b.disabled = false; b.removeAttribute("aria-busy"); });
  }

  function fileBytes(form) {
    var total = 0;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) { total += f.size; });
    });
    return total;
  }

  function sendWithProgress(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var action = form.getAttribute("action") || window.location.href;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("data-testid", "upload-progress");
    var label = document.createElement("small");
    label.className = "muted";
    var text = body.getAttribute("data-upload-label") || "";
    label.textContent = text;
    form.appendChild(bar);
    form.appendChild(label);

    var xhr = new XMLHttpRequest();
    xhr.open("POST", action);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        var percent = Math.round(e.loaded / e.total * 100);
        bar.value = percent;
        label.textContent = text + " " + percent + "%";
      }
    });
    xhr.addEventListener("load", function () {
      var redirected = xhr.responseURL && xhr.responseURL !== new URL(action, window.location.href).href;
      document.open();
      document.write(xhr.responseText);
      document.close();
      if (redirected) { window.history.replaceState(null, "", xhr.responseURL); }
    });
    xhr.addEventListener("error", function () {
      bar.remove();
      label.textContent = body.getAttribute("data-upload-failed") || "";
      unlock(form);
    });
    xhr.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) { return; }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
    if (form.hasAttribute("data-submitting")) { event.preventDefault(); return; }
    if (window.FormData && fileBytes(form) >= PROGRESS_FROM_BYTES) {
      event.preventDefault();
      lock(form);
      sendWithProgress(form, event.submitter);
      return;
    }
    lock(form);
  });

  restoreSentTokens();

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), unlock);
    }
  });
})();
