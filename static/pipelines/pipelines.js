// Pipelines: ask before cancelling a run; on the form, show only the chosen trigger's field.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  var FIELDS = { new_items: "field-new_items_threshold", schedule: "field-schedule" };

  function showTriggerFields() {
    var chosen = document.querySelector("input[name=trigger]:checked");
    Object.keys(FIELDS).forEach(function (trigger) {
      var field = document.getElementById(FIELDS[trigger]);
      // A field with an error stays visible, whatever is chosen.
      if (field) field.hidden = (!chosen || chosen.value !== trigger) && !field.querySelector(".errorlist");
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.name === "trigger") showTriggerFields();
  });
  showTriggerFields();
})();
