// The API reference page (/api/v1/docs): Swagger UI on the document named by #swagger-ui's data-spec-url.
// A static file, not an inline script: the Content-Security-Policy allows scripts from this host only.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    // No call to the public validator service (validator.swagger.io): nothing leaves this host.
    validatorUrl: null,
    // "Try it out" sends real requests to this site: off until the reader turns it on for an operation.
    tryItOutEnabled: false,
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
  });
})();
