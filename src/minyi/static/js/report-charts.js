/* Redraw each report chart with ECharts (served by minyi) from the data beside it; the SVG stays without JS. */
(function () {
  "use strict";
  function option(spec) {
    var unit = spec.unit || "";
    var series = { type: spec.kind === "line" ? "line" : "bar", data: spec.values, itemStyle: { color: "#a61b1b" },
                   label: { show: true, position: spec.kind === "bar" ? "right" : "top", formatter: "{c}" + unit } };
    var category = { type: "category", data: spec.labels, axisLabel: { interval: 0 } };
    var value = { type: "value", axisLabel: { formatter: "{value}" + unit } };
    var horizontal = spec.kind === "bar";
    if (horizontal) { category.inverse = true; }
    return {
      animation: false,
      title: { text: spec.title, textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 40, bottom: 8, top: 36, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [series]
    };
  }
  function draw() {
    if (!window.echarts) { return; }
    var figures = document.querySelectorAll("figure.report-chart");
    Array.prototype.forEach.call(figures, function (figure) {
      var source = figure.querySelector(".report-chart-data");
      var svg = figure.querySelector(".report-chart-svg");
      if (!source || !svg) { return; }
      var spec = JSON.parse(source.textContent);
      var holder = document.createElement("div");
      holder.className = "chart";
      holder.setAttribute("role", "img");
      holder.setAttribute("aria-label", spec.title);
      if (spec.kind === "bar") { holder.style.height = Math.max(160, 40 + 24 * spec.labels.length) + "px"; }
      figure.insertBefore(holder, svg);
      svg.hidden = true;
      var chart = window.echarts.init(holder, null, { renderer: "svg" });
      chart.setOption(option(spec));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
