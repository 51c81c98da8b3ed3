"""cchc_pagecache: a page an earlier build rendered is reused while nothing it shows has changed.

A rebuild after one post was edited rendered every page again: the 2,000 post pages and the
1,900 listing pages were 7-8 s of a 14 s rebuild (2,000 posts). Pages are kept by a digest of
what they are made of, in one SQLite file (``CCHC_PAGECACHE["PATH"]``, .cache/pages.sqlite in
pelicanconf.py; "" for none), and a page whose digest an earlier build rendered is written from
there, byte for byte what rendering it would give:

- the **site key** (``site_key``): cchc.core.buildkey (the project's code, library versions,
  unit data, settings, working folder, attachment names and sizes, as the content cache), the
  theme folder's bytes, Jinja's version, the build's day (``build_now``: what is in force,
  targets due, scheduled posts), every content object's place (source, status, address), the
  *front matter* of every post and every other file of content/ outside STATIC_PATHS whole
  (pages, document records, the PAR Index and SIPAS values of chi-so/ a unit's list shows);
- a page of ``OWN_SOURCE`` templates (a post's page) adds the bytes of its own file, so an
  edited body renders its own page again and nothing else;
- the page's template, its output path and where its links are relative to.

So only templates whose pages show nothing of another post's *body* may be listed in
``TEMPLATES``: a post's page (its body is its own), the lists, the home page, the archives, the
tags. A page that does (a document's page quotes the sentences of the posts that mention its
number) is cached only under a ``DIGESTED`` template and only when its writer passes
``page_digest``, the digest of what it shows beyond the site key (cchc_documents: the text of
the posts citing the document or one it relates to, and which documents exist); the rest
(search, targets, open data, 404: one page each) are rendered every time. A template listed
here that began to show another post's body would need that body in the site key:
tests/site/test_page_cache.py compares a rebuild from the cache with a cold build after edits of
each kind, and fails if they differ.

Each build keeps the entries it used (and adds what it rendered), so the file holds one site's
pages. Two builds at once: SQLite locks; a build that cannot use the file renders everything
(the cache only spares work; cchc.core.keptrows says when the file is replaced). The writer and
the signal are the plugin's only contact with Pelican; it knows no other plugin.
"""

import hashlib
import io
import json
import logging
import os
import zlib
from importlib import metadata
from pathlib import Path

from pelican import signals
from pelican.writers import Writer

from cchc.core import buildkey, frontmatter, outputtree
from cchc.core.dates import build_now
from cchc.core.files import walk
from cchc.core.keptrows import KeptRows
from cchc.core.settings import merged_settings

log = logging.getLogger(__name__)

DEFAULTS = {
    "PATH": "",
    # Pelican's template names (without .html) of the pages that may come from the cache.
    "TEMPLATES": ["article", "page", "index", "category", "listing", "area_index", "locality_index",
                  "year_index", "archives", "tags", "tag"],
    # Of those, the ones whose page also shows its own source file's body (context "article"/"page").
    "OWN_SOURCE": ["article", "page"],
    # Templates whose pages may come from the cache only when the plugin writing them gives
    # ``page_digest`` (write_file's keyword, so in the page's context): a digest of everything
    # the page shows that the site key does not hold. A page written without one is rendered.
    "DIGESTED": ["document"],
}
# The site key, once the contexts are built (all_generators_finalized), in the shared context.
_SITE_KEY = "cchc_pagecache_site_key"
# Pelican's lists of content objects: their place and status are part of the site key.
_LISTS = ("articles", "drafts", "hidden_articles", "pages", "hidden_pages", "draft_pages")
_POSTS = ("articles", "drafts", "hidden_articles")


def settings_for(settings):
    return merged_settings(settings, "CCHC_PAGECACHE", DEFAULTS, "cchc_pagecache")


def _digest(data):
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def site_key(context, settings):
    """The digest of everything a cached page may show besides its own source (module docstring)."""
    digest = hashlib.blake2b(digest_size=16)
    buildkey.update(digest, settings)
    buildkey.tree_digest(digest, settings["THEME"])
    for name in ("jinja2", "markupsafe"):
        digest.update(f"{name}={metadata.version(name)}\0".encode())
    digest.update(f"day={build_now(settings).date().isoformat()}\0".encode())
    places, posts = [], set()
    for name in _LISTS:
        for obj in context.get(name) or ():
            source = os.path.abspath(obj.source_path)
            places.append([name, source, getattr(obj, "status", ""), obj.url, obj.save_as])
            if name in _POSTS:
                posts.add(source)
    digest.update(json.dumps(sorted(places), ensure_ascii=False).encode())
    content = Path(settings["PATH"])
    files, _refused = walk(content)
    static = tuple(p.strip("/") for p in settings.get("STATIC_PATHS") or ())
    for rel in files:
        path = content / rel
        if any(rel.as_posix() == p or rel.as_posix().startswith(p + "/") for p in static):
            continue  # attachments: their names and sizes are in buildkey already
        data = path.read_bytes()  # every other file whole (index values under chi-so/, records…)
        if os.path.abspath(path) in posts:
            data = frontmatter.split(data.decode("utf-8"))[0].encode("utf-8")  # read fine: it parses
        digest.update(f"{rel}\0{_digest(data)}\0".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


class PageStore:
    """The rendered pages: ``get``/``put`` by key, ``close`` keeps what was used.

    Pages are kept under the site key they were rendered under (``site``), in a
    cchc.core.keptrows file: the pages of the three most recently built site keys stay (the
    development, production and editor settings alternate), and of the current one only those
    this build used or rendered."""

    def __init__(self, path):
        self.rows = KeptRows(path)
        if self.rows.error is not None:
            log.info("cchc_pagecache: building without the page cache (%s: %s)", path, self.rows.error)
        self.hits = self.misses = 0

    @property
    def site(self):
        return self.rows.generation

    @site.setter
    def site(self, value):
        self.rows.generation = value

    def get(self, key):
        html = self.page(key)
        if html is None:
            if self.rows.db is not None:
                self.misses += 1
            return None
        self.hits += 1
        return html

    def page(self, key):
        """The page kept for *key* (not counted as taken), or None."""
        data = self.rows.get(key)
        return zlib.decompress(data).decode("utf-8") if data is not None else None

    def sum(self, key):
        """(size, digest) of the UTF-8 bytes of the page kept for *key*, when a build wrote it
        and noted them (``note_sum``); the page is then kept (it counts as taken), else None."""
        data = self.rows.get(_SUM + key)
        if data is None:
            return None
        size, digest = data.decode("ascii").split(" ")
        self.rows.use(key)
        self.hits += 1
        return int(size), digest

    def note_sum(self, key, size, digest):
        """Keep (size, digest) of the page kept for *key*: a later build links its file from the
        live tree without reading the page (``sum``)."""
        self.rows.put(_SUM + key, f"{size} {digest}".encode("ascii"))

    def put(self, key, html):
        if self.rows.db is not None:
            # Level 1: a fifth of the bytes (one site's pages of 2,000 posts: 72 MB → about 14 MB,
            # what CI keeps between runs) for about 0.1 ms a page.
            self.rows.put(key, zlib.compress(html.encode("utf-8"), 1))

    def close(self):
        """Store what was rendered; drop what this build did not use and older site keys' pages."""
        exc = self.rows.close()
        if exc is not None:
            log.warning("cchc_pagecache: không lưu được các trang của lần xây dựng này vào %s (%s); "
                        "trang web vẫn đúng, lần sau chỉ dựng lại các trang lâu hơn", self.rows.path, exc)


# Beside a page's row, under this prefix and its key: the size and digest of its bytes (PageStore.sum).
_SUM = "="


class _Known(str):
    """What ``_Cached.render`` gives Pelican's writer for a page the store holds with its sum,
    instead of the page: an empty string carrying the key, size and digest. The file the writer
    writes it to (``_Pending``, ``_Resolving``) links the live tree's file that the output's
    record vouches holds those bytes, or else takes the page from the store: the 23,000 pages of
    a 10,000-post rebuild were read from SQLite, decompressed, encoded and digested (about 150 µs
    each) only to find the live file had their bytes."""

    def __new__(cls, store, key, size, digest, render):
        self = super().__new__(cls, "")
        self.store, self.key, self.size, self.digest, self.render = store, key, size, digest, render
        return self

    def text(self):
        """The page itself: from the store, else (a store that failed since) rendered."""
        html = self.store.page(self.key)
        return html if html is not None else self.render()


class _Cached:
    """*template* whose ``render`` takes the page from *store* when its key is known there
    (with *tree*, the build's outputtree.PreviousTree: only its sum when the store has one, see
    _Known)."""

    def __init__(self, template, store, site, own_source, digested=False, tree=None):
        self.template, self.store, self.site, self.own_source = template, store, site, own_source
        self.digested = digested
        self.tree = tree
        self.name = template.name

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, context):
        parts = [self.site, self.name, context.get("output_file") or "", str(context.get("localsiteurl"))]
        if self.digested:
            if not context.get("page_digest"):
                return self.template.render(context)
            parts.append(f"page={context['page_digest']}")
        if self.own_source:
            obj = context.get("article") or context.get("page")
            if obj is None:
                return self.template.render(context)
            with open(obj.source_path, "rb") as fh:
                parts.append(_digest(fh.read()))
        key = _digest("\0".join(parts).encode("utf-8"))
        if self.tree is not None:
            known = self.store.sum(key)
            if known is not None:
                return _Known(self.store, key, *known, lambda: self.template.render(context))
        html = self.store.get(key)
        if html is None:
            html = self.template.render(context)
            self.store.put(key, html)
            return html
        return _Taken(html, key)


class _Taken(str):
    """A page taken from the store, with its key: the file it is written to notes its sum."""

    def __new__(cls, html, key):
        self = super().__new__(cls, html)
        self.key = key
        return self


class _Pending(io.StringIO):
    """What Pelican writes to a file of the new tree, put there whole when closed (through
    cchc.core.outputtree: linked from the tree it replaces when the bytes are the same). A page
    the store gave only by its sum (_Known) is linked from the live tree when the output's record
    vouches for a file of that size and digest at its place, else read from the store; the sum of
    a page the store gave whole (_Taken) is noted for the next build."""

    def __init__(self, path, encoding, tree, store):
        super().__init__()
        self.path, self.charset, self.tree, self.store = path, encoding, tree, store
        self.known = self.taken = None
        self.utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8")

    def write(self, s):
        first = self.known is None and not self.tell()
        if isinstance(s, _Known):
            if first and self.utf8:
                self.known = s
                return 0
            s = s.text()
        # A page's sum is of the page alone: noted only when it is all the file holds.
        self.taken = s.key if first and isinstance(s, _Taken) else None
        return super().write(s)

    def close(self):
        if self.closed:
            return
        known, text = self.known, self.getvalue()
        super().close()
        if known is not None:
            if not text and self.tree.link_recorded(self.path, known.size, known.digest):
                return
            text = known.text() + text
        data = text.encode(self.charset)
        digest = None
        if self.taken is not None and self.utf8:
            digest = outputtree.digest(data)
            self.store.note_sum(self.taken, len(data), digest)
        self.tree.write(self.path, data, digest)


class _Resolving:
    """Pelican's own file (a second write of a path, see CachingWriter._open_w): a page given by
    its sum (_Known) is written whole."""

    def __init__(self, fh):
        self.fh = fh

    def write(self, s):
        return self.fh.write(s.text() if isinstance(s, _Known) else s)

    def __enter__(self):
        self.fh.__enter__()
        return self

    def __exit__(self, *exc):
        return self.fh.__exit__(*exc)

    def __getattr__(self, name):
        return getattr(self.fh, name)


class CachingWriter(Writer):
    """Pelican's writer; the pages of the cacheable templates go through the page store, and
    every file it writes that the live tree already holds is linked from there."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        conf = settings_for(self.settings)
        self.templates = {f"{t}.html" for t in conf["TEMPLATES"]}
        self.own = {f"{t}.html" for t in conf["OWN_SOURCE"]}
        self.digested = {f"{t}.html" for t in conf["DIGESTED"]}
        self.store = PageStore(conf["PATH"])
        self.tree = outputtree.PreviousTree.from_settings(self.settings, output_path)
        _OPEN.append(self)

    def _open_w(self, filename, encoding, override=False):
        # A first write of *filename* (Pelican's own checks stand for the rest): held until closed.
        if (self.tree is None or override or filename in self._written_files
                or filename in self._overridden_files or os.linesep != "\n"):
            return _Resolving(super()._open_w(filename, encoding, override))
        self._written_files.add(filename)
        return _Pending(filename, encoding, self.tree, self.store)

    def write_file(self, name, template, context, *args, **kwargs):
        site = context.get(_SITE_KEY)
        name_of = getattr(template, "name", None)
        if site and (name_of in self.templates or name_of in self.digested):
            self.store.site = site
            template = _Cached(template, self.store, site, name_of in self.own, name_of in self.digested,
                               self.tree)
        return super().write_file(name, template, context, *args, **kwargs)

    def close(self):
        log.info("cchc_pagecache: %d pages from the cache, %d rendered", self.store.hits, self.store.misses)
        if self.tree is not None:
            log.info("cchc_pagecache: %d files linked from the live tree, %d written", self.tree.linked,
                     self.tree.written)
        self.store.close()


_OPEN = []  # the writers of this build, closed at finalized


def get_writer(pelican):
    return CachingWriter if settings_for(pelican.settings)["PATH"] else None


def remember_key(generators):
    """all_generators_finalized: every content object is known; the site key goes in the context."""
    if not generators:
        return
    settings = generators[0].settings
    if settings_for(settings)["PATH"]:
        generators[0].context[_SITE_KEY] = site_key(generators[0].context, settings)


def close_store(_pelican):
    """finalized: keep the pages this build used and rendered."""
    while _OPEN:
        _OPEN.pop().close()


def register():
    signals.get_writer.connect(get_writer)
    signals.all_generators_finalized.connect(remember_key)
    signals.finalized.connect(close_store)
