// Regression diff page: slider read-outs, count links that set the form's filters, and
// j / k / o over the changed items (as on the review page).
(function () {
  "use strict";

  var form = document.getElementById("diff-form");
  if (!form) return;

  var thresholds = window.modelyardReview.thresholdForm(form, "diff");
  var submit = thresholds.submit;

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

  // --- keyboard: j / k / o over the cards (review_common.js) -----------------------------
  window.modelyardReview.cardKeys("#diff-grid .diff-card");

  form.addEventListener("input", thresholds.showSliderValues);
})();
