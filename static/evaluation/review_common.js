// What the evaluation review page and the regression diff share: the threshold form
// (slider read-outs, submitting through htmx, empty filters left out of the URL) and
// j / k / o over a grid of cards.
window.modelyardReview = (function () {
  "use strict";

  // A swapped-in grid starts again from the top.
  function cardKeys(selector) {
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
  }

  // `prefix` names the sliders: <prefix>-iou and <prefix>-conf, read out in <id>-value.
  function thresholdForm(form, prefix) {
    function showSliderValues() {
      ["iou", "conf"].forEach(function (name) {
        var input = document.getElementById(prefix + "-" + name);
        var output = document.getElementById(prefix + "-" + name + "-value");
        if (input && output) output.textContent = Number(input.value).toFixed(2);
      });
    }

    // Values set from a script send no input event: submit the form through htmx.
    function submit() {
      if (window.htmx) {
        htmx.trigger(form, "submit");
      } else {
        form.submit();
      }
    }

    // Empty filters stay out of the request, and so out of the pushed, shareable URL.
    document.addEventListener("htmx:configRequest", function (event) {
      if (event.detail.elt !== form) return;
      var params = event.detail.parameters;
      Object.keys(params).forEach(function (key) {
        if (params[key] === "") delete params[key];
      });
    });
    showSliderValues();
    return { showSliderValues: showSliderValues, submit: submit };
  }

  return { cardKeys: cardKeys, thresholdForm: thresholdForm };
})();
