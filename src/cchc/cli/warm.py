"""The preview's fast path: a warm Pelican that rewrites only what one edited post touches.

A full build at 2,000 posts takes seconds; a staff member saving one post wants to see it at
once. This child process (started by the dev server, `python -m cchc.cli.warm SETTINGS
CONTENT OUTPUT`) runs one ordinary Pelican build in-process into a scratch folder and keeps
its generators (signal ``all_generators_finalized``). For each edited post it is sent
(one JSON line on stdin), it reads the file again with Pelican's own reader (so every plugin
signal runs as in a build), updates that post's object in place (every listing and context
holding it sees the change), and writes with Pelican's own templates and writer, into the
served folder, the post's page and the home page. It answers one JSON line: the files it
wrote (a post whose slug changed at its new address, with the old → new URL path in ``moved``;
a re-dated post with Pelican's lists sorted again), or why it did not (a new post, one whose
type, language or status changed, a post with errors): then only the full build runs.
The dev server always runs the full build afterwards, so what a finished preview serves is
exactly a full build's output; this path only gets there first.

Only Pelican's public pieces are used (Pelican.run, signals, Readers.read_file,
Writer.write_file, the generators' templates and context); nothing of the plugins' internals.
"""

import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

_captured = {}


def _keep_generators(generators):
    _captured["generators"] = generators


def _article_of(gen, source):
    for group in ("articles", "translations", "hidden_articles", "hidden_translations"):
        for article in getattr(gen, group, ()):
            if os.path.abspath(article.source_path) == source:
                return article
    return None


def _reorder(gen):
    """A post's date changed: Pelican's own lists in its order again (newest first, as
    generate_context sorts them). Plugins' own listings are left as they were: the full build
    that always follows writes them (and the dev server warms up a fresh process meanwhile)."""
    from operator import attrgetter

    from pelican.utils import order_content

    for name in ("articles", "translations", "hidden_articles", "hidden_translations"):
        group = getattr(gen, name, None)
        if isinstance(group, list):
            group[:] = order_content(list(group), gen.settings["ARTICLE_ORDER_BY"])
    if isinstance(getattr(gen, "dates", None), list):
        gen.dates.sort(key=attrgetter("date"), reverse=gen.context["NEWEST_FIRST_ARCHIVES"])
    rank = {id(a): i for i, a in enumerate(gen.articles)}
    for name in ("categories", "tags", "authors"):
        groups = getattr(gen, name, None) or ()
        for _key, posts in groups.items() if isinstance(groups, dict) else groups:
            if isinstance(posts, list):
                posts.sort(key=lambda a: rank.get(id(a), len(rank)))


def forget_rendered(post):
    """Drop what Pelican memoized for *post*: its rendered body and summary.

    ``Content.get_content`` and ``get_summary`` are ``pelican.utils.memoized``: one cache per
    method, keyed by (post, siteurl). A post updated in place would otherwise keep serving the
    body it had when it was first rendered (the stale quick preview of issue 31)."""
    for name in ("get_content", "get_summary"):
        cache = getattr(getattr(type(post), name, None), "cache", None)
        if isinstance(cache, dict):
            for key in [k for k in cache if isinstance(k, tuple) and k and k[0] is post]:
                del cache[key]


class Warm:
    """Pelican's generators after one full build, ready to rewrite single posts."""

    def __init__(self, settings_file, content, output):
        from pelican import Pelican, signals
        from pelican.settings import read_settings

        self.output = str(Path(output).resolve())
        scratch = tempfile.mkdtemp(prefix=".cchc-warm-", dir=str(Path(self.output).parent))
        # One process: the fork-based parallel build is for full builds, not for this one.
        self.settings = read_settings(settings_file, override={
            "PATH": str(Path(content).resolve()), "OUTPUT_PATH": scratch, "CCHC_PARALLEL": False})
        signals.all_generators_finalized.connect(_keep_generators)
        try:
            Pelican(self.settings).run()
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        from pelican.generators import ArticlesGenerator

        self.gen = next(g for g in _captured["generators"] if isinstance(g, ArticlesGenerator))

    def update(self, path, write=True):
        """Rewrite the page of edited post *path* and the home page → (files written, reason).

        A new date or slug is taken too: the lists are put in date order again, the page is
        written at its new address, and ``self.moved`` maps the old URL path to the new one
        (``self.structural``: the warm state now differs from a fresh build's in what only the
        full build writes, the plugins' listings; the dev server warms up a fresh process).

        With write=False only the post's object is refreshed (an edit saved while warming up)."""
        from pelican import signals
        from pelican.contents import Article
        from pelican.writers import Writer

        gen = self.gen
        self.moved, self.structural = {}, False
        source = os.path.abspath(path)
        old = _article_of(gen, source)
        if old is None:
            return None, "bài mới, hoặc trang trong content/pages/"
        try:
            new = gen.readers.read_file(
                base_path=gen.path, path=os.path.relpath(source, gen.path), content_class=Article,
                context=gen.context, preread_signal=signals.article_generator_preread,
                preread_sender=gen, context_signal=signals.article_generator_context,
                context_sender=gen)
        except Exception as exc:  # a post with errors: the full build reports them
            return None, f"không đọc được ({exc.__class__.__name__})"
        for attr, what in (("status", "trạng thái"), ("lang", "ngôn ngữ"), ("category", "loại bài")):
            if getattr(new, attr, None) != getattr(old, attr, None):
                return None, f"{what} ({attr}) đã đổi"
        old_url, redated = old.url, new.date != old.date
        if new.save_as != old.save_as and os.path.lexists(os.path.join(self.output, new.save_as)):
            # another post's or listing's page: the full build's check names the clash
            return None, f"địa chỉ mới /{new.url} đã là của một trang khác"
        # In place: every list, listing and plugin structure holding the post sees the edit.
        frozen = "override_url" in old.__dict__ and "override_url" not in new.__dict__
        old.__dict__.update(new.__dict__)
        if frozen:  # cchc_content froze the URL (freeze_urls): freeze the new one
            del old.__dict__["override_url"]
            old.override_url = old.url
        forget_rendered(old)
        if redated:
            _reorder(gen)
        self.moved = {"/" + old_url: "/" + old.url} if old.url != old_url else {}
        self.structural = redated or bool(self.moved)
        if hasattr(old, "refresh_metadata_intersite_links"):
            old.refresh_metadata_intersite_links()
        if not write:
            return [], None
        writer = Writer(self.output, settings=gen.settings)
        relative = gen.settings["RELATIVE_URLS"]
        writer.write_file(old.save_as, gen.get_template(old.template), gen.context,
                          relative_urls=relative, article=old, category=getattr(old, "category", None),
                          override_output=hasattr(old, "override_save_as"), url=old.url, blog=True)
        written = [old.save_as]
        save_as = gen.settings.get("INDEX_SAVE_AS", "index.html")
        if "index" in gen.settings["DIRECT_TEMPLATES"] and save_as:
            writer.write_file(save_as, gen.get_template("index"), gen.context, relative_urls=relative,
                              articles=gen.articles, dates=gen.dates, blog=True, template_name="index",
                              page_name=os.path.splitext(save_as)[0],
                              url=gen.settings.get("INDEX_URL", save_as))
            written.append(save_as)
        return written, None


def main(argv=None):
    settings_file, content, output = (argv or sys.argv[1:])[:3]
    sys.path.insert(0, os.getcwd())
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    out = sys.stdout
    sys.stdout = sys.stderr  # Pelican's prints must not mix with the answers
    t = time.perf_counter()
    try:
        warm = Warm(settings_file, content, output)
    except Exception as exc:  # e.g. a broken post at start: the dev server goes on without it
        out.write(json.dumps({"ready": False, "reason": repr(exc)}) + "\n")
        out.flush()
        return 1
    out.write(json.dumps({"ready": True, "seconds": time.perf_counter() - t}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        t = time.perf_counter()
        try:
            written, reason = warm.update(request["path"], request.get("write", True))
        except Exception as exc:  # never leave the dev server waiting
            written, reason = None, repr(exc)
        out.write(json.dumps({"written": written, "reason": reason, "seconds": time.perf_counter() - t,
                              "moved": getattr(warm, "moved", {}), "structural": getattr(warm, "structural", False)},
                             ensure_ascii=False) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
