/* Draws the hall figures from the page's embedded JSON (json_script "tickets-figures": each table's rows by
   key; "tickets-figures-labels": the series names). ECharts is vendored (static/vendor/echarts.min.js): no
   CDN. Tooltips are drawn on the canvas (renderMode "richText"): HTML tooltips carry style attributes,
   which the CSP forbids. The tables below the charts hold the same numbers. */
(function () {
  "use strict";
  function rowName(row) { return row.hall ? row.hall + " " + row.name : row.name; }
  function bars(id, rows, series, labels, options) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var stack = options && options.stack;
    echarts.init(el).setOption({
      animation: false,
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll" },
      grid: { left: 48, right: 16, bottom: 64 },
      xAxis: { type: "category", data: rows.map(rowName), axisLabel: { rotate: rows.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", name: options && options.unit },
      series: series.map(function (key) {
        return { name: labels[key], type: "bar", stack: stack ? "total" : undefined, data: rows.map(function (r) { return r[key]; }) };
      })
    });
  }
  function draw() {
    var source = document.getElementById("tickets-figures");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var labels = JSON.parse(document.getElementById("tickets-figures-labels").textContent);
    var times = ["waiting_p50", "waiting_p90", "service_p50", "service_p90"];
    var minutes = { unit: labels.minutes };
    bars("chart-times-hour", data.times_by_hour, times, labels, minutes);
    bars("chart-times-weekday", data.times_by_weekday, times, labels, minutes);
    bars("chart-times-window", data.times_by_window, times, labels, minutes);
    bars("chart-utilisation", data.utilisation, ["utilisation"], labels, { unit: "%" });
    bars("chart-abandoned", data.abandoned, ["left_in_queue", "skipped_never_recalled"], labels, { stack: true });
    bars("chart-bookings", data.bookings_by_hall, ["kept", "cancelled", "no_show", "pending"], labels, { stack: true });
    bars("chart-channels", data.bookings_by_channel, ["kept", "cancelled", "no_show", "pending"], labels, { stack: true });
    bars("chart-weekend", data.weekend, ["saturday", "sunday"], labels, { stack: true });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
