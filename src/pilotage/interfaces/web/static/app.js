// Renders every chart on the page from its JSON spec (a data block, not a script), with
// the expression interpreter so that the Content-Security-Policy needs no 'unsafe-eval'.
(function () {
  "use strict";
  // French pages read 1 234,5 (narrow no-break space, decimal comma) on axes and tooltips.
  var LOCALES = {
    fr: { decimal: ",", thousands: "\u202f", grouping: [3], currency: ["", "\u00a0€"] },
  };
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
      var options = {
        actions: false, renderer: "svg", ast: true, expr: charts.expressionInterpreter,
      };
      var locale = LOCALES[document.documentElement.lang];
      if (locale) { options.formatLocale = locale; }
      charts.embed(el, spec, options).then(function () {
        el.setAttribute("data-chart-state", "rendered");
      }).catch(function (err) {
        el.setAttribute("data-chart-state", "error");
        el.textContent = String(err);
      });
    });
  }
  // Tables sort on a header click, by each cell's raw value (data-sort), not its text.
  function sortable() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, index) {
        th.addEventListener("click", function (event) {
          if (event.target.tagName === "A") { return; }
          var body = table.tBodies[0];
          var down = th.getAttribute("aria-sort") !== "descending";
          table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", down ? "descending" : "ascending");
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = a.cells[index].getAttribute("data-sort"), y = b.cells[index].getAttribute("data-sort");
            var nx = parseFloat(x), ny = parseFloat(y);
            var cmp = (isNaN(nx) || isNaN(ny)) ? String(x).localeCompare(String(y)) : nx - ny;
            return down ? -cmp : cmp;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }
  function start() { render(); sortable(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
