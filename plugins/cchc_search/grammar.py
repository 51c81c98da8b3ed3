"""Document numbers in search queries, and the browser's copy of the number grammar.

Two grammars meet here:

- **Text** (what pages say): exactly ``cchc.core.docnum.DOCNUM_RE``, symbol segments start with
  a capital (``179/KH-UBND``; "5/năm" is no number). The browser's ``findDocNumbers`` (marking
  numbers in titles and excerpts) runs the same regular expression, translated from this one by
  :func:`js_source` at build time (``theme/js/search-grammar.js``), never written by hand.
- **Queries** (what people type): the text grammar, plus the same shapes in lower case without
  tone marks when the first symbol segment is a known type code (``14460/qd-ubnd`` yes,
  ``5/nam`` no), plus partial numbers: number and code (``179/KH``, ``179 KH``, ``16-NQ``) and
  code with issuer before the number (``KH-UBND 179``). The space-separated forms only when they
  are the whole query (in "năm 2021 đã đạt", "2021 đã" is no number of type "Đề án").

:func:`query_terms` is the Python statement of the query rule; ``CCHCFold.queryTerms`` in
``theme/static/js/fold.js`` runs the generated patterns, and tests/unit/test_search_grammar.py runs
both under Node over one table of positive and negative cases.

Index side (:func:`number_tokens`): a number is findable as the joined full token
(``179_kh_ubnd``), without its year (``93_qd_ttg`` for 93/2007/QĐ-TTg), as number and code
(``179_kh``) and as the number alone (``179``). The year segment is never a token of its own,
so "2021" does not bring every number of 2021 (design: docs/search.md).
"""

import json
import re

from cchc.core import doctypes, fold, nfc
from cchc.core.docnum import DOCNUM_RE

# Known type codes (cchc.core.doctypes: codes and aliases), folded, longest first so "ctr"
# wins over "ct".
CODES = sorted(set(doctypes.BY_CODE), key=lambda c: (-len(c), c))
_CODE = "(?:" + "|".join(CODES) + ")"
_LSEG = "[a-z][a-z&]*[0-9]{0,2}"
_LSP = "[ \\t\\u00a0]*"
_LB = "(?<![a-z0-9_/.\\-])"
_RB = "(?![a-z0-9_/])"
_NUM = "[0-9]{1,6}[a-z]?"

# On folded text, party form first (as in cchc.core.docnum). State form groups: 4 number,
# 5 year, 6 code, 7 the rest of the symbol (may be empty).
LENIENT_STATE = (
    f"{_LB}({_NUM})(?:{_LSP}/{_LSP}((?:19|20)[0-9][0-9]))?{_LSP}/{_LSP}({_CODE})"
    f"((?:{_LSP}-{_LSP}{_LSEG})*){_RB}"
)
# Party form groups: 1 number, 2 code, 3 issuer (may be empty: "16-NQ" is a partial number).
LENIENT_PARTY = (
    f"{_LB}([0-9]{{1,6}}){_LSP}-{_LSP}({_CODE})(?:{_LSP}/{_LSP}({_LSEG}(?:{_LSP}-{_LSP}{_LSEG})*))?{_RB}"
)
LENIENT = f"(?:{LENIENT_PARTY})|(?:{LENIENT_STATE})"
# Whole-query forms with spaces: "179 KH", "179 KH UBND", "KH-UBND 179", "KH 179", "KH số 179".
# Not with codes that are everyday words once folded ("da": đã, đá, đa): "2021 đã" is words.
_SPACE_CODE = "(?:" + "|".join(c for c in CODES if c not in ("da",)) + ")"
WHOLE_NUMBER_FIRST = f"^\\s*({_NUM})\\s+({_SPACE_CODE})((?:[\\s\\-]+{_LSEG})*)\\s*$"
WHOLE_CODE_FIRST = f"^\\s*({_SPACE_CODE})((?:{_LSP}-{_LSP}{_LSEG})*)\\s+(?:so\\s+)?({_NUM})\\s*$"

_LENIENT_RE = re.compile(LENIENT)
_WHOLE_NUMBER_FIRST_RE = re.compile(WHOLE_NUMBER_FIRST)
_WHOLE_CODE_FIRST_RE = re.compile(WHOLE_CODE_FIRST)
_WORD_SPLIT = re.compile(r"[\s\-]+")


def _join(*parts):
    text = "_".join(p for p in parts if p)
    return re.sub(r"[^a-z0-9&]+", "_", text).strip("_")


def _segments(rest):
    return [s for s in re.split(r"[\s\-]+", rest or "") if s]


def number_tokens(doc):
    """Index tokens of a DocNumber, most specific first (see the module docstring)."""
    number, kind = fold(doc.number), fold(doc.kind)
    if doc.party:
        org = fold(doc.symbol.split("/", 1)[1])
        tokens = [_join(number, kind, org)]
    else:
        symbol = fold(doc.symbol)
        tokens = [_join(number, doc.year, symbol)]
        if doc.year:
            tokens.append(_join(number, symbol))
    tokens += [_join(number, kind), number]
    return list(dict.fromkeys(t for t in tokens if t))


def _strict_token(match):
    from cchc.core.docnum import _from_match

    doc = _from_match(match)
    return number_tokens(doc)[0]


def _lenient_token(m):
    if m.group(1):  # party form
        return _join(m.group(1), m.group(2), m.group(3) or "")
    return _join(m.group(4), m.group(5) or "", m.group(6), *_segments(m.group(7)))


def _trim(word):
    from .cchc_search import trim

    return trim(word)


def _is_word_char(ch):
    from .cchc_search import _is_word_char as is_word_char

    return is_word_char(ch)


# Quotation marks that make the words between them a phrase ("mot cua", “một cửa”).
QUOTES = "\"\u201c\u201d\u201e\u00ab\u00bb"


def _has_quote(text):
    return any(c in QUOTES for c in text)


def parse_query(query):
    """Query text → (words, pairs). words: [{term, surface}], document numbers (whole or
    partial) as joined tokens first (surface ""), then the other words folded and trimmed
    (surface: the word as typed, lowercase NFC, for tone marks), each once, in order. pairs:
    [{term: "a b", a, b, need}] for every two words typed next to each other; *need* when both
    are inside one pair of quotation marks (a phrase the results must hold)."""
    text = nfc(str(query))
    folded = fold(text)
    m = _WHOLE_NUMBER_FIRST_RE.match(folded)
    if m:
        return [{"term": _join(m.group(1), m.group(2), *_segments(m.group(3))), "surface": ""}], []
    m = _WHOLE_CODE_FIRST_RE.match(folded)
    if m:
        return [{"term": _join(m.group(3), m.group(1), *_segments(m.group(2))), "surface": ""}], []
    out, pieces, last = [], [], 0
    # The text grammar on the text as typed, then the lenient one on what is left, folded.
    # fold() keeps the length of NFC Vietnamese text, so positions carry over.
    for m in DOCNUM_RE.finditer(text):
        out.append({"term": _strict_token(m), "surface": ""})
        pieces.append((folded[last:m.start()], text[last:m.start()]))
        last = m.end()
    pieces.append((folded[last:], text[last:]))
    typed = []
    for piece, as_typed in pieces:
        pos = 0
        for m in _LENIENT_RE.finditer(piece):
            out.append({"term": _lenient_token(m), "surface": ""})
            typed.append(as_typed[pos:m.start()])
            pos = m.end()
        typed.append(as_typed[pos:])
    seq, quoted, group = [], False, 0
    for word in _WORD_SPLIT.split(" ".join(typed)):
        term = _trim(fold(word))
        if not term:
            if _has_quote(word):  # a quotation mark standing alone opens or closes
                quoted = not quoted
                group += quoted
            continue
        inner = [k for k, c in enumerate(word) if _is_word_char(c)]  # as trim() sees letters
        lead, trail = word[:inner[0]], word[inner[-1] + 1:]
        if _has_quote(lead) and not quoted:
            quoted, group = True, group + 1
        seq.append({"term": term, "surface": _trim(word.lower()), "group": group if quoted else 0})
        if _has_quote(trail) and quoted:
            quoted = False
    pairs = {}
    for a, b in zip(seq, seq[1:]):
        key = a["term"] + " " + b["term"]
        need = bool(a["group"]) and a["group"] == b["group"]
        if key in pairs:
            pairs[key]["need"] = pairs[key]["need"] or need
        else:
            pairs[key] = {"term": key, "a": a["term"], "b": b["term"], "need": need}
    words = {}
    for w in out + [{"term": w["term"], "surface": w["surface"]} for w in seq]:
        words.setdefault(w["term"], w)
    return list(words.values()), list(pairs.values())


def query_terms(query):
    """Query text → index terms: document numbers (whole or partial) as joined tokens, then the
    other words folded and trimmed, each once, in order."""
    return [w["term"] for w in parse_query(query)[0]]


# --- The browser's copy ---------------------------------------------------------------------

def _js_regex(pattern):
    """A Python pattern of the portable subset we write (named groups, \\w, [0-9]) in JS syntax
    for the "u" flag."""
    out = pattern.replace("(?P<", "(?<")
    # \w inside and outside character classes: letters, digits, "_" (Python's \w on str).
    out = re.sub(r"\[([^\]]*)\\w([^\]]*)\]", lambda m: "[" + m.group(1) + "\\p{L}\\p{N}_" + m.group(2) + "]", out)
    out = out.replace("\\w", "[\\p{L}\\p{N}_]")
    if "\\d" in out:
        raise ValueError("the document-number grammar must use [0-9], not \\d (Unicode digits in Python)")
    return out


def grammar():
    """Every pattern the browser needs, as JS regular-expression sources."""
    return {
        "text": _js_regex(DOCNUM_RE.pattern),
        "lenient": _js_regex(LENIENT),
        "wholeNumberFirst": _js_regex(WHOLE_NUMBER_FIRST),
        "wholeCodeFirst": _js_regex(WHOLE_CODE_FIRST),
    }


def js_source():
    """theme/js/search-grammar.js: generated at build time from cchc.core.docnum."""
    return ("/* Generated by cchc_search.grammar from cchc/core/docnum.py at build time: do not edit. */\n"
            "(function (root) { root.CCHCGrammar = "
            + json.dumps(grammar(), ensure_ascii=True) + "; })(typeof window !== 'undefined' ? window : globalThis);\n")
