/* Draw the region map from the JSON embedded in the page; the table below carries the same figures. */
(function () {
  "use strict";
  function draw() {
    var holder = document.getElementById("region-map");
    var source = document.getElementById("map-data");
    if (!holder || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var pointUrl = data.point_url || "/cases/", regionUrl = data.region_url || "/cases?region=";
    window.echarts.registerMap("minyi", data.regions);
    var counts = data.regions.features.map(function (f) {
      return { name: f.properties.name, value: f.properties.count, code: f.properties.code };
    });
    var max = Math.max.apply(null, counts.map(function (c) { return c.value; }).concat([1]));
    var chart = window.echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item" },
      visualMap: { min: 0, max: max, left: 8, bottom: 8, calculable: false,
                   inRange: { color: ["#fdf1e6", "#e8a17a", "#a61b1b"] } },
      geo: { map: "minyi", roam: true, nameProperty: "name", label: { show: true, fontSize: 11 },
             itemStyle: { borderColor: "#555" } },
      series: [
        { type: "map", geoIndex: 0, data: counts, nameProperty: "name" },
        { type: "scatter", coordinateSystem: "geo", data: data.points, symbolSize: 7,
          itemStyle: { color: "#0b57d0" }, tooltip: { formatter: function (p) { return p.name; } } }
      ]
    });
    chart.on("click", function (p) {
      if (p.seriesType === "scatter" && p.data) { window.location.href = pointUrl + p.data.id; }
      else if (p.seriesType === "map" && p.data) { window.location.href = regionUrl + p.data.code; }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
