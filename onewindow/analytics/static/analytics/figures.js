/* Draws the leaders' analysis from the page's embedded JSON (json_script "analytics-figures": each table's rows
   by key; "analytics-figures-labels": the series names). ECharts is vendored (static/vendor/echarts.min.js): no
   CDN. Tooltips are drawn on the canvas (renderMode "richText"): HTML tooltips carry style attributes, which
   the CSP forbids. The tables beside the charts hold the same numbers. A table without a chart keeps its
   placeholder empty. */
(function () {
  "use strict";
  var CHARTS = {
    online_share: { series: ["online_rate", "target"], unit: "%" },
    by_channel: { series: ["count"], pie: true },
    by_applicant_kind: { series: ["count"], pie: true },
    by_matter: { series: ["count"], top: 15 },
    by_bundle: { series: ["count"], top: 15 },
    by_department: { series: ["count"], top: 15 },
    by_region: { series: ["count"], top: 15 },
    by_hour: { series: ["count"] },
    by_weekday: { series: ["count"] },
    by_month: { series: ["count"], line: true },
    phases: { series: ["p50", "p90"], unit: "days" },
    times_by_matter: { series: ["intake_p50", "review_p50", "waiting_p50", "decision_p50"], stack: true, unit: "days", top: 15 },
    times_by_region: { series: ["intake_p50", "review_p50", "waiting_p50", "decision_p50"], stack: true, unit: "days", top: 15 },
    times_by_department: { series: ["p50", "p90"], unit: "days", top: 15 },
    finish_last: { series: ["last"], top: 15 },
    corrections_by_matter: { series: ["notices"], top: 15 },
    materials_corrected: { series: ["count"], top: 15 }
  };
  function draw(key, rows, spec, labels) {
    var el = document.getElementById("chart-" + key);
    if (!el || !rows || !rows.length) { return; }
    rows = spec.top ? rows.slice(0, spec.top) : rows;
    var chart = echarts.init(el);
    if (spec.pie) {
      chart.setOption({
        animation: false,
        tooltip: { trigger: "item", renderMode: "richText" },
        series: [{ type: "pie", radius: "65%", data: rows.map(function (r) { return { name: r.name, value: r.count }; }) }]
      });
      return;
    }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll" },
      grid: { left: 48, right: 16, bottom: 72 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.name === undefined ? "" : r.name; }), axisLabel: { rotate: rows.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", name: spec.unit ? (labels[spec.unit] || spec.unit) : "" },
      series: spec.series.map(function (s) {
        return {
          name: labels[s] || s,
          type: spec.line ? "line" : "bar",
          stack: spec.stack ? "total" : undefined,
          data: rows.map(function (r) { return r[s]; })
        };
      })
    });
  }
  function start() {
    var source = document.getElementById("analytics-figures");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var labels = JSON.parse(document.getElementById("analytics-figures-labels").textContent);
    Object.keys(data).forEach(function (key) { if (CHARTS[key]) { draw(key, data[key], CHARTS[key], labels); } });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
