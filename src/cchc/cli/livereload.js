// Preview only (served by `cchc devserver` / `make studio`, never written into the site):
// reload this tab when a rebuild changed its page or the list of errors changed.
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var me = document.currentScript;
  var shown = me ? Number(me.getAttribute("data-version") || "0") : 0;
  var here = window.location.pathname;
  var source = new EventSource("/__cchc/events");
  function concerns(paths) {
    if (!paths) { return true; }
    for (var i = 0; i < paths.length; i++) {
      if (paths[i] === "*" || paths[i] === here || paths[i] === decodeURI(here)) { return true; }
    }
    return false;
  }
  source.addEventListener("hello", function (e) {
    // A build finished between this page being served and this connection: reload once.
    if (Number(e.data) > shown) { shown = Number(e.data); window.location.reload(); }
  });
  source.addEventListener("reload", function (e) {
    var event = JSON.parse(e.data);
    if (event.version <= shown) { return; }
    shown = event.version;
    if (concerns(event.paths)) { window.location.reload(); }
  });
}());
