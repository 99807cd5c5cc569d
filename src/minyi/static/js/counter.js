// A live character count under long text fields: nothing pasted is cut silently; the server refuses too long a text.
(function () {
  function attach(area) {
    var out = document.getElementById(area.getAttribute("data-counter"));
    var max = parseInt(area.getAttribute("data-max"), 10);
    if (!out || !max) return;
    function update() {
      var n = Array.from(area.value).length;
      var over = n - max;
      out.textContent = (over > 0 ? out.getAttribute("data-over") : out.getAttribute("data-ok"))
        .replace("{n}", n).replace("{max}", max).replace("{over}", over);
      out.classList.toggle("field-error", over > 0);
    }
    area.addEventListener("input", update);
    update();
  }
  function init() { document.querySelectorAll("textarea[data-max]").forEach(attach); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
