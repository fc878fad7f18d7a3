// Evaluation review page: slider read-outs, j / k / o keys over the error grid, and the
// Plotly confusion matrix (a click lists that cell's items) and PR curves from json_script.
(function () {
  "use strict";

  var form = document.getElementById("review-form");

  // Label names are user text; Plotly reads <b>, <br>, <a> and entities in labels.
  function label(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  var thresholds = window.modelyardReview.thresholdForm(form, "review");
  var showSliderValues = thresholds.showSliderValues;
  var submit = thresholds.submit;

  function setCell(key, thresholds) {
    document.getElementById("review-cell").value = key;
    if (thresholds) {
      document.getElementById("review-iou").value = thresholds.iou.toFixed(2);
      document.getElementById("review-conf").value = thresholds.confidence.toFixed(2);
      showSliderValues();
    }
    submit();
  }

  function setTab(tab) {
    document.getElementById("review-tab").value = tab;
    document.getElementById("review-cell").value = "";
    document.querySelectorAll(".review-tabs [data-tab]").forEach(function (button) {
      button.setAttribute("aria-selected", String(button.dataset.tab === tab));
    });
    submit();
  }

  // --- keyboard: j / k / o over the cards (review_common.js) -----------------------------
  window.modelyardReview.cardKeys("#review-grid .review-card");

  // --- charts ------------------------------------------------------------------------
  function drawConfusion(element, confusion) {
    if (!confusion.matrix || !confusion.matrix.length) return;
    var names = confusion.labels.map(label);
    var text = confusion.matrix.map(function (row, i) {
      return row.map(function (value, j) { return "true " + names[i] + "<br>predicted " + names[j] + "<br>" + value; });
    });
    var trace = {
      type: "heatmap", z: confusion.matrix, x: names, y: names, text: text,
      hoverinfo: "text", texttemplate: "%{z}", showscale: false,
      // White at zero, so the empty cells recede and the counts stand out.
      colorscale: [[0, "#ffffff"], [0.001, "#e3ecfb"], [1, "#2457d6"]],
    };
    var layout = {
      margin: { l: 110, r: 10, t: 30, b: 110 }, height: 380,
      xaxis: { title: { text: "predicted" }, type: "category" },
      yaxis: { title: { text: "ground truth" }, type: "category", autorange: "reversed" },
    };
    Plotly.react(element, [trace], layout, { responsive: true, displaylogo: false });
    element.on("plotly_click", function (data) {
      var point = data.points[0];
      var row = point.pointIndex[0], column = point.pointIndex[1];
      var key = (confusion.keys[row] || "") + ":" + (confusion.keys[column] || "");
      if (!confusion.keys[row] || !confusion.keys[column]) return;
      setCell(key, { iou: confusion.iou, confidence: confusion.confidence });
    });
  }

  function drawCurves(element, curves) {
    if (!curves.length) return;
    var traces = curves.map(function (curve) {
      return {
        type: "scatter", mode: "lines", x: curve.recall, y: curve.precision,
        name: label(curve.label), meta: label(curve.label),
        hovertemplate: "recall %{x:.3f}<br>precision %{y:.3f}<extra>%{meta}</extra>",
      };
    });
    var layout = {
      margin: { l: 50, r: 10, t: 30, b: 40 }, height: 380,
      xaxis: { title: { text: "recall" }, range: [0, 1] },
      yaxis: { title: { text: "precision" }, range: [0, 1.02] },
      legend: { orientation: "h" },
    };
    Plotly.react(element, traces, layout, { responsive: true, displaylogo: false });
  }

  function drawCharts() {
    var source = document.getElementById("review-chart-data");
    if (!source || !window.Plotly) return;
    var data = JSON.parse(source.textContent);
    var confusion = document.getElementById("review-confusion");
    var curves = document.getElementById("review-pr");
    if (confusion) drawConfusion(confusion, data.confusion);
    if (curves) drawCurves(curves, data.pr_curves);
  }

  if (form) {
    form.addEventListener("input", function (event) {
      showSliderValues();
      // A filter change leaves the confusion cell; moving a slider keeps it.
      if (event.target.type !== "range" && event.target.id !== "review-cell") {
        document.getElementById("review-cell").value = "";
      }
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-clear-cell]")) setCell("", null);
    var tab = event.target.closest(".review-tabs [data-tab]");
    if (tab) setTab(tab.dataset.tab);
  });
  // plotly.min.js is deferred too and comes first in the document, so it is ready here.
  drawCharts();
})();
