// The expenditure line form shows the fields of the line's kind: a unit-cost line (a unit cost is chosen),
// a staff line (category "staff", with the fields of its costing method) or an invoice line (any other
// category). Fields of the other kinds are hidden and disabled, so they are not sent. The server renders the
// same state (web/report_forms.py ExpenditureForm.line_kind); this keeps it in step as the user chooses.
(function () {
  "use strict";

  function setVisible(element, visible) {
    element.hidden = !visible;
    if (element.tagName === "FIELDSET") {
      element.disabled = !visible;
    }
  }

  function setUp(root) {
    var category = root.querySelector("[name='cost_category']");
    var unitCost = root.querySelector("[name='unit_cost']");
    var method = root.querySelector("[name='staff_method']");
    var currency = root.querySelector("[name='currency']");
    var data = document.getElementById("unit-cost-categories");
    var unitCategories = data ? JSON.parse(data.textContent) : {};

    function kind() {
      if (unitCost && unitCost.value) {
        return "unit";
      }
      if (!category.value) {
        return "none";
      }
      return category.value === "staff" ? "staff" : "invoice";
    }

    function update() {
      var current = kind();
      root.dataset.kind = current;
      root.querySelectorAll("[data-line-kind]").forEach(function (element) {
        setVisible(element, element.dataset.lineKind.split(" ").indexOf(current) !== -1);
      });
      var chosenMethod = method && method.value ? method.value : "hourly";
      root.querySelectorAll("[data-staff-method]").forEach(function (element) {
        setVisible(element, element.dataset.staffMethod.split(" ").indexOf(chosenMethod) !== -1);
      });
    }

    if (unitCost) {
      // A unit-cost line takes its unit cost's category and is in EUR, the currency of the plan's prices.
      unitCost.addEventListener("change", function () {
        if (unitCost.value) {
          category.value = unitCategories[unitCost.value] || category.value;
          if (currency) {
            currency.value = "EUR";
          }
        }
        update();
      });
    }
    category.addEventListener("change", function () {
      if (unitCost && unitCost.value && unitCategories[unitCost.value] !== category.value) {
        unitCost.value = "";  // another category: no longer that unit cost's line
      }
      update();
    });
    if (method) {
      method.addEventListener("change", update);
    }
    update();
  }

  document.querySelectorAll("[data-line-form]").forEach(setUp);
})();
