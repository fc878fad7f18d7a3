// New model version: show the chosen package's default configuration beside the overrides.
(function () {
  "use strict";
  var data = document.getElementById("package-defaults");
  var select = document.getElementById("id_package");
  var box = document.getElementById("package-defaults-box");
  var output = document.getElementById("package-defaults-json");
  if (!data || !select || !box || !output) return;
  var defaults = JSON.parse(data.textContent);
  function show() {
    var config = defaults[select.value];
    box.hidden = config === undefined;
    output.textContent = config === undefined ? "" : JSON.stringify(config, null, 2);
  }
  select.addEventListener("change", show);
  show();
})();
