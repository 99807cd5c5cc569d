/* Draw the scoreboard chart from the JSON embedded in the page; the table carries the same data. */
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("chart-rates");
    var source = document.getElementById("chart-data");
    if (!holder || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.names.length) { holder.style.display = "none"; return; }
    var chart = window.echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: 40 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: data.labels.onTime, type: "bar", data: data.onTime, itemStyle: { color: "#a61b1b" } },
        { name: data.labels.satisfaction, type: "bar", data: data.satisfaction, itemStyle: { color: "#0b57d0" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
