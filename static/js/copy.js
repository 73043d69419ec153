// A "Copy" button (data-copy="<id of the field>") copies the field's text and says so in its status.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector(".copy-status");
    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }
    button.addEventListener("click", function () {
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say(status.dataset.copied);
        }, function () {
          say(document.execCommand("copy") ? status.dataset.copied : status.dataset.failed);
        });
      } else {
        say(document.execCommand("copy") ? status.dataset.copied : status.dataset.failed);
      }
    });
  });
}());
