/* Draw the opinion map from the JSON embedded in the page; the table beside it carries the same facts. */
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("chart-opinions");
    var source = document.getElementById("opinion-data");
    if (!holder || !source || !window.echarts) { return; }
    var points = JSON.parse(source.textContent).points;
    var groups = {};
    points.forEach(function (p) { (groups[p[2]] = groups[p[2]] || []).push([p[0], p[1]]); });
    var series = Object.keys(groups).map(function (g) {
      return { name: "ABCDE".charAt(Number(g)), type: "scatter", symbolSize: 6, data: groups[g] };
    });
    var chart = window.echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({ animation: false, legend: { top: 0 }, xAxis: { show: false, scale: true },
                      yAxis: { show: false, scale: true }, series: series });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
