// Starts Swagger UI on /api/docs (served as a file: the page's Content-Security-Policy allows no
// inline script). The spec is the one beside the page; no remote validator is called.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui-container",
    validatorUrl: null,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout"
  });
});
