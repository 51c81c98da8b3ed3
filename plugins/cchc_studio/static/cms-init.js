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

  // The rules cchc.core also has (cms-rules.js, parity-tested against Python) and their data,
  // generated from the schema's table of fields (cms-rules.json beside config.yml).
  var Rules = window.CCHCRules;
  var rules = { required_unless: {}, unmarked: {}, group_prefix: "cchc_group_", preview: {} };
  var rulesLoaded = fetch("cms-rules.json").then(function (r) { return r.json(); }).then(function (data) {
    rules = data;
    markRequired();
  });

  // One way of marking what is required, everywhere: Decap writes "(không bắt buộc)" after
  // an optional field. Fields that are required after all although Decap may not enforce it
  // (required unless …, required in each entry of a list) and the group headings lose it.
  function markRequired() {
    var css = [];
    Object.keys(rules.unmarked).forEach(function (coll) {
      rules.unmarked[coll].forEach(function (pair) {
        var label = 'label[for^="' + pair[1] + '-field-"]';
        // a top-level field only, not a list entry's field of the same name (legal_bases.date)
        css.push(pair[0] ? '[id^="' + pair[0] + '-field-"] ' + label + " > span"
          : label + ':not([id*="-field-"] label) > span');
      });
    });
    var style = document.createElement("style");
    style.textContent = css.join(",\n") + " { display: none; }\n"
      + 'label[for^="' + rules.group_prefix + '"] { font-size: 1.05rem; text-transform: none; '
      + "border-top: 2px solid #d0d7de; padding-top: 1.25rem; margin-top: 0.5rem; width: 100%; }\n";
    document.head.appendChild(style);
  }

  // A heading of the form (config.yml: widget cchc-group, one per group of schema.GROUPS after
  // the first). A collapsed group (the old portal's fields) hides its members until opened;
  // the heading says when the post has values there (an imported post). Never saved.
  var openGroups = {};
  var groupStyle = document.createElement("style");
  document.head.appendChild(groupStyle);
  function hideClosedGroups(fields) {
    var css = [];
    fields.forEach(function (g) {
      if (!openGroups[g.name]) {
        g.members.forEach(function (m) { css.push('div:has(> label[for^="' + m + '-field-"])'); });
      }
    });
    groupStyle.textContent = css.length ? css.join(",\n") + " { display: none; }" : "";
  }
  var collapsedGroups = [];
  var GroupControl = createClass({
    getInitialState: function () { return { open: false }; },
    componentDidMount: function () {
      var field = this.props.field;
      if (!field.get("collapsed")) { return; }
      var name = field.get("name");
      if (!collapsedGroups.some(function (g) { return g.name === name; })) {
        collapsedGroups.push({ name: name, members: field.get("members").toJS() });
      }
      openGroups[name] = false;
      hideClosedGroups(collapsedGroups);
    },
    toggle: function () {
      var name = this.props.field.get("name");
      openGroups[name] = !openGroups[name];
      this.setState({ open: openGroups[name] });
      hideClosedGroups(collapsedGroups);
    },
    render: function () {
      var field = this.props.field;
      if (!field.get("collapsed")) { return h("span", { id: this.props.forID }); }
      var members = field.get("members").toJS();
      var data = this.props.entry && this.props.entry.get("data");
      var filled = data ? members.filter(function (m) { return !Rules.isEmpty(data.get(m)); }).length : 0;
      return h("button", {
        type: "button", id: this.props.forID, "aria-expanded": this.state.open ? "true" : "false",
        className: "cchc-group__toggle", onClick: this.toggle
      }, (this.state.open ? "Ẩn " : "Hiện ") + members.length + " trường"
        + (filled ? " (bài này có " + filled + " trường đã ghi)" : " (bài này chưa ghi trường nào)"));
    }
  });
  CMS.registerWidget("cchc-group", GroupControl, createClass({ render: function () { return null; } }));

  // "cchc-date": a date typed and shown day first (DD/MM/YYYY) whatever the browser's language,
  // and an optional time (HH:mm, or 4:00 PM / 4:00 CH), as `cchc check` reads it. The browser's
  // own date input shows its locale's order (month first in an English browser), and Decap's
  // datetime widget falls back to the browser's month-first Date(): neither is used. Text only,
  // no Date object (no time-zone shift); a value is rewritten only when the user changes it,
  // tidied (01/03/2024 16:00) when the field is left; the grammar comes from cchc.core.dates
  // through config.yml (day_first, iso).
  function grammar(field) { return { day_first: field.get("day_first"), iso: field.get("iso") }; }
  function splitValue(value, field) {
    var text = value == null ? "" : String(value).trim();
    var parts = text ? Rules.dateParts(text, grammar(field)) : null;
    if (parts) {
      var shown = Rules.dayFirst({ date: parts.date, time: "" });
      var raw = /^(\S+)\s+(.+)$/.exec(text);
      // a time as written (4:00 PM) stays as written until changed
      return { date: shown, time: parts.time ? (raw && !/^\d{4}-/.test(text) ? raw[2] : parts.time) : "" };
    }
    return { date: text, time: "" };
  }
  var DateControl = createClass({
    getInitialState: function () {
      var s = splitValue(this.props.value, this.props.field);
      s.emitted = this.props.value == null ? "" : String(this.props.value);
      return s;
    },
    componentDidUpdate: function () {
      var value = this.props.value == null ? "" : String(this.props.value);
      if (value !== this.state.emitted) {  // changed from outside (another entry, a reset)
        var s = splitValue(value, this.props.field);
        s.emitted = value;
        this.setState(s);
      }
      this.hideOptional();
    },
    componentDidMount: function () { this.hideOptional(); },
    // A date required unless … is "optional" to Decap only so that a post whose date is
    // unknown can be saved: it is marked as required, like every required field.
    hideOptional: function () {
      if (!this.props.field.get("required_unless")) { return; }
      var mark = document.querySelector('label[for="' + this.props.forID + '"] > span');
      if (mark) { mark.hidden = true; }
    },
    emit: function (date, time) {
      var d = date.trim(), t = time.trim();
      var value = d ? (t ? d + " " + t : d) : (t ? t : "");
      this.setState({ date: date, time: time, emitted: value });
      this.props.onChange(value);
    },
    tidy: function () {
      var value = this.state.emitted;
      var parts = value ? Rules.dateParts(value, grammar(this.props.field)) : null;
      if (parts && Rules.dayFirst(parts) !== value) {
        this.setState({ date: Rules.dayFirst({ date: parts.date, time: "" }), time: parts.time,
                        emitted: Rules.dayFirst(parts) });
        this.props.onChange(Rules.dayFirst(parts));
      }
    },
    // Decap asks each widget before saving: nothing unreadable, nothing missing (required
    // unless another field says so), in the same pass as its own "thiếu thông tin".
    isValid: function () {
      var field = this.props.field;
      var value = this.props.value == null ? "" : String(this.props.value).trim();
      if (!value) {
        var rule = field.get("required_unless");
        var data = this.props.entry && this.props.entry.get("data");
        if (rule && data && data.get(rule.get("field")) !== rule.get("value")) {
          return { error: { type: "PRESENCE", message: field.get("message") } };
        }
        return true;
      }
      if (!Rules.dateParts(value, grammar(field))) {
        return { error: { type: "CUSTOM", message: "“" + field.get("label") + "”: “" + value + "” không đọc "
          + "được; gõ ngày/tháng/năm, ví dụ 25/11/2021 (giờ nếu có: 15:39)" } };
      }
      return true;
    },
    render: function () {
      var self = this, props = this.props;
      var withTime = props.field.get("time_format") !== false;
      return h("div", { className: props.classNameWrapper },
        h("input", {
          type: "text", id: props.forID, value: this.state.date, disabled: props.isDisabled,
          inputMode: "numeric", autoComplete: "off", placeholder: "ngày/tháng/năm, ví dụ 25/11/2021",
          size: 12, "aria-describedby": props.forID + "-form",
          onFocus: props.setActiveStyle,
          onBlur: function () { props.setInactiveStyle(); self.tidy(); },
          onChange: function (e) { self.emit(e.target.value, self.state.time); }
        }),
        withTime ? h("label", {}, " Giờ (không bắt buộc) ",
          h("input", {
            type: "text", id: props.forID + "-time", value: this.state.time,
            disabled: props.isDisabled, inputMode: "numeric", autoComplete: "off",
            placeholder: "giờ:phút, ví dụ 15:39", size: 8,
            onBlur: function () { self.tidy(); },
            onChange: function (e) { self.emit(self.state.date, e.target.value); }
          })) : null,
        " ",
        h("button", { type: "button", onClick: function () { self.emit("", ""); } }, "Xóa ngày"),
        h("span", { id: props.forID + "-form", className: "cchc-date__form" }, " Ngày trước tháng: dd/mm/yyyy"));
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
  var isEmpty = Rules.isEmpty;
  function clean(v) {
    if (v && typeof v.size === "number" && typeof v.map === "function" && typeof v.filter === "function") {
      return v.map(clean).filter(function (x) { return !isEmpty(x); });
    }
    return v;
  }
  // A field required unless another field has a value (cms-rules.json, from the schema's
  // `unless`): the date widget's isValid says so first; this refuses a save that got past it.
  function checkRequiredUnless(entry, data) {
    var message = Rules.missing(rules, entry.get("collection"), function (k) { return data.get(k); });
    if (message) { throw refusal(message); }
  }
  CMS.registerEventListener({
    name: "preSave",
    handler: function (args) {
      var data = args.entry.get("data");
      checkRequiredUnless(args.entry, data);
      if (!data.get("id") && data.get("type") !== "trang") { data = data.set("id", uuid()); }
      data = data.filter(function (_v, k) { return String(k).indexOf(rules.group_prefix) !== 0; });
      var body = data.get("body");
      data = clean(data);
      return data.set("body", body || "");
    }
  });

  // The preview pane looks like the published page: the site's own stylesheet, and per type the
  // markup of the theme's templates (article.html for news, plans and reports; page.html for
  // pages): the title in an h1, the date line as the site writes it (type, number, "Đăng: ngày
  // 05 tháng 01 năm 2024", locality), the summary, the body. The words are the theme's own
  // (theme/ui.yaml, passed in cms-rules.json "preview"); the date is written by cms-rules.js
  // as cchc.core.dates.format_vi_date does (parity-tested).
  var css = document.querySelector('meta[name="cchc-preview-css"]');
  if (css) { CMS.registerPreviewStyle(css.getAttribute("content")); }
  function ui(key) { return (rules.preview || {})[key] || ""; }
  function dateLine(kind, data, field) {
    var status = data.get("date_status"), date = data.get("date");
    var parts = date && field ? Rules.dateParts(String(date), grammar(field)) : null;
    var when = status === "khong-ro" ? h("span", { className: "c-meta__unknown" }, ui("date_unknown"))
      : parts ? h("time", { dateTime: parts.date }, Rules.longDate(parts)) : h("span", {}, date ? String(date) : "");
    return h("p", { className: "c-meta" },
      h("span", { className: "c-badge c-badge--" + kind }, ui("type_" + kind)),
      data.get("doc_number") ? [" ", h("span", { className: "c-docnum", key: "n" }, data.get("doc_number"))] : null,
      " " + ui("posted_on") + ": ", when,
      status === "nghi-van" ? [" ", h("span", { className: "c-badge c-badge--warn", key: "w" }, ui("date_doubtful_badge"))] : null,
      data.get("locality") ? " · " + ui("locality") + ": " + data.get("locality") : null);
  }
  function postPreview(kind) {
    return createClass({
      render: function () {
        var data = this.props.entry.get("data");
        var fields = this.props.fields || this.props.collection.get("fields");
        var dateField = fields.find(function (f) { return f.get("name") === "date"; });
        var summary = data.get("summary");
        return h("main", { className: "l-main" },
          h("article", { className: "l-container c-article c-article--" + kind },
            h("header", { className: "c-article__header" },
              h("h1", { id: "article-title" }, data.get("title") || ""),
              dateLine(kind, data, dateField)),
            summary ? h("p", { className: "c-lead" + (kind === "ke-hoach" ? " c-plan-summary" : "") }, summary) : null,
            h("div", { className: "c-prose" }, this.props.widgetFor("body"))));
      }
    });
  }
  ["tin-tuc", "ke-hoach", "bao-cao"].forEach(function (kind) { CMS.registerPreviewTemplate(kind, postPreview(kind)); });
  CMS.registerPreviewTemplate("trang", createClass({
    render: function () {
      return h("main", { className: "l-main" },
        h("article", { className: "l-container c-article" },
          h("h1", { id: "page-title" }, this.props.entry.getIn(["data", "title"]) || ""),
          h("div", { className: "c-prose" }, this.props.widgetFor("body"))));
    }
  }));
  CMS.registerPreviewTemplate("van-ban", createClass({
    render: function () {
      var data = this.props.entry.get("data");
      var heading = [data.get("doc_type"), data.get("doc_type") ? ui("doc_number_word") : "", data.get("doc_number")]
        .filter(Boolean).join(" ");
      return h("main", { className: "l-main" },
        h("article", { className: "l-container c-article c-article--van-ban" },
          h("header", { className: "c-article__header" }, h("h1", {}, heading)),
          data.get("title") ? h("p", { className: "c-lead" }, data.get("title")) : null,
          h("div", { className: "c-prose" }, this.props.widgetFor("body"))));
    }
  }));

  // Decap starts once the rules are in (its first form needs them).
  rulesLoaded.then(function () { CMS.init(); }, function () { CMS.init(); });
}());
