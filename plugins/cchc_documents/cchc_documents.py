"""cchc_documents: legal documents as linked data.

Every document number (số ký hiệu) met in front matter or in a body gets a page under
/van-ban/<slug>/ with what the portal knows about it: a plan record on the portal fills the
page in, otherwise it shows what the citations say and marks the rest unknown. Plans cite
their legal bases (Căn cứ); the inverse (Được triển khai bởi) is computed here, so chains
grow in both directions as records are added. Numbers in bodies become links (the first
mention, never inside headings, links or code). /chi-tieu/ compares the numeric targets of
every plan record, with a build-time SVG chart beside a table.
"""

import datetime as dt
import hashlib
import logging
import math
import sys
from collections import OrderedDict
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bs4 import BeautifulSoup, NavigableString
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter
from markupsafe import escape
from pelican import signals
from pelican.generators import Generator

from cchc.core import (
    aliases,
    buildkey,
    doc_type_of,
    find_doc_number_spans,
    fold,
    htmltext,
    indexresults,
    indicators,
    parse_doc_number,
    sanitize,
    validity,
)
from cchc.core.changes import last_modified
from cchc.core.dates import build_now, is_unknown
from cchc.core.docnum import DocNumber
from cchc.core.keptrows import KeptRows
from cchc.core.numbers import quantity, target_text
from cchc.core.results import target_status
from cchc.core.schema import DOC_TYPES, ContentError, check_attachment, content_files, read_document
from cchc.core.settings import merged_settings
from cchc.core.sitepaths import DEFAULT_URLS, RECORDS_DIR
from cchc.core.siteurl import absolute_url

log = logging.getLogger(__name__)

DEFAULTS = {
    "DOCUMENT_URL": DEFAULT_URLS["document"],
    "DOCUMENTS_URL": DEFAULT_URLS["documents"],
    "DOCUMENTS_BY_DATE_URL": DEFAULT_URLS["documents_by_date"],
    "TARGETS_URL": DEFAULT_URLS["targets"],
    "LINK_BODIES": True,
    "EXCERPT_CHARS": 240,
    "RECORDS_PATH": RECORDS_DIR,  # under PATH: one Markdown record per document that is not a local plan
    # What the registry reads from each post's text, kept between builds (TextCache); "": none.
    "CACHE": "",
}

# HTML5 output that escapes only &, < and > (Vietnamese letters stay letters, not &Dstrok;).
_HTML5 = HTMLFormatter(entity_substitution=EntitySubstitution.substitute_xml,
                       void_element_close_prefix=None, empty_attributes_are_booleans=True)
# Text inside these is never turned into a link (nested links are invalid; headings and code
# stay as written).
_NO_LINK = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "script",
            "style", "svg", "button", "label", "title"}


def settings_for(settings):
    """CCHC_DOCUMENTS overrides merged over DEFAULTS into a local copy."""
    return merged_settings(settings, "CCHC_DOCUMENTS", DEFAULTS, "cchc_documents")


def site_paths(settings):
    """Where this plugin writes (cchc.core.sitepaths: an old path may not take these over)."""
    conf = settings_for(settings)
    return [conf[k] for k in ("DOCUMENT_URL", "DOCUMENTS_URL", "DOCUMENTS_BY_DATE_URL", "TARGETS_URL")]


@dataclass
class Citation:
    """What one post says about a document: as a legal basis (structured) or a mention in text."""

    article: object
    as_basis: bool
    doc_type: str | None = None
    issuer: str | None = None
    date: dt.datetime | None = None
    title: str | None = None
    excerpt: str | None = None


@dataclass
class DocumentRecord:
    """A document described in content/van-ban/ (type: van-ban): its checked front matter and notes."""

    path: str
    meta: dict
    content: str = ""  # the body (notes) as sanitised HTML

    def __getattr__(self, name):  # templates read fields as attributes, like an article's
        try:
            return self.__dict__["meta"][name]
        except KeyError:
            raise AttributeError(name) from None


def read_records(settings, conf):
    """Every document record under PATH/RECORDS_PATH → [DocumentRecord]; ContentError when one
    is wrong (`make check` names the same problems, with file and line)."""
    import os

    from markdown import Markdown

    root = os.path.join(settings["PATH"], conf["RECORDS_PATH"])
    if not os.path.isdir(root):
        return []
    md = Markdown(**{k: v for k, v in settings["MARKDOWN"].items() if k != "extensions"},
                  extensions=list(settings["MARKDOWN"].get("extensions", [])))
    records, problems = [], []
    for source in content_files(root):
        rel = os.path.relpath(source, os.getcwd())
        try:
            doc = read_document(rel, source.read_text(encoding="utf-8"))
        except ContentError as exc:
            problems += exc.problems
            continue
        if doc.meta["type"] != "van-ban":
            continue  # another kind of post in the folder: its own checks say so
        problem = check_attachment(doc, settings["PATH"])
        if problem:
            problems.append(problem)
        md.reset()
        records.append(DocumentRecord(rel, aliases.resolved(doc.meta), sanitize.clean(md.convert(doc.body))))
    if problems:
        raise ContentError(problems)
    return records


@dataclass
class LegalDocument:
    """One document number and everything the portal's posts say about it."""

    number: object  # cchc.core.DocNumber
    url: str
    record: object = None  # the plan record whose doc_number this is
    entry: object = None  # the DocumentRecord (content/van-ban/) describing it
    inverse: list = field(default_factory=list)  # (code, LegalDocument, Relation) written on others
    today: object = None  # the build's day, for status
    citations: list = field(default_factory=list)
    bases: list = field(default_factory=list)  # LegalDocument, from the record's legal_bases
    unnumbered_bases: list = field(default_factory=list)  # legal_bases given only as reference
    implemented_by: list = field(default_factory=list)  # plan articles citing it as a basis
    mentioned_in: list = field(default_factory=list)  # (article, excerpt) for posts naming it
    _facts: dict = field(default_factory=dict, repr=False, compare=False)  # fact()'s

    @property
    def slug(self):
        return self.number.slug

    @property
    def text(self):
        return self.number.text

    @property
    def save_as(self):
        return self.url + "index.html"

    @property
    def page_name(self):
        return self.url.rstrip("/")

    @property
    def known_from(self):
        """"record" when a plan record describes it, "document-record" for a record in
        content/van-ban/, else "citations"."""
        if self.record is not None:
            return "record"
        return "document-record" if self.entry is not None else "citations"

    @property
    def described_by(self):
        """The plan article or the DocumentRecord describing this document, or None."""
        return self.record if self.record is not None else self.entry

    def meta(self, name):
        """A front-matter field of the describing record (None without one)."""
        own = self.described_by
        return getattr(own, name, None) if own is not None else None

    @property
    def relations(self):
        """Relations written on this document's record, each with the other LegalDocument
        (set by build_registry)."""
        return getattr(self, "_relations", [])

    @property
    def status(self):
        """cchc.core.validity.Status of this document on the build's day."""
        own = self.described_by
        meta = {} if own is None else {k: getattr(own, k, None) for k in (*validity.RELATIONS, "validity")}
        return validity.status(meta, self.today or dt.date.today())

    @property
    def updated(self):
        """When this page's facts last changed: the record's ``changes``/``modified``, else its date
        (a plan) or the day its facts were checked; without a record, the newest citing post."""
        own = self.described_by
        if own is not None:
            return last_modified(own) or getattr(own, "date", None) or self.checked
        dates = [last_modified(c.article) or c.article.date for c in self.citations
                 if not is_unknown(c.article.date)]
        return max(dates) if dates else None

    @property
    def effective_date(self):
        return self.meta("effective_date")

    @property
    def checked(self):
        return self.meta("checked")

    @property
    def official_url(self):
        # source_url, the deprecated name, is read as official_url by the reader (a plan) and by
        # read_records (a record): cchc.core.aliases
        return self.meta("official_url")

    @property
    def attachment(self):
        return self.meta("attachment")

    def fact(self, name):
        """(value, source) for doc_type/issuer/issue_date/title; source is record|citation|symbol|None.

        Kept until the record or the citations change: pages, lists, sorting and the search
        records ask for the same facts many times, and a decree cited by most posts has a
        citation list as long as the site."""
        stamp = (id(self.record), id(self.entry), len(self.citations))
        held = self._facts.get(name)
        if held is None or held[0] != stamp:
            held = self._facts[name] = (stamp, self._fact(name))
        return held[1]

    def _fact(self, name):
        if self.record is not None:
            value = {"doc_type": getattr(self.record, "doc_type", None),
                     "issuer": getattr(self.record, "issuer", None),
                     "issue_date": getattr(self.record, "issue_date", None),
                     "title": self.record.title}[name]
            if value:
                return value, "record"
        if self.entry is not None:
            value = self.entry.meta.get(name)
            if value:
                return value, "record"
        attr = "date" if name == "issue_date" else name
        for cit in self.citations:
            value = getattr(cit, attr)
            if value:
                return value, "citation"
        if name == "doc_type" and doc_type_of(self.number):
            return doc_type_of(self.number), "symbol"
        return None, None

    @property
    def doc_type(self):
        return self.fact("doc_type")[0]

    @property
    def issuer(self):
        return self.fact("issuer")[0]

    @property
    def issue_date(self):
        return self.fact("issue_date")[0]

    @property
    def title(self):
        return self.fact("title")[0]

    @property
    def history_note(self):
        return getattr(self.record, "history_note", None) if self.record is not None else None

    @property
    def basis_citations(self):
        return [c for c in self.citations if c.as_basis]

    def sort_key(self):
        """Newest issue date first, undated last, then by number."""
        date = self.issue_date
        return (0, -date.timestamp(), self.number.key) if date else (1, 0, self.number.key)


class Registry:
    """Every document met in the published posts, keyed by DocNumber.key."""

    def __init__(self, conf):
        self.conf = conf
        self.docs = {}
        self.cited_by = {}  # id(article) → documents it mentions or cites as a basis

    def get(self, doc_number):
        doc = self.docs.get(doc_number.key)
        if doc is None:
            url = self.conf["DOCUMENT_URL"].format(slug=doc_number.slug)
            doc = self.docs[doc_number.key] = LegalDocument(number=doc_number, url=url)
        return doc

    def lookup(self, text):
        parsed = parse_doc_number(text) if text else None
        return self.docs.get(parsed.key) if parsed else None

    def sorted(self):
        return sorted(self.docs.values(), key=LegalDocument.sort_key)

    def by_type(self):
        """[(doc_type or "", [docs])], in the schema's order of types, each newest first."""
        groups = {}
        for doc in self.sorted():
            groups.setdefault(doc.doc_type or "", []).append(doc)
        order = list(DOC_TYPES) + sorted(t for t in groups if t not in DOC_TYPES and t) + [""]
        return [(t, groups[t]) for t in order if t in groups]


def body_text(art, cache=None):
    """An article's body as plain text, computed once (the links added later do not change it);
    from *cache* (a TextCache) when it holds it."""
    text = getattr(art, "cchc_body_text", None)
    if text is None:
        text = art.cchc_body_text = (cache.lines if cache is not None else htmltext.lines)(art._content)
    return text


def mentions(texts, size):
    """[(DocNumber, excerpt)]: the first mention of each number in *texts*, in order, with the
    sentence around it (at most *size* characters)."""
    found, seen = [], set()
    for text in texts:
        for start, end, number in find_doc_number_spans(text):
            if number.key not in seen:
                seen.add(number.key)
                found.append((number, _excerpt(text, start, end, size)))
    return found


class TextCache:
    """What the registry reads from each post's text, kept between builds by the text's digest.

    Each build took the plain text of every post body (htmltext.lines) and scanned it, the
    summary and the source for document numbers: 1.0 s of a rebuild after one edit at 2,000
    posts, and as much again in cchc_search's index child, which builds the registry too. Both
    depend on the text alone (and the code): in a cchc.core.keptrows file (``CACHE``) under the
    code key (cchc.core.buildkey), a rebuild computes them for the edited post only.
    tests/site/test_page_cache.py compares a rebuild from the caches with a cold build after
    edits of each kind.

    *keep*: false for a reader that must not write the file (the index child, while this build's
    process may write it): what it computes stays in the process."""

    def __init__(self, path, settings, keep=True):
        code = hashlib.blake2b(digest_size=16)
        buildkey.update(code, settings)
        self.rows = KeptRows(path, f"{code.hexdigest()}/{sys.version}")  # marshal: Python's own format
        self.keep = keep
        self.computed = 0

    @staticmethod
    def _key(kind, *texts):
        digest = hashlib.blake2b(digest_size=16)
        for text in texts:
            digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
        return kind + digest.digest()

    def _kept(self, key, compute):
        value, made = self.rows.memo(key, compute)
        self.computed += made
        return value

    def lines(self, html):
        """htmltext.lines(*html*)."""
        return self._kept(self._key(b"l", html), lambda: htmltext.lines(html))

    def mentions(self, texts, size):
        """mentions(*texts*, *size*)."""
        def compute():
            return [(tuple(getattr(n, f) for f in _DOCNUMBER_FIELDS), excerpt) for n, excerpt in mentions(texts, size)]

        kept = self._kept(self._key(b"m", str(size), *texts), compute)
        return [(DocNumber(*fields), excerpt) for fields, excerpt in kept]

    def link_spans(self, html, registry, siteurl):
        """link_spans(*html*, *registry*, *siteurl*): they depend on the registry's addresses only."""
        addresses = getattr(registry, "_addresses", None)
        if addresses is None:  # once a build: every document's key and address
            addresses = self._key(b"", *[f"{k}\0{d.url}" for k, d in sorted(registry.docs.items())])
            registry._addresses = addresses
        key = self._key(b"k", html, siteurl, addresses.hex())
        return self._kept(key, lambda: link_spans(html, registry, siteurl))

    def close(self):
        if not self.keep:
            self.rows.generation = None  # KeptRows.close then writes nothing
        exc = self.rows.close()
        if exc is not None:
            log.warning("cchc_documents: không lưu được %s (%s); trang web vẫn đúng, lần sau chỉ xây dựng "
                        "lâu hơn", self.rows.path, exc)


_DOCNUMBER_FIELDS = ("number", "symbol", "year", "party")


def _excerpt(text, start, end, size):
    """The sentence around text[start:end], at most *size* characters, with ellipses."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("; ", 0, start))
    left = 0 if left < 0 else left + 1
    left = max(left, start - size // 2)
    stops = [i for i in (text.find(". ", end), text.find("\n", end), text.find("; ", end)) if i >= 0]
    right = min(stops) + 1 if stops else len(text)
    right = min(right, end + size // 2)
    if left > 0 and text[left - 1].isalnum():  # cut at a word boundary, never mid-word
        left = text.find(" ", left, start) + 1 or left
    if right < len(text) and text[right].isalnum():
        right = max(text.rfind(" ", end, right), end)
    piece = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + piece + ("…" if right < len(text.rstrip()) else "")


def build_registry(articles, conf, records=(), today=None, cache=None):
    """Collect documents from plan records, document records (content/van-ban/), legal bases,
    every mention in published posts and the relations between them (*cache*: a TextCache)."""
    registry = Registry(conf)
    for rec in records:
        registry.get(parse_doc_number(rec.meta["doc_number"])).entry = rec
    articles = sorted(articles, key=lambda a: a.source_path_rel)
    for art in articles:  # plan records first, so a record always wins
        number = parse_doc_number(getattr(art, "doc_number", None) or "")
        if number is not None and getattr(art, "kind", "") == "ke-hoach":
            doc = registry.get(number)
            if doc.record is None:  # a second record of one number: refuse_second_records said so
                doc.record = art
    for art in articles:
        own = registry.lookup(getattr(art, "doc_number", None)) if art.kind == "ke-hoach" else None
        for basis in getattr(art, "legal_bases", None) or []:
            if not basis.get("number"):
                if own is not None and own.record is art:
                    own.unnumbered_bases.append(basis)
                continue
            doc = registry.get(parse_doc_number(basis["number"]))
            doc.citations.append(Citation(art, True, basis.get("doc_type"), basis.get("issuer"),
                                          basis.get("date"), basis.get("title")))
            if art not in doc.implemented_by:
                doc.implemented_by.append(art)
                registry.cited_by.setdefault(id(art), []).append(doc)
            if own is not None and own.record is art and doc not in own.bases:
                own.bases.append(doc)
        texts = [getattr(art, "summary_text", "") or "", getattr(art, "source_ref", "") or "", body_text(art, cache)]
        size = conf["EXCERPT_CHARS"]
        for number, excerpt in cache.mentions(texts, size) if cache is not None else mentions(texts, size):
            doc = registry.get(number)
            if doc.record is art or art in doc.implemented_by:
                continue
            doc.citations.append(Citation(art, False, excerpt=excerpt))
            doc.mentioned_in.append((art, excerpt))
            registry.cited_by.setdefault(id(art), []).append(doc)
    for doc in list(registry.docs.values()):
        own = doc.described_by
        meta = {k: getattr(own, k, None) for k in validity.RELATIONS} if own is not None else {}
        doc._relations = [(rel, registry.get(rel.number)) for rel in validity.relations(meta)]
        for rel, other in doc._relations:
            other.inverse.append((validity.RELATIONS[rel.kind], doc, rel))
    for doc in registry.docs.values():
        doc.today = today
        doc.inverse.sort(key=lambda item: (item[2].date, item[1].number.key))
        # Structured citations first: they carry type, issuer, date and title.
        doc.citations.sort(key=lambda c: (not c.as_basis, c.article.source_path_rel))
        doc._facts.clear()
    return registry


def refuse_second_records(articles, records, content_dir):
    """Stop the build when two records describe one document number (two plans, two document
    records, a plan and a document record): the page would silently take one of them. The
    message is `cchc check`'s (schema.record_clashes: on the newer file, naming the other)."""
    paths = {}
    for art in articles:
        number = parse_doc_number(getattr(art, "doc_number", None) or "")
        if number is not None and getattr(art, "kind", "") == "ke-hoach":
            paths.setdefault(number.key, []).append((art.source_path_rel, art.source_path))
    for rec in records:
        number = parse_doc_number(rec.meta["doc_number"])
        paths.setdefault(number.key, []).append((rec.path, rec.path))
    clashing = [pair for found in paths.values() if len(found) > 1 for pair in found]
    if not clashing:
        return
    from cchc.core.files import read_source
    from cchc.core.schema import record_clashes

    docs = []
    for rel, source in clashing:
        try:
            docs.append(read_document(rel, read_source(content_dir, source)))
        except (OSError, ValueError):
            continue
    problems = record_clashes(docs)
    for problem in problems:
        log.error("cchc_documents: %s", problem)
    if problems:
        raise ContentError(problems)


def refuse_shared_pages(registry, articles, content_dir):
    """Stop the build when two numbers written differently would share a page ("16-NQ/TU" and
    "16/NQ-TU" are both /van-ban/16-nq-tu/: Pelican would refuse to write the second page with a
    FileOverwriteFailedError). `cchc check` reports the same with file and line
    (schema.number_clashes); this is the build's own check, for what it finds in the converted
    text (a number the Markdown split in two in the source, or a build without the check)."""
    by_slug = {}
    for doc in registry.docs.values():
        by_slug.setdefault(doc.slug, []).append(doc)
    shared = {slug: docs for slug, docs in by_slug.items() if len(docs) > 1}
    if not shared:
        return
    from cchc.core.files import read_source
    from cchc.core.schema import ContentError, Problem, number_clashes, number_places, read_document

    places = []
    for art in sorted(articles, key=lambda a: a.source_path_rel):
        try:
            doc = read_document(art.source_path_rel, read_source(content_dir, art.source_path))
        except (OSError, ValueError):
            continue
        places += [(doc.path, line, number) for number, line in number_places(doc) if number.slug in shared]
    problems = number_clashes(places)
    if not problems:  # met only in the converted text: name the numbers and the posts citing them
        for slug, docs in shared.items():
            names = " và ".join(f"“{d.text}”" for d in docs)
            posts = sorted({c.article.source_path_rel for d in docs for c in d.citations} |
                           {d.record.source_path_rel for d in docs if d.record is not None})
            problems.append(Problem(posts[0] if posts else slug, None, None, (
                f"số ký hiệu {names} viết khác nhau nhưng sẽ có cùng một trang văn bản /van-ban/{slug}/ "
                f"(trong {', '.join(posts)}): viết số ký hiệu giống nhau ở mọi nơi, hoặc sửa số viết sai")))
    for problem in problems:
        log.error("cchc_documents: %s", problem)
    raise ContentError(problems)


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}  # elements without an end tag


class _TextSpans(HTMLParser):
    """Where the linkable text of an HTML fragment is: (offset, text) of every text run that
    is not inside a _NO_LINK element, nor script, style or template source.

    Offsets index the source string, so links can be inserted without rewriting the rest of
    the post. ``exact`` is False when some run is not the source's text as is (it held a
    character reference such as ``&amp;``): the caller then parses the post instead.
    (HTMLParser is the tokenizer BeautifulSoup's html.parser builder uses; building and
    re-serialising a tree for every post was most of the documents step.)"""

    _SKIP = _NO_LINK | {"template"}

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0]
        for line in html.split("\n")[:-1]:
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)
        self.open = []  # names of the open elements
        self.skipping = 0  # how many of them are in _SKIP
        self.runs = []
        self.exact = True
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            self.open.append(tag)
            self.skipping += tag in self._SKIP

    def handle_endtag(self, tag):
        if tag in self.open:  # close it and whatever was left open inside it
            while self.open:
                name = self.open.pop()
                self.skipping -= name in self._SKIP
                if name == tag:
                    break

    def handle_data(self, data):
        if self.skipping:
            return
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        if self.html.startswith(data, start):
            self.runs.append((start, data))
        else:
            self.exact = False


def link_numbers(html, registry, siteurl, cache=None):
    """Link the first mention of each known number in *html*; None when nothing changed
    (*cache*: a TextCache, which keeps where the links go).

    The links are inserted into the source text; the rest of the post stays as written."""
    spans = cache.link_spans(html, registry, siteurl) if cache is not None else link_spans(html, registry, siteurl)
    if spans is None or isinstance(spans, str):
        return spans
    pieces, pos = [], 0
    for start, end, href in spans:
        pieces += [html[pos:start], f'<a href="{href}" class="c-doclink">', html[start:end], "</a>"]
        pos = end
    return "".join(pieces) + html[pos:]


def link_spans(html, registry, siteurl):
    """Where link_numbers puts links into *html*: [(start, end, escaped href)], or the linked
    HTML itself when the post had to be parsed (it holds character references), or None."""
    if not any(n.key in registry.docs for _s, _e, n in find_doc_number_spans(html)):
        return None  # cheap test on the raw HTML before parsing it
    found = _TextSpans(html)
    if not found.exact:
        return _link_numbers_parsed(html, registry, siteurl)
    done, spans = set(), []
    for start, text in found.runs:
        for s, e, number in find_doc_number_spans(text):
            if number.key in done or number.key not in registry.docs:
                continue
            done.add(number.key)
            spans.append((start + s, start + e, str(escape(f"{siteurl}/{registry.docs[number.key].url}"))))
    return spans or None


def _link_numbers_parsed(html, registry, siteurl):
    """link_numbers for a post whose text holds character references: parsed and rewritten."""
    soup = BeautifulSoup(html, "html.parser")
    done = set()
    changed = False
    for node in list(soup.find_all(string=True)):
        if not isinstance(node, NavigableString) or type(node) is not NavigableString:
            continue  # comments, CDATA, doctype
        if any(parent.name in _NO_LINK for parent in node.parents):
            continue
        text = str(node)
        spans = [(s, e, n) for s, e, n in find_doc_number_spans(text)
                 if n.key not in done and n.key in registry.docs]
        if not spans:
            continue
        pieces, pos = [], 0
        for start, end, number in spans:
            if number.key in done:
                continue
            done.add(number.key)
            pieces.append(text[pos:start])
            link = soup.new_tag("a", href=f"{siteurl}/{registry.docs[number.key].url}")
            link["class"] = "c-doclink"
            link.string = text[start:end]
            pieces.append(link)
            pos = end
        pieces.append(text[pos:])
        for piece in pieces:
            if isinstance(piece, str):
                if piece:
                    node.insert_before(NavigableString(piece))
            else:
                node.insert_before(piece)
        node.extract()
        changed = True
    return soup.decode(formatter=_HTML5) if changed else None


def _set_content(art, html):
    art._content = html
    cache = getattr(art.get_content, "cache", {})
    for key in [k for k in cache if k and k[0] is art]:
        del cache[key]


# Targets dashboard -----------------------------------------------------------------------

@dataclass
class ResultRow:
    """One result of one report (``results:`` entry)."""

    report: object
    result: dict

    @property
    def as_of(self):
        return self.result["as_of"]


@dataclass
class Progress:
    """A plan's target against the results reported for its indicator and unit."""

    target: dict
    indicator: object
    status: str           # cchc.core.results.STATUSES
    result: object        # the ResultRow the status was decided by, or None
    results: list         # every ResultRow for this indicator and unit, newest first


def unit_key(art):
    """The administrative unit a post is about: the unit its locality resolved to, else the
    locality's wording without tone marks. A result belongs to a target of the same unit."""
    return getattr(art, "locality_unit", None) or " ".join(fold(getattr(art, "locality", "") or "").split())


@dataclass
class IndexSource:
    """A published index (PAR Index, SIPAS) of one year standing where a report would: what a
    result cell links to (the index table on /chi-tieu/)."""

    title: str
    url: str
    date: object
    doc_number: str = ""
    locality: str = ""


def index_rows(index_results, targets_url):
    """content/chi-so/ values (cchc.core.indexresults) as ResultRows keyed like reports' results."""
    out = []
    for code, res, value, as_of in indexresults.as_results(index_results):
        anchor = f"chi-so-{res.index}-{res.year}"
        source = IndexSource(f"{indexresults.INDEXES[res.index]} {res.year}", f"{targets_url}#{anchor}",
                             dt.datetime(res.year, 12, 31), locality=res.locality)
        unit = indicators.BY_CODE[code].unit
        out.append(((code, res.unit or " ".join(fold(res.locality).split())), ResultRow(source, {
            "indicator": code, "value": value, "unit": unit, "as_of": as_of, "as_of_label": f"năm {res.year}",
            "quote": res.quote, "evidence": res.source})))
    return out


def attach_progress(articles, today, extra=()):
    """Each plan's ``target_progress`` (one Progress per target, in order) and ``report_objs``
    newest first; each report's ``result_rows``. The status rule is cchc.core.results'.
    *extra*: ((indicator, unit key), ResultRow) from elsewhere (index results)."""
    found = {}
    for key, row in extra:
        found.setdefault(key, []).append(row)
    reports = [a for a in articles if getattr(a, "kind", "") == "bao-cao"]
    for rep in reports:
        rep.result_rows = [ResultRow(rep, r) for r in getattr(rep, "results", None) or []]
        for row in rep.result_rows:
            found.setdefault((row.result["indicator"], unit_key(rep)), []).append(row)
    for rows in found.values():
        rows.sort(key=lambda r: (r.as_of, r.report.date.replace(tzinfo=None)), reverse=True)
    for art in articles:
        if getattr(art, "kind", "") != "ke-hoach":
            continue
        progress = []
        for target in getattr(art, "targets", None) or []:
            ind = indicators.resolve(target)
            rows = found.get((ind.code, unit_key(art)), []) if ind else []
            status = target_status(target, [{"value": r.result["value"], "as_of": r.as_of, "row": r} for r in rows],
                                   today, ind.better if ind else indicators.HIGHER)
            progress.append(Progress(target, ind, status.code, status.result["row"] if status.result else None, rows))
        art.target_progress = progress
        art.report_objs = sorted(getattr(art, "report_objs", None) or [], reverse=True,
                                 key=lambda r: (r.report_period["end"], r.date))
    return found


@dataclass
class TargetRow:
    """One numeric target of one plan."""

    plan: object
    target: dict
    progress: object = None

    @property
    def locality(self):
        return getattr(self.plan, "locality", "") or ""

    def sort_key(self):
        year = self.target.get("year") or 9999
        return (fold(self.locality), year, self.target["value"])


@dataclass
class MeasureGroup:
    """Targets measuring the same thing: one indicator of the catalogue (``cchc.core.indicators``,
    by code or by a wording it knows), else the same wording compared without tone marks."""

    measure: str
    slug: str
    rows: list = field(default_factory=list)
    indicator: object = None
    other_results: list = field(default_factory=list)  # ResultRows of units with no target on it

    @property
    def unit(self):
        if self.indicator is not None:
            return self.indicator.unit
        units = {r.target.get("unit") or "" for r in self.rows}
        return units.pop() if len(units) == 1 else ""


def build_targets(articles, results=None):
    """Group every target of every published plan record by indicator (or, outside the
    catalogue, by measure); the catalogue's order first, then the others by name."""
    groups = OrderedDict()
    for art in sorted(articles, key=lambda a: a.source_path_rel):
        if getattr(art, "kind", "") != "ke-hoach":
            continue
        for target in getattr(art, "targets", None) or []:
            ind = indicators.resolve(target)
            key = ("", ind.code) if ind else ("~", " ".join(fold(target["measure"]).split()))
            group = groups.get(key)
            if group is None:
                group = groups[key] = MeasureGroup(ind.name if ind else target["measure"], "", indicator=ind)
            index = (getattr(art, "targets", None) or []).index(target)
            progress = (getattr(art, "target_progress", None) or [None] * (index + 1))[index]
            group.rows.append(TargetRow(art, target, progress))
    targeted = {(r.progress.indicator.code, unit_key(r.plan)) for g in groups.values() for r in g.rows
                if r.progress is not None and r.progress.indicator is not None}
    for (code, unit), rows in sorted((results or {}).items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        if (code, unit) in targeted or not rows:
            continue
        ind = indicators.BY_CODE[code]
        group = groups.get(("", code))
        if group is None:
            group = groups[("", code)] = MeasureGroup(ind.name, "", indicator=ind)
        group.other_results.append(rows[0])  # the latest of that unit
    order = {code: i for i, code in enumerate(indicators.CODES)}
    out = [groups[k] for k in sorted(groups, key=lambda k: (k[0], order.get(k[1], 0), k[1]))]
    for i, group in enumerate(out, start=1):
        group.slug = f"chi-tieu-{group.indicator.code}" if group.indicator else f"chi-tieu-{i}"
        group.rows.sort(key=TargetRow.sort_key)
    return out


@dataclass
class ChartBar:
    """One bar of a targets chart: where it goes and what it says."""

    y: int
    width: float
    locality: str
    year: object
    value_text: str
    result_width: float = 0.0
    result_text: str = ""
    status: str = ""


@dataclass
class Chart:
    """Geometry of a static horizontal bar chart; ``theme/templates/macros.html`` draws it."""

    width: int
    height: int
    left: int
    bars: list


def chart_layout(group, year_unknown=None, width=360, left=8, row_h=46, top=8, value_room=72, result_h=30):
    """Lay out one measure group as bars (percentages on a 0-100 scale).

    360 units wide with 15-unit text: drawn in a phone's 358 px column the labels are 15 px
    (at 640 units they were 8 px); the stylesheet keeps it at most 24rem wide on large screens."""
    def result_of(row):
        return row.progress.result if row.progress is not None else None

    values = [r.target["value"] for r in group.rows] + [result_of(r).result["value"] for r in group.rows
                                                           if result_of(r)]
    scale_max = 100.0 if group.unit == "%" else max(values) or 1.0
    bar_room = width - left - value_room
    bars, y = [], top
    for row in group.rows:
        value = row.target["value"]
        bar = ChartBar(y=y, width=max(2.0, min(value, scale_max) / scale_max * bar_room),
                       locality=row.locality, year=row.target.get("year") or year_unknown,
                       value_text=target_text(row.target), status=row.progress.status if row.progress else "")
        found = result_of(row)
        if found:
            bar.result_width = max(2.0, min(found.result["value"], scale_max) / scale_max * bar_room)
            bar.result_text = quantity(found.result["value"], found.result.get("unit") or "")
        bars.append(bar)
        y += row_h + (result_h if row.progress is not None else 0)
    return Chart(width=width, height=y + top, left=left, bars=bars)


# Results over time (issue 27) ---------------------------------------------------------------

@dataclass
class Trend:
    """One unit's results on one indicator over time, against that unit's targets on it."""

    measure: str
    locality: str
    unit: str      # the indicator's unit: one axis per chart, never shared with another quantity
    targets: list  # the unit's target dicts on this indicator, each once
    points: list   # ResultRows, one per as-of date (the newest report's), oldest first


def trends(group):
    """A Trend for each unit of *group* (a MeasureGroup) with results as of two dates or more."""
    found = OrderedDict()
    for row in group.rows:
        if row.progress is None:
            continue
        trend = found.get(unit_key(row.plan))
        if trend is None:
            latest = {}
            for res in row.progress.results:  # newest first: the newest report's value for each date
                latest.setdefault(res.as_of, res)
            trend = found[unit_key(row.plan)] = Trend(group.measure, row.locality, group.unit, [],
                                                      [latest[day] for day in sorted(latest)])
        if row.target not in trend.targets:
            trend.targets.append(row.target)
    return [t for t in found.values() if len(t.points) >= 2]


def plan_trends(plan):
    """(Trend, TrendChart) for each indicator of *plan* whose results on the plan's unit span two
    dates or more, against this plan's own targets on it (its page shows them)."""
    groups = OrderedDict()
    for progress in getattr(plan, "target_progress", None) or []:
        ind = progress.indicator
        if ind is None:
            continue
        group = groups.setdefault(ind.code, MeasureGroup(ind.name, "", indicator=ind))
        group.rows.append(TargetRow(plan, progress.target, progress))
    return [(trend, trend_layout(trend)) for group in groups.values() for trend in trends(group)]


@dataclass
class TrendChart:
    """Geometry of a results-over-time chart; ``macros.html`` (trend_chart) draws it."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    ticks: list    # (y, label) of the value axis
    points: list   # (x, y, value label, date label or "" when it would overlap the previous one)
    targets: list  # (y of the line, y of its label, a target, the years of every target at that level), top first
    line: str      # the polyline's points


_STEPS = sorted(m * 10 ** e for e in range(-2, 8) for m in (1, 2, 5))


def nice_range(values, cap=None):
    """(low, high, step) of a value axis holding *values* with a margin, at most five steps
    of 1, 2 or 5 × 10ⁿ (at least 1 when every value is whole); never below 0 for values that are not,
    never above *cap* (100 for %)."""
    low, high = min(values), max(values)
    span = (high - low) or abs(high) or 1.0
    whole = all(float(v).is_integer() for v in values)  # ranks, counts: no step below 1
    step = next((s for s in _STEPS if span / s <= 4 and (s >= 1 or not whole)), _STEPS[-1])
    lo = math.floor((low - step / 2) / step) * step
    hi = math.ceil((high + step / 2) / step) * step
    if low >= 0:
        lo = max(0, lo)
    if cap is not None and high <= cap:
        hi = min(cap, hi)
    return lo, hi, step


def trend_layout(trend, width=360, height=240, right=10, top=16, bottom=40, pad=28, label_gap=64, char=7.8):
    """Lay out *trend*: time across (as-of dates, to scale), the indicator's values up, one
    dashed line per target. 360 units wide like the bar charts: 13-unit text stays 13 px on a phone;
    the value axis is as wide as its longest label ("100%", "120 TTHC": *char* units a character)."""
    values = [float(p.result["value"]) for p in trend.points]
    goals = [float(t["value"]) for t in trend.targets]
    lo, hi, step = nice_range(values + goals, cap=100.0 if trend.unit == "%" else None)
    inner_h = height - top - bottom

    def y_of(value):
        return round(top + (hi - value) / (hi - lo) * inner_h, 1)

    ticks, n = [], 0
    while lo + n * step <= hi + 1e-9:
        value = round(lo + n * step, 6)
        ticks.append((y_of(value), quantity(value, trend.unit)))
        n += 1
    left = max(44, round(12 + char * max(len(label) for _y, label in ticks)))

    days = [p.as_of.toordinal() for p in trend.points]
    first, last = min(days), max(days)
    inner_w = width - left - right - 2 * pad

    def x_of(day):
        return round(left + pad + (day - first) / ((last - first) or 1) * inner_w, 1)

    points, last_label = [], None
    for p, day, value in zip(trend.points, days, values):
        x = x_of(day)
        show = last_label is None or x - last_label >= label_gap
        points.append((x, y_of(value), quantity(p.result["value"], trend.unit), f"{p.as_of:%m/%Y}" if show else ""))
        last_label = x if show else last_label
    levels = OrderedDict()  # one line per level: "≥ 95%" by 2025 and by 2030 share it
    for target in trend.targets:
        levels.setdefault((target["comparator"], float(target["value"])), []).append(target)
    targets, below = [], None  # the label placed just below (bottom up: a label only moves up)
    for (_sign, value), same in sorted(levels.items(), key=lambda kv: kv[0][1]):
        y = y_of(value)
        label_y = y - 5 if below is None else min(y - 5, below - 15)  # above its line, clear of the next
        years = sorted({str(t.get("year") or "") for t in same})
        targets.append((y, round(max(label_y, 11), 1), same[0], years))
        below = label_y
    targets.reverse()  # top first
    line = " ".join(f"{x},{y}" for x, y, _v, _d in points)
    return TrendChart(width, height, left, right, top, bottom, ticks, points, targets, line)


# JSON-LD -----------------------------------------------------------------------------------

def document_json_ld(doc, siteurl):
    """schema.org Legislation for a document page."""
    data = {"@context": "https://schema.org", "@type": "Legislation",
            "legislationIdentifier": doc.text, "name": doc.title or doc.text,
            "url": absolute_url(siteurl, doc.url), "inLanguage": "vi"}
    if doc.doc_type:
        data["legislationType"] = doc.doc_type
    if doc.issue_date:
        data["legislationDate"] = doc.issue_date.date().isoformat()
    if doc.issuer:
        data["legislationPassedBy"] = {"@type": "Organization", "name": doc.issuer}
    if doc.bases:
        data["isBasedOn"] = [{"@type": "Legislation", "legislationIdentifier": b.text,
                              "url": absolute_url(siteurl, b.url)} for b in doc.bases]
    return data


def article_json_ld(art, registry, siteurl, publisher):
    """schema.org NewsArticle for a news item or plan summary."""
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": art.title,
            "url": absolute_url(siteurl, art.url), "inLanguage": getattr(art, "lang", "vi") or "vi",
            "description": getattr(art, "summary_text", "") or ""}
    if not is_unknown(art.date):
        data["datePublished"] = art.date.isoformat()
    if last_modified(art):
        data["dateModified"] = last_modified(art).isoformat()
    if getattr(art, "permanent_id", None):
        data["identifier"] = art.permanent_id
    if getattr(art, "byline", None):
        data["author"] = {"@type": "Person", "name": art.byline}
    elif getattr(art, "source_unit", None):
        data["author"] = {"@type": "Organization", "name": art.source_unit}
    if publisher:
        data["publisher"] = {"@type": "Organization", "name": publisher}
    own = registry.lookup(getattr(art, "doc_number", None))
    if own is not None and own.record is art:
        data["about"] = {"@type": "Legislation", "legislationIdentifier": own.text,
                         "url": absolute_url(siteurl, own.url)}
    mentions = sorted(registry.cited_by.get(id(art), []), key=LegalDocument.sort_key)
    if mentions:
        data["mentions"] = [{"@type": "Legislation", "legislationIdentifier": d.text,
                             "url": absolute_url(siteurl, d.url)} for d in mentions]
    return data


# Generator ---------------------------------------------------------------------------------

class DocumentsGenerator(Generator):
    """Builds the registry, links bodies, and writes /van-ban/, its pages and /chi-tieu/."""

    def generate_context(self):
        self.conf = settings_for(self.settings)
        siteurl = self.settings.get("SITEURL", "") or ""
        articles = self.context.get("articles", [])
        try:
            records = read_records(self.settings, self.conf)
        except ContentError as exc:
            for problem in exc.problems:
                log.error("cchc_documents: %s", problem)
            raise
        refuse_second_records(articles, records, self.settings["PATH"])
        cache = TextCache(self.conf["CACHE"], self.settings) if self.conf["CACHE"] else None
        try:
            self.registry = build_registry(articles, self.conf, records, build_now(self.settings).date(), cache)
            refuse_shared_pages(self.registry, articles, self.settings["PATH"])
            if self.conf["LINK_BODIES"]:
                for art in articles:
                    html = link_numbers(art._content, self.registry, siteurl, cache)
                    if html is not None:
                        _set_content(art, html)
                for rec in records:
                    rec.content = link_numbers(rec.content, self.registry, siteurl, cache) or rec.content
        finally:
            if cache is not None:
                cache.close()
        publisher = (self.settings.get("ORGANISATION") or {}).get("name", "")
        for art in articles:
            own = self.registry.lookup(getattr(art, "doc_number", None))
            art.document = own if own is not None and own.record is art else None
            art.implemented_by = list(own.implemented_by) if art.document else []
            art.legal_basis_docs = {b["number"]: self.registry.lookup(b["number"])
                                    for b in getattr(art, "legal_bases", None) or [] if b.get("number")}
            art.json_ld = article_json_ld(art, self.registry, siteurl, publisher)
        for doc in self.registry.docs.values():
            doc.json_ld = document_json_ld(doc, siteurl)
        self.index_results, problems = indexresults.read_all(self.settings["PATH"])
        if problems:
            for p in problems:
                log.error("cchc_documents: %s", p)
            raise ContentError(problems)
        found = attach_progress(articles, build_now(self.settings).date(),
                                index_rows(self.index_results, self.conf["TARGETS_URL"]))
        self.targets = build_targets(articles, found)
        for art in articles:
            if getattr(art, "kind", "") == "ke-hoach":
                art.target_trends = plan_trends(art)
        self.context.update(cchc_documents=self.registry, cchc_targets=self.targets,
                            cchc_index_results=self.index_results,
                            CCHC_DOCUMENT_URLS=self.conf)
        log.debug("cchc_documents: %d documents, %d target groups",
                  len(self.registry.docs), len(self.targets))

    def generate_output(self, writer):
        conf = self.conf
        for url, by_date in ((conf["DOCUMENTS_URL"], False), (conf["DOCUMENTS_BY_DATE_URL"], True)):
            writer.write_file(url + "index.html", self.get_template("documents"), self.context,
                              url=url, documents=self.registry.sorted(),
                              document_groups=self.registry.by_type(), by_date=by_date,
                              page_name=url.rstrip("/"))
        template = self.get_template("document")
        digests = page_digests(self.registry)
        for doc in self.registry.sorted():
            writer.write_file(doc.save_as, template, self.context, url=doc.url, document=doc,
                              page_name=doc.page_name, page_digest=digests[doc.number.key])
        url = conf["TARGETS_URL"]
        writer.write_file(url + "index.html", self.get_template("targets"), self.context, url=url,
                          target_groups=self.targets, chart_layout=chart_layout, trends=trends,
                          trend_layout=trend_layout,
                          index_results=sorted(self.index_results, key=lambda r: (r.index, -r.year, r.rank or 0,
                                                                                    fold(r.locality))),
                          index_names=indexresults.INDEXES,
                          page_name=url.rstrip("/"))


def page_digests(registry):
    """{document key: digest} of what each document's page shows that no post's front matter
    and no other file of content/ holds, for a page cache (``page_digest``; cchc_pagecache keys
    its pages by every front matter, content file, the code, the settings and the day): the
    text of the posts that cite or mention the document or a document it relates to (the
    excerpts, the facts and the lists come from there) and which documents exist (the links
    to their pages). A wider digest only renders more pages again; a narrower one would keep a
    stale page: tests/site/test_page_cache.py compares with a cold build after body edits."""
    texts = {}

    def text_digest(art):
        got = texts.get(id(art))
        if got is None:
            parts = [art.source_path, getattr(art, "summary_text", "") or "",
                     getattr(art, "source_ref", "") or "", body_text(art)]
            got = texts[id(art)] = hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"),
                                                   digest_size=16).hexdigest()
        return got

    def articles(doc):
        found = [c.article for c in doc.citations] + [art for art, _excerpt in doc.mentioned_in]
        return found + list(doc.implemented_by)

    existing = hashlib.blake2b("\0".join(sorted(registry.docs)).encode("utf-8"), digest_size=16).hexdigest()
    out = {}
    for key, doc in registry.docs.items():
        related = [doc, *doc.bases, *(other for _rel, other in doc.relations),
                   *(other for _code, other, _rel in doc.inverse)]
        arts = sorted({text_digest(art) for d in related for art in articles(d)})
        out[key] = hashlib.blake2b("\0".join([existing, *arts]).encode(), digest_size=16).hexdigest()
    return out


def add_filters(generator):
    """`doc_url`: the page of a document number, for templates ("76/NQ-CP" → "van-ban/76-nq-cp/")."""
    conf = settings_for(generator.settings)

    def doc_url(text):
        parsed = parse_doc_number(text or "")
        return conf["DOCUMENT_URL"].format(slug=parsed.slug) if parsed else ""

    generator.env.filters["doc_url"] = doc_url
    generator.env.globals["CCHC_DOCUMENT_URLS"] = conf


def get_generators(_pelican):
    return DocumentsGenerator


def register():
    """Add the documents generator and the doc_url template filter."""
    signals.generator_init.connect(add_filters)
    signals.get_generators.connect(get_generators)

