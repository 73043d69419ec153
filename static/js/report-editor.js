// The report editor never discards typed text. The report's own form (summary, narratives, …) is saved as
// "Save draft" saves it before any other action of the page goes ahead: adding, importing, editing or deleting
// a line. If the save is refused (a field error, someone else's change), the form is submitted the ordinary way,
// so that the page shows what to fix with the text as typed. Leaving the page any other way while the form has
// unsaved changes asks first (beforeunload). Deleting a line asks in a dialog; without JavaScript the delete link
// opens a page that asks (web/views/reports.py line_delete).
(function () {
  "use strict";

  function setUp() {
    var form = document.getElementById("report-form");
    var dirty = false;
    if (form) {
      form.addEventListener("input", function () { dirty = true; });
      form.addEventListener("change", function () { dirty = true; });
      form.addEventListener("submit", function () { dirty = false; });
      window.addEventListener("beforeunload", function (event) {
        if (dirty) {
          event.preventDefault();
          event.returnValue = "";
        }
      });
    }

    function csrfToken() {
      var input = document.querySelector("input[name='csrfmiddlewaretoken']");
      return input ? input.value : "";
    }

    // Save the report form, then `next()`; a refused save shows the form's errors instead.
    function saveThen(next) {
      if (!form || !dirty) {
        next();
        return;
      }
      var data = new FormData(form);
      data.append("save", "");
      fetch(window.location.pathname, {method: "POST", body: data, credentials: "same-origin"})
        .then(function (response) {
          dirty = false;
          if (response.ok && response.redirected) {
            next();
          } else {
            form.requestSubmit(form.querySelector("button[name='save']"));
          }
        })
        .catch(function () {
          dirty = false;
          form.requestSubmit(form.querySelector("button[name='save']"));
        });
    }

    document.querySelectorAll("form").forEach(function (other) {
      if (other === form || other.closest("[data-no-autosave]")) {
        return;
      }
      other.addEventListener("submit", function (event) {
        if (!dirty) {
          return;
        }
        event.preventDefault();
        saveThen(function () { other.submit(); });
      });
    });

    document.querySelectorAll("a[data-delete-line]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        if (!window.confirm(link.dataset.confirm)) {
          return;
        }
        saveThen(function () {
          var post = document.createElement("form");
          post.method = "post";
          post.action = link.href;
          var token = document.createElement("input");
          token.type = "hidden";
          token.name = "csrfmiddlewaretoken";
          token.value = csrfToken();
          post.appendChild(token);
          document.body.appendChild(post);
          post.submit();
        });
      });
    });

    document.querySelectorAll(".lines a[href]:not([data-delete-line])").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (!dirty) {
          return;
        }
        event.preventDefault();
        saveThen(function () { window.location.href = link.href; });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
