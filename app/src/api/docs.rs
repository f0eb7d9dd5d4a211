//! `/api/docs`: the API's reference for people, Swagger UI drawing
//! `/api/v1/openapi.json`. Its script and styles are served by Kith itself from
//! `/vendor/swagger-ui` (copied from the npm package at build time), so the page
//! loads nothing from elsewhere (its CSP allows only Kith's own scripts).

use axum::http::header;
use axum::response::IntoResponse;

/// Where the reference page is.
pub const PATH: &str = "/api/docs";
/// Where its script is.
pub const SCRIPT: &str = "/api/docs.js";

/// The reference page.
pub async fn page() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kith REST API</title>
<link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<main id="api-reference"><noscript>The reference needs JavaScript. The same description is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript></main>
<script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/api/docs.js"></script>
</body>
</html>
"#,
    )
}

/// The page's script: Swagger UI on the document, trying calls with a token.
pub async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        r##"window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#api-reference",
    deepLinking: true,
    persistAuthorization: false,
  });
});
"##,
    )
}
