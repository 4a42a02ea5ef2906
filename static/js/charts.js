/* Draws the charts described by <div data-chart="…" data-source="json-script-id"> with the
   vendored ECharts (static/vendor/echarts). No network access needed. */
(function () {
  function read(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  var builders = {
    trend: function (d) {
      // ECharts 6 puts the legend at the bottom by default, over the axis labels; the grid
      // leaves room for it at the top.
      return { tooltip: { trigger: "axis" }, legend: { top: 0, data: [d.labels.new, d.labels.resolved] },
        grid: { left: 40, right: 16, top: 40, bottom: 30 },
        xAxis: { type: "category", data: d.rows.map(function (r) { return r.month; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: d.labels.new, type: "bar", data: d.rows.map(function (r) { return r.new; }) },
          { name: d.labels.resolved, type: "line", data: d.rows.map(function (r) { return r.resolved; }) }
        ] };
    },
    bars: function (d) {
      return { tooltip: {}, grid: { left: 100, right: 16, top: 10, bottom: 20 },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", inverse: true, data: d.rows.map(function (r) { return r.label; }) },
        series: [{ type: "bar", data: d.rows.map(function (r) { return r.n; }) }] };
    },
    funnel: function (d) {
      return { tooltip: { trigger: "item" },
        series: [{ type: "funnel", sort: "none", left: "10%", width: "80%", label: { formatter: "{b}: {c}" },
          data: d.rows.map(function (r) { return { name: r.label, value: r.n }; }) }] };
    }
  };
  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = read(el.getAttribute("data-source"));
      if (!data) { return; }
      var chart = echarts.init(el);
      chart.setOption(builders[el.getAttribute("data-chart")](data));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
