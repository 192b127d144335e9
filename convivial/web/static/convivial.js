// Draws every chart on the page (and in fragments htmx swaps in) with the vendored vega-embed.
// Each chart is an empty .chart box followed by its Vega-Lite spec as JSON.
"use strict";
function drawCharts(root) {
  root.querySelectorAll("script.chart-spec").forEach(function (script) {
    var box = script.previousElementSibling;
    if (!box || box.dataset.drawn) { return; }
    box.dataset.drawn = "1";
    vegaEmbed(box, JSON.parse(script.textContent), { actions: false, renderer: "svg" })
      .catch(function (error) {
        box.textContent = "This chart could not be drawn.";
        console.error(error);
      });
  });
}
document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.detail.elt); });
