"""cchc_content: read posts with YAML front matter, check them, and fail the build on errors.

Pelican's own Markdown reader only knows ``Key: value`` lines (no lists of legal bases or
targets, no line numbers), so posts are read here: front matter goes through the one
schema in ``cchc_core.schema`` and the body through Python-Markdown with Pelican's
MARKDOWN settings. Pelican logs and *drops* a post whose reader raises; this plugin
also remembers every failure and stops the build before anything is written.
"""

import datetime as dt
import logging
import os

from markdown import Markdown
from markupsafe import escape
from pelican import signals
from pelican.readers import BaseReader
from pelican.urlwrappers import Category, Tag

from cchc_core import AREAS, VN_TZ, parallel, slugify
from cchc_core.schema import TYPES, ContentError, Problem, describe_attachment, read_document

log = logging.getLogger(__name__)

# Posts whose date is unknown sort after every dated post and never reach year listings
# or the top of a feed; templates show "Không rõ ngày đăng" instead of this value.
UNKNOWN_DATE = dt.datetime(1970, 1, 1, tzinfo=VN_TZ)

_failures = []


class CchcReader(BaseReader):
    """Markdown with YAML front matter, checked against the CCHC schema."""

    enabled = True
    file_extensions = ["md", "markdown"]

    def read(self, source_path):
        ready = _prefetch.take(source_path) if _prefetch else None
        content, doc = ready or self.convert(source_path)
        return content, self._metadata(doc)

    def convert(self, source_path):
        """(body HTML, Document) of one post; records and raises ContentError when it is wrong."""
        rel = os.path.relpath(source_path, os.getcwd())
        with open(source_path, encoding="utf-8") as fh:
            text = fh.read()
        try:
            doc = read_document(rel, text)
        except ContentError as exc:
            _failures.extend(exc.problems)
            raise
        content = self._markdown().convert(doc.body)
        if "attachment" in doc.meta:
            try:
                doc.meta["attachment"].update(describe_attachment(self.settings["PATH"], doc.meta["attachment"]))
            except ValueError as exc:
                problem = Problem(rel, doc.lines.get("attachment.path"), "attachment.path", str(exc))
                _failures.append(problem)
                raise ContentError([problem]) from None
        return content, doc

    def _markdown(self):
        """One Markdown converter per reader, reset between posts (building one costs as much as converting)."""
        md = getattr(self, "_md", None)
        if md is None:
            md_settings = dict(self.settings["MARKDOWN"])
            # No "meta" extension: the front matter is already gone, and meta would eat a
            # first body line that happens to look like "Key: value".
            md_settings["extensions"] = [
                e for e in md_settings.get("extensions", []) if e != "markdown.extensions.meta"
            ]
            md = self._md = Markdown(**md_settings)
        md.reset()
        return md

    def _metadata(self, doc):
        meta = dict(doc.meta)
        kind = meta.pop("type")
        meta["kind"] = kind
        meta["source_path_rel"] = doc.path
        if "id" in meta:
            meta["permanent_id"] = meta.pop("id")
        meta.setdefault("slug", slugify(meta["title"]))
        meta["date_status"] = meta.get("date_status", "chac-chan")
        if kind != "trang":
            meta["category"] = Category(TYPES[kind], self.settings)
            if meta["date_status"] == "khong-ro":
                meta["date"] = UNKNOWN_DATE
            meta["tags"] = [Tag(t, self.settings) for t in meta.get("tags", [])]
            meta["area_items"] = [(code, AREAS[code]) for code in meta.get("areas", [])]
        if "author" in meta:
            # Pelican turns "author" into author pages we do not publish: keep the byline as text.
            meta["byline"] = meta.pop("author")
        if "summary" in meta:
            meta["summary_text"] = meta["summary"]
            meta["summary"] = str(escape(meta["summary"]))
        return meta


class Prefetch:
    """The second half of the posts converted by a forked child while Pelican reads the first.

    Pelican reads posts one by one on one core; converting Markdown is most of that work.
    The child converts the posts Pelican will read last (same reader, same settings) and
    hands back (HTML, Document) pairs; ``take`` gives the reader a ready pair or None. A post
    the child could not convert (a content error, say) comes back as None and is read again
    by the reader itself, so errors are reported exactly as without the child."""

    def __init__(self, reader, paths):
        self.paths = list(paths)
        self.results = None
        self.job = parallel.Background(self._convert_all, reader, self.paths, name="cchc_content read")

    @staticmethod
    def _convert_all(reader, paths):
        results = []
        for path in paths:
            try:
                results.append(reader.convert(path))
            except Exception:  # noqa: BLE001 - the parent reads this post again and reports it
                results.append(None)
        return results

    def take(self, path):
        if self.results is None:
            if path not in self.paths:
                return None
            try:
                self.results = dict(zip(self.paths, self.job.wait()))
            except parallel.ChildError as exc:
                log.debug("cchc_content: prefetch failed, reading every post here: %s", exc)
                self.results = {}
        return self.results.pop(path, None)


_prefetch = None


def start_prefetch(generator):
    """At the articles generator's start: hand the second half of its posts to a child."""
    global _prefetch
    _prefetch = None
    settings = generator.settings
    reader = generator.readers.readers.get("md")
    if not isinstance(reader, CchcReader) or settings.get("LOAD_CONTENT_CACHE") \
            or not parallel.enabled(settings):
        return
    # The very list, in the very order, that ArticlesGenerator.generate_context reads.
    files = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    paths = [os.path.abspath(os.path.join(generator.path, f)) for f in files
             if os.path.splitext(f)[1].lstrip(".") in CchcReader.file_extensions]
    if len(paths) >= 2:
        _prefetch = Prefetch(reader, paths[len(paths) // 2:])


def add_reader(readers):
    """Use the CCHC reader for Markdown files."""
    for ext in CchcReader.file_extensions:
        readers.reader_classes[ext] = CchcReader


def reset(_pelican):
    """Forget failures of an earlier build in the same process (tests build many times)."""
    global _prefetch
    _failures.clear()
    _prefetch = None


def _cross_link(articles):
    """Resolve plan ↔ news references into objects; return problems for missing targets."""
    problems = []
    index = {(a.kind, a.slug): a for a in articles}
    for art in articles:
        art.plan_objs = []
        art.news_objs = []
    for art in articles:
        for field, target_kind in (("news", "tin-tuc"), ("plans", "ke-hoach")):
            for slug in getattr(art, field, []) or []:
                target = index.get((target_kind, slug))
                if target is None:
                    problems.append(Problem(art.source_path_rel, None, field,
                                            f"không tìm thấy bài “{slug}” loại {TYPES[target_kind]}"))
                    continue
                mine, theirs = ("news_objs", "plan_objs") if field == "news" else ("plan_objs", "news_objs")
                if target not in getattr(art, mine):
                    getattr(art, mine).append(target)
                if art not in getattr(target, theirs):
                    getattr(target, theirs).append(art)
    return problems


def check_all(generators):
    """Stop the build when any post failed to read or links to a missing post."""
    from pelican.generators import ArticlesGenerator

    problems = list(_failures)
    for gen in generators:
        if isinstance(gen, ArticlesGenerator):
            everything = gen.articles + gen.translations + gen.drafts + gen.hidden_articles
            problems += _cross_link(everything)
            # Links are checked against drafts too (a typo is a typo), but pages only link to
            # posts that are written: a draft or a post scheduled for later is not (yet).
            for art in everything:
                art.plan_objs = [a for a in art.plan_objs if a.status != "draft"]
                art.news_objs = [a for a in art.news_objs if a.status != "draft"]
    if problems:
        for p in problems:
            log.error("cchc_content: %s", p)
        raise ContentError(problems)


def freeze_urls(generator):
    """Store each post's URL and output path once its metadata is final.

    Pelican recomputes ``url`` and ``save_as`` (a format and an os.path.relpath) on every
    access, and listings, feeds, JSON-LD and open data ask some twenty times per post. Its
    own ``override_url``/``override_save_as`` attributes (what a ``url:`` field sets) hold
    the value instead. After the articles generator is done nothing changes a post's slug,
    date, language or status, so the URL is the one Pelican would compute."""
    for art in (*generator.articles, *generator.translations, *generator.drafts,
                *generator.drafts_translations, *generator.hidden_articles,
                *generator.hidden_translations):
        art.override_url = art.url
        art.override_save_as = art.save_as


def register():
    """Read posts with the CCHC reader and fail the build on any content error."""
    signals.initialized.connect(reset)
    signals.readers_init.connect(add_reader)
    signals.article_generator_init.connect(start_prefetch)
    signals.article_generator_finalized.connect(freeze_urls)
    signals.all_generators_finalized.connect(check_all)
