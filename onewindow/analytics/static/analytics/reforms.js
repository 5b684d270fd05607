/* Draws a reform's chart from its embedded JSON (json_script "analytics-reform": per matter and bundle, the
   median working days and the materials asked before and after, with the series' names). ECharts is vendored;
   tooltips on the canvas (the CSP forbids inline styles). The tables below hold the same numbers. */
(function () {
  "use strict";
  function start() {
    var source = document.getElementById("analytics-reform");
    var el = document.getElementById("chart-reform");
    if (!source || !el || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (!data.names || !data.names.length) { return; }
    var l = data.labels;
    echarts.init(el).setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll" },
      grid: { left: 56, right: 56, bottom: 24, containLabel: true },
      xAxis: { type: "category", data: data.names, axisLabel: { rotate: data.names.length > 3 ? 30 : 0, interval: 0 } },
      yAxis: [{ type: "value", name: l.days_unit }, { type: "value", name: l.materials_unit }],
      series: [
        { name: l.days + " · " + l.before, type: "bar", data: data.before_days },
        { name: l.days + " · " + l.after, type: "bar", data: data.after_days },
        { name: l.materials + " · " + l.before, type: "line", yAxisIndex: 1, data: data.before_materials },
        { name: l.materials + " · " + l.after, type: "line", yAxisIndex: 1, data: data.after_materials }
      ]
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
