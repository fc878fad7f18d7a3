// Item grid: shift-click a checkbox to select the range from the last one clicked, and
// keep the "Predict on" choice in step with the selection.
(function () {
  "use strict";
  var grid = document.getElementById("thumbs");
  if (!grid) return;
  var last = null;

  function boxes() {
    return Array.prototype.slice.call(grid.querySelectorAll("input[type=checkbox][name=item]"));
  }

  grid.addEventListener("click", function (event) {
    var box = event.target;
    if (!box.matches("input[type=checkbox][name=item]")) return;
    var all = boxes();
    if (event.shiftKey && last && last !== box) {
      var from = all.indexOf(last);
      var to = all.indexOf(box);
      all.slice(Math.min(from, to), Math.max(from, to) + 1).forEach(function (one) {
        one.checked = box.checked;
      });
      grid.dispatchEvent(new Event("change", { bubbles: true }));
    }
    last = box;
  });

  // Ticking items means "predict on these"; the other scopes stay an explicit choice.
  var scope = document.getElementById("predict-scope");
  grid.addEventListener("change", function () {
    if (scope && boxes().some(function (one) { return one.checked; })) scope.value = "selected";
  });
})();
