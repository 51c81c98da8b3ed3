// cchc_studio: what our portal adds to Decap CMS before it starts (no inline scripts:
// index.html loads this file). Vietnamese strings the vi locale lacks are in locale-vi.js.
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;

  // Vietnamese interface: Decap's vi locale with the strings it lacks filled in.
  function merge(base, extra) {
    var out = {};
    var k;
    for (k in base) { if (Object.prototype.hasOwnProperty.call(base, k)) { out[k] = base[k]; } }
    for (k in extra) {
      if (Object.prototype.hasOwnProperty.call(extra, k)) {
        out[k] = (typeof extra[k] === "object" && typeof out[k] === "object") ? merge(out[k], extra[k]) : extra[k];
      }
    }
    return out;
  }
  CMS.registerLocale("vi", merge(CMS.getLocale("vi") || {}, window.CCHC_VI_FILL || {}));

  // "Lưu nháp": a toggle that writes status: draft (and status: published when switched off).
  var DraftControl = createClass({
    render: function () {
      var self = this;
      return h("label", { className: this.props.classNameWrapper },
        h("input", {
          type: "checkbox", id: this.props.forID, checked: this.props.value === "draft",
          onChange: function (e) { self.props.onChange(e.target.checked ? "draft" : "published"); }
        }),
        " Nháp: chưa đăng lên cổng");
    }
  });
  var DraftPreview = createClass({
    render: function () { return h("p", {}, this.props.value === "draft" ? "Bản nháp (chưa đăng)" : ""); }
  });
  CMS.registerWidget("cchc-draft", DraftControl, DraftPreview);

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // Empty optional fields are not written: `cchc check` rejects null and half-empty groups.
  function isEmpty(v) {
    if (v === null || v === undefined) { return true; }
    if (typeof v === "string") { return v.trim() === ""; }
    if (v && typeof v.size === "number" && typeof v.filter === "function") { return v.size === 0; }
    return false;
  }
  function clean(v) {
    if (v && typeof v.size === "number" && typeof v.map === "function" && typeof v.filter === "function") {
      return v.map(clean).filter(function (x) { return !isEmpty(x); });
    }
    return v;
  }
  CMS.registerEventListener({
    name: "preSave",
    handler: function (args) {
      var data = args.entry.get("data");
      if (!data.get("id") && data.get("type") !== "trang") { data = data.set("id", uuid()); }
      var body = data.get("body");
      data = clean(data);
      return data.set("body", body || "");
    }
  });

  // The preview pane uses the site's own stylesheet, and the article markup of the theme.
  var css = document.querySelector('meta[name="cchc-preview-css"]');
  if (css) { CMS.registerPreviewStyle(css.getAttribute("content")); }
  var PostPreview = createClass({
    render: function () {
      var entry = this.props.entry;
      var date = entry.getIn(["data", "date"]);
      return h("main", { className: "l-main" },
        h("article", { className: "l-container c-article" },
          h("header", { className: "c-article__header" },
            h("h1", {}, entry.getIn(["data", "title"]) || ""),
            date ? h("p", { className: "c-article__meta" }, "Ngày đăng: " + date) : null,
            h("p", { className: "c-article__summary" }, entry.getIn(["data", "summary"]) || "")),
          h("div", { className: "c-article__body" }, this.props.widgetFor("body"))));
    }
  });
  ["tin-tuc", "ke-hoach", "trang"].forEach(function (name) { CMS.registerPreviewTemplate(name, PostPreview); });

  CMS.init();
}());
