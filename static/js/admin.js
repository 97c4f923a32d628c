// Accessibility fixes for the Django admin's own widgets (templates/admin/base_site.html).
//
// The two-box selector (filter_horizontal, SelectFilter2.js) adds a magnifier icon as a
// <span aria-label="…">: a name on an element with no role is not announced (axe:
// aria-prohibited-attr). Given role="img", it is an icon with that name. The widget is
// built on the window's load event, so new icons are fixed as they appear.
(function () {
  "use strict";
  var ICONS = "span.search-label-icon[aria-label]:not([role])";
  function fix(root) {
    root.querySelectorAll(ICONS).forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }
  new MutationObserver(function () { fix(document); }).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  fix(document);
})();
