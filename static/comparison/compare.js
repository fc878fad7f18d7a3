// Comparison page controls. The chart options redraw at once and rewrite the link in
// place; a change of a table switch or of "better" reloads the page on the new link;
// links and the "save view" form always carry the current link.
(function () {
  "use strict";
  var form = document.getElementById("compare-form");
  if (!form) return;

  function currentQuery() {
    return window.location.search.replace(/^\?/, "");
  }

  // Downloads and "+ lineage" keep their own path and take the page's current query.
  function syncLinks() {
    document.querySelectorAll("a[data-keep-query]").forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      var extra = link.dataset.extraQuery ? "&" + link.dataset.extraQuery : "";
      link.href = url.pathname + "?" + currentQuery() + extra;
    });
  }

  // A value equal to the option's default (data-live) leaves the link.
  function setParam(name, value, fallback) {
    var params = new URLSearchParams(window.location.search);
    if (value === fallback || value === "") params.delete(name);
    else params.set(name, value);
    var search = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
    syncLinks();
  }

  function liveValue(input) {
    if (input.type === "checkbox") return input.checked ? input.value : "";
    return input.value;
  }

  document.querySelectorAll("[data-live]").forEach(function (input) {
    var eventName = input.type === "range" ? "input" : "change";
    input.addEventListener(eventName, function () {
      var value = liveValue(input);
      setParam(input.name, value, input.dataset.live);
      if (input.id === "compare-smooth") {
        document.getElementById("compare-smooth-value").textContent = Number(value).toFixed(2);
      }
      if (window.CompareCharts) window.CompareCharts.setOption(input.name, value);
    });
  });

  document.querySelectorAll("[data-submit]").forEach(function (input) {
    input.addEventListener("change", function () { form.requestSubmit(); });
  });

  // Versions ticked in the search results join in the order they were ticked, after
  // the versions already chosen (whose order is the link's).
  // A tick survives a new search: it is kept here and sent with the form.
  var ticked = [];
  var pending = document.getElementById("compare-pending");

  function showPending() {
    if (!pending) return;
    pending.textContent = ticked.length
      ? ticked.length + " version" + (ticked.length === 1 ? "" : "s") + " ticked: press Apply to add."
      : "";
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("#compare-picker-results input[name=models]")) return;
    ticked = ticked.filter(function (value) { return value !== box.value; });
    if (box.checked) ticked.push(box.value);
    showPending();
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "compare-picker-results") return;
    event.target.querySelectorAll("input[name=models]").forEach(function (box) {
      if (ticked.indexOf(box.value) >= 0) box.checked = true;
    });
  });
  form.addEventListener("formdata", function (event) {
    var chosen = event.formData.getAll("models").filter(function (value) {
      return ticked.indexOf(value) < 0;
    });
    event.formData.delete("models");
    chosen.concat(ticked).forEach(function (value) { event.formData.append("models", value); });
  });

  var save = document.getElementById("compare-save");
  if (save) {
    save.addEventListener("submit", function () {
      save.querySelector("[data-current-query]").value = currentQuery();
    });
  }

  window.CompareLinks = { sync: syncLinks };
  syncLinks();
})();
