// Item page: ← and → go to the previous and next item of the dataset.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.target.closest("input, select, textarea, [contenteditable]")) return;
    var link = null;
    if (event.key === "ArrowLeft") link = document.getElementById("previous-item");
    if (event.key === "ArrowRight") link = document.getElementById("next-item");
    if (link) window.location.href = link.href;
  });
})();

// "Show predictions" hides or shows the dashed prediction boxes over the image.
(function () {
  "use strict";
  var toggle = document.getElementById("show-predictions");
  if (!toggle) return;
  toggle.addEventListener("change", function () {
    document.body.classList.toggle("hide-predictions", !toggle.checked);
  });
})();
