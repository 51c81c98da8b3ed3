// cchc_studio: the editor's rules that cchc.core (Python) also has, as plain functions with no
// Decap and no page: how a date is read (cchc.core.dates.parse_vi_date, AM/PM included) and
// which field is missing although the check requires it ("date required unless the date is
// unknown", schema.TABLE's `unless`). Their data comes from config.yml and cms-rules.json, both
// generated from the schema; tests/unit/test_editor_rules.py runs these under Node against the
// Python over one shared table of cases.
(function (root) {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function daysIn(month, year) { return new Date(Date.UTC(year, month, 0)).getUTCDate(); }

  // A date as `cchc check` reads it → {date: "YYYY-MM-DD", time: "HH:mm" or ""}, or null when
  // the check would refuse it. *grammar*: {day_first, iso}, the regexes of cchc.core.dates.
  function dateParts(value, grammar) {
    var text = value == null ? "" : String(value);
    var m = new RegExp(grammar.day_first, "i").exec(text);
    var day, month, year, hour, minute, second, ampm;
    if (m) {
      day = m[1]; month = m[2]; year = m[3]; hour = m[4]; minute = m[5]; second = m[6]; ampm = m[7];
    } else {
      m = new RegExp(grammar.iso).exec(text);
      if (!m) { return null; }
      year = m[1]; month = m[2]; day = m[3]; hour = m[4]; minute = m[5]; second = m[6];
    }
    var hh = +(hour || 0);
    if (ampm) {  // 12-hour clock: AM/SA (sáng), PM/CH (chiều); 13 PM is no time
      ampm = ampm.toUpperCase();
      if (hh > 12) { return null; }
      if ((ampm === "PM" || ampm === "CH") && hh < 12) { hh += 12; }
      if ((ampm === "AM" || ampm === "SA") && hh === 12) { hh = 0; }
    }
    var d = +day, mo = +month, y = +year;
    if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y)) { return null; }
    if (hh > 23 || +(minute || 0) > 59 || +(second || 0) > 59) { return null; }
    return { date: y + "-" + pad(mo) + "-" + pad(d), time: hour === undefined ? "" : pad(hh) + ":" + minute };
  }

  // {date, time} → what a post's file holds: "DD/MM/YYYY" or "DD/MM/YYYY HH:mm".
  function dayFirst(parts) {
    var p = parts.date.split("-");
    return p[2] + "/" + p[1] + "/" + p[0] + (parts.time ? " " + parts.time : "");
  }

  // {date} → the site's date line, official style (cchc.core.dates.format_vi_date, Nghị định
  // 30/2020/NĐ-CP): "ngày 05 tháng 01 năm 2024"; days below 10 and months 1, 2 take a 0.
  function longDate(parts) {
    var p = parts.date.split("-"), month = +p[1];
    return "ngày " + p[2] + " tháng " + (month <= 2 ? pad(month) : String(month)) + " năm " + p[0];
  }

  function isEmpty(v) {
    if (v === null || v === undefined) { return true; }
    if (typeof v === "string") { return v.trim() === ""; }
    if (typeof v.size === "number" && typeof v.filter === "function") { return v.size === 0; }
    if (Array.isArray(v)) { return v.length === 0; }
    return false;
  }

  // The message of the first field of *collection* that is required unless another field has a
  // value and is missing in *data* (a function name → value), or null. *rules*: cms-rules.json.
  function missing(rules, collection, data) {
    var fields = (rules.required_unless || {})[collection] || [];
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i], rule = f.required_unless;
      if (isEmpty(data(f.name)) && data(rule.field) !== rule.value) { return f.message; }
    }
    return null;
  }

  root.CCHCRules = { dateParts: dateParts, dayFirst: dayFirst, longDate: longDate, missing: missing,
                     isEmpty: isEmpty };
}(typeof window !== "undefined" ? window : globalThis));
