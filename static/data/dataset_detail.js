// Item grid: keyboard walk through the thumbnails and the selection for "Assign subset".
// j / k: next / previous thumbnail; x: toggle its checkbox; o or Enter: open the item.
(function () {
  "use strict";
  var grid = document.getElementById("thumbs");
  if (!grid) return;
  var thumbs = Array.prototype.slice.call(grid.querySelectorAll(".thumb"));
  var selectAll = document.getElementById("select-all");
  var counter = document.getElementById("selection-count");

  function boxes() {
    return grid.querySelectorAll("input[type=checkbox][name=item]");
  }

  function refresh() {
    var checked = 0;
    thumbs.forEach(function (thumb) {
      var box = thumb.querySelector("input[type=checkbox]");
      var on = Boolean(box && box.checked);
      thumb.classList.toggle("selected", on);
      if (on) checked += 1;
    });
    if (counter) counter.textContent = checked ? checked + " selected" : "";
    if (selectAll) {
      selectAll.checked = checked > 0 && checked === boxes().length;
      selectAll.indeterminate = checked > 0 && checked < boxes().length;
    }
  }

  function current() {
    var active = document.activeElement;
    return active ? active.closest(".thumb") : null;
  }

  function focusThumb(index) {
    var thumb = thumbs[Math.max(0, Math.min(thumbs.length - 1, index))];
    if (!thumb) return;
    thumb.querySelector("a.frame").focus();
    thumb.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target.closest("select, textarea, [contenteditable]")) return;
    if (target.matches("input") && target.type !== "checkbox") return;
    var thumb = current();
    var index = thumb ? thumbs.indexOf(thumb) : -1;
    if (event.key === "j") {
      focusThumb(index + 1);
    } else if (event.key === "k") {
      focusThumb(index < 0 ? 0 : index - 1);
    } else if (event.key === "x" && thumb) {
      var box = thumb.querySelector("input[type=checkbox]");
      if (box) box.checked = !box.checked;
      refresh();
    } else if ((event.key === "o" || (event.key === "Enter" && target.type === "checkbox")) && thumb) {
      // Enter on the thumbnail link opens it natively; on the checkbox it would do nothing.
      window.location.href = thumb.querySelector("a.frame").href;
    } else {
      return;
    }
    event.preventDefault();
  });

  grid.addEventListener("change", refresh);
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      boxes().forEach(function (box) {
        box.checked = selectAll.checked;
      });
      refresh();
    });
  }
  refresh();
})();
