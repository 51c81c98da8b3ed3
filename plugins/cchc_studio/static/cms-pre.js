// Registrations (locale, widget, preview, save hook) come first; cms-init.js then starts Decap.
window.CMS_MANUAL_INIT = true;

// `make studio`: the editor's server puts this run's secret into the page as it serves it
// (<meta name="cchc-api-token">, never in a file); every request of Decap's proxy backend to
// /api/v1 on this origin carries it (X-CCHC-Token), which the server checks before passing
// the request on to decap-server. Decap sets no headers of its own on those requests, so its
// fetch is wrapped here, before decap-cms.js loads. A production build has no such meta.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="cchc-api-token"]');
  if (!meta || !window.fetch) { return; }
  var token = meta.getAttribute("content");
  meta.parentNode.removeChild(meta);
  var api = new URL("/api/v1", window.location.href).href;
  var nativeFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = typeof input === "string" || input instanceof URL ? String(input) : input && input.url;
    if (url && new URL(url, window.location.href).href === api) {
      init = Object.assign({}, init);
      var headers = new Headers(init.headers || (input && input.headers) || {});
      headers.set("X-CCHC-Token", token);
      init.headers = headers;
    }
    return nativeFetch(input, init);
  };
}());
