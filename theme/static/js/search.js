/* The /tim-kiem/ page: reads ?q=, the filters and ?trang= from the URL, runs the engine, renders
   results. Query text and document text only ever reach the page through textContent and
   createElement. */
(function (root) {
  "use strict";

  var doc = root.document;
  var F = root.CCHCFold;
  var PAGE = 10;
  var WORD = /[\p{L}\p{N}_]+/gu;
  var FILTERS = ["type", "area", "year", "locality"];
  var SORT = "sap-xep";  // ?sap-xep=moi-nhat: newest first (full matches, then the others)
  var EXACT = "chinh-xac";  // ?chinh-xac=1: the words as typed, no spelling correction
  var MAX_SECTIONS = 3;

  var app = doc.getElementById("search-app");
  if (!app || !F || !root.CCHCSearchEngine) return;

  var T = app.dataset;
  var form = doc.getElementById("search-form");
  var input = doc.getElementById("search-page-q");
  var status = doc.getElementById("search-status");
  var list = doc.getElementById("search-results");
  var partialHeading = doc.getElementById("search-partial-heading");
  var partialList = doc.getElementById("search-partial");
  var pager = doc.getElementById("search-pages");
  var help = doc.getElementById("search-help");
  var details = doc.getElementById("search-filters");
  var active = doc.getElementById("search-filters-active");
  var sortSelect = doc.getElementById("search-sort");
  var corrected = doc.getElementById("search-corrected");
  var pageTitle = doc.title;
  var asTyped = doc.getElementById("search-as-typed");
  var engine = new root.CCHCSearchEngine(T.manifest);
  var siteurl = T.siteurl || "";
  var run = 0;

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  function state() {
    var params = new URLSearchParams(root.location.search);
    var s = { q: (params.get("q") || "").trim(), filters: {}, exact: params.get(EXACT) === "1",
              sort: params.get(SORT) === "moi-nhat" ? "moi-nhat" : "",
              page: Math.max(1, parseInt(params.get("trang") || "1", 10) || 1) };
    FILTERS.forEach(function (name) { s.filters[name] = params.get(name) || ""; });
    return s;
  }

  function url(s, page) {
    var params = new URLSearchParams();
    if (s.q) params.set("q", s.q);
    FILTERS.forEach(function (name) { if (s.filters[name]) params.set(name, s.filters[name]); });
    if (s.sort) params.set(SORT, s.sort);
    if (s.exact) params.set(EXACT, "1");
    if (page > 1) params.set("trang", String(page));
    var qs = params.toString();
    return root.location.pathname + (qs ? "?" + qs : "");
  }

  /** The form shows the URL's state; the closed filter box names the active filters. */
  function fillForm(s) {
    input.value = s.q;
    sortSelect.value = s.sort;
    var names = [];
    FILTERS.forEach(function (name) {
      var el = form.elements[name];
      if (!el) return;
      el.value = s.filters[name];
      if (el.value !== s.filters[name]) el.value = "";
      if (el.value && el.selectedIndex >= 0) names.push(el.options[el.selectedIndex].text);
    });
    active.textContent = names.length ? fmt(T.filtersActive, { list: names.join(", ") }) : "";
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
    // Partial numbers ("179/KH", "14460") mark the number they match.
    F.findDocNumbers(text).forEach(function (d) {
      terms.forEach(function (t) {
        if (t !== d.token && d.token.indexOf(t + "_") === 0) spans.push([d.start, d.end]);
      });
    });
    return spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
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

  /** The section (heading anchor) a passage lies in: [passage, anchor, heading] or null. */
  function sectionOf(d, p) {
    var found = null;
    d.sections.forEach(function (s) { if (s[0] <= p) found = s; });
    return found;
  }

  function kindLabel(kind) {
    return { "tin-tuc": T.typeNews, "ke-hoach": T.typePlan, "van-ban": T.typeDoc,
             "bao-cao": T.typeReport, "trang": T.typePage }[kind] || kind;
  }

  /** The title, a document's number in it as the number (c-docnum) with its matches marked. */
  function appendTitle(el, d, terms) {
    var at = d.kind === "van-ban" && d.docNumber ? d.title.lastIndexOf(d.docNumber) : -1;
    if (at < 0) {
      appendMarked(el, d.title, terms);
      return;
    }
    appendMarked(el, d.title.slice(0, at), terms);
    var num = doc.createElement("span");
    num.className = "c-docnum";
    appendMarked(num, d.docNumber, terms);
    el.appendChild(num);
    appendMarked(el, d.title.slice(at + d.docNumber.length), terms);
  }

  function item(d, terms) {
    var li = doc.createElement("li");
    li.className = "c-card c-result c-result--" + d.kind;
    var h = doc.createElement("h2");
    h.className = "c-card__title";
    var a = doc.createElement("a");
    var main = sectionOf(d, d.passage);
    a.href = siteurl + "/" + d.url + (main ? "#" + main[1] : "");
    if (d.lang) {  // an English page: its title is read in its language
      a.lang = d.lang;
      a.hreflang = d.lang;
    }
    appendTitle(a, d, terms);
    h.appendChild(a);
    li.appendChild(h);
    var meta = doc.createElement("p");
    meta.className = "c-meta";
    var badge = doc.createElement("span");
    badge.className = "c-badge c-badge--" + d.kind;
    badge.textContent = kindLabel(d.kind);
    meta.appendChild(badge);
    // The parts that exist, one separator between two of them (never "· ·").
    var parts = [];
    if (d.docNumber && d.kind !== "van-ban") {  // a document's number is in its title
      var num = doc.createElement("span");
      num.className = "c-docnum";
      appendMarked(num, d.docNumber, terms);
      parts.push(num);
    }
    if (d.kind === "van-ban" && d.facts) parts.push(doc.createTextNode(d.facts));  // the issuer
    if (d.date) {
      var time = doc.createElement("time");
      time.dateTime = d.iso;
      time.textContent = d.date;
      parts.push(time);
    } else if (d.kind === "tin-tuc" || d.kind === "ke-hoach") {
      var unknown = doc.createElement("span");
      unknown.className = "c-meta__unknown";
      unknown.textContent = T.dateUnknown;
      parts.push(unknown);
    }
    if (d.kind !== "van-ban" && d.facts) parts.push(doc.createTextNode(d.facts));
    if (d.locality) parts.push(doc.createTextNode(d.locality));
    parts.forEach(function (part, i) {
      meta.appendChild(doc.createTextNode(i ? " · " : " "));
      meta.appendChild(part);
    });
    li.appendChild(meta);
    if (d.lead) {  // a document's trích yếu
      var lead = doc.createElement("p");
      lead.className = "c-result__lead";
      appendMarked(lead, d.lead, terms);
      li.appendChild(lead);
    }
    if (d.excerpt) {
      var p = doc.createElement("p");
      p.className = "c-card__summary c-result__excerpt";
      appendMarked(p, (d.passage > 1 ? "… " : "") + d.excerpt + " …", terms);
      li.appendChild(p);
    }
    // Sub-results: other headed sections where query words occur (at most 3).
    var subs = [];
    d.spots.forEach(function (spot) {
      var s = sectionOf(d, spot[0]);
      if (s && s !== main && s[2] && subs.indexOf(s) < 0 && subs.length < MAX_SECTIONS) subs.push(s);
    });
    if (subs.length) {
      var ul = doc.createElement("ul");
      ul.className = "c-result__sections";
      subs.forEach(function (s) {
        var sli = doc.createElement("li");
        var sa = doc.createElement("a");
        sa.href = siteurl + "/" + d.url + "#" + s[1];
        sa.textContent = s[2];
        sli.appendChild(sa);
        ul.appendChild(sli);
      });
      li.appendChild(ul);
    }
    return li;
  }

  /** One page link, in the markup of the site's own pagination (c-pagination__link). */
  function pageLink(s, n, text, current) {
    var li = doc.createElement("li");
    var el = doc.createElement(current ? "span" : "a");
    el.className = "c-pagination__link";
    el.textContent = text;
    if (current) {
      el.setAttribute("aria-current", "page");
    } else {
      el.href = url(s, n);
      el.dataset.page = String(n);
    }
    li.appendChild(el);
    return li;
  }

  function renderPages(s, total) {
    pager.textContent = "";
    var pages = Math.ceil(total / PAGE);
    pager.hidden = pages <= 1;
    if (pages <= 1) return;
    var ul = doc.createElement("ul");
    ul.className = "c-pagination__list";
    if (s.page > 1) ul.appendChild(pageLink(s, s.page - 1, T.pagePrev, false));
    for (var n = 1; n <= pages; n++) {
      if (n === 1 || n === pages || Math.abs(n - s.page) <= 2) {
        ul.appendChild(pageLink(s, n, String(n), n === s.page));
      } else if (Math.abs(n - s.page) === 3) {
        var gap = doc.createElement("li");
        gap.className = "c-pagination__gap";
        gap.textContent = "…";
        ul.appendChild(gap);
      }
    }
    if (s.page < pages) ul.appendChild(pageLink(s, s.page + 1, T.pageNext, false));
    pager.appendChild(ul);
  }

  function search() {
    var s = state();
    var id = ++run;
    app.dataset.state = "busy";
    fillForm(s);
    list.textContent = "";
    partialList.textContent = "";
    partialHeading.hidden = true;
    pager.hidden = true;
    help.hidden = true;
    corrected.hidden = true;
    var filtering = FILTERS.some(function (k) { return s.filters[k]; });
    if (!s.q && !filtering) {
      status.textContent = T.prompt;
      app.dataset.state = "done";
      return Promise.resolve();
    }
    status.textContent = T.loading;
    doc.title = (s.q ? fmt(T.docTitle, { q: s.q }) : T.titleBase) + T.titleSuffix;
    var found = s.q
      ? engine.search(s.q, { prefetch: filtering || s.page > 1 || s.sort ? 0 : PAGE, exact: s.exact })
      : engine.all().then(function (all) {
        return { terms: [], results: all, full: all.length, relaxed: false };
      });
    return found.then(function (res) {
      return engine.filter(res.results, s.filters).then(function (kept) {
        return s.sort ? engine.newest(kept) : kept;
      }).then(function (kept) {
        if (id !== run) return null;
        shown = { results: res.results, filters: s.filters };
        showCounts();
        var full = kept.filter(function (r) { return r.full; }).length;
        // A word not in the index was searched as the nearest indexed one: say so, with a
        // link to the words as typed.
        var q = res.corrected || s.q;
        if (res.corrected) doc.title = fmt(T.docTitle, { q: q }) + T.titleSuffix;
        if (res.corrected) {
          asTyped.textContent = fmt(T.asTyped, { q: s.q });
          asTyped.href = url({ q: s.q, filters: s.filters, exact: true }, 1);
          corrected.hidden = false;
        }
        var values = { n: full, q: q, m: kept.length - full };
        if (!kept.length) {
          status.textContent = fmt(s.q ? T.none : T.noneFiltered, values);
          help.hidden = false;
          announce();
          return null;
        }
        var text;
        if (!s.q) text = fmt(T.countFiltered, values);
        else if (!full) text = fmt(T.relaxedCount, values);
        else text = fmt(T.count, values) + (values.m ? " " + fmt(T.countPartial, values) : "");
        if (!full) help.hidden = false;
        var pages = Math.max(1, Math.ceil(kept.length / PAGE));
        s.page = Math.min(s.page, pages);
        var slice = kept.slice((s.page - 1) * PAGE, s.page * PAGE);
        return engine.docs(slice).then(function (docs) {
          if (id !== run) return;
          docs.forEach(function (d, i) {
            var li = item(d, res.terms);
            if (slice[i].full || !full) list.appendChild(li);
            else partialList.appendChild(li);
          });
          partialHeading.hidden = !(full && partialList.children.length);
          renderPages(s, kept.length);
          // Announce the count once the results are on the page.
          status.textContent = (res.corrected ? fmt(T.corrected, { q: q }) + " " : "") + text +
            (pages > 1 ? " " + fmt(T.pageOf, { n: s.page, total: pages }) : "");
          announce();
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

  /** Focus the count once results are on the page (a screen reader reads it; the page does
      not scroll). */
  function announce() {
    if (status.focus) status.focus({ preventScroll: true });
  }

  var shown = null;  // the last query's results and filters, for the choices' counts

  /** Each filter choice with how many results it keeps (the other filters applied); only
      while the filter box is open (phones: when opened), so a query alone fetches no facets. */
  function showCounts() {
    if (!shown || !details || !details.open) return;
    var now = shown;
    engine.counts(now.results, now.filters).then(function (counts) {
      if (now !== shown) return;
      FILTERS.forEach(function (name) {
        var el = form.elements[name];
        if (!el) return;
        Array.prototype.forEach.call(el.options, function (o) {
          if (!("label" in o.dataset)) o.dataset.label = o.textContent;
          o.textContent = fmt(T.choiceCount, { label: o.dataset.label, n: counts[name][o.value] || 0 });
        });
      });
    }).catch(function () {});
  }

  function go(href) {
    root.history.pushState(null, "", href);
    return search();
  }

  function submit() {
    var s = { q: input.value.trim(), filters: {}, sort: sortSelect ? sortSelect.value : "" };
    FILTERS.forEach(function (name) {
      var el = form.elements[name];
      s.filters[name] = el ? el.value : "";
    });
    return go(url(s, 1));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });
  // A filter or the order applies as soon as it is chosen.
  form.addEventListener("change", function (event) {
    if (event.target && event.target.tagName === "SELECT") submit();
  });
  if (details) details.addEventListener("toggle", showCounts);
  corrected.addEventListener("click", function (event) {
    if (event.target !== asTyped) return;
    event.preventDefault();
    go(asTyped.getAttribute("href"));
  });
  pager.addEventListener("click", function (event) {
    var a = event.target.closest ? event.target.closest("a[data-page]") : null;
    if (!a) return;
    event.preventDefault();
    go(a.getAttribute("href")).then(function () {
      status.focus();
    });
  });
  // The box is open as written (wide screens have room for it); phones close it, so the
  // count and the first result fit their first screen.
  if (details && root.matchMedia && !root.matchMedia("(min-width: 48em)").matches) details.open = false;
  root.addEventListener("popstate", search);
  root.cchcSearch = { engine: engine, search: search };
  search();
})(window);
