// A file of its own rather than an inline script: the page's CSP allows scripts from this origin only.
// validatorUrl null: Swagger UI would otherwise send the document to an online validator.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null
});
