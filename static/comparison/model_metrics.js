// Model page: draw one Plotly chart per metric group from the json_script data, and
// update the charts in place when htmx swaps in fresher data while the model trains.
(function () {
  "use strict";

  // Metric names are user text. Plotly reads <b>, <br>, <a> and entities in labels,
  // so every label is escaped; Plotly turns the entities back into plain characters.
  function label(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function traceOf(trace) {
    return {
      type: "scatter",
      mode: "lines",
      x: trace.steps,
      y: trace.values,
      name: label(trace.legend),
      // Through `meta`, so a "%{...}" in a name is shown, not read as a template.
      meta: label(trace.name),
      hovertemplate: "step %{x}<br>%{y}<extra>%{meta}</extra>",
    };
  }

  function titleOf(figure) {
    var note = figure.traces.some(function (trace) { return trace.total_points > trace.steps.length; })
      ? " (downsampled)" : "";
    return label(figure.name) + note;
  }

  function layoutOf(figure) {
    return {
      title: { text: titleOf(figure), font: { size: 14 } },
      xaxis: { title: { text: "step" } },
      margin: { l: 50, r: 20, t: 40, b: 40 },
      height: 280,
      showlegend: true,
      legend: { orientation: "h" },
      // Same key on every refresh: Plotly keeps the user's zoom while data grows.
      uirevision: figure.name,
    };
  }

  // One chart element per figure, found again by name (a data attribute, never HTML).
  function chartFor(box, name) {
    for (var i = 0; i < box.children.length; i++) {
      if (box.children[i].dataset.figure === name) return box.children[i];
    }
    var element = document.createElement("div");
    element.className = "metric-chart";
    element.dataset.figure = name;
    box.appendChild(element);
    return element;
  }

  function draw() {
    var box = document.getElementById("model-metrics-charts");
    var source = document.getElementById("model-metrics-data");
    if (!box || !window.Plotly) return;
    var figures = source ? JSON.parse(source.textContent) : [];
    var names = figures.map(function (figure) { return figure.name; });
    Array.prototype.slice.call(box.children).forEach(function (element) {
      if (names.indexOf(element.dataset.figure) < 0) box.removeChild(element);
    });
    figures.forEach(function (figure) {
      var config = { responsive: true, displaylogo: false };
      var element = chartFor(box, figure.name);
      box.appendChild(element); // keeps the charts in the data's (name) order
      Plotly.react(element, figure.traces.map(traceOf), layoutOf(figure), config);
    });
  }

  draw();
  document.addEventListener("htmx:afterSwap", draw);
})();
