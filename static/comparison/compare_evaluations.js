// Comparison page, evaluation section: grouped bars, metric by version, per-label
// heatmap and parallel coordinates, drawn from the section's json_script data.
// htmx runs this file again each time it swaps the section in; the first run sets
// everything up and later runs only draw.
(function () {
  "use strict";

  if (window.ModelyardCompareEvaluations) {
    window.ModelyardCompareEvaluations.start();
    return;
  }

  // Plotly's own colorway, in its order: the fallback when palette.js is not loaded.
  var PLOTLY_COLORWAY = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  ];
  var DASHES = ["solid", "dash", "dot", "dashdot", "longdash"];
  var CONFIG = { responsive: true, displaylogo: false };
  var waitingForPlotly = [];

  // Names are user text. Plotly reads <b>, <br>, <a> and entities in labels, so every
  // name given to it is escaped; Plotly turns the entities back into plain characters.
  function label(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // palette.js (the comparison page's) fixes a version's colour by its position in
  // `models`; without it, Plotly's colorway in the same order.
  function colorOf(version) {
    var palette = window.ModelyardPalette;
    if (palette && typeof palette.colorOf === "function") return palette.colorOf(version.color);
    var colors = palette && Array.isArray(palette.colors) && palette.colors.length
      ? palette.colors : PLOTLY_COLORWAY;
    return colors[version.color % colors.length];
  }

  function layoutOf(extra) {
    var layout = { margin: { l: 60, r: 20, t: 20, b: 60 }, height: 320, legend: { orientation: "h" } };
    Object.keys(extra).forEach(function (key) { layout[key] = extra[key]; });
    return layout;
  }

  function drawBars(data) {
    var element = document.getElementById("ce-bars");
    if (!element || !data.bars.metrics.length) return;
    var x = data.bars.metrics.map(label);
    var traces = data.bars.rows.map(function (row) {
      var version = data.versions[row.v];
      return {
        type: "bar", x: x, y: row.values, name: label(version.name),
        marker: { color: colorOf(version) },
        // Through `meta`, so a "%{...}" in a name is shown, not read as a template.
        meta: label(version.name),
        hovertemplate: "%{x}: %{y:.4f}<extra>%{meta}</extra>",
      };
    });
    Plotly.react(element, traces, layoutOf({ barmode: "group", xaxis: { type: "category" } }), CONFIG);
  }

  function drawByVersion(data) {
    var element = document.getElementById("ce-by-version");
    var series = data.by_version;
    if (!element || !series.metrics.length) return;
    var versions = series.versions.map(function (index) { return data.versions[index]; });
    var x = versions.map(function (version) { return label(version.name); });
    var traces = series.metrics.map(function (metric, m) {
      return {
        type: "scatter", mode: "lines+markers", x: x, y: series.values[m], name: label(metric),
        connectgaps: true, line: { color: "#5b6475", dash: DASHES[m % DASHES.length] },
        // Each marker in its version's colour, as in every chart of the page.
        marker: { size: 11, color: versions.map(colorOf), line: { color: "#fff", width: 1 } },
        meta: label(metric),
        hovertemplate: "%{x}<br>%{meta}: %{y:.4f}<extra></extra>",
      };
    });
    var title = series.order === "lineage" ? "along the lineage" : "in creation order";
    var layout = layoutOf({ xaxis: { type: "category", title: { text: title } }, showlegend: true });
    Plotly.react(element, traces, layout, CONFIG);
  }

  function scoreRange(z) {
    var values = [].concat.apply([], z).filter(function (value) { return value !== null; });
    var unit = values.every(function (value) { return value >= 0 && value <= 1; });
    return unit ? { zmin: 0, zmax: 1 } : {};
  }

  function drawHeatmap(data, key) {
    var element = document.getElementById("ce-heatmap");
    var heat = data.heatmap;
    if (!element || !key || !heat.rows.length || !heat.labels.length) return;
    var z = heat.rows.map(function (row) { return row.values[key]; });
    var trace = {
      type: "heatmap", z: z, colorscale: "Viridis", meta: label(key),
      x: heat.labels.map(label),
      y: heat.rows.map(function (row) { return label(data.versions[row.v].name); }),
      hovertemplate: "%{y} · %{x}<br>%{meta}: %{z:.4f}<extra></extra>",
    };
    // Numbers in the cells while they are big enough to hold them.
    if (heat.rows.length * heat.labels.length <= 400) trace.texttemplate = "%{z:.2f}";
    var range = scoreRange(z);
    Object.keys(range).forEach(function (name) { trace[name] = range[name]; });
    var layout = layoutOf({
      height: Math.max(160, 70 + 28 * heat.rows.length),
      margin: { l: 60, r: 20, t: 10, b: 40 },
      xaxis: { type: "category", automargin: true },
      yaxis: { type: "category", autorange: "reversed", automargin: true },
    });
    Plotly.react(element, [trace], layout, CONFIG);
  }

  // Parcoords reads its axis titles as Plotly's HTML but sets its tick labels as plain
  // text: escaping those would show "&lt;" on the axis.
  function categoryDimension(name, values, ticks) {
    var top = Math.max(ticks.length - 1, 1);
    return {
      label: label(name), values: values, range: [0, top],
      tickvals: ticks.map(function (_, index) { return index; }), ticktext: ticks.map(String),
    };
  }

  function drawParallel(data) {
    var element = document.getElementById("ce-parallel");
    var pc = data.parallel;
    if (!element || pc.versions.length < 2) return;
    var names = pc.versions.map(function (index) { return data.versions[index].name; });
    // A first axis of version names: parcoords has no hover to tell the lines apart.
    var dimensions = [categoryDimension("version", names.map(function (_, i) { return i; }), names)];
    pc.axes.forEach(function (axis) {
      dimensions.push(axis.kind === "category"
        ? categoryDimension(axis.name, axis.values, axis.ticktext)
        : { label: label(axis.name), values: axis.values });
    });
    dimensions.push({ label: label(pc.title), values: pc.values });
    var trace = {
      type: "parcoords", dimensions: dimensions,
      line: { color: pc.values, colorscale: "Viridis", showscale: true },
    };
    // Parcoords has no automargin: room for the longest version name, within reason.
    var longest = Math.max.apply(null, names.map(function (name) { return name.length; }));
    var left = Math.min(40 + 6 * longest, 240);
    var layout = layoutOf({ height: 380, margin: { l: left, r: 90, t: 60, b: 30 } });
    Plotly.react(element, [trace], layout, CONFIG);
  }

  function dataOf() {
    var source = document.getElementById("compare-evaluations-data");
    return source ? JSON.parse(source.textContent) : null;
  }

  function heatKey(data) {
    var pressed = document.querySelector('[data-ce-heat][aria-pressed="true"]');
    return pressed ? pressed.getAttribute("data-ce-heat") : data.heatmap.default;
  }

  function draw() {
    var data = dataOf();
    if (!data) return;
    drawBars(data);
    drawByVersion(data);
    drawHeatmap(data, heatKey(data));
    drawParallel(data);
  }

  // The comparison page may already have Plotly; opened alone, the section brings it.
  function withPlotly(callback) {
    if (window.Plotly) return callback();
    waitingForPlotly.push(callback);
    if (waitingForPlotly.length > 1) return;
    var section = document.getElementById("ce-section");
    var script = document.createElement("script");
    script.src = section.getAttribute("data-plotly-src");
    script.onload = function () {
      waitingForPlotly.splice(0).forEach(function (waiting) { waiting(); });
    };
    document.head.appendChild(script);
  }

  function start() {
    if (!document.getElementById("compare-evaluations-data")) return;
    withPlotly(draw);
  }

  function onHeatToggle(event) {
    var button = event.target.closest("[data-ce-heat]");
    if (!button) return;
    button.parentNode.querySelectorAll("[data-ce-heat]").forEach(function (other) {
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
      other.classList.toggle("primary", other === button);
    });
    var data = dataOf();
    if (data && window.Plotly) drawHeatmap(data, button.getAttribute("data-ce-heat"));
  }

  function onChooserChange(event) {
    var form = event.target.closest("form[data-ce-autosubmit]");
    if (form && event.target.tagName === "SELECT") form.submit();
  }

  window.ModelyardCompareEvaluations = { start: start };
  document.addEventListener("click", onHeatToggle);
  document.addEventListener("change", onChooserChange);
  // Deferred scripts (Plotly, palette.js) have run by DOMContentLoaded.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
