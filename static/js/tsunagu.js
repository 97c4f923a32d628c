// Tsunagu's own script, served by the app itself (the Content-Security-Policy allows
// nothing else). Pages work without it; it only helps.
(function () {
  "use strict";

  var lang = document.documentElement.lang || "ja";
  var text = {
    ja: { count: "{n} / {max} 文字", over: "{n} / {max} 文字({over} 文字多すぎます)" },
    en: { count: "{n} / {max} characters", over: "{n} / {max} characters ({over} too many)" },
  }[lang.slice(0, 2)] || null;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) {
      return String(values[key]);
    });
  }

  // A live character counter under every text area with a limit. Text is never cut: the
  // form refuses what is too long, next to the field.
  function counters() {
    if (!text) return;
    document.querySelectorAll("textarea[data-maxlength]").forEach(function (area) {
      var max = parseInt(area.getAttribute("data-maxlength"), 10);
      if (!max) return;
      var counter = document.createElement("p");
      counter.className = "char-count";
      counter.id = (area.id || area.name) + "_count";
      counter.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", counter);
      var described = area.getAttribute("aria-describedby");
      area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      function update() {
        // Count as the server does: code points, not UTF-16 units, and a line break as
        // the two characters (CR LF) the browser sends.
        var n = Array.from(area.value.replace(/\r?\n/g, "\r\n")).length;
        var over = n - max;
        counter.textContent = format(over > 0 ? text.over : text.count, {
          n: n.toLocaleString(),
          max: max.toLocaleString(),
          over: over.toLocaleString(),
        });
        counter.classList.toggle("over", over > 0);
      }
      area.addEventListener("input", update);
      update();
    });
  }

  function csrfToken(form) {
    var field = (form || document).querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // When the server last heard from this page: each request renews its idle clock.
  var lastRequest = Date.now();  // the page load
  // Once the session has ended, the page's script sends nothing more in the background:
  // the form's own sending keeps what it holds as a draft.
  var sessionEnded = false;
  var onEnded = [];

  function ended() {
    if (sessionEnded) return;
    sessionEnded = true;
    onEnded.forEach(function (callback) { callback(); });
  }

  function post(url, body, form) {
    if (sessionEnded) return Promise.resolve(null);
    lastRequest = Date.now();
    return fetch(url, {
      method: "POST",
      body: body || new FormData(),
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(form) },
    }).then(function (response) {
      if (response.status === 401 || response.status === 403 || response.type === "opaqueredirect") {
        ended();
      }
      return response;
    }, function () { return null; });
  }

  // Typing counts as activity: while the user types, the session is kept alive (at most
  // once a minute), and two minutes before the idle timeout the page warns and offers to
  // stay signed in. A form sent after the session ended anyway is kept as a draft.
  function session() {
    var body = document.body;
    var idle = parseInt(body.getAttribute("data-idle-seconds"), 10);
    var url = body.getAttribute("data-keepalive-url");
    var warning = document.getElementById("session-warning");
    if (!idle || !url || !warning) return;
    // At most once a minute, and well within a short timeout.
    var every = Math.min(60000, idle * 500);
    function ping() {
      return post(url).then(function (response) {
        if (response && response.ok) warning.hidden = true;
      });
    }
    function showEnded() {
      warning.hidden = false;
      warning.querySelector("[data-soon]").hidden = true;
      warning.querySelector("[data-ended]").hidden = false;
    }
    onEnded.push(showEnded);
    document.addEventListener("input", function () {
      if (Date.now() - lastRequest >= every) ping();
    });
    warning.querySelector("[data-stay]").addEventListener("click", ping);
    setInterval(function () {
      if (sessionEnded) return;
      var left = idle * 1000 - (Date.now() - lastRequest);
      if (left <= 0) {
        ended();
      } else if (left <= Math.min(120000, idle * 500)) {
        warning.hidden = false;
      }
    }, 5000);
  }

  // Long forms (data-autosave) save what is typed every 30 s, for their author alone.
  function autosave() {
    var url = document.body.getAttribute("data-autosave-url");
    if (!url) return;
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      var changed = false;
      form.addEventListener("input", function () { changed = true; });
      form.addEventListener("submit", function () { changed = false; });
      setInterval(function () {
        if (!changed || sessionEnded) return;
        changed = false;
        var path = window.location.pathname;
        post(url + "?path=" + encodeURIComponent(path), new FormData(form), form);
      }, 30000);
    });
  }

  // A form sent back with errors: the summary at the top lists them; focus goes to the
  // first field in error, so a keyboard or screen-reader user starts there.
  function firstError() {
    var field = document.querySelector(".has-error input, .has-error textarea, .has-error select");
    if (field) field.focus();
  }

  // A date typed as text (和暦 or not) may also be picked from the calendar beside it:
  // the picker writes its ISO date into the text field.
  function datePickers() {
    document.querySelectorAll("input[data-fills]").forEach(function (picker) {
      picker.addEventListener("change", function () {
        var field = document.getElementById(picker.getAttribute("data-fills"));
        if (field && picker.value) field.value = picker.value;
      });
    });
  }

  // On a tablet or a phone the header is one line; its menu button opens the menu (the
  // menu, account line and language). Without the script the button stays hidden and the
  // menu stays open; on a wide screen the stylesheet shows the menu and hides the button.
  function menu() {
    var header = document.querySelector("[data-menu]");
    var button = header && header.querySelector(".menu-toggle");
    var panel = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!panel) return;
    function set(open) {
      header.classList.toggle("menu-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    header.classList.add("menu-js");
    button.hidden = false;
    set(false);
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("menu-open")) {
        set(false);
        button.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    menu();
    datePickers();
    counters();
    firstError();
    session();
    autosave();
  });
})();
