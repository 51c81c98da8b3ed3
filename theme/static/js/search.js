/* The /tim-kiem/ page: reads ?q= and the filters from the URL, runs the engine, renders results.
   Query text and document text only ever reach the page through textContent and createElement. */
(function (root) {
  "use strict";

  var doc = root.document;
  var F = root.CCHCFold;
  var PAGE = 20;
  var WORD = /[\p{L}\p{N}_]+/gu;
  var FILTERS = ["type", "area", "year", "locality"];

  var app = doc.getElementById("search-app");
  if (!app || !root.lunr || !F || !root.CCHCSearchEngine) return;

  var T = app.dataset;
  var form = doc.getElementById("search-form");
  var input = doc.getElementById("search-page-q");
  var status = doc.getElementById("search-status");
  var list = doc.getElementById("search-results");
  var more = doc.getElementById("search-more");
  var help = doc.getElementById("search-help");
  var engine = new root.CCHCSearchEngine(T.manifest);
  var siteurl = T.siteurl || "";
  var run = 0;
  var shown = { refs: [], next: 0, terms: [] };

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  function state() {
    var params = new URLSearchParams(root.location.search);
    var s = { q: (params.get("q") || "").trim(), filters: {} };
    FILTERS.forEach(function (name) { s.filters[name] = params.get(name) || ""; });
    return s;
  }

  function fillForm(s) {
    input.value = s.q;
    FILTERS.forEach(function (name) {
      var el = form.elements[name];
      if (!el) return;
      el.value = s.filters[name];
      if (el.value !== s.filters[name]) el.value = "";
    });
  }

  /** Spans [start, end) of words and document numbers in *text* that match *terms*. */
  function matches(text, terms) {
    var spans = [];
    var set = {};
    terms.forEach(function (t) { set[t] = true; });
    F.findDocNumbers(text).forEach(function (d) {
      if (set[d.token]) spans.push([d.start, d.end]);
    });
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      if (set[F.normaliseTerm(m[0])]) spans.push([m.index, m.index + m[0].length]);
    }
    return spans.sort(function (a, b) { return a[0] - b[0]; });
  }

  /** Append *text* to *el*, with <mark> around matched words (text nodes only, never HTML). */
  function appendMarked(el, text, terms) {
    var pos = 0;
    matches(text, terms).forEach(function (span) {
      if (span[0] < pos) return;
      el.appendChild(doc.createTextNode(text.slice(pos, span[0])));
      var mark = doc.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      el.appendChild(mark);
      pos = span[1];
    });
    el.appendChild(doc.createTextNode(text.slice(pos)));
  }

  /** About 30 words of the summary or body around the first match. */
  function snippet(d, terms) {
    var sources = [d.summary || "", d.body || ""];
    var text = sources[0];
    var first = -1;
    for (var i = 0; i < sources.length && first < 0; i++) {
      var found = matches(sources[i], terms);
      if (found.length) { text = sources[i]; first = found[0][0]; }
    }
    var words = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) words.push(m.index);
    var at = 0;
    while (at + 1 < words.length && words[at + 1] <= first) at++;
    var from = first < 0 ? 0 : Math.max(0, at - 8);
    var to = Math.min(words.length, from + 30);
    var start = words.length ? words[from] : 0;
    var end = to < words.length ? words[to] : text.length;
    return (from > 0 ? "… " : "") + text.slice(start, end).trim() + (to < words.length ? " …" : "");
  }

  function item(d, terms) {
    var li = doc.createElement("li");
    li.className = "c-card c-result";
    var h = doc.createElement("h2");
    h.className = "c-card__title";
    var a = doc.createElement("a");
    a.href = siteurl + "/" + d.url;
    appendMarked(a, d.title, terms);
    h.appendChild(a);
    li.appendChild(h);
    var meta = doc.createElement("p");
    meta.className = "c-meta";
    var badge = doc.createElement("span");
    badge.className = "c-badge c-badge--" + d.kind;
    badge.textContent = (d.kind === "ke-hoach" ? T.typePlan : T.typeNews) || d.kind;
    meta.appendChild(badge);
    meta.appendChild(doc.createTextNode(" "));
    if (d.date) {
      var time = doc.createElement("time");
      time.dateTime = d.iso;
      time.textContent = d.date;
      meta.appendChild(time);
    } else {
      var unknown = doc.createElement("span");
      unknown.className = "c-meta__unknown";
      unknown.textContent = T.dateUnknown;
      meta.appendChild(unknown);
    }
    if (d.locality) meta.appendChild(doc.createTextNode(" · " + d.locality));
    if (d.docNumber) {
      meta.appendChild(doc.createTextNode(" · "));
      var num = doc.createElement("span");
      num.className = "c-docnum";
      appendMarked(num, d.docNumber, terms);
      meta.appendChild(num);
    }
    li.appendChild(meta);
    var p = doc.createElement("p");
    p.className = "c-card__summary";
    appendMarked(p, snippet(d, terms), terms);
    li.appendChild(p);
    return li;
  }

  function showMore(id, focusFirst) {
    var refs = shown.refs.slice(shown.next, shown.next + PAGE);
    shown.next += refs.length;
    return engine.docs(refs).then(function (docs) {
      if (id !== run) return;
      var firstLink = null;
      docs.forEach(function (d) {
        var li = item(d, shown.terms);
        list.appendChild(li);
        firstLink = firstLink || li.querySelector("a");
      });
      more.hidden = shown.next >= shown.refs.length;
      if (focusFirst && firstLink) firstLink.focus();
    });
  }

  function search() {
    var s = state();
    var id = ++run;
    app.dataset.state = "busy";
    fillForm(s);
    list.textContent = "";
    more.hidden = true;
    help.hidden = true;
    var filtering = FILTERS.some(function (k) { return s.filters[k]; });
    if (!s.q && !filtering) {
      status.textContent = T.prompt;
      app.dataset.state = "done";
      return Promise.resolve();
    }
    status.textContent = T.loading;
    var found = s.q
      ? engine.search(s.q, { prefetch: filtering ? 0 : PAGE })
      : engine.allRefs().then(function (refs) {
        return { terms: [], relaxed: false, results: refs.map(function (r) { return { ref: r }; }) };
      });
    return found.then(function (res) {
      var refs = res.results.map(function (r) { return r.ref; });
      return engine.filter(refs, s.filters).then(function (kept) {
        if (id !== run) return null;
        shown = { refs: kept, next: 0, terms: res.terms };
        var values = { n: kept.length, q: s.q };
        if (!kept.length) {
          status.textContent = fmt(s.q ? T.none : T.noneFiltered, values);
          help.hidden = false;
          return null;
        }
        var text = fmt(s.q ? T.count : T.countFiltered, values);
        if (res.relaxed) text += " " + T.relaxed;
        // Announce the count once the first results are on the page.
        return showMore(id, false).then(function () {
          if (id === run) status.textContent = text;
        });
      });
    }).catch(function (err) {
      if (id !== run) return;
      status.textContent = T.error;
      if (root.console) root.console.error("cchc search:", err);
    }).then(function () {
      if (id === run) app.dataset.state = "done";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams();
    var q = input.value.trim();
    if (q) params.set("q", q);
    FILTERS.forEach(function (name) {
      var el = form.elements[name];
      if (el && el.value) params.set(name, el.value);
    });
    var qs = params.toString();
    root.history.pushState(null, "", root.location.pathname + (qs ? "?" + qs : ""));
    search();
  });
  more.addEventListener("click", function () {
    var id = run;
    app.dataset.state = "busy";
    showMore(id, true).then(function () {
      if (id === run) app.dataset.state = "done";
    });
  });
  root.addEventListener("popstate", search);
  root.cchcSearch = { engine: engine, search: search };
  search();
})(window);
