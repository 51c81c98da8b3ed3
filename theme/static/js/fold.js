/* Vietnamese text rules for search in the browser: the mirror of cchc.core.text.fold and of
   cchc_search's term rule (normalise_term) and query rule (cchc_search.grammar.query_terms).
   The document-number patterns are not written here: search-grammar.js, generated at build
   time from cchc/core/docnum.py by cchc_search.grammar, defines window.CCHCGrammar and must be
   loaded first. tests/unit/test_search_grammar.py runs this file under Node against the Python
   functions over one table of positive and negative cases: change them together. */
(function (root) {
  "use strict";

  var G = root.CCHCGrammar;
  var COMBINING = /[\u0300-\u036f]/g;
  var EDGE = /^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu;
  var TEXT = new RegExp(G.text, "gu");
  var LENIENT = new RegExp(G.lenient, "g");
  var WHOLE_NUMBER_FIRST = new RegExp(G.wholeNumberFirst);
  var WHOLE_CODE_FIRST = new RegExp(G.wholeCodeFirst);

  /** NFC, strip tone marks (U+0300-U+036F after NFD), đ→d, lowercase: cchc.core.text.fold. */
  function fold(text) {
    return String(text).normalize("NFD").replace(COMBINING, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFC").toLowerCase();
  }

  /** Strip leading and trailing characters that are not letters, digits or "_". */
  function trim(text) {
    return String(text).replace(EDGE, "");
  }

  /** The one term rule of the index: fold, then trim. */
  function normaliseTerm(text) {
    return trim(fold(text));
  }

  /** A word as written, for telling tone marks apart: lowercase NFC, trimmed. */
  function surface(text) {
    return trim(String(text).normalize("NFC").toLowerCase());
  }

  function join(parts) {
    return parts.filter(Boolean).join("_").replace(/[^a-z0-9&]+/g, "_").replace(/^_+|_+$/g, "");
  }

  function segments(rest) {
    return (rest || "").split(/[\s\-]+/).filter(Boolean);
  }

  /** "179 / KH - UBND" → "179_kh_ubnd", the joined token the index holds. */
  function docnumToken(text) {
    return fold(text).replace(/[ \t\u00a0]+/g, "").replace(/[^a-z0-9&]+/g, "_")
      .replace(/^_+|_+$/g, "");
  }

  /** The text grammar's token of a match (grammar.number_tokens(...)[0]). */
  function textToken(m) {
    var g = m.groups;
    var squeeze = function (s) { return s.replace(/[ \t\u00a0]+/g, ""); };
    if (g.p_num) return join([fold(g.p_num), fold(g.p_type), fold(squeeze(g.p_org))]);
    return join([fold(g.s_num), g.s_year || "", fold(squeeze(g.s_sym))]);
  }

  /** Document numbers in page text (cchc.core.docnum's grammar): [{start, end, token}]. */
  function findDocNumbers(text) {
    var out = [];
    var m;
    TEXT.lastIndex = 0;
    while ((m = TEXT.exec(text)) !== null) {
      out.push({ start: m.index, end: m.index + m[0].length, token: textToken(m) });
    }
    return out;
  }

  function lenientToken(m) {
    if (m[1]) return join([m[1], m[2], m[3] || ""]);
    return join([m[4], m[5] || "", m[6]].concat(segments(m[7])));
  }

  var QUOTES = /["\u201c\u201d\u201e\u00ab\u00bb]/;
  var LEAD = /^[^\p{L}\p{N}_]*/u;
  var TRAIL = /[^\p{L}\p{N}_]*$/u;

  /** Query → {words: [{term, surface}], pairs: [{term, a, b, need}]}: numbers whole or
      partial as joined tokens, then the other words folded (surface: the word as typed, for
      tone-mark exactness; "" for numbers); pairs: every two words typed next to each other,
      *need* inside one pair of quotation marks (cchc_search.grammar.parse_query). */
  function parseQuery(query) {
    var text = String(query).normalize("NFC");
    var folded = fold(text);
    var m = WHOLE_NUMBER_FIRST.exec(folded);
    if (m) return { words: [{ term: join([m[1], m[2]].concat(segments(m[3]))), surface: "" }], pairs: [] };
    m = WHOLE_CODE_FIRST.exec(folded);
    if (m) return { words: [{ term: join([m[3], m[1]].concat(segments(m[2]))), surface: "" }], pairs: [] };
    var out = [];
    var pieces = [];  // [folded, as typed] left between numbers
    var last = 0;
    TEXT.lastIndex = 0;
    while ((m = TEXT.exec(text)) !== null) {
      out.push({ term: textToken(m), surface: "" });
      pieces.push([folded.slice(last, m.index), text.slice(last, m.index)]);
      last = m.index + m[0].length;
    }
    pieces.push([folded.slice(last), text.slice(last)]);
    var typed = [];
    pieces.forEach(function (p) {
      var pos = 0;
      LENIENT.lastIndex = 0;
      while ((m = LENIENT.exec(p[0])) !== null) {
        out.push({ term: lenientToken(m), surface: "" });
        typed.push(p[1].slice(pos, m.index));
        pos = m.index + m[0].length;
      }
      typed.push(p[1].slice(pos));
    });
    var seq = [];
    var quoted = false, group = 0;
    typed.join(" ").split(/[\s\-]+/).forEach(function (word) {
      var term = normaliseTerm(word);
      if (!term) {
        if (QUOTES.test(word)) {  // a quotation mark standing alone opens or closes
          quoted = !quoted;
          if (quoted) group++;
        }
        return;
      }
      if (QUOTES.test(LEAD.exec(word)[0]) && !quoted) { quoted = true; group++; }
      seq.push({ term: term, surface: surface(word), group: quoted ? group : 0 });
      if (QUOTES.test(TRAIL.exec(word)[0]) && quoted) quoted = false;
    });
    var pairs = [];
    var byPair = Object.create(null);
    for (var i = 0; i + 1 < seq.length; i++) {
      var a = seq[i], b = seq[i + 1];
      var key = a.term + " " + b.term;
      var need = a.group > 0 && a.group === b.group;
      if (byPair[key]) byPair[key].need = byPair[key].need || need;
      else pairs.push(byPair[key] = { term: key, a: a.term, b: b.term, need: need });
    }
    var seen = Object.create(null);
    var words = out.concat(seq.map(function (w) { return { term: w.term, surface: w.surface }; }))
      .filter(function (w) {
        if (seen[w.term]) return false;
        seen[w.term] = true;
        return true;
      });
    return { words: words, pairs: pairs };
  }

  /** Query → [{term, surface}] (parseQuery's words). */
  function queryWords(query) {
    return parseQuery(query).words;
  }

  /** Query → index terms (cchc_search.grammar.query_terms). */
  function queryTerms(query) {
    return queryWords(query).map(function (w) { return w.term; });
  }

  root.CCHCFold = {
    fold: fold,
    trim: trim,
    normaliseTerm: normaliseTerm,
    surface: surface,
    docnumToken: docnumToken,
    findDocNumbers: findDocNumbers,
    parseQuery: parseQuery,
    queryWords: queryWords,
    queryTerms: queryTerms
  };
})(typeof window !== "undefined" ? window : globalThis);
