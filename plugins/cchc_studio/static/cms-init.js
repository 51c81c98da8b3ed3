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

  // "cchc-date": a day-first date with an optional time, as `cchc check` reads it. Decap's own
  // datetime widget parses with dayjs and falls back to the browser's month-first Date():
  // it showed 05/01/2024 as 1 May, and a date without a time could not be picked at all.
  // Only strings are handled here (no Date object, so no time-zone shift): a value is
  // rewritten only when the user changes it; the grammar comes from cchc.core.dates
  // through config.yml (day_first, iso).
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function dateParts(value, field) {
    var text = value == null ? "" : String(value);
    var m = new RegExp(field.get("day_first"), "i").exec(text);
    var day, month, year, hour, minute, ampm;
    if (m) {
      day = m[1]; month = m[2]; year = m[3]; hour = m[4]; minute = m[5]; ampm = m[7];
    } else {
      m = new RegExp(field.get("iso")).exec(text);
      if (!m) { return null; }
      year = m[1]; month = m[2]; day = m[3]; hour = m[4]; minute = m[5];
    }
    var out = { date: year + "-" + pad(+month) + "-" + pad(+day), time: "" };
    if (hour !== undefined) {
      var hh = +hour;
      if (ampm && /^(PM|CH)$/i.test(ampm) && hh < 12) { hh += 12; }
      if (ampm && /^(AM|SA)$/i.test(ampm) && hh === 12) { hh = 0; }
      out.time = pad(hh) + ":" + minute;
    }
    return out;
  }
  function dayFirst(date, time) {
    var p = date.split("-");
    return p[2] + "/" + p[1] + "/" + p[0] + (time ? " " + time : "");
  }
  var DateControl = createClass({
    // A date required unless … (config.yml required_unless) is "optional" to Decap only so that
    // a post with date_status khong-ro can be saved: do not show Decap's "(không bắt buộc)".
    componentDidMount: function () { this.hideOptional(); },
    componentDidUpdate: function () { this.hideOptional(); },
    hideOptional: function () {
      if (!this.props.field.get("required_unless")) { return; }
      var mark = document.querySelector('label[for="' + this.props.forID + '"] > span');
      if (mark) { mark.hidden = true; }
    },
    render: function () {
      var props = this.props;
      var withTime = props.field.get("time_format") !== false;
      var value = props.value == null ? "" : String(props.value);
      var parts = value ? dateParts(value, props.field) : { date: "", time: "" };
      var unreadable = parts === null;
      parts = parts || { date: "", time: "" };
      function change(date, time) { props.onChange(date ? dayFirst(date, time) : ""); }
      return h("div", { className: props.classNameWrapper },
        h("input", {
          type: "date", id: props.forID, value: parts.date, disabled: props.isDisabled,
          onFocus: props.setActiveStyle, onBlur: props.setInactiveStyle,
          onChange: function (e) { change(e.target.value, parts.time); }
        }),
        withTime ? h("label", {}, " Giờ (không bắt buộc) ",
          h("input", {
            type: "time", id: props.forID + "-time", value: parts.time,
            disabled: props.isDisabled || !parts.date,
            onChange: function (e) { change(parts.date, e.target.value); }
          })) : null,
        " ",
        h("button", { type: "button", onClick: function () { props.onChange(""); } }, "Xóa ngày"),
        // The calendar shows the browser's own order (month first in an English browser):
        // say what the post will have, day first.
        value && !unreadable ? h("span", { className: "cchc-date__value" }, " Ghi vào bài: " + value) : null,
        unreadable ? h("p", { role: "alert" }, "Ngày đang ghi “" + value + "” không đọc được theo kiểu "
          + "ngày/tháng/năm; chọn lại ngày trên lịch.") : null);
    }
  });
  var DatePreview = createClass({
    render: function () { return h("p", {}, this.props.value ? String(this.props.value) : ""); }
  });
  CMS.registerWidget("cchc-date", DateControl, DatePreview);

  // "cchc-unit": the locality or province, chosen among the administrative units then and now
  // (cchc.core.units). Decap's own select (searchable: typing filters the labels, with or without
  // tone marks) over the choices of units.json, which the plugin writes beside config.yml and
  // which is fetched once: its some 4,000 choices inside config.yml made the editor slow to open.
  // A value that is no choice (an old commune, "Q. Tây Hồ" written by hand) is shown as written.
  var Select = CMS.getWidget("select");
  var unitChoices = null;
  function loadUnitChoices() {
    unitChoices = unitChoices || fetch("units.json").then(function (r) { return r.json(); });
    return unitChoices;
  }
  var UnitControl = createClass({
    getInitialState: function () { return { choices: null }; },
    componentDidMount: function () {
      var self = this;
      loadUnitChoices().then(function (all) {
        if (!self.gone) { self.setState({ choices: all[self.props.field.get("choices")] || [] }); }
      });
    },
    componentWillUnmount: function () { this.gone = true; },
    render: function () {
      var value = this.props.value;
      var choices = this.state.choices || [];
      if (value && !choices.some(function (c) { return c.value === value; })) {
        choices = [{ label: String(value), value: value }].concat(choices);
      }
      return h(Select.control, Object.assign({}, this.props, { field: this.props.field.set("options", choices) }));
    }
  });
  CMS.registerWidget("cchc-unit", UnitControl, Select.preview);

  // The body's "Thêm thành phần" menu in Vietnamese: Decap registers its code block as "Code Block".
  CMS.registerEditorComponent({ id: "code-block", label: "Khối mã", widget: "code", type: "code-block" });

  // The body's "Thêm thành phần → Ảnh": Decap's own image component (same id, pattern and
  // Markdown) with Vietnamese labels; the picture goes to the site-wide media folder,
  // content/images/ (a folder set on this field would be taken relative to the post: Decap
  // matches field folders only among the collection's own fields).
  var IMAGE_RE = /^!\[([^\]]*)\]\((.*?)(\s"([^"]*)")?\)/;
  CMS.registerEditorComponent({
    id: "image",
    label: "Ảnh",
    pattern: IMAGE_RE,
    fromBlock: function (m) { return m && { image: m[2], alt: m[1], title: m[4] }; },
    toBlock: function (d) {
      return "![" + (d.alt || "") + "](" + (d.image || "")
        + (d.title ? ' "' + d.title.replace(/"/g, '\\"') + '"' : "") + ")";
    },
    toPreview: function (d, getAsset, fields) {
      var field = fields && fields.find(function (f) { return f.get("widget") === "image"; });
      return h("img", { src: (d.image && getAsset(d.image, field)) || "", alt: d.alt || "", title: d.title || "" });
    },
    fields: [
      { label: "Ảnh", name: "image", widget: "image", choose_url: false, media_library: { allow_multiple: false },
        hint: "Tải ảnh PNG hoặc JPEG lên; ảnh nằm trong content/images/." },
      { label: "Mô tả ảnh (cho người không xem được ảnh)", name: "alt" },
      { label: "Chú thích khi rê chuột (không bắt buộc)", name: "title" }
    ]
  });

  // Two messages Decap writes in English whatever the locale: the replace-a-file question
  // (a window.confirm in its media library) and the "Error: " of a refused save.
  var nativeConfirm = window.confirm.bind(window);
  window.confirm = function (message) {
    var m = /^(.*) already exists\. Do you want to replace it\?$/.exec(String(message));
    return nativeConfirm(m ? "Đã có tệp “" + m[1] + "”. Thay bằng tệp vừa chọn?" : message);
  };
  function refusal(message) {
    var error = new Error(message);
    error.toString = function () { return message; };
    return error;
  }

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
  // Fields required unless another field has a given value (config.yml `required_unless`,
  // e.g. date unless date_status is khong-ro): Decap cannot express it; refuse the save here.
  // The plugin writes those fields of config.yml as JSON next to it (cms-rules.json).
  var requiredUnless = {};
  fetch("cms-rules.json").then(function (r) { return r.json(); }).then(function (rules) { requiredUnless = rules; });
  function checkRequiredUnless(entry, data) {
    (requiredUnless[entry.get("collection")] || []).forEach(function (f) {
      var rule = f.required_unless;
      if (isEmpty(data.get(f.name)) && data.get(rule.field) !== rule.value) {
        throw refusal("chưa có “" + f.label + "”: chọn ngày trên lịch, hoặc nếu nguồn không ghi ngày, "
          + "chọn “Không rõ” ở ô “" + rule.other_label + "” và ghi lý do");
      }
    });
  }
  CMS.registerEventListener({
    name: "preSave",
    handler: function (args) {
      var data = args.entry.get("data");
      checkRequiredUnless(args.entry, data);
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
  ["tin-tuc", "ke-hoach", "bao-cao", "trang"].forEach(function (name) { CMS.registerPreviewTemplate(name, PostPreview); });

  CMS.init();
}());
