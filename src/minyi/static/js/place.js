/* Pick the place of a demand on the map: the point fills the hidden latitude and longitude; the server finds
   (or checks) the region from it. Without JavaScript the form works with the region list and the address. */
(function () {
  "use strict";
  function setup() {
    var button = document.getElementById("pick-place");
    var holder = document.getElementById("place-map");
    var lat = document.getElementById("f-latitude");
    var lon = document.getElementById("f-longitude");
    var status = document.getElementById("place-status");
    if (!button || !holder || !lat || !lon) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      var script = document.createElement("script");
      script.src = "/static/vendor/echarts/echarts.min.js";
      script.onload = function () {
        fetch(button.getAttribute("data-regions")).then(function (r) { return r.json(); }).then(function (geo) {
          if (!geo.features.length) { status.textContent = button.getAttribute("data-none"); return; }
          holder.hidden = false;
          window.echarts.registerMap("minyi-pick", geo);
          var chart = window.echarts.init(holder, null, { renderer: "svg" });
          var option = function (point) {
            return {
              animation: false,
              geo: { map: "minyi-pick", roam: true, label: { show: true, fontSize: 11 },
                     itemStyle: { areaColor: "#f4f4f4", borderColor: "#555" } },
              series: [{ type: "scatter", coordinateSystem: "geo", data: point ? [point] : [], symbolSize: 12,
                         itemStyle: { color: "#a61b1b" } }]
            };
          };
          chart.setOption(option(null));
          chart.getZr().on("click", function (e) {
            var p = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]);
            if (!p) { return; }
            lon.value = p[0].toFixed(5);
            lat.value = p[1].toFixed(5);
            chart.setOption(option([p[0], p[1]]));
            status.textContent = button.getAttribute("data-picked") + " " + lon.value + ", " + lat.value;
          });
        });
      };
      document.head.appendChild(script);
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); } else { setup(); }
})();
