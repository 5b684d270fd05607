/* Draws the ranking dashboards from the page's embedded JSON (json_script "ranking-dashboard").
   ECharts is vendored (static/vendor/echarts.min.js): no CDN. Tooltips are drawn on the canvas
   (renderMode "richText"): ECharts' HTML tooltips carry style attributes, which the CSP forbids. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("ranking-dashboard");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var completion = document.getElementById("chart-completion");
    if (completion) {
      echarts.init(completion).setOption({
        tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
        legend: { type: "scroll" },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
        series: data.completion.map(function (row) {
          return { name: row.district, type: "line", connectNulls: false, data: row.values };
        })
      });
    }
    var classes = document.getElementById("chart-classes");
    if (classes) {
      var colours = { ahead: "#198754", normal: "#0d6efd", lagging: "#fd7e14", no_progress: "#dc3545" };
      echarts.init(classes).setOption({
        tooltip: { trigger: "item", renderMode: "richText" },
        legend: { bottom: 0 },
        series: [{
          type: "pie", radius: ["35%", "65%"],
          data: data.classes.map(function (c) {
            return { name: c.label, value: c.count, itemStyle: { color: colours[c.rank_class] } };
          })
        }]
      });
    }
    var problems = document.getElementById("chart-problems");
    if (problems) {
      var labels = JSON.parse(document.getElementById("ranking-problem-labels").textContent);
      echarts.init(problems).setOption({
        tooltip: { trigger: "axis", renderMode: "richText" },
        legend: {},
        grid: { left: 160 },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: data.problems.map(function (p) { return p.unit; }) },
        series: ["open", "overdue", "closed"].map(function (key) {
          return { name: labels[key], type: "bar", stack: "problems", data: data.problems.map(function (p) { return p[key]; }) };
        })
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
