// The people page: a field that only one role uses (a reporter's partner) is shown while that role is chosen.
// Without JavaScript every field shows, and the service ignores what the chosen role does not use.
(function () {
  function sync(form) {
    var select = form.querySelector("select[name$='role']");
    if (!select) return;
    form.querySelectorAll("[data-for-role]").forEach(function (block) {
      block.hidden = block.getAttribute("data-for-role").split(" ").indexOf(select.value) === -1;
    });
  }
  document.querySelectorAll("form.role-form").forEach(function (form) {
    sync(form);
    form.addEventListener("change", function () { sync(form); });
  });
})();
