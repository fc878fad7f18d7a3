// Regression diff page: slider read-outs, count links that set the form's filters, and
// j / k / o over the changed items (as on the review page).
(function () {
  "use strict";

  var form = document.getElementById("diff-form");
  if (!form) return;

  function showSliderValues() {
    ["iou", "conf"].forEach(function (name) {
      var input = document.getElementById("diff-" + name);
      var output = document.getElementById("diff-" + name + "-value");
      if (input && output) output.textContent = Number(input.value).toFixed(2);
    });
  }

  // Values set from here send no input event: submit the form through htmx.
  function submit() {
    if (window.htmx) {
      htmx.trigger(form, "submit");
    } else {
      form.submit();
    }
  }

  // A count link filters the list; through the form, so its selects show the filter
  // and the next slider move keeps it. Without scripts the link itself does the same.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("#diff-results a[data-filter-change]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    document.getElementById("diff-change").value = link.dataset.filterChange;
    document.getElementById("diff-label").value = link.dataset.filterLabel;
    submit();
  });

  // --- keyboard: j / k / o over the cards (card_keys.js) ---------------------------------
  window.modelyardCardKeys("#diff-grid .diff-card");

  form.addEventListener("input", showSliderValues);
  // Empty filters stay out of the request, and so out of the pushed, shareable URL.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt !== form) return;
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") delete params[key];
    });
  });
  showSliderValues();
})();
