// A "Copy" button (data-copy="<id of the field>") copies the field's text and says so in its status.
(function () {
  "use strict";
  // A browser that neither grants nor refuses clipboard access leaves writeText pending; after this long
  // the button falls back to the selection copy so that the person is always told something.
  var PATIENCE_MS = 1500;
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector(".copy-status");
    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }
    function copySelection() {
      field.select();
      say(document.execCommand("copy") ? status.dataset.copied : status.dataset.failed);
    }
    button.addEventListener("click", function () {
      field.select();
      if (!(navigator.clipboard && window.isSecureContext)) {
        copySelection();
        return;
      }
      var settled = false;
      var timer = window.setTimeout(function () {
        if (!settled) {
          settled = true;
          copySelection();
        }
      }, PATIENCE_MS);
      navigator.clipboard.writeText(field.value).then(function () {
        if (!settled) {
          settled = true;
          window.clearTimeout(timer);
          say(status.dataset.copied);
        }
      }, function () {
        if (!settled) {
          settled = true;
          window.clearTimeout(timer);
          copySelection();
        }
      });
    });
  });
}());
