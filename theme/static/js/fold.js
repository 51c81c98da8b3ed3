/* Vietnamese text rules for search in the browser: the mirror of cchc_core.text.fold and of
   cchc_search's pipeline (normalise_term, docnum_token). tests/test_search_fold.py runs both
   sides over one table and requires identical output: change them together.
   Registers the lunr pipeline function "cchcFold" (the label lunr.py writes into the index). */
(function (root) {
  "use strict";

  var COMBINING = /[\u0300-\u036f]/g;
  var EDGE = /^[^\p{L}\p{N}_]+|[^\p{L}\p{N}_]+$/gu;
  var SEG = "[\\p{L}][\\p{L}&]*\\d{0,2}";  // as cchc_core.docnum: "UBTVQH15"
  var SP = "[ \\t\\u00a0]*";
  var SYM = SEG + "(?:" + SP + "-" + SP + SEG + ")*";
  // Same two grammars as cchc_core.docnum (party form first), matched case-insensitively
  // because people type "14460/qd-ubnd".
  var DOCNUM = new RegExp(
    "(?<![\\p{L}\\p{N}_/.\\-])(?:" +
      "\\d{1,6}" + SP + "-" + SP + SEG + SP + "/" + SP + SYM + "|" +
      "\\d{1,6}[a-zđ]?(?:" + SP + "/" + SP + "(?:19|20)\\d\\d)?" + SP + "/" + SP + SYM +
    ")(?![\\p{L}\\p{N}_/])",
    "giu"
  );

  /** NFC, strip tone marks (U+0300-U+036F after NFD), đ→d, lowercase: cchc_core.text.fold. */
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

  /** "179 / KH - UBND" → "179_kh_ubnd", the joined token the index holds. */
  function docnumToken(text) {
    return fold(text).replace(/[ \t\u00a0]+/g, "").replace(/[^a-z0-9&]+/g, "_")
      .replace(/^_+|_+$/g, "");
  }

  /** Document numbers in *text*: [{start, end, token}]. */
  function findDocNumbers(text) {
    var out = [];
    var m;
    DOCNUM.lastIndex = 0;
    while ((m = DOCNUM.exec(text)) !== null) {
      out.push({ start: m.index, end: m.index + m[0].length, token: docnumToken(m[0]) });
    }
    return out;
  }

  /** Query → index terms: document numbers as joined tokens, other words folded. */
  function queryTerms(query) {
    var text = String(query).normalize("NFC");
    var terms = [];
    var rest = "";
    var last = 0;
    findDocNumbers(text).forEach(function (d) {
      terms.push(d.token);
      rest += text.slice(last, d.start) + " ";
      last = d.end;
    });
    rest += text.slice(last);
    fold(rest).split(/[\s\-]+/).forEach(function (word) {
      var term = trim(word);
      if (term) terms.push(term);
    });
    return terms.filter(function (t, i) { return terms.indexOf(t) === i; });
  }

  /** lunr pipeline function, same label as cchc_search.cchc_fold. */
  function cchcFold(token) {
    token.update(function (s) { return normaliseTerm(s); });
    return token.toString() ? token : null;
  }

  root.CCHCFold = {
    fold: fold,
    trim: trim,
    normaliseTerm: normaliseTerm,
    docnumToken: docnumToken,
    findDocNumbers: findDocNumbers,
    queryTerms: queryTerms,
    cchcFold: cchcFold
  };
  if (root.lunr) {
    root.lunr.Pipeline.registerFunction(cchcFold, "cchcFold");
  }
})(window);
