/* Draws the forecast page's chart from its embedded JSON (json_script "analytics-forecast": the dates, the
   history, the forecast with its 80 % interval and the baseline, with their labels). The interval is a band:
   a transparent lower line with the upper-minus-lower stacked on it. ECharts is vendored; tooltips on the
   canvas (renderMode "richText": the CSP forbids HTML tooltips' style attributes). */
(function () {
  "use strict";
  function start() {
    var source = document.getElementById("analytics-forecast");
    var el = document.getElementById("chart-forecast");
    if (!source || !el || typeof echarts === "undefined") { return; }
    var d = JSON.parse(source.textContent);
    var L = d.labels;
    var width = d.upper.map(function (u, i) { return u === null || d.lower[i] === null ? null : u - d.lower[i]; });
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { data: [L.history, L.forecast, L.band, L.baseline] },
      grid: { left: 48, right: 16, bottom: 64 },
      dataZoom: [{ type: "slider", start: 50, end: 100 }],
      xAxis: { type: "category", data: d.dates },
      yAxis: { type: "value", name: L.count, min: 0 },
      series: [
        { name: L.history, type: "line", data: d.history, showSymbol: false },
        { name: "lower", type: "line", data: d.lower, stack: "band", lineStyle: { opacity: 0 }, showSymbol: false, tooltip: { show: false } },
        { name: L.band, type: "line", data: width, stack: "band", lineStyle: { opacity: 0 }, areaStyle: { opacity: 0.25 }, showSymbol: false },
        { name: L.forecast, type: "line", data: d.forecast, showSymbol: false },
        { name: L.baseline, type: "line", data: d.baseline, showSymbol: false, lineStyle: { type: "dashed" } }
      ]
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
