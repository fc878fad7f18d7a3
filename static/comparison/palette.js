// Modelyard's comparison palette, shared by every part of the comparison page
// (the charts, the tables, and the evaluation section loaded into it).
//
// A version's colour is fixed by its position in the `models` query parameter
// (0 for the first id, 1 for the next, ...), so it is the same in every panel,
// table and section, and in every link that lists the versions in the same order.
//
//   ModelyardPalette.colorOf(index)  -> a CSS colour string (also valid for Plotly)
//   ModelyardPalette.paint(root)     -> every [data-palette-index] element under root
//                                       gets the custom property --version-colour
//
// Painting runs on page load and after every htmx swap, so a partial only needs
// data-palette-index="{{ index }}" on its swatches.
(function () {
  "use strict";

  // Plotly's and D3's categorical colours: the first twenty versions are far apart.
  var BASE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    "#393b79", "#ad494a", "#637939", "#8c6d31", "#7b4173",
    "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363",
  ];

  function colorOf(index) {
    index = Math.max(0, Math.floor(Number(index) || 0));
    if (index < BASE.length) return BASE[index];
    // Beyond twenty: golden-angle hues, distinct from their neighbours in the list.
    var hue = (index * 137.508) % 360;
    return "hsl(" + hue.toFixed(1) + ", 60%, 45%)";
  }

  function paint(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var marked = Array.prototype.slice.call(scope.querySelectorAll("[data-palette-index]"));
    if (scope.dataset && scope.dataset.paletteIndex !== undefined) marked.push(scope);
    marked.forEach(function (element) {
      element.style.setProperty("--version-colour", colorOf(element.dataset.paletteIndex));
    });
  }

  window.ModelyardPalette = { colors: BASE.slice(), colorOf: colorOf, paint: paint };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { paint(document); });
  } else {
    paint(document);
  }
  document.addEventListener("htmx:afterSwap", function (event) { paint(event.target); });
})();
