// Renders every chart on the page from its JSON spec (a data block, not a script), with
// the expression interpreter so that the Content-Security-Policy needs no 'unsafe-eval'.
(function () {
  "use strict";
  function render() {
    var charts = window.PilotageCharts;
    document.querySelectorAll("[data-chart-spec]").forEach(function (el) {
      var block = document.getElementById(el.getAttribute("data-chart-spec"));
      if (!block) { return; }
      if (!charts) {
        el.setAttribute("data-chart-state", "unavailable");
        return;
      }
      var spec = JSON.parse(block.textContent);
      charts.embed(el, spec, {
        actions: false, renderer: "svg", ast: true, expr: charts.expressionInterpreter,
      }).then(function () {
        el.setAttribute("data-chart-state", "rendered");
      }).catch(function (err) {
        el.setAttribute("data-chart-state", "error");
        el.textContent = String(err);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
