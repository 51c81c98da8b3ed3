"""cchc_pipeline: the build's stages, which of them run in a child process, and the plugin order.

The only plugin that knows about processes. On one core or with ``CCHC_PARALLEL = False`` the
same stages run inline, at the same points, and the site is byte-identical (tests/site/test_parallel.py).
The capability plugins expose plain functions and hooks and know nothing of processes. Pelican builds in this order,
and this plugin adds the child processes (``cchc.core.parallel``, fork) at these points:

1. **read** (``article_generator_init``): a child converts the later posts with cchc_content's
   reader (``CchcReader.convert``) while Pelican reads the first; the reader takes each result
   through its ``ready`` hook. A post the child could not convert is read again by the reader,
   so errors are reported as without the child.
2. **index** (``article_generator_finalized``: the articles are read, sorted, URLs frozen): a
   child builds the search files (``cchc_search.build_index``) while the other generators
   build their context and Pelican writes the pages; the search generator waits for it through
   its ``index_built`` hook. The child indexes the posts first; the records of the document
   pages it gets from this process (``all_generators_finalized``: cchc_documents' registry is
   built), not by building the registry a second time. Inline without a second core, still at
   this point: the index is made from the posts as read, before cchc_documents links numbers
   in their bodies, and builds the registry itself.

Pelican then writes every page in this process. A third stage once wrote the listing, document and
open-data pages in a child while Pelican wrote the articles; measured on an idle two-core machine
(2026-12-02) it made the build slower at 2,000 posts (11.9 s against 9.3-10.3 s without it, 2.5-3.7 s
more CPU: three busy processes on two cores) and was no faster at 10,000 (56.3 s against 55.7 s),
so it was dropped; the read and index stages pay (without them 12.2-12.3 s and 13.3 s).

Per-build state rides on the build's ArticlesGenerator (``cchc_pipeline``): nothing here is
module-global and nothing needs a reset between builds in one process.

Plugin order is declared here (``AFTER``, ``LAST``) and checked when Pelican starts: a wrong
order stops the build with a message naming the fix.
"""

import logging
import os
import sys

from pelican import signals
from pelican.generators import ArticlesGenerator

from cchc.core import parallel
from cchc.core.settings import plugin_names

log = logging.getLogger(__name__)

# Each plugin named here must come after the ones it lists, when both are in PLUGINS.
AFTER = {
    "cchc_pipeline": ("cchc_content",),  # the index child starts once the reader froze the URLs
    "cchc_feeds": ("cchc_listings",),  # feeds per area and locality read the listings' context
    "cchc_opendata": ("cchc_documents",),  # document records come from the documents registry
}
LAST = "cchc_precompress"  # compresses every file the other plugins wrote

# Stage 1: the build process reads this share of the posts itself; it also does Pelican's own
# work for every post (metadata, URLs, signals), so it takes fewer than half. Measured at 2,000
# posts on two cores, 0.4 was quickest (0.3 and 0.5 within noise of it).
OWN_SHARE = 0.4


class PluginOrderError(RuntimeError):
    """PLUGINS lists the CCHC plugins in an order the build cannot work with."""


def order_problems(plugins):
    """What is wrong with the order of *plugins* (names), in Vietnamese; [] when nothing is."""
    names = [p if isinstance(p, str) else getattr(p, "__name__", str(p)) for p in plugins]
    problems = []
    for plugin, before in AFTER.items():
        for other in before:
            if plugin in names and other in names and names.index(other) > names.index(plugin):
                problems.append(f"“{plugin}” phải đứng sau “{other}”")
    if LAST in names and names[-1] != LAST:
        problems.append(f"“{LAST}” phải đứng cuối cùng")
    return problems


def check_order(pelican):
    """At the start of the build: refuse a PLUGINS order that would build a wrong site."""
    problems = order_problems(pelican.settings.get("PLUGINS") or [])
    if problems:
        raise PluginOrderError("thứ tự PLUGINS trong tệp cấu hình không đúng: " + "; ".join(problems)
                               + " (sửa danh sách PLUGINS trong pelicanconf.py hoặc publishconf.py)")


def _plugin_of(generator):
    return type(generator).__module__.split(".", 1)[0]


class Pipeline:
    """The child processes of one build."""

    def __init__(self, settings):
        self.settings = settings
        self.parallel = parallel.enabled(settings)
        self.index_job = None

    # --- 1. read ------------------------------------------------------------------------

    def start_reading(self, generator):
        reader = generator.readers.readers.get("md")
        if not self.parallel or not hasattr(reader, "convert") or self.settings.get("LOAD_CONTENT_CACHE"):
            return
        # The very list, in the very order, that ArticlesGenerator.generate_context reads.
        files = generator.get_files(self.settings["ARTICLE_PATHS"],
                                    exclude=self.settings["ARTICLE_EXCLUDES"])
        paths = [os.path.abspath(os.path.join(generator.path, f)) for f in files
                 if os.path.splitext(f)[1].lstrip(".") in reader.file_extensions]
        if len(paths) >= 4:
            reader.ready = Prefetch(reader.convert, paths).take
            log.debug("cchc_pipeline: a child converts %d of %d posts", len(paths) - int(len(paths) * OWN_SHARE),
                      len(paths))

    # --- 2. index -----------------------------------------------------------------------

    def start_index(self, generator):
        search = sys.modules.get("cchc_search")
        if search is None or "cchc_search" not in (self.settings.get("PLUGINS") or []):
            return
        # Inline too when there is no second core: the index is always built from the articles
        # as they are now, before other generators change them (cchc_documents links numbers).
        # The records of the document pages come from cchc_documents' registry, which this
        # process builds meanwhile (hand_over sends them): the child indexes the posts first.
        self.index_job = parallel.Background(search.build_index, generator.articles, self.settings,
                                             generator.output_path, parallel=self.parallel,
                                             name="cchc_search index",
                                             inbox="cchc_documents" in plugin_names(self.settings))
        log.debug("cchc_pipeline: search index started (%s)", "in a child" if self.parallel else "inline")

    def hand_over(self, generators):
        """Give the index child the document pages' records (every context is built now, the
        documents registry included) and the search generator the index job to wait for."""
        if self.index_job is None:
            return
        search = sys.modules["cchc_search"]
        for generator in generators:
            if _plugin_of(generator) == "cchc_documents":
                self.index_job.send(search.document_records(generator.context["cchc_documents"]))
            if _plugin_of(generator) == "cchc_search":
                generator.index_built = self.index_job.wait


class Prefetch:
    """Posts converted ahead by a forked child, in the order Pelican will ask for them."""

    def __init__(self, convert, paths):
        own = int(len(paths) * OWN_SHARE)
        self.theirs = {path: n for n, path in enumerate(paths[own:])}
        self.stream = parallel.StreamMap(_Safe(convert), paths[own:], name="cchc_content read")

    def take(self, path):
        """(HTML, Document) for *path* if the child converted it, else None (read it here)."""
        try:
            if path in self.theirs:
                return self.stream.get(self.theirs[path])
            self.stream.poll()  # collect what the child has done while this process works
        except parallel.ChildError as exc:
            log.debug("cchc_pipeline: the reading child failed, reading here: %s", exc)
            self.theirs = {}
        return None


class _Safe:
    """convert(path), or None when it raises: the build process reads that post again and reports it."""

    def __init__(self, convert):
        self.convert = convert

    def __call__(self, path):
        try:
            return self.convert(path)
        except Exception:  # noqa: BLE001 - reported by the build process's own read
            return None


def _start_reading(generator):
    generator.cchc_pipeline = Pipeline(generator.settings)
    generator.cchc_pipeline.start_reading(generator)


def _start_index(generator):
    pipeline = getattr(generator, "cchc_pipeline", None)
    if pipeline is not None:
        pipeline.start_index(generator)


def _hand_over(generators):
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    pipeline = getattr(articles, "cchc_pipeline", None)
    if pipeline is not None:
        pipeline.hand_over(generators)


def register():
    """Check the plugin order; run the read and index stages in child processes."""
    signals.initialized.connect(check_order)
    signals.article_generator_init.connect(_start_reading)
    signals.article_generator_finalized.connect(_start_index)
    signals.all_generators_finalized.connect(_hand_over)
