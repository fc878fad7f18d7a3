// Comparison page charts: one Plotly panel per metric, or every metric overlaid; one
// trace per version, coloured by the version's place in `models` (palette.js). Series
// come from /api/v1/metrics/series, downsampled on the server to the point budget;
// zooming asks again for the visible steps only, so detail comes back as you zoom.
(function () {
  "use strict";
  var source = document.getElementById("compare-spec");
  var box = document.getElementById("compare-charts");
  if (!source || !box || !window.Plotly) return;

  var spec = JSON.parse(source.textContent);
  var options = Object.assign({}, spec.options);
  var palette = window.ModelyardPalette;
  var models = {};
  spec.models.forEach(function (model) { models[model.id] = model; });
  var DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"];
  var X_TITLES = { step: "step", time: "wall time", relative: "seconds since the first point" };
  var panels = [];
  // "model:metric" -> the timestamp of the series' first point, for relative time.
  var origins = {};

  // Names are user text; Plotly reads some HTML in labels, so they are escaped and
  // Plotly shows the entities as plain characters.
  function label(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function keyOf(series) { return series.model + ":" + series.name; }

  // --- Fetching ---------------------------------------------------------------

  function fetchSeries(names, range) {
    var params = new URLSearchParams();
    params.set("models", spec.models.map(function (model) { return model.id; }).join(","));
    params.set("names", names.join(","));
    params.set("max_points", String(options.points));
    if (range) {
      params.set("start", String(range[0]));
      params.set("end", String(range[1]));
    }
    var url = box.dataset.seriesUrl + "?" + params.toString();
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("the server answered " + response.status);
        return response.json();
      })
      .then(function (body) { return body.series; });
  }

  function load(panel, range) {
    var ticket = (panel.ticket || 0) + 1;
    panel.ticket = ticket;
    panel.range = range;
    panel.note.textContent = range ? "Loading steps " + range[0] + "–" + range[1] + "…" : "Loading…";
    fetchSeries(panel.names, range).then(function (series) {
      if (panel.ticket !== ticket) return; // a newer zoom answered first
      if (!range) series.forEach(function (one) { origins[keyOf(one)] = one.timestamps[0]; });
      panel.series = series;
      draw(panel);
    }).catch(function (error) {
      if (panel.ticket === ticket) panel.note.textContent = "Could not load the series: " + error.message + ".";
    });
  }

  // --- Traces -----------------------------------------------------------------

  function xOf(series) {
    if (options.x === "time") return series.timestamps.map(function (t) { return t * 1000; });
    if (options.x === "relative") {
      var origin = origins[keyOf(series)];
      if (origin === undefined) origin = series.timestamps[0];
      return series.timestamps.map(function (t) { return t - origin; });
    }
    return series.steps;
  }

  // TensorBoard's smoothing: an exponential moving average, debiased at the start.
  function smoothed(values, weight) {
    var out = new Array(values.length);
    var last = 0;
    var norm = 0;
    for (var i = 0; i < values.length; i++) {
      last = last * weight + (1 - weight) * values[i];
      norm = norm * weight + (1 - weight);
      out[i] = last / norm;
    }
    return out;
  }

  function tracesOf(series, metricIndex, overlay, kind) {
    var model = models[series.model];
    var name = overlay ? model.name + " · " + series.name : model.name;
    var base = {
      type: kind,
      mode: "lines",
      x: xOf(series),
      y: series.values,
      customdata: series.steps,
      name: label(name),
      legendgroup: overlay ? keyOf(series) : String(series.model),
      // Through `meta`, so a "%{...}" in a name is shown, not read as a template.
      meta: [label(model.name), label(series.name)],
      hovertemplate: "%{meta[0]}<br>step %{customdata}<br>%{y:.6g}<extra>%{meta[1]}</extra>",
      line: {
        color: palette.colorOf(model.index),
        width: 1.6,
        dash: overlay ? DASHES[metricIndex % DASHES.length] : "solid",
      },
    };
    if (!(options.smooth > 0)) return [base];
    var raw = Object.assign({}, base, {
      opacity: 0.25, showlegend: false, hoverinfo: "skip", hovertemplate: null,
    });
    return [raw, Object.assign({}, base, { y: smoothed(series.values, options.smooth) })];
  }

  // --- Drawing ----------------------------------------------------------------

  function draw(panel) {
    var series = panel.series || [];
    var points = series.reduce(function (sum, one) { return sum + one.steps.length; }, 0);
    // SVG slows down past a few hundred thousand points; WebGL does not.
    var kind = points > 200000 ? "scattergl" : "scatter";
    var traces = [];
    series.forEach(function (one) {
      var metricIndex = panel.names.indexOf(one.name);
      traces.push.apply(traces, tracesOf(one, metricIndex, panel.overlay, kind));
    });
    var config = { responsive: true, displaylogo: false };
    Plotly.react(panel.chart, traces, layoutOf(panel), config);
    // Plotly adds .on() to the element on its first drawing.
    if (!panel.watched) {
      watchZoom(panel);
      panel.watched = true;
    }
    panel.note.textContent = noteOf(panel, series);
  }

  function layoutOf(panel) {
    return {
      title: { text: label(panel.title), font: { size: 14 } },
      xaxis: { title: { text: X_TITLES[options.x] }, type: options.x === "time" ? "date" : "linear" },
      yaxis: { type: options.log ? "log" : "linear" },
      margin: { l: 56, r: 16, t: 40, b: 44 },
      height: panel.overlay ? 480 : 320,
      showlegend: true,
      legend: { orientation: "h" },
      hovermode: "closest",
      // Kept while only the data or the smoothing changes, so the user's zoom stays.
      uirevision: panel.key + "|" + options.x + "|" + options.log,
    };
  }

  function noteOf(panel, series) {
    var parts = [];
    if (panel.range) parts.push("Steps " + panel.range[0] + "–" + panel.range[1] + " (zoomed).");
    var reduced = series.filter(function (one) { return one.total_points > one.steps.length; });
    if (reduced.length) {
      var most = Math.max.apply(null, reduced.map(function (one) { return one.total_points; }));
      parts.push(reduced.length + " of " + series.length + " series downsampled to at most " +
        options.points + " points (from up to " + most.toLocaleString("en") + ").");
    }
    var missing = spec.models.filter(function (model) {
      return !series.some(function (one) { return one.model === model.id; });
    });
    if (missing.length) {
      parts.push("No points from: " + missing.map(function (model) { return model.name; }).join(", ") + ".");
    }
    return parts.join(" ");
  }

  // --- Zooming ----------------------------------------------------------------

  function xRangeOf(event) {
    if (event["xaxis.autorange"]) return null;
    if ("xaxis.range[0]" in event) return [event["xaxis.range[0]"], event["xaxis.range[1]"]];
    if (event["xaxis.range"]) return event["xaxis.range"];
    return undefined;
  }

  function asNumber(value) {
    if (typeof value === "number") return value;
    return Date.parse(String(value).replace(" ", "T") + "Z"); // Plotly's UTC date strings
  }

  // The steps that cover an x range: for time axes, read off the drawn points.
  function stepsWithin(panel, range) {
    var low = asNumber(range[0]);
    var high = asNumber(range[1]);
    if (options.x === "step") return [Math.max(0, Math.floor(low)), Math.ceil(high)];
    var start = Infinity;
    var end = -Infinity;
    (panel.series || []).forEach(function (one) {
      var x = xOf(one);
      for (var i = 0; i < x.length; i++) {
        if (x[i] >= low && x[i] <= high) {
          start = Math.min(start, one.steps[Math.max(i - 1, 0)]);
          end = Math.max(end, one.steps[Math.min(i + 1, x.length - 1)]);
        }
      }
    });
    return start <= end ? [start, end] : null;
  }

  function watchZoom(panel) {
    panel.chart.on("plotly_relayout", function (event) {
      var range = xRangeOf(event);
      if (range === undefined) return;
      if (range === null) {
        if (panel.range) load(panel, null);
        return;
      }
      var steps = stepsWithin(panel, range);
      if (steps) load(panel, steps);
    });
  }

  // --- Panels -----------------------------------------------------------------

  function panelElement(title, names) {
    var element = document.createElement("div");
    element.className = "compare-panel";
    var chart = document.createElement("div");
    chart.className = "compare-chart";
    var note = document.createElement("p");
    note.className = "compare-panel-note muted";
    var download = document.createElement("a");
    download.className = "compare-panel-csv";
    download.textContent = "CSV";
    download.dataset.keepQuery = "";
    if (names.length === 1) download.dataset.extraQuery = "metric=" + encodeURIComponent(names[0]);
    download.href = box.dataset.csvUrl;
    download.setAttribute("aria-label", "Data of the chart " + title + " as CSV");
    element.appendChild(chart);
    element.appendChild(note);
    element.appendChild(download);
    box.appendChild(element);
    var panel = { key: title, title: title, names: names, overlay: names.length > 1, chart: chart, note: note };
    panel.element = element;
    return panel;
  }

  function build() {
    panels.forEach(function (panel) { Plotly.purge(panel.chart); });
    box.textContent = "";
    box.className = "compare-charts compare-" + options.layout;
    if (options.layout === "overlay") {
      panels = [panelElement(spec.metrics.join(", "), spec.metrics.slice())];
    } else {
      panels = spec.metrics.map(function (name) { return panelElement(name, [name]); });
    }
    if (window.CompareLinks) window.CompareLinks.sync();
    panels.forEach(function (panel) { load(panel, null); });
  }

  function setOption(name, value) {
    if (name === "smooth") options.smooth = Number(value) || 0;
    else if (name === "log") options.log = value === "1";
    else if (name === "x") options.x = value;
    else if (name === "layout") options.layout = value;
    else return;
    if (name === "layout") return build();
    // A zoomed range was read in steps for the old axis: start again from the whole.
    panels.forEach(function (panel) {
      if (name === "x" && panel.range) load(panel, null);
      else if (panel.series) draw(panel);
    });
  }

  window.CompareCharts = { setOption: setOption };
  build();
})();
