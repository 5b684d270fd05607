/* Draws the savings charts from the page's embedded JSON (json_script "fees-savings": each table's rows by
   key; "fees-savings-labels": the series names). ECharts is vendored; tooltips drawn on the canvas
   (renderMode "richText") as the CSP forbids style attributes. The tables below hold the same numbers. */
(function () {
  "use strict";
  function bars(id, rows, nameKey, labels) {
    var el = document.getElementById(id);
    if (!el || !rows) { return; }
    var series = ["relieved_amount", "subsidised_amount"];
    var chart = echarts.init(el);
    // Every category named, each label wrapped within its bar group's width (document numbers are long on a phone).
    var slot = Math.max(48, Math.floor((el.clientWidth - 80) / Math.max(rows.length, 1)) - 8);
    var axisLabel = rows.length > 6 ? { interval: 0, rotate: 40 } : { interval: 0, width: slot, overflow: "break" };
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll" },
      grid: { left: 64, right: 16, bottom: 64 },
      xAxis: { type: "category", data: rows.map(function (r) { return r[nameKey]; }), axisLabel: axisLabel },
      yAxis: { type: "value", name: labels.yuan },
      series: series.map(function (key) {
        return { name: labels[key], type: "bar", data: rows.map(function (r) { return Number(r[key]); }) };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function draw() {
    var source = document.getElementById("fees-savings");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var labels = JSON.parse(document.getElementById("fees-savings-labels").textContent);
    bars("chart-policy", data.savings_by_policy, "document_number", labels);
    bars("chart-month", data.savings_by_month, "month", labels);
    bars("chart-district", data.savings_by_district, "district", labels);
    bars("chart-industry", data.savings_by_industry, "industry", labels);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
