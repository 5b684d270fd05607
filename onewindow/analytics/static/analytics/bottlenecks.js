/* Draws the bottlenecks page from its embedded JSON (json_script "analytics-bottlenecks": each charted table's
   rows by key; "analytics-bottlenecks-labels": the series names). ECharts is vendored; tooltips on the canvas
   (the CSP forbids inline styles). The tables beside the charts hold the same numbers. */
(function () {
  "use strict";
  var CHARTS = {
    workload_by_department: { name: "name", series: ["open", "yellow", "red"], top: 15 },
    workload_by_reviewer: { name: "name", series: ["open", "yellow", "red"], top: 15 },
    what_if_saved: { name: "name", series: ["count"] }
  };
  function draw(key, rows, spec, labels) {
    var el = document.getElementById("chart-" + key);
    if (!el || !rows || !rows.length) { return; }
    rows = spec.top ? rows.slice(0, spec.top) : rows;
    echarts.init(el).setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll" },
      grid: { left: 48, right: 16, bottom: 72 },
      xAxis: { type: "category", data: rows.map(function (r) { return r[spec.name] === undefined ? "" : r[spec.name]; }), axisLabel: { rotate: rows.length > 8 ? 40 : 0 } },
      yAxis: { type: "value" },
      series: spec.series.map(function (s) {
        return { name: labels[s] || s, type: "bar", data: rows.map(function (r) { return r[s]; }) };
      })
    });
  }
  function start() {
    var source = document.getElementById("analytics-bottlenecks");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var labels = JSON.parse(document.getElementById("analytics-bottlenecks-labels").textContent);
    Object.keys(data).forEach(function (key) { if (CHARTS[key]) { draw(key, data[key], CHARTS[key], labels); } });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
