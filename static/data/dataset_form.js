// The label map editor of the dataset form: add, remove and move rows.
// Row order is label order; the server reads the rows as they are posted.
(function () {
  "use strict";
  var body = document.querySelector("#label-rows tbody");
  var template = document.getElementById("label-row-template");
  var addButton = document.getElementById("add-label");
  if (!body || !template || !addButton) return;
  var palette = JSON.parse(document.getElementById("label-palette").textContent);

  // A colour no row uses yet, so new labels are told apart without picking one.
  function freeColor() {
    var used = Array.prototype.map.call(body.querySelectorAll("input[type=color]"), function (input) {
      return input.value.toLowerCase();
    });
    var free = palette.filter(function (color) { return used.indexOf(color) < 0; });
    return free.length ? free[0] : palette[used.length % palette.length];
  }

  addButton.addEventListener("click", function () {
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelector("input[type=color]").value = freeColor();
    body.appendChild(row);
    row.querySelector("input[type=text]").focus();
  });

  body.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var row = button.closest("tr");
    if (button.classList.contains("remove-label")) {
      var next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      if (next) next.querySelector("input[type=text]").focus();
    } else if (button.classList.contains("move-up") && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
      button.focus();
    } else if (button.classList.contains("move-down") && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
      button.focus();
    }
  });
})();
