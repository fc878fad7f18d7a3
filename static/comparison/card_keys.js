// j / k move through a grid of cards, o opens the current card's item (its
// data-item-url). Shared by the review page and the regression diff; a swapped-in
// grid starts again from the top.
window.modelyardCardKeys = function (selector) {
  "use strict";
  var current = -1;

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function focusCard(index) {
    var all = cards();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (card) { card.classList.remove("current"); });
    all[current].classList.add("current");
    all[current].focus();
    all[current].scrollIntoView({ block: "nearest" });
  }

  // Keys typed into a field are the field's, except on a slider (arrows move it).
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) && target.type !== "range");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "j") focusCard(current + 1);
    else if (event.key === "k") focusCard(current - 1);
    else if (event.key === "o" && current >= 0 && cards()[current]) {
      window.location.href = cards()[current].dataset.itemUrl;
    } else return;
    event.preventDefault();
  });
  document.addEventListener("htmx:afterSwap", function () { current = -1; });
};
