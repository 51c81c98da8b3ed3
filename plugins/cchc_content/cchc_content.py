"""cchc_content: read posts with YAML front matter, check them, and fail the build on errors.

Pelican's own Markdown reader only knows ``Key: value`` lines (no lists of legal bases or
targets, no line numbers), so posts are read here: front matter goes through the one
schema in ``cchc.core.schema`` and the body through Python-Markdown with Pelican's
MARKDOWN settings. Pelican logs and *drops* a post whose reader raises; this plugin
also remembers every failure and stops the build before anything is written.
"""

import logging
import os
import re

from markdown import Markdown
from markupsafe import escape
from pelican import signals
from pelican.contents import Static
from pelican.readers import BaseReader
from pelican.urlwrappers import Category, Tag

from cchc.core import AREAS, aliases, sanitize
from cchc.core.dates import UNKNOWN_DATE
from cchc.core.files import SourceRefused, read_source
from cchc.core.schema import (
    TYPES,
    ContentError,
    Problem,
    check_attachment,
    failed_post_keys,
    missing_post,
    post_links,
    post_slug,
    read_document,
)
from cchc.core.text import MAX_SLUG, short_slug

from . import content_cache
from .content_cache import ContentCache

log = logging.getLogger(__name__)

_ROOTED = re.compile(r"""(\s(?:href|src)=["'])/(?!/)""")


def site_rooted(html, siteurl):
    """Links written from the site's root (/tin-tuc/…, /files/…) get SITEURL in front, so they
    also work when the portal lives under a subpath (https://example.gov.vn/cchc)."""
    siteurl = (siteurl or "").rstrip("/")
    return _ROOTED.sub(lambda m: f"{m.group(1)}{siteurl}/", html) if siteurl else html


def _tag(name, settings):
    """Pelican's Tag for *name*; a slug (its page's folder) longer than MAX_SLUG shortened as a
    post's is (cchc.core.text.short_slug): a 300-character tag made a folder name the file
    system refused (ENAMETOOLONG)."""
    tag = Tag(name, settings)
    if len(tag.slug) > MAX_SLUG:
        tag.slug = short_slug(tag.slug)
    return tag


class CchcReader(BaseReader):
    """Markdown with YAML front matter, checked against the CCHC schema."""

    enabled = True
    file_extensions = ["md", "markdown"]

    def __init__(self, settings):
        super().__init__(settings)
        self.failures = []  # the problems of every post that failed, reported by check_all
        self.failed = set()  # (type, slug) those posts would have had

    def read(self, source_path):
        content, doc = self.convert(source_path)
        return content, self._metadata(doc)

    def convert(self, source_path):
        """(body HTML, Document) of one post; records and raises ContentError when it is wrong."""
        rel = os.path.relpath(source_path, os.getcwd())
        try:
            text = read_source(self.settings["PATH"], source_path)
        except SourceRefused as exc:  # a link out of content/, a FIFO: never read, never waited on
            problem = Problem(rel, None, None, str(exc))
            self.failures.append(problem)
            raise ContentError([problem]) from None
        try:
            doc = read_document(rel, text)
            # Only the allowlisted HTML goes on: pages, feeds, search and documents all read this.
            content = sanitize.clean(self._markdown().convert(doc.body))
            content = site_rooted(content, self.settings.get("SITEURL", ""))
            problem = check_attachment(doc, self.settings["PATH"])
            if problem:
                raise ContentError([problem])
        except ContentError as exc:
            self.failures.extend(exc.problems)
            self.failed |= failed_post_keys(rel, text)
            raise
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
        meta = dict(aliases.resolved(doc.meta))  # a deprecated field name read as its new one
        kind = meta.pop("type")
        meta["kind"] = kind
        meta["source_path_rel"] = doc.path
        meta["source_lines"] = doc.lines  # where each field is, for messages
        if "id" in meta:
            meta["permanent_id"] = meta.pop("id")
        meta["slug"] = post_slug(meta)
        meta["date_status"] = meta.get("date_status", "chac-chan")
        if kind != "trang":
            meta["category"] = Category(TYPES[kind], self.settings)
            if meta["date_status"] == "khong-ro":  # the one place the status becomes the value
                meta["date"] = UNKNOWN_DATE
            meta["tags"] = [_tag(t, self.settings) for t in meta.get("tags", [])]
            meta["area_items"] = [(code, AREAS[code]) for code in meta.get("areas", [])]
        if "author" in meta:
            # Pelican turns "author" into author pages we do not publish: keep the byline as text.
            meta["byline"] = meta.pop("author")
        if kind == "ke-hoach" and meta.get("locality_unit") and "history_note" not in meta:
            # The issuing unit no longer exists in that form: say so, unless staff wrote their own.
            from cchc.core import units

            reg = units.registry()
            note = units.history_text(reg[meta["locality_unit"]], reg)
            if note:
                meta["history_note"] = note
        if "summary" in meta:
            meta["summary_text"] = meta["summary"]
            meta["summary"] = str(escape(meta["summary"]))
        return meta


def add_reader(readers):
    """Use the CCHC reader for Markdown files."""
    for ext in CchcReader.file_extensions:
        readers.reader_classes[ext] = CchcReader


def _cross_link(articles, failed):
    """Resolve plan ↔ news references into objects; return problems for missing targets
    (a post that failed to read, in *failed*, is not missing)."""
    problems = []
    index = {(a.kind, a.slug): a for a in articles}
    for art in articles:
        art.plan_objs = []
        art.news_objs = []
        art.report_objs = []  # on a plan: the reports on it (a report's own plans are its plan_objs)
    for art in articles:
        for field, i, target_kind, slug in post_links(art.metadata):
            target = index.get((target_kind, slug))
            if target is None:
                if (target_kind, slug) not in failed:
                    problems.append(missing_post(art.source_path_rel, art.source_lines, field, i,
                                                 target_kind, slug, index))
                continue
            mine, theirs = ("news_objs", "plan_objs") if field == "news" else ("plan_objs", "news_objs")
            if getattr(art, "kind", "") == "bao-cao":
                theirs = "report_objs"
            if target not in getattr(art, mine):
                getattr(art, mine).append(target)
            if art not in getattr(target, theirs):
                getattr(target, theirs).append(art)
    return problems


def check_all(generators):
    """Stop the build when any post failed to read or links to a missing post."""
    from pelican.generators import ArticlesGenerator

    readers = [g.readers.readers.get("md") for g in generators if hasattr(g, "readers")]
    readers = [r for r in readers if isinstance(r, CchcReader)]
    problems = [p for r in readers for p in r.failures]
    failed = {key for r in readers for key in r.failed}
    for gen in generators:
        if isinstance(gen, ArticlesGenerator):
            everything = gen.articles + gen.translations + gen.drafts + gen.hidden_articles
            problems += _cross_link(everything, failed)
            # Links are checked against drafts too (a typo is a typo), but pages only link to
            # posts that are written: a draft or a post scheduled for later is not (yet).
            for art in everything:
                art.plan_objs = [a for a in art.plan_objs if a.status != "draft"]
                art.news_objs = [a for a in art.news_objs if a.status != "draft"]
                art.report_objs = [a for a in art.report_objs if a.status != "draft"]
    problems += _old_path_problems(generators)
    problems += _page_slug_problems(generators)
    if problems:
        for p in problems:
            log.error("cchc_content: %s", p)
        raise ContentError(problems)


def _page_slug_problems(generators):
    """Pages whose slug is a section the settings moved (cchc.core.sitepaths.page_slug_problems)."""
    from pelican.contents import Page

    from cchc.core.sitepaths import page_slug_problems

    pages = {}
    for gen in generators:
        for name in ("pages", "hidden_pages", "draft_pages", "translations", "hidden_translations",
                     "draft_translations"):
            for page in getattr(gen, name, None) or []:
                if isinstance(page, Page) and hasattr(page, "source_path_rel"):
                    line = (getattr(page, "source_lines", None) or {}).get("slug")
                    pages[id(page)] = (page.source_path_rel, page.slug, line)
    if not pages:
        return []
    return page_slug_problems(list(pages.values()), generators[0].settings)


def _old_path_problems(generators):
    """Old paths that would take over an address of the site (cchc.core.sitepaths), with the
    same message as `make check`: the redirect maps are written from them."""
    from cchc.core.sitepaths import site_paths, taken_by_message

    items = {}  # every post and page, drafts and translations too, once
    for gen in generators:
        for name in ("articles", "translations", "drafts", "drafts_translations", "hidden_articles",
                     "pages", "hidden_pages", "draft_pages", "hidden_translations", "draft_translations"):
            items.update((id(i), i) for i in getattr(gen, name, None) or [])
    items = list(items.values())
    claimed = [i for i in items if getattr(i, "old_paths", None)]
    if not claimed or not generators:
        return []
    site = site_paths(generators[0].settings, ((i.url, i.source_path_rel) for i in items
                                              if hasattr(i, "source_path_rel")))
    problems = []
    for item in claimed:
        for n, old in enumerate(item.old_paths):
            message = taken_by_message(site, old, getattr(item, "source_path_rel", None))
            if message:
                where = f"old_paths[{n}]"
                lines = getattr(item, "source_lines", {}) or {}
                problems.append(Problem(item.source_path_rel, lines.get(where, lines.get("old_paths")), where,
                                        message))
    return problems


def freeze_urls(generator):
    """Store each post's URL once its metadata is final.

    Pelican recomputes ``url`` (a format and an os.path.relpath) on every access, and
    listings, feeds, JSON-LD and open data ask some twenty times per post. Its own
    ``override_url`` attribute (what a ``url:`` field sets) holds the value instead. After
    the articles generator is done nothing changes a post's slug, date, language or status,
    so the URL is the one Pelican would compute. (Not ``override_save_as``: Pelican takes
    that as leave to overwrite another page's file, which would hide a clash of paths.)"""
    for art in (*generator.articles, *generator.translations, *generator.drafts,
                *generator.drafts_translations, *generator.hidden_articles,
                *generator.hidden_translations):
        art.override_url = art.url


def open_cache(pelican):
    """initialized: the content cache folder of this build (see content_cache)."""
    pelican.cchc_content_cache = ContentCache(pelican)


def seal_cache(generators):
    """all_generators_finalized: Pelican has saved the cache; seal it (see content_cache)."""
    if generators and generators[0].settings.get("CACHE_CONTENT"):
        content_cache.seal(generators[0].settings["CACHE_PATH"])


def close_cache(pelican):
    cache = getattr(pelican, "cchc_content_cache", None)
    if cache is not None:
        cache.release()


def sanitise_expanded_links(instance):
    """Clean a post's HTML again after Pelican expands its ``{filename}``/``{static}``/``{attach}`` links.

    Pelican expands them only when a page or a feed asks for ``content``, long after the
    reader cleaned the body, and writes what it substitutes as is: a target it found only
    after HTML-unescaping (``a&amp;b.md#&quot;…``) goes in unescaped, a static file's name
    raw. So a quote in a fragment or a file name would add attributes or tags the allowlist
    never saw. Pelican has no hook after that step (``content_object_init`` runs before it),
    hence this per-object wrapper of its ``_update_content``; a body without such links
    comes back unchanged and costs one comparison."""
    if isinstance(instance, Static):
        return
    expand = instance._update_content

    def update_content(content, siteurl):
        expanded = expand(content, siteurl)
        return expanded if expanded == content else sanitize.clean(expanded)

    instance._update_content = update_content


def register():
    """Read posts with the CCHC reader (Pelican's content cache in a folder keyed by the code,
    settings and attachments) and fail the build on any content error."""
    signals.initialized.connect(open_cache)
    signals.all_generators_finalized.connect(seal_cache)
    signals.finalized.connect(close_cache)
    signals.readers_init.connect(add_reader)
    signals.content_object_init.connect(sanitise_expanded_links)
    for init in (signals.article_generator_init, signals.page_generator_init, signals.static_generator_init):
        init.connect(content_cache.guard_stamps)
    signals.article_generator_finalized.connect(freeze_urls)
    signals.all_generators_finalized.connect(check_all)
