"""cchc_search: the Vietnamese search index, built in the Pelican build, sharded for large sites.

Records: every published post, every page (Giới thiệu, Liên hệ, the English pages with their
language), the targets dashboard and every /van-ban/ document page (cchc_documents' registry).
Text goes through one term rule, ``cchcFold`` (NFC, strip tone marks, đ→d, lowercase,
Unicode-aware trim; no stemmer, no stop-word list), mirrored in ``theme/static/js/fold.js``.
lunr.py's Builder (made fast by IndexBuilder) gives each term its BM25 weight per field; the
weights are summed over the fields here, so the browser scores with plain additions; the index
also keeps each pair of adjacent words. The ranking rules (phrases, common words from the
corpus's document frequency, tone marks as typed, words close together, typos) are stated in
``ranking.py`` and run by ``theme/static/js/search-engine.js``. Document numbers are tokens of their own, whole and
in part (``grammar.number_tokens``); the browser's number patterns are generated from
cchc.core.docnum (``grammar.js_source``), and shipped with fold.js and search-engine.js as one
file, ``theme/js/search-runtime.js`` (``runtime_js``).

Each record's whole text is cut into short passages; the index keeps the first passage of each
word, so the browser fetches the one passage that makes the excerpt. Below ``SHARD_THRESHOLD``
records one file holds the term entries, the store and the filter facets; above it the entries
are split into buckets by a hash of the term (``bucket_of``), and the store and passages into
chunks (or, with ``RESULT_FILES``, one file per result passage): the same entries either way,
so the ranking is the same.
"""

import datetime as dt
import functools
import gc
import hashlib
import json
import logging
import math
import re
import shutil
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, fields
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path

from lunr.builder import Builder
from lunr.pipeline import Pipeline
from lunr.token_set import TokenSet
from lunr.tokenizer import SEPARATOR_CHARS
from lunr.vector import Vector
from pelican import signals
from pelican.generators import Generator

from cchc.core import (
    AREAS,
    buildkey,
    find_doc_numbers,
    fold,
    format_vi_date,
    htmltext,
    nfc,
    outputtree,
    parallel,
    parse_doc_number,
    units,
)
from cchc.core.dates import known
from cchc.core.keptrows import KeptRows
from cchc.core.settings import merged_settings, plugin_names, require_order
from cchc.core.sitepaths import DEFAULT_URLS

from . import ranking
from .grammar import js_source, number_tokens

log = logging.getLogger(__name__)

DEFAULTS = {
    "PAGE_URL": DEFAULT_URLS["search"],
    "OUTPUT_DIR": DEFAULT_URLS["search_data"],  # index files, under the output directory
    "SHARD_THRESHOLD": 500,  # documents; at or above this the index is sharded (see docs/search.md)
    "SHARD_TARGET_BYTES": 16_000,  # average raw JSON bytes per term bucket (shards/N.json)
    # Documents per store chunk and passage file; 0: 128 on sharded sites below 2,000
    # documents (a session's queries soon have every chunk), else 8 (see docs/search.md).
    "DOC_CHUNK_SIZE": 0,
    "RESULT_FILES": False,  # sharded: one file per result passage (fewest bytes, most files)
    "PASSAGE_WORDS": 30,  # words per passage: the excerpt unit, fetched per result
    # Where what each record gives the index (its terms per field, passages, first passage of
    # each term, pairs) is kept between builds by the digest of the record (RecordCache); ""
    # for none. pelicanconf.py: .cache/search-records.
    "CACHE": "",
}

# Field → build-time boost. Số ký hiệu most, then title; order is the index's field order.
FIELDS = (
    ("docpage", 100),  # a /van-ban/ page's own number: that page comes first for it
    ("docnum", 20),
    ("title", 10),
    ("summary", 3),
    ("locality", 3),
    ("units", 1),  # the post's unit then and now, with the units it took in (cchc.core.units)
    ("areas", 2),
    ("body", 1),
)
KINDS = ("tin-tuc", "ke-hoach", "van-ban", "bao-cao", "trang")  # appended: a kind keeps its index
FORMAT_VERSION = 4
# Below this many documents a sharded site's whole store is a few hundred KB: chunks of 128 are
# soon all fetched by a session's queries, and then a query fetches its buckets and passages
# only (docs/search.md, Settings: what chunks of 128, 64, 16 and one file per result cost and buy).
SMALL_SHARDED = 2_000
PASSAGE_WORDS = DEFAULTS["PASSAGE_WORDS"]


def settings_for(settings):
    """CCHC_SEARCH overrides merged over DEFAULTS into a local copy."""
    return merged_settings(settings, "CCHC_SEARCH", DEFAULTS, "cchc_search")


def site_paths(settings):
    """Where this plugin writes (cchc.core.sitepaths: an old path may not take these over)."""
    conf = settings_for(settings)
    return [conf["PAGE_URL"], conf["OUTPUT_DIR"] + "/"]


# --- Text pipeline (mirrored in theme/static/js/fold.js) -----------------------------------

def _is_word_char(ch):
    return ch == "_" or unicodedata.category(ch)[0] in "LN"


def trim(text):
    """Strip every leading and trailing character that is not a letter, digit or "_"."""
    start, end = 0, len(text)
    while start < end and not _is_word_char(text[start]):
        start += 1
    while end > start and not _is_word_char(text[end - 1]):
        end -= 1
    return text[start:end]


@functools.lru_cache(maxsize=1 << 18)
def normalise_term(text):
    """The one term rule: fold (NFC, no tone marks, đ→d, lowercase), then trim.

    Cached: a site has a few tens of thousands of distinct words but millions of tokens, and
    this ran once per token (a third of the index build at 2,000 posts)."""
    return trim(fold(text))


@functools.lru_cache(maxsize=1 << 18)
def surface_form(piece):
    """A lowercased token as written (NFC, tone marks kept, trimmed): what tells "đá" from "đã"."""
    return trim(nfc(piece))


def cchc_fold(token, i=None, tokens=None):
    """lunr pipeline function ``cchcFold``: normalise a token, drop it if nothing is left."""
    token.update(lambda s, _m=None: normalise_term(s))
    return token if str(token) else None


Pipeline.register_function(cchc_fold, "cchcFold")


def page_markers(number):
    """Marker tokens of a document page's own number: its joined tokens (not the bare number,
    which is a word) with a trailing "_", which no text can produce."""
    return [t + "_" for t in number_tokens(number) if "_" in t]


# --- Records --------------------------------------------------------------------------------

@dataclass
class SearchDoc:
    """What the index and the result list know about one post or document page."""

    url: str
    title: str
    kind: str  # tin-tuc | ke-hoach | van-ban | trang (a page: Giới thiệu, the targets dashboard…)
    date: str = ""  # "ngày 25 tháng 11 năm 2021" (cchc.core.format_vi_date), "" when unknown
    iso: str = ""  # yyyy-mm-dd for <time datetime>
    year: int = 0  # 0 when unknown (never the 1970 sentinel)
    locality: str = ""
    areas: list = field(default_factory=list)
    doc_number: str = ""
    summary: str = ""
    body: str = ""
    # Body as blocks: (text, heading anchor or None, is_heading). Empty: body is one block.
    blocks: list = field(default_factory=list)
    facts: str = ""  # a line of facts shown and searched (document pages: issuer)
    # The administrative unit of a post's locality, then and now (cchc.core.units): every name a
    # search may use (units.lineage_names), and the page slugs the locality filter keeps it under.
    units: str = ""
    places: list = field(default_factory=list)
    lang: str = ""  # the record's language when it is not the site's (English pages: "en")
    lead: str = ""  # shown under the facts whatever the match (document pages: the trích yếu)

    def numbers(self):
        """Document numbers cited in the text (not the post's own), in order."""
        return find_doc_numbers(" ".join((self.title, self.summary, self.body)))

    def fields(self, ref):
        """The lunr document: every field as plain text."""
        own = parse_doc_number(self.doc_number) if self.doc_number else None
        own_text = " ".join(filter(None, (self.doc_number, *(number_tokens(own) if own else ()))))
        page = self.kind == "van-ban"
        return {
            "id": ref,
            # The page's own number also as marker tokens ("179_kh_ubnd_"): the browser puts the
            # page of a number the query names before every other record carrying it.
            "docpage": " ".join([own_text, *page_markers(own)]) if page and own else "",
            "docnum": "" if page else own_text,
            "title": self.title,
            "summary": self.summary,
            "locality": self.locality,
            "units": self.units,
            "areas": " ".join(AREAS.get(code, code) for code in self.areas),
            # Numbers cited in the text are findable whole and in part (grammar.number_tokens).
            "body": " ".join([self.body, self.facts if page else "",
                              *(t for d in self.numbers() for t in number_tokens(d))]),
        }

    def _blocks(self):
        """(text, heading anchor, is heading) after the title: summary, body blocks, facts."""
        blocks = self.blocks or [(self.body, None, False)]
        facts = " · ".join(filter(None, (self.doc_number, self.facts, self.locality,
                                         ", ".join(AREAS.get(a, a) for a in self.areas))))
        return [(self.summary, None, False), *blocks, (facts, None, False)]

    def pairs(self):
        """Every two words that follow each other in one block of text (title, summary, a
        body block, facts) and one sentence, folded: "mot cua" for "một cửa" (see ranking.py)."""
        out = set()
        for text in [self.title, *(b[0] for b in self._blocks())]:
            out.update(text_pairs(text))
        return out

    def passages(self, words=None):
        """The whole text cut into short passages: [(text, heading anchor)]. Passage 0 is the
        title; then summary, body (a heading starts a passage), facts."""
        size = words or PASSAGE_WORDS
        out = [(self.title, None)]
        anchor = None
        for text, block_anchor, heading in self._blocks():
            if heading:
                anchor = block_anchor
            pieces = text.split()
            if not pieces:
                continue
            n = -(-len(pieces) // size)
            step = -(-len(pieces) // n)
            for i in range(0, len(pieces), step):
                out.append((" ".join(pieces[i : i + step]), anchor))
        return out


_SPACES = re.compile(r"\s+")
# A sentence ends at . ; : ! ? followed by a space (not inside "179/KH-UBND" or "96,6").
_SENTENCE_END = re.compile(r"[.;:!?…]+(?:\s|$)")


def text_pairs(text):
    """Folded pairs of adjacent words of *text* ("mot cua"), tokenised like the index (lunr's
    separators, then normalise_term; a piece that folds to nothing is skipped), never across
    the end of a sentence."""
    out = set()
    for sentence in _SENTENCE_END.split(text.lower()):
        terms = [t for t in map(normalise_term, _SEPARATORS.split(sentence)) if t]
        out.update(map(" ".join, zip(terms, terms[1:])))
    return out
def _date_fields(date):
    if not date:
        return {"date": "", "iso": "", "year": 0}
    day = date.date() if isinstance(date, dt.datetime) else date
    return {"date": format_vi_date(day), "iso": day.isoformat(), "year": day.year}


def unit_fields(uid):
    """(units, places) of a SearchDoc for a post whose locality resolved to the unit *uid*."""
    if not uid:
        return {}
    reg = units.registry()
    unit = reg[uid]
    return {"units": " ".join(units.lineage_names(unit, reg)),
            "places": [units.unit_slug(u, reg) for u in units.places(unit, reg)]}


def doc_from_article(article, blocks_of=htmltext.blocks):
    """A SearchDoc from a Pelican article of cchc_content (*blocks_of*: htmltext.blocks, or
    RecordCache.blocks, which keeps its results)."""
    date = known(getattr(article, "date", None))
    # The text as read: links resolved later (Pelican's {static}, cchc_documents' number
    # links) change attributes and markup, not words, and reading .content this early
    # would make Pelican resolve (and memoize) links before static files are known.
    blocks = blocks_of(article._content)
    return SearchDoc(
        url=article.url,
        title=article.title,
        kind=getattr(article, "kind", "tin-tuc"),
        **_date_fields(date),
        locality=getattr(article, "locality", "") or "",
        areas=list(getattr(article, "areas", []) or []),
        doc_number=getattr(article, "doc_number", "") or "",
        summary=getattr(article, "summary_text", "") or "",
        body=" ".join(b[0] for b in blocks),
        blocks=blocks,
        **unit_fields(getattr(article, "locality_unit", None)),
    )


def ui_text(settings=None):
    """The Vietnamese interface text (theme/ui.yaml, cchc_theme's catalogue) of the site's
    theme, or of ours without *settings* (the benchmark)."""
    from cchc_theme import load_catalogue

    theme = (settings or {}).get("THEME") or Path(__file__).resolve().parents[2] / "theme"
    return load_catalogue(str(theme))["vi"]


def document_title(doc_type, number, ui):
    """What a citizen calls a document, as its page's heading does: "Kế hoạch số 179/KH-UBND"."""
    return " ".join(filter(None, (doc_type, ui["doc_number_word"] if doc_type else "", number)))


def doc_from_document(document, ui=None):
    """A SearchDoc for a /van-ban/ page (cchc_documents.LegalDocument), titled as a citizen
    names it (type and number), its issuer as facts, its trích yếu as lead and summary, and
    what the citing posts say when no record describes it. The plan that carries the number
    keeps its own title, so the two rows never look the same."""
    ui = ui or ui_text()
    date = document.issue_date
    abstract = document.title or ""
    excerpts = [c.excerpt for c in document.citations if c.excerpt][:2]
    return SearchDoc(
        url=document.url,
        title=document_title(document.doc_type, document.text, ui),
        kind="van-ban",
        **_date_fields(date if isinstance(date, dt.date) else None),
        doc_number=document.text,
        summary=" ".join(filter(None, (abstract, *excerpts))),
        facts=document.issuer or "",
        lead=abstract[:1].upper() + abstract[1:],
    )


def doc_from_page(page, default_lang="vi"):
    """A SearchDoc for a Pelican page (Giới thiệu, Liên hệ, the English pages…), with its
    language when it is not the site's."""
    blocks = htmltext.blocks(page._content)
    lang = getattr(page, "lang", "") or ""
    return SearchDoc(
        url=page.url,
        title=page.title,
        kind="trang",
        summary=getattr(page, "summary_text", "") or "",
        body=" ".join(b[0] for b in blocks),
        blocks=blocks,
        lang="" if lang == default_lang else lang,
    )


def doc_from_targets(url, groups, ui):
    """A SearchDoc for the targets dashboard (cchc_documents.build_targets' *groups*): its
    title and introduction, then each measure with the localities that set it."""
    blocks = []
    for g in groups:
        blocks.append((g.measure, g.slug, True))
        localities = ", ".join(dict.fromkeys(r.locality for r in g.rows if r.locality))
        if localities:
            blocks.append((localities, None, False))
    # The measures are what the page is about: in the summary too (weighed as summaries are).
    summary = " ".join([ui["targets_intro"], *(g.measure + ";" for g in groups)])
    return SearchDoc(
        url=url, title=ui["targets_title"], kind="trang", summary=summary,
        body=" ".join(b[0] for b in blocks), blocks=blocks)


# --- Index ----------------------------------------------------------------------------------

# lunr.py's Tokenizer tests every character against its separator set in Python, and its
# Pipeline wraps every token in an object: at 2,000 posts that was two thirds of the build.
# IndexBuilder keeps lunr.py's Builder (fields, BM25 weights, serialisation) and does the same
# work per field in bulk; tests/unit/test_search_index.py proves the serialised index identical to the
# one lunr.py's own Builder makes from the same documents.
_SEPARATORS = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]")


class _RoundedVector(Vector):
    """A field vector whose weights are rounded already: serialise without rounding again."""

    def serialize(self):
        return list(self.elements)


def thousandths(score):
    """``round(round(score, 3) * 1000)``, lunr's weight rounded to 3 decimals, times 1000: the
    integer nearest *score* × 1000, ties to even on *score*'s exact value. ``round(x, 3)`` goes
    through a decimal conversion (a third of term_weights); *score* × 1000 in floats is off by
    at most half a unit in its last place, which matters only within a hair of a tie (x.5):
    only there is the exact way taken."""
    scaled = score * 1000.0
    near = round(scaled)
    if abs(abs(scaled - near) - 0.5) < 1e-6:
        return round(round(score, 3) * 1000)
    return near


class IndexBuilder(Builder):
    """lunr.py's Builder for our pipeline (only ``cchcFold``), without per-character work.

    For a string field, ``Tokenizer`` + ``Pipeline.run`` produce the non-empty
    ``normalise_term`` of each non-empty piece of ``str(value).lower()`` split at
    ``SEPARATOR_CHARS``; that is what ``add`` computes here. No token metadata is kept
    (lunr.py keeps none unless ``metadata_whitelist`` is set, which we never do)."""

    def __init__(self):
        super().__init__()
        self._postings = Counter()  # term → (field, document) postings: see add_counts

    def add(self, doc, attributes=None):
        self.add_counts(str(doc[self._ref]), self.term_counts(doc), attributes)

    def term_counts(self, doc):
        """{field: {term: count}} of the lunr document *doc*: what ``add`` indexes."""
        out = {}
        for field_name in self._fields:
            value = doc[field_name]
            pieces = _SEPARATORS.split(str(value).lower()) if value is not None else ()
            # Each distinct piece folded once, in bulk; first-occurrence order, like the
            # per-token loop.
            by_piece = Counter(pieces)
            by_piece.pop("", None)
            terms = list(map(normalise_term, by_piece))
            counts = dict(zip(terms, by_piece.values()))
            if len(counts) < len(terms):  # pieces folding to one term: add them up
                several = {term for term, n in Counter(terms).items() if n > 1}
                counts.update(dict.fromkeys(several, 0))
                for term, count in zip(terms, by_piece.values()):
                    if term in several:
                        counts[term] += count
            counts.pop("", None)
            out[field_name] = counts
        return out

    def add_counts(self, doc_ref, term_counts, attributes=None):
        """Index the document *doc_ref* from its ``term_counts``.

        Only what the weights need is kept: each field's term counts and length, and per term
        the number of (field, document) postings, which is what lunr's ``idf`` counts. lunr.py's
        inverted index (term → field → ref → {}: an empty dict per posting, 2 million at 10,000
        posts) is made from them only when ``build`` asks for it (tests compare it with lunr.py's):
        adding the records was 4.4 s of a 10,000-post rebuild's index, 0.3 s offline now."""
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        postings = self._postings
        for field_name in self._fields:
            counts = term_counts[field_name]
            key = field_name + "/" + doc_ref
            self.field_term_frequencies[key] = counts
            self.field_lengths[key] = sum(counts.values())
            postings.update(counts.keys())  # one per term, counted in C

    def build(self):
        # lunr.py's inverted index, as Builder.add would have made it (terms numbered in the
        # order first met: documents in the order added, fields in their order).
        inverted = self.inverted_index
        for key, counts in self.field_term_frequencies.items():
            field_name, doc_ref = key.split("/", 1)
            for term in counts:
                posting = inverted.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    inverted[term] = posting
                posting[field_name][doc_ref] = {}
        return super().build()

    def _idf(self):
        """term → lunr's ``idf`` (the same operations, so the same float)."""
        n = self.document_count
        return {term: math.log(1 + abs((n - count + 0.5) / (count + 0.5)))
                for term, count in self._postings.items()}

    def _weights(self):
        """(field, ref, [(term, weight), …]) for every field of every document, in the order
        documents were added. The weight is lunr's BM25 weight rounded to 3 decimals, with the
        same formula in the same operation order (so the same floats) as Builder's
        _create_field_vectors."""
        if not self._documents:  # a site with pages only: lunr.py would divide by zero
            return
        self._calculate_average_field_lengths()
        k1, b = self._k1, self._b
        idf_of = self._idf()
        for key, frequencies in self.field_term_frequencies.items():
            field_name, doc_ref = key.split("/", 1)
            field_length = self.field_lengths[key]
            field_boost = self._fields[field_name].boost
            doc_boost = self._documents[doc_ref].get("boost", 1)
            average = self.average_field_length[field_name]
            weights = []
            for term, tf in frequencies.items():
                idf = idf_of[term]
                score = (
                    idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * (field_length / average)) + tf)
                )
                score *= field_boost
                score *= doc_boost
                weights.append((term, round(score, 3)))
            yield field_name, doc_ref, weights

    def _create_field_vectors(self):
        # Elements sorted once per vector instead of inserted one by one.
        inverted = self.inverted_index
        self.field_vectors = {
            field_name + "/" + doc_ref: _RoundedVector(
                [x for pair in sorted((inverted[t]["_index"], w) for t, w in weights) for x in pair])
            for field_name, doc_ref, weights in self._weights()
        }

    def term_weights(self):
        """term → {ref: weight×1000 summed over the fields}: what the browser scores with.

        lunr scores a query as the sum over fields and terms of these BM25 weights (divided by
        the query vector's length); the sum over fields is done once here, in integers, so the
        single file and the shards hold the same numbers and rank identically. The weight of
        each term is _weights' (the same floats: the same operations in the same order), with
        what is constant per field of a document computed once."""
        idf_of = self._idf()
        out = {term: {} for term in idf_of}
        if not self._documents:
            return out
        self._calculate_average_field_lengths()
        k1, b = self._k1, self._b
        k1_plus_1 = k1 + 1
        for key, frequencies in self.field_term_frequencies.items():
            if not frequencies:  # an empty field (its average length may be 0)
                continue
            field_name, doc_ref = key.split("/", 1)
            length_part = k1 * (1 - b + b * (self.field_lengths[key] / self.average_field_length[field_name]))
            field_boost = self._fields[field_name].boost
            doc_boost = self._documents[doc_ref].get("boost", 1)
            ref = int(doc_ref)
            for term, tf in frequencies.items():
                score = idf_of[term] * (k1_plus_1 * tf) / (length_part + tf)
                score *= field_boost
                score *= doc_boost
                per = out[term]
                per[ref] = per.get(ref, 0) + thousandths(score)
        return out

    def _create_token_set(self):
        # Only lunr.js queries this index, and it builds its token set when it loads it.
        self.token_set = TokenSet()


def index_builder(docs, builder_class=IndexBuilder):
    """A lunr builder holding *docs* (refs are list positions as strings)."""
    builder = builder_class()
    builder.pipeline.add(cchc_fold)
    builder.search_pipeline.add(cchc_fold)
    builder.ref("id")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    add_docs(builder, docs)
    return builder


def add_docs(builder, docs, first=0):
    """Add *docs* to *builder*, the first as ref *first* (documents are added in ref order)."""
    for ref, doc in enumerate(docs, start=first):
        builder.add(doc.fields(str(ref)))


def build_lunr(docs, builder_class=IndexBuilder):
    """The lunr.py index (serialised dict) of *docs*."""
    return index_builder(docs, builder_class).build().serialize()


def _js_order(term):
    # lunr.js compares strings by UTF-16 code units; Python by code points.
    return term.encode("utf-16-be")


def _facets(docs):
    # Localities are the units' page slugs ("phu-tho", "phu-tho/tam-duong", "huyen-tam-duong"): a
    # document is under every unit of its places (its unit then, and today's units and province).
    localities = sorted({slug for d in docs for slug in d.places})
    loc_index = {slug: i for i, slug in enumerate(localities)}
    area_codes = list(AREAS)
    return {
        "kinds": list(KINDS),
        "areas": area_codes,
        "localities": localities,
        "k": [KINDS.index(d.kind) if d.kind in KINDS else 0 for d in docs],
        "y": [d.year for d in docs],
        "d": [int(d.iso.replace("-", "")) if d.iso else 0 for d in docs],  # yyyymmdd: newest first
        "l": [[loc_index[slug] for slug in d.places] for d in docs],
        "a": [sum(1 << area_codes.index(c) for c in d.areas if c in area_codes) for d in docs],
    }


@functools.lru_cache(maxsize=1 << 18)
def _term_and_form(piece):
    return normalise_term(piece), surface_form(piece)


def _passage_terms(passages):
    """term → (first passage after the title holding it, else 0; surface forms) over a
    document's passages, tokenised like the index (lunr's separators, then normalise_term);
    document numbers give their number_tokens at the passage that cites them.

    Each distinct piece of text is folded once per document, at its first passage after the
    title (a dict built from the last passage back, in C); the terms written one way only in
    the document (most of them) are then mapped in bulk. Per token, in Python, this was the
    largest part of the index build."""
    first = {}
    for n in range(len(passages) - 1, 0, -1):
        first.update(dict.fromkeys(_SEPARATORS.split(passages[n][0].lower()), n))
    if passages:
        first = {**dict.fromkeys(_SEPARATORS.split(passages[0][0].lower()), 0), **first}
    first.pop("", None)
    pairs = list(map(_term_and_form, first))
    terms = [term for term, _form in pairs]
    out = dict(zip(terms, zip(first.values(), [(form,) for _term, form in pairs])))
    if len(out) < len(pairs):  # some term written in several ways: gather its forms
        several = {term for term, count in Counter(terms).items() if count > 1}
        out.update(dict.fromkeys(several))
        for (term, form), n in zip(pairs, first.values()):
            if term in several:
                held = out[term]
                if held is None:
                    out[term] = [n, {form}]
                else:
                    if n and (held[0] == 0 or n < held[0]):
                        held[0] = n
                    held[1].add(form)
    out.pop("", None)
    for n, (text, _anchor) in enumerate(passages):
        for number in find_doc_numbers(text) if "/" in text else ():  # both grammars need "/"
            for token in number_tokens(number):
                held = out.get(token)
                if held is None:
                    out[token] = (n, ())
                elif n and (held[0] == 0 or n < held[0]):
                    out[token] = (n, held[1])
    return out


MAX_VARIANTS = 30  # surface forms per term told apart (bits of one mask)
_first, _second = itemgetter(0), itemgetter(1)


def index_entries(docs, passages, builder=None, where=None, pairs=None):
    """Per term, in lunr.js string order: [term, [Δref, …], [weight, …], [first passage, …]]
    plus, when the text writes the term in more than one way (tone marks), [surface forms by
    frequency] and [bitmask of the forms each document uses, …]. (References and weights in
    two lists: each list alike compresses better than the two interleaved.) Per pair of
    adjacent words ("mot cua", SearchDoc.pairs): [pair, [Δref, …]], what tells a phrase from
    the same words scattered (ranking.py). *builder*, *where* (_passage_terms of each
    document's passages) and *pairs* (SearchDoc.pairs of each), when given, hold *docs*
    already."""
    builder = builder or index_builder(docs)
    weights = builder.term_weights()
    where = where if where is not None else [_passage_terms(p) for p in passages]
    pairs = pairs if pairs is not None else [d.pairs() for d in docs]
    pair_refs = {}
    for ref, held in enumerate(pairs):
        for pair in held:
            pair_refs.setdefault(pair, []).append(ref)
    none = (0, ())
    entries = []
    for term in sorted([*weights, *pair_refs], key=_js_order):
        if term in pair_refs:  # a pair holds a space, which no term does
            refs = pair_refs[term]
            entries.append([term, [ref - last for last, ref in zip([0, *refs], refs)]])
            continue
        per = weights[term]
        refs = sorted(per)
        deltas = [ref - last for last, ref in zip([0, *refs], refs)]
        hits = [where[ref].get(term, none) for ref in refs]
        entry = [term, deltas, list(map(per.__getitem__, refs)), list(map(_first, hits))]
        forms = list(map(_second, hits))
        counts = Counter(chain.from_iterable(forms))
        if counts and (len(counts) > 1 or term not in counts):
            variants = sorted(counts, key=lambda f: (-counts[f], _js_order(f)))[:MAX_VARIANTS]
            bit = {f: 1 << i for i, f in enumerate(variants)}.get
            entry += [variants, [sum(map(bit, fs, repeat(0))) for fs in forms]]
        entries.append(entry)
    return entries


def _store_entry(doc, passages):
    """What a result shows: [url, title, kind, date, iso, locality, number, facts, sections,
    lang, lead, passage 1] (sections: [first passage, anchor, heading text] of each headed
    section; the passage last, where result files put the one they carry)."""
    sections = []
    for n, (_text, anchor) in enumerate(passages):
        if anchor and (not sections or sections[-1][1] != anchor):
            sections.append([n, anchor])
    headings = {b[1]: b[0] for b in doc.blocks if b[2] and b[1]}
    # The first passage after the title comes with the entry: it is the excerpt whenever the
    # query words first occur there or only in the title (most queries), with no request more.
    return [doc.url, doc.title, doc.kind, doc.date, doc.iso, doc.locality, doc.doc_number,
            doc.facts, [[n, a, headings.get(a, "")] for n, a in sections], doc.lang, doc.lead,
            passages[1][0] if len(passages) > 1 else ""]


def _dump(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def bucket_of(term, buckets):
    """The shard holding *term*: FNV-1a (32 bits) of its UTF-16 code units, modulo the number
    of shards; search-engine.js computes the same (``bucketOf``), so the manifest needs no
    table of shard boundaries (a query's first request is smaller)."""
    h = 0x811C9DC5
    data = term.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h = ((h ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return h % buckets


def _write_passages(passages, out, chunk, put):
    """passages/<chunk>-<n>.json: passage n ≥ 2 of each document of a store chunk ("" if none)."""
    folder = out / "passages"
    folder.mkdir()
    for c, first in enumerate(range(0, len(passages), chunk)):
        texts = [[p[0] for p in ps] for ps in passages[first : first + chunk]]
        for n in range(2, max(len(t) for t in texts)):  # 0 is the title, 1 is in the store
            row = [t[n] if n < len(t) else "" for t in texts]
            put(folder / f"{c}-{n}.json", _dump(row))


def _write_results(docs, passages, out, put):
    """results/<ref>-<n>.json: a document's store entry with passage n ≥ 1 as its excerpt, so
    a result and its excerpt at the match cost one request (and one passage, not the body)."""
    folder = out / "results"
    folder.mkdir()
    for ref, (doc, ps) in enumerate(zip(docs, passages)):
        entry = _store_entry(doc, ps)
        prefix = _dump(entry[:-1])[:-1]  # the entry without its passage, JSON without "]"
        for n in range(1, max(2, len(ps))):
            text = _dump(ps[n][0] if n < len(ps) else "")
            put(folder / f"{ref}-{n}.json", f"{prefix},{text}]")


def _write_shards(entries, out, target, put):
    """shards/N.json: the term entries of bucket N (bucket_of), about *target* raw bytes each."""
    texts = [_dump(e) for e in entries]
    count = max(1, -(-sum(len(t) + 1 for t in texts) // target))
    buckets = [[] for _ in range(count)]
    for entry, text in zip(entries, texts):
        buckets[bucket_of(entry[0], count)].append(text)
    folder = out / "shards"
    folder.mkdir()
    for n, texts_n in enumerate(buckets):
        put(folder / f"{n}.json", "[" + ",".join(texts_n) + "]")
    return count


def _write_store(docs, passages, out, conf, chunk, put):
    """A sharded index's files of what results show: passage chunks and store chunks (docs/), or
    with RESULT_FILES one file per result passage; and the filter facets."""
    if conf["RESULT_FILES"]:
        _write_results(docs, passages, out, put)
    else:
        _write_passages(passages, out, chunk, put)
        (out / "docs").mkdir()
        for n, first in enumerate(range(0, len(docs), chunk)):
            rows = [_store_entry(d, p) for d, p in zip(docs[first : first + chunk], passages[first : first + chunk])]
            put(out / "docs" / f"{n}.json", _dump(rows))
    put(out / "facets.json", _dump(_facets(docs)))


class RecordCache:
    """What each record gives the index, kept between builds by the digest of the record.

    A record (SearchDoc) is plain data made from a post; what the index takes from it (its
    terms per field, its passages, the first passage of each term, its pairs of words) depends
    only on it, the passage size and the code. So a rebuild after one post was edited computes
    that for one record and takes the others' from ``<CACHE>``. *code*: the digest of the code
    and settings (cchc.core.buildkey), so a change to either starts afresh. tests/unit/
    test_search_index.py builds the index with and without the cache, after an edit, and
    compares the files.

    ``<CACHE>`` is a cchc.core.keptrows file (as cchc_pagecache's), one row per record under the
    code key: each value in marshal (Python's own format for plain data, the fastest to load;
    the code key holds the Python version). A rebuild writes only the rows it computed and
    deletes those it no longer used: the one marshal file of the whole cache it replaced cost
    1.0 s to write again after each edit at 2,000 posts (33 MB), on the path the build waits
    for. The records of the three most recent codes are kept; of the current one, those this
    build used.

    The blocks of each post's body (htmltext.blocks, most of making a record from a post) are
    kept the same way, by the digest of the body's HTML (``blocks``): a rebuild parses the
    edited body only."""

    def __init__(self, path, code):
        self.rows = KeptRows(path, f"{code}/{sys.version}")
        self.known = self.rows.all()
        self.computed = self.blocks_computed = 0

    def derived(self, doc, words, builder):
        # JSON for the key: marshal's bytes for equal data may differ with object identity (it
        # writes an object met twice as a reference), and a key must not depend on the process.
        key = hashlib.blake2b(json.dumps([[getattr(doc, f.name) for f in fields(doc)], words],
                                         ensure_ascii=False).encode("utf-8", "surrogatepass"),
                              digest_size=16).digest()
        got, made = self.rows.memo(key, lambda: _derive(doc, words, builder), self.known)
        self.computed += made
        return got

    def blocks(self, html):
        """htmltext.blocks(*html*), kept by the digest of *html* (a key one byte longer than a
        record's, so the two never meet)."""
        key = b"b" + hashlib.blake2b(html.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        got, made = self.rows.memo(key, lambda: htmltext.blocks(html), self.known)
        self.blocks_computed += made
        return got

    def save(self):
        """Store the records computed; drop this code's unused ones and older codes' records."""
        exc = self.rows.close()
        if exc is not None:
            log.info("cchc_search: the search records were not kept in %s (%s)", self.rows.path, exc)


def _derive(doc, words, builder):
    """(term counts per field, passages, first passage of each term, pairs) of *doc*."""
    cut = doc.passages(words)
    return builder.term_counts(doc.fields("")), cut, _passage_terms(cut), doc.pairs()


def write_index(docs, out_dir, conf, sharded=None, later=None, cache=None, tree=None, fork=False):
    """Write the search data for *docs* into *out_dir*; returns the manifest (a dict).

    Small sites: index.json (entries, store, facets) and passages/. Sharded sites: term
    buckets (shards/), facets.json, and store chunks (docs/) and passage chunks (passages/)
    of DOC_CHUNK_SIZE documents, or with RESULT_FILES one file per result passage
    (results/: a result and its excerpt are one small request).

    *later*: a callable giving more records, after *docs*, called once *docs* are indexed
    (the build's index child gets the document pages' records from the build process, which
    makes them meanwhile). The files are the same as for the two lists joined.

    *cache*: a RecordCache (what each record gives the index, kept between builds). *tree*: a
    cchc.core.outputtree.PreviousTree (a file the live site holds byte for byte is linked).
    *fork*: a sharded index's store files are written by a niced fork meanwhile (_write_store)."""
    out = Path(out_dir)

    def put(path, text):
        outputtree.put(path, text.encode("utf-8"), tree)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    builder, indexed, passages, where, pairs = index_builder([]), [], [], [], []

    def index(batch):
        # The kept records are millions of small containers and no cycles: the collector would
        # walk them again and again for nothing (1.5 s of loading 10,000 posts' records).
        collecting = gc.isenabled()
        gc.disable()
        try:
            _index(batch)
        finally:
            if collecting:
                gc.enable()

    def _index(batch):
        for doc in batch:
            if cache is None:
                counts, cut, terms, held = _derive(doc, conf["PASSAGE_WORDS"], builder)
            else:
                counts, cut, terms, held = cache.derived(doc, conf["PASSAGE_WORDS"], builder)
            builder.add_counts(str(len(indexed)), counts)
            passages.append(cut)
            where.append(terms)
            pairs.append(held)
            indexed.append(doc)

    index(docs)
    if later is not None:
        index(later())  # asked for only now: the build process makes them meanwhile
    docs = indexed
    if sharded is None:
        sharded = len(docs) >= conf["SHARD_THRESHOLD"]
    chunk = conf["DOC_CHUNK_SIZE"] or (128 if sharded and len(docs) < SMALL_SHARDED else 8)
    manifest = {
        "format": FORMAT_VERSION,
        "docs": len(docs),
        "mode": "sharded" if sharded else "single",
        "chunk": chunk,
    }
    if not sharded:
        entries = index_entries(docs, passages, builder, where, pairs)
        _write_passages(passages, out, chunk, put)
        manifest["file"] = "index.json"
        data = {"entries": entries, "store": [_store_entry(d, p) for d, p in zip(docs, passages)],
                "facets": _facets(docs)}
        put(out / "index.json", _dump(data))
    else:
        # What a result shows (passages, store chunks or result files, facets) needs only the
        # records: written by a niced fork while this process makes the term entries, on the core
        # the build's main process leaves once its pages are written (parallel.Forked).
        store = parallel.Forked(_write_store, docs, passages, out, conf, chunk, put, parallel=fork,
                                name="cchc_search store")
        entries = index_entries(docs, passages, builder, where, pairs)
        manifest["buckets"] = _write_shards(entries, out, conf["SHARD_TARGET_BYTES"], put)
        if conf["RESULT_FILES"]:
            manifest["results"] = True
        # The words typos are corrected to, most frequent first: fetched only for a query with
        # a word the index does not hold (the single file has them in its entries).
        vocab = ranking.vocabulary({e[0]: e for e in entries})
        put(out / "vocab.json", _dump(vocab))
        store.wait()
    put(out / "manifest.json", _dump(manifest))
    return manifest


# --- Browser runtime ------------------------------------------------------------------------

RUNTIME_SOURCES = ("fold.js", "search-engine.js")  # theme/static/js/, after the grammar


def strip_comments(source):
    """JavaScript *source* without its comment lines, indentation and blank lines.

    Only whole lines go: a line starting with "//", and a comment block starting a line with
    "/*" up to the line ending with "*/". Code lines are kept as they are, one per line (no
    change to automatic semicolon insertion), so the runtime runs exactly as the sources.
    The comments are a third of what a phone downloads for its first search."""
    out, in_block = [], False
    for line in source.splitlines():
        text = line.strip()
        if in_block:
            in_block = not text.endswith("*/")
            continue
        if text.startswith("/*") and ("*/" not in text or text.endswith("*/")):
            in_block = not text.endswith("*/") or text == "/*"
            continue
        if text and not text.startswith("//"):
            out.append(text)
    return "\n".join(out) + "\n"


def runtime_js(js_dir):
    """js/search-runtime.js: the generated number grammar, fold.js and search-engine.js of
    *js_dir*, comments stripped, in one file (one request, one compression context)."""
    parts = [js_source(), ranking.js_source()] + [(Path(js_dir) / name).read_text(encoding="utf-8")
                                                  for name in RUNTIME_SOURCES]
    return "".join(strip_comments(part) for part in parts)


# --- Pelican --------------------------------------------------------------------------------

def document_records(registry, ui=None):
    """The records of cchc_documents' document pages (its *registry*), newest first."""
    ui = ui or ui_text()
    return [doc_from_document(d, ui) for d in registry.sorted()]


def build_search_data(articles, data_dir, conf, documents_conf=None, pages=(), ui=None,
                      default_lang="vi", cache=None, documents_cache=None, tree=None, fork=False):
    """Every search file for *articles* in *data_dir*; returns (index mode, record count, years).

    The records: every published post (site order), every page (*pages*: Giới thiệu, Liên hệ,
    the English pages…), then, when *documents_conf* is given (cchc_documents' settings), the
    targets dashboard and every document page of cchc_documents' registry of the same posts,
    built here (so the index does not wait for the build's own registry; *documents_cache*: a
    function giving a cchc_documents.TextCache, called only then; *tree*, *fork*: see write_index)."""
    ui = ui or ui_text()
    blocks_of = cache.blocks if cache is not None else htmltext.blocks
    docs = [doc_from_article(a, blocks_of) for a in articles] + [doc_from_page(p, default_lang) for p in pages]
    extra = []

    def later():
        from cchc_documents import build_registry, build_targets

        extra.append(doc_from_targets(documents_conf["TARGETS_URL"], build_targets(articles), ui))
        text_cache = documents_cache() if documents_cache is not None else None
        try:
            extra.extend(document_records(build_registry(articles, documents_conf, cache=text_cache), ui))
        finally:
            if text_cache is not None:
                text_cache.close()
        return extra

    mode = write_index(docs, data_dir, conf, later=later if documents_conf is not None else None,
                       cache=cache, tree=tree, fork=fork)["mode"]
    docs += extra
    return mode, len(docs), sorted({d.year for d in docs if d.year}, reverse=True)


def build_index(articles, settings, output_path, pages=()):
    """The search files of *articles* and *pages* under *output_path*, with the site's
    settings → (index mode, record count, years)."""
    conf = settings_for(settings)
    documents_conf = None
    if "cchc_documents" in plugin_names(settings):
        from cchc_documents import settings_for as documents_settings

        documents_conf = documents_settings(settings)
    cache = None
    if conf["CACHE"]:
        code = hashlib.blake2b(digest_size=16)
        buildkey.update(code, settings)
        cache = RecordCache(conf["CACHE"], code.hexdigest())
    documents_cache = None
    if documents_conf is not None and documents_conf["CACHE"]:
        from cchc_documents import TextCache

        # What cchc_documents reads from each post's text, from its cache; this process only
        # reads it (the build's own process writes it meanwhile).
        def documents_cache():
            return TextCache(documents_conf["CACHE"], settings, keep=False)
    result = build_search_data(articles, Path(output_path) / conf["OUTPUT_DIR"], conf, documents_conf,
                               pages, ui_text(settings), settings.get("DEFAULT_LANG", "vi"), cache,
                               documents_cache, outputtree.PreviousTree.from_settings(settings, output_path),
                               parallel.enabled(settings))
    if cache is not None:
        cache.save()
        log.info("cchc_search: %d records and %d bodies' blocks computed, the others from %s",
                 cache.computed, cache.blocks_computed, conf["CACHE"])
    return result


# The one place the build uses a second core. The index is the longest single step of a build
# (about a third of its CPU at 2,000 posts) and needs only the articles as read: it starts in a
# forked child (cchc.core.parallel.Background) the moment the articles and pages are read, runs while
# Pelican builds the other contexts and writes the pages, and SearchGenerator waits for it. A
# failure in the child (an exception, or the child killed) fails the build with its message.
# Without a second core or with CCHC_PARALLEL = False it runs inline at the same point, so the
# site is the same either way (tests/site/test_parallel.py); at this point the bodies are still
# as read (cchc_documents links the document numbers in them later).
_JOB = "cchc_search_index_job"


def start_index(generator):
    """page_generator_finalized (Pelican reads the pages right after the articles): start
    building the index of the published articles and pages."""
    generator.context[_JOB] = parallel.Background(
        build_index, generator.context.get("articles", []), generator.settings, generator.output_path,
        generator.pages, parallel=parallel.enabled(generator.settings), name="cchc_search index")


class SearchGenerator(Generator):
    """Writes the search page, once the index (started when the articles were read) is built."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conf = settings_for(self.settings)

    def generate_context(self):
        self.context["CCHC_SEARCH_URL"] = self.conf["PAGE_URL"]

    def generate_output(self, writer):
        conf = self.conf
        articles = self.context.get("articles", [])
        job = self.context.pop(_JOB, None)
        if job is not None:
            mode, count, years = job.wait()
        else:  # no pages generator ran
            mode, count, years = build_index(articles, self.settings, self.output_path,
                                             self.context.get("pages", []))
        log.info("cchc_search: %d records, %s index in %s", count, mode, conf["OUTPUT_DIR"])
        out = Path(self.output_path)
        js_dir = out / self.settings.get("THEME_STATIC_DIR", "theme") / "js"
        js_dir.mkdir(parents=True, exist_ok=True)
        # The browser's number grammar, generated from cchc.core.docnum (never edited by hand),
        # with the engine: one file, comments stripped (runtime_js).
        sources = Path(self.settings["THEME"]) / "static" / "js"
        (js_dir / "search-runtime.js").write_text(runtime_js(sources), encoding="utf-8")
        # What the search page's filters offer (as doc_from_article reads it); the index holds the rest.
        writer.write_file(
            conf["PAGE_URL"] + "index.html",
            self.get_template("search"),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS"),
            output_file=conf["PAGE_URL"] + "index.html",
            search_data_url=conf["OUTPUT_DIR"] + "/manifest.json",
            search_years=years,
            search_localities=locality_options(articles),
            search_reform_date=f"{units.REFORM_2025:%d/%m/%Y}",
            # the type filter offers reports once there are some (an empty choice helps no one)
            search_kinds=tuple(k for k in KINDS if k != "bao-cao" or any(
                getattr(a, "kind", None) == "bao-cao" for a in self.context.get("articles", []))),
        )


def locality_options(articles):
    """The locality filter's choices [(slug, full name, exists today)]: today's provinces, each
    followed by its communes, that hold a post's area (a post of an old unit is under the units that
    hold its area now), then the old units posts name (their pages and old links stay valid)."""
    uids = {getattr(a, "locality_unit", None) for a in articles} - {None}
    if not uids:
        return []
    reg = units.registry()
    found = {u.uid: u for uid in uids for u in units.places(reg[uid], reg)}
    now = [u for u in found.values() if u.current]
    order = {u.uid: fold(u.short) for u in now}

    def key(u):  # a province, then its communes (as /dia-phuong/ lists them)
        return (order[u.province or u.uid], u.level, fold(u.name))

    before = sorted((reg[uid] for uid in uids if not reg[uid].current), key=lambda u: (u.level, fold(u.short)))
    return ([(units.unit_slug(u, reg), reg.full_name(u), True) for u in sorted(now, key=key)]
            + [(units.unit_slug(u, reg), reg.full_name(u), False) for u in before])


def check_order(pelican):
    """Its index starts on page_generator_finalized, after cchc_content froze the URLs (on
    article_generator_finalized)."""
    require_order(pelican.settings, "cchc_search", after=("cchc_content",))


def get_generators(_pelican):
    return SearchGenerator


def register():
    """Add the search generator (index files, the generated number grammar, /tim-kiem/); the
    index starts once the articles and pages are read."""
    signals.initialized.connect(check_order)
    signals.page_generator_finalized.connect(start_index)
    signals.get_generators.connect(get_generators)
