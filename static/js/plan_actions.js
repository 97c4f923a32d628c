// The 支援内容 table of the plan form: 「行を追加」 adds a row in place, a copy of the
// formset's empty row (<template>), and counts it in TOTAL_FORMS. Without this script the
// form still has its blank rows; saving, then editing, gives more.
(function () {
  "use strict";

  function setup(button) {
    var table = document.getElementById(button.getAttribute("data-add-row"));
    var template = table && document.getElementById(table.getAttribute("data-template"));
    var form = table && table.closest("form");
    if (!template || !form) return;
    var prefix = table.getAttribute("data-prefix");
    var total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    if (!total) return;
    var body = table.tBodies[0];
    var max = parseInt(button.getAttribute("data-max"), 10) || 20;

    // The rows on the page are the rows sent: a restored draft brings all of its own.
    total.value = String(body.rows.length);

    function refresh() {
      button.disabled = body.rows.length >= max;
    }

    button.addEventListener("click", function () {
      var index = body.rows.length;
      if (index >= max) return;
      var html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__row__/g, String(index + 1));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      refresh();
      var first = body.rows[index].querySelector("input, select, textarea");
      if (first) first.focus();
      // A new row is a change: the page's autosave keeps it (with TOTAL_FORMS) as typed.
      form.dispatchEvent(new Event("input", { bubbles: true }));
    });

    button.hidden = false;
    form.querySelectorAll("[data-without-script]").forEach(function (note) { note.hidden = true; });
    form.querySelectorAll("[data-with-script]").forEach(function (note) { note.hidden = false; });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-add-row]").forEach(setup);
  });
})();
