// The control page: a "tick every line shown" box for verifying many lines at once. Without JavaScript the box
// stays hidden and each line is ticked on its own.
(function () {
  "use strict";
  var all = document.querySelector("[data-tick-all]");
  if (!all) {
    return;
  }
  var selector = "." + all.getAttribute("data-tick-all");
  all.hidden = false;
  all.addEventListener("change", function () {
    // Looked up each time: htmx replaces a row (and its box) when its line is saved.
    document.querySelectorAll(selector).forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
