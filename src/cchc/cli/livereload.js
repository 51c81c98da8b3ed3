// Preview only (served by `cchc devserver` / `make studio`, never written into the site):
// reload this tab when a rebuild changed its page or the list of errors changed, follow its post
// to a new address, and bring the error panel into view.
(function () {
  "use strict";
  // The error panel (first in <body> while the last build failed) is the first thing seen: the
  // tab that reloaded on a bad save would otherwise keep its scroll position, below the panel.
  // It is scrolled to and focused (screen readers announce it: role=alert, tabindex=-1) once
  // the page is parsed and again after load, when Chromium restores a reloaded tab's scroll.
  var panel = document.getElementById("cchc-preview-errors");
  if ("scrollRestoration" in history) { history.scrollRestoration = panel ? "manual" : "auto"; }
  if (panel) {
    var show = function () { window.scrollTo(0, 0); panel.focus(); };
    show();
    window.addEventListener("load", show);
  }
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
    // The post shown here moved (a new title or slug): follow it to its new address.
    var path = here.replace(/\/index\.html$/, "/");
    var moved = event.moved && (event.moved[path] || event.moved[decodeURI(path)]);
    if (moved) { window.location.replace(moved + window.location.search); return; }
    if (concerns(event.paths)) { window.location.reload(); }
  });
}());
