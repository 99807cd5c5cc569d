/* Start Swagger UI on /docs (kept out of the page so that the CSP needs no inline script). */
(function () {
  "use strict";
  var holder = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: holder.getAttribute("data-openapi-url"), dom_id: "#swagger-ui", validatorUrl: null });
})();
