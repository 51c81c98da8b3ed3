"""cchc_search: a Vietnamese lunr index built in the Pelican build, sharded for large sites.

The index is built with lunr.py, whose serialised form lunr.js loads. Text goes through one
pipeline function, ``cchcFold`` (NFC, strip tone marks, đ→d, lowercase, Unicode-aware trim;
no stemmer, no stop words), registered under the same label in ``theme/static/js/fold.js``.
Document numbers (179/KH-UBND) are also indexed as one joined token (``179_kh_ubnd``) because
lunr's tokenizer splits them at "-"; the browser rewrites number-like queries the same way.

Below ``SHARD_THRESHOLD`` documents one file holds the lunr index, the document store and
the filter facets. Above it the postings are split by term range into shards listed in a
small manifest, and the document store into chunks: the browser fetches only the shards
of its query terms, rebuilds a lunr index over those terms (same term indices, same weights)
and runs lunr's own scoring on it, so the ranking is the one of the whole index.
"""

import functools
import json
import logging
import re
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lunr.builder import Builder
from lunr.idf import idf as Idf
from lunr.pipeline import Pipeline
from lunr.token_set import TokenSet
from lunr.tokenizer import SEPARATOR_CHARS
from lunr.vector import Vector
from pelican import signals
from pelican.generators import Generator

from cchc_core import AREAS, find_doc_numbers, fold, parse_doc_number, slugify
from cchc_core import parallel
from cchc_core.settings import merged_settings

log = logging.getLogger(__name__)

DEFAULTS = {
    "PAGE_URL": "tim-kiem/",
    "OUTPUT_DIR": "tim-kiem/du-lieu",  # index files, under the output directory
    "SHARD_THRESHOLD": 500,  # documents; at or above this the index is sharded (see README, Search)
    "SHARD_TARGET_BYTES": 16_000,  # raw JSON bytes per shard (about 4-5 KB brotli)
    "DOC_CHUNK_SIZE": 8,  # documents per document-store chunk (sharded mode; see README, Search)
    "SNIPPET_CHARS": 240,  # body text kept per document for snippets
    "LUNR_JS": "",  # path to lunr.min.js; default: node_modules/lunr/ of the project
}

# Field → build-time boost. Số ký hiệu most, then title; order is the index's field order.
FIELDS = (
    ("docnum", 20),
    ("title", 10),
    ("summary", 3),
    ("locality", 3),
    ("areas", 2),
    ("body", 1),
)
KINDS = ("tin-tuc", "ke-hoach")
FORMAT_VERSION = 1


class SearchError(RuntimeError):
    """The search index cannot be built (e.g. lunr.js is not installed)."""


def settings_for(settings):
    """CCHC_SEARCH overrides merged over DEFAULTS into a local copy."""
    return merged_settings(settings, "CCHC_SEARCH", DEFAULTS, "cchc_search")


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


def cchc_fold(token, i=None, tokens=None):
    """lunr pipeline function ``cchcFold``: normalise a token, drop it if nothing is left."""
    token.update(lambda s, _m=None: normalise_term(s))
    return token if str(token) else None


Pipeline.register_function(cchc_fold, "cchcFold")


def docnum_token(doc):
    """One index token for a DocNumber: ``179/KH-UBND`` → ``179_kh_ubnd``."""
    return re.sub(r"[^a-z0-9&]+", "_", doc.key).strip("_")


# --- Records --------------------------------------------------------------------------------

@dataclass
class SearchDoc:
    """What the index and the result list know about one post."""

    url: str
    title: str
    kind: str
    date: str = ""  # dd/mm/yyyy, "" when unknown
    iso: str = ""  # yyyy-mm-dd for <time datetime>
    year: int = 0  # 0 when unknown (never the 1970 sentinel)
    locality: str = ""
    areas: list = field(default_factory=list)
    doc_number: str = ""
    summary: str = ""
    body: str = ""

    def fields(self, ref):
        """The lunr document: every field as plain text."""
        numbers = find_doc_numbers(" ".join((self.title, self.summary, self.body)))
        own = parse_doc_number(self.doc_number) if self.doc_number else None
        return {
            "id": ref,
            "docnum": " ".join(filter(None, (self.doc_number, own and docnum_token(own)))),
            "title": self.title,
            "summary": self.summary,
            "locality": self.locality,
            "areas": " ".join(AREAS.get(code, code) for code in self.areas),
            # Numbers cited in the text are findable as one token too.
            "body": " ".join([self.body, *(docnum_token(d) for d in numbers)]),
        }


_SPACES = re.compile(r"\s+")


def html_to_text(html):
    """Visible text of an article body: its text nodes joined by spaces, whitespace collapsed.

    lxml's parser (C) rather than BeautifulSoup: the same text (checked over the benchmark
    corpus and in tests/test_search_index.py) in a third of the time."""
    if not html or not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    # Like BeautifulSoup's get_text: no script, style or template source, no comments.
    for element in root.iter("script", "style", "template"):
        element.clear(keep_tail=True)
    return _SPACES.sub(" ", " ".join(root.itertext())).strip()


def doc_from_article(article, body=True):
    """A SearchDoc from a Pelican article of cchc_content (without the text if not *body*)."""
    known = getattr(article, "date_status", "chac-chan") != "khong-ro"
    date = getattr(article, "date", None) if known else None
    return SearchDoc(
        url=article.url,
        title=article.title,
        kind=getattr(article, "kind", "tin-tuc"),
        date=f"{date.day:02d}/{date.month:02d}/{date.year}" if date else "",
        iso=date.date().isoformat() if date else "",
        year=date.year if date else 0,
        locality=getattr(article, "locality", "") or "",
        areas=list(getattr(article, "areas", []) or []),
        doc_number=getattr(article, "doc_number", "") or "",
        summary=getattr(article, "summary_text", "") or "",
        # The text as read: links resolved later (Pelican's {static}, cchc_documents' number
        # links) change attributes and markup, not words, and reading .content this early
        # would make Pelican resolve (and memoize) links before static files are known.
        body=html_to_text(article._content) if body else "",
    )


# --- Index ----------------------------------------------------------------------------------

# lunr.py's Tokenizer tests every character against its separator set in Python, and its
# Pipeline wraps every token in an object: at 2,000 posts that was two thirds of the build.
# IndexBuilder keeps lunr.py's Builder (fields, BM25 weights, serialisation) and does the same
# work per field in bulk; tests/test_search_index.py proves the serialised index identical to the
# one lunr.py's own Builder makes from the same documents.
_SEPARATORS = re.compile("[" + re.escape(SEPARATOR_CHARS) + "]")


class _RoundedVector(Vector):
    """A field vector whose weights are rounded already: serialise without rounding again."""

    def serialize(self):
        return list(self.elements)


class IndexBuilder(Builder):
    """lunr.py's Builder for our pipeline (only ``cchcFold``), without per-character work.

    For a string field, ``Tokenizer`` + ``Pipeline.run`` produce the non-empty
    ``normalise_term`` of each non-empty piece of ``str(value).lower()`` split at
    ``SEPARATOR_CHARS``; that is what ``add`` computes here. No token metadata is kept
    (lunr.py keeps none unless ``metadata_whitelist`` is set, which we never do)."""

    def add(self, doc, attributes=None):
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        inverted = self.inverted_index
        for field_name in self._fields:
            value = doc[field_name]
            pieces = _SEPARATORS.split(str(value).lower()) if value is not None else ()
            terms = [t for t in map(normalise_term, filter(None, pieces)) if t]
            counts = Counter(terms)  # first-occurrence order, like the per-token loop
            key = field_name + "/" + doc_ref
            self.field_term_frequencies[key] = counts
            self.field_lengths[key] = len(terms)
            for term in counts:
                posting = inverted.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    inverted[term] = posting
                posting[field_name][doc_ref] = {}

    def _weights(self):
        """(field, ref, [(term, weight), …]) for every field of every document, in the order
        documents were added. The weight is lunr's BM25 weight rounded to 3 decimals, with the
        same formula in the same operation order (so the same floats) as Builder's
        _create_field_vectors."""
        self._calculate_average_field_lengths()
        k1, b = self._k1, self._b
        idf_of = {}
        for key, frequencies in self.field_term_frequencies.items():
            field_name, doc_ref = key.split("/", 1)
            field_length = self.field_lengths[key]
            field_boost = self._fields[field_name].boost
            doc_boost = self._documents[doc_ref].get("boost", 1)
            average = self.average_field_length[field_name]
            weights = []
            for term, tf in frequencies.items():
                idf = idf_of.get(term)
                if idf is None:
                    idf = idf_of[term] = Idf(self.inverted_index[term], self.document_count)
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

    def shard_entries(self):
        """Per term, in lunr.js order: [term, term index, per field [Δref, weight×1000, …]].

        What the browser needs of the index when it is sharded, straight from the postings:
        no lunr Index, field vectors or serialisation in between (tests/test_search_index.py
        checks it against the serialised index of lunr.py's own Builder)."""
        columns = {name: n for n, name in enumerate(self._fields)}
        postings = {term: [[] for _ in columns] for term in self.inverted_index}
        last_refs = [{} for _ in columns]  # per field, term → previous ref (refs ascend)
        for field_name, doc_ref, weights in self._weights():
            column = columns[field_name]
            last = last_refs[column]
            ref = int(doc_ref)
            for term, weight in weights:
                postings[term][column] += (ref - last.get(term, 0), round(weight * 1000))
                last[term] = ref
        return [[term, self.inverted_index[term]["_index"], *postings[term]]
                for term in sorted(postings, key=_js_order)]

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
    for ref, doc in enumerate(docs):
        builder.add(doc.fields(str(ref)))
    return builder


def build_lunr(docs, builder_class=IndexBuilder):
    """The lunr.py index (serialised dict) of *docs*."""
    return index_builder(docs, builder_class).build().serialize()


def _js_order(term):
    # lunr.js compares strings by UTF-16 code units; Python by code points.
    return term.encode("utf-16-be")


def _facets(docs):
    localities = sorted({d.locality for d in docs if d.locality}, key=fold)
    loc_index = {name: i for i, name in enumerate(localities)}
    area_codes = list(AREAS)
    return {
        "kinds": list(KINDS),
        "areas": area_codes,
        "localities": [[slugify(name), name] for name in localities],
        "k": [KINDS.index(d.kind) if d.kind in KINDS else 0 for d in docs],
        "y": [d.year for d in docs],
        "l": [loc_index.get(d.locality, -1) for d in docs],
        "a": [sum(1 << area_codes.index(c) for c in d.areas if c in area_codes) for d in docs],
    }


def _store_entry(doc, conf):
    body = doc.body[: conf["SNIPPET_CHARS"]]
    return [doc.url, doc.title, doc.kind, doc.date, doc.iso, doc.locality, doc.doc_number,
            doc.summary, body]


def _dump(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_index(docs, out_dir, conf, sharded=None):
    """Write the search data for *docs* into *out_dir*; returns the manifest (a dict)."""
    out = Path(out_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    builder = index_builder(docs)
    if sharded is None:
        sharded = len(docs) >= conf["SHARD_THRESHOLD"]
    manifest = {
        "format": FORMAT_VERSION,
        "docs": len(docs),
        "fields": list(builder._fields),
        "pipeline": builder.search_pipeline.serialize(),
        "mode": "sharded" if sharded else "single",
    }
    if not sharded:
        manifest["file"] = "index.json"
        data = {"index": builder.build().serialize(), "store": [_store_entry(d, conf) for d in docs],
                "facets": _facets(docs)}
        (out / "index.json").write_text(_dump(data), encoding="utf-8")
    else:
        (out / "shards").mkdir()
        (out / "docs").mkdir()
        starts, shard, size = [], [], 0
        for entry in builder.shard_entries():
            text = _dump(entry)
            if shard and size + len(text) > conf["SHARD_TARGET_BYTES"]:
                starts.append(shard[0][0])
                (out / "shards" / f"{len(starts) - 1}.json").write_text(_dump(shard), encoding="utf-8")
                shard, size = [], 0
            shard.append(entry)
            size += len(text) + 1
        if shard:
            starts.append(shard[0][0])
            (out / "shards" / f"{len(starts) - 1}.json").write_text(_dump(shard), encoding="utf-8")
        chunk = conf["DOC_CHUNK_SIZE"]
        for n, first in enumerate(range(0, len(docs), chunk)):
            entries = [_store_entry(d, conf) for d in docs[first : first + chunk]]
            (out / "docs" / f"{n}.json").write_text(_dump(entries), encoding="utf-8")
        (out / "facets.json").write_text(_dump(_facets(docs)), encoding="utf-8")
        manifest.update(shards=starts, chunk=chunk)
    (out / "manifest.json").write_text(_dump(manifest), encoding="utf-8")
    return manifest


def find_lunr_js(settings, conf):
    """lunr.min.js from the pinned npm package (node_modules/), never a committed copy."""
    candidates = [conf["LUNR_JS"]] if conf["LUNR_JS"] else []
    for root in (Path.cwd(), Path(settings.get("PATH", ".")).resolve().parent,
                 Path(__file__).resolve().parents[2]):
        candidates.append(root / "node_modules" / "lunr" / "lunr.min.js")
    for path in candidates:
        if path and Path(path).is_file():
            return Path(path)
    raise SearchError("lunr.min.js not found in node_modules/lunr/; run `make node` (npm ci)")


# --- Pelican --------------------------------------------------------------------------------

def build_search_data(articles, data_dir, conf):
    """Every search file for *articles* in *data_dir*; returns the index mode."""
    docs = [doc_from_article(a) for a in articles]
    return write_index(docs, data_dir, conf)["mode"]


class SearchGenerator(Generator):
    """Builds the index from the published articles and writes the search page."""

    current = None  # this build's instance, for the signal that starts the index

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conf = settings_for(self.settings)
        self.job = None
        SearchGenerator.current = self

    def generate_context(self):
        self.context["CCHC_SEARCH_URL"] = self.conf["PAGE_URL"]

    def start_index(self, articles):
        # The index needs nothing the other generators make: it is built in a child process
        # (cchc_core.parallel) from the moment the articles are read, while this process
        # links documents and writes pages.
        data_dir = Path(self.output_path) / self.conf["OUTPUT_DIR"]
        self.job = parallel.Background(build_search_data, articles, data_dir, self.conf,
                                       parallel=parallel.enabled(self.settings),
                                       name="cchc_search index")

    def generate_output(self, writer):
        conf = self.conf
        articles = self.context.get("articles", [])
        if self.job is None:  # Pelican sends article_generator_finalized; a caller may not
            self.start_index(articles)
        # What the search page's filters offer; the index holds the rest.
        docs = [doc_from_article(a, body=False) for a in articles]
        try:
            mode = self.job.wait()
        except parallel.ChildError as exc:
            raise SearchError(f"building the search index failed:\n{exc}") from None
        log.info("cchc_search: %d documents, %s index in %s", len(docs), mode, conf["OUTPUT_DIR"])
        try:
            lunr_js = find_lunr_js(self.settings, conf)
        except SearchError as exc:
            log.error("cchc_search: %s", exc)
            return
        out = Path(self.output_path)
        js_dir = out / self.settings.get("THEME_STATIC_DIR", "theme") / "js"
        js_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(lunr_js, js_dir / "lunr.min.js")
        years = sorted({d.year for d in docs if d.year}, reverse=True)
        localities = sorted({d.locality for d in docs if d.locality}, key=fold)
        writer.write_file(
            conf["PAGE_URL"] + "index.html",
            self.get_template("search"),
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS"),
            output_file=conf["PAGE_URL"] + "index.html",
            search_data_url=conf["OUTPUT_DIR"] + "/manifest.json",
            search_years=years,
            search_localities=[(slugify(name), name) for name in localities],
            search_kinds=KINDS,
            search_doc_count=len(articles),
        )


def get_generators(_pelican):
    return SearchGenerator


def start_index(articles_generator):
    """Once the articles are read, sorted and filtered: start building their index."""
    generator = SearchGenerator.current
    if generator is not None and generator.job is None:
        generator.start_index(articles_generator.articles)


def register():
    """Add the search generator (index files, lunr.js copy and the /tim-kiem/ page)."""
    signals.get_generators.connect(get_generators)
    signals.article_generator_finalized.connect(start_index)
