"""cchc_seo: sitemap.xml and robots.txt for production builds, reproducible.

The sitemap lists every page Pelican's writer produced (articles, pages, listings, and the
pages other plugins write the same way), except the 404 page, paginated continuations
(``…/trang/2/``) and anything not published. ``<lastmod>`` is given only when it is known
(the post's date or ``modified``), never the time of the build, so two builds of the same
input are byte-identical (pelican-sitemap dates listing pages with the clock).

robots.txt names the sitemap. Crawlers read robots.txt only at the root of a host: under a
subpath (https://example.gov.vn/cchc/) add the Sitemap line to the host's own robots.txt
(docs/deploy.md).

The pages a build wrote are that build's own record (``SeoGenerator.written``, reached from
``content_written`` through the build's shared context), so nothing is kept between builds.

    CCHC_SEO = {"SITEMAP": True, "ROBOTS": True, "DISALLOW": [], "EXCLUDE": [regex, …]}
"""

import logging
import os
import re
from xml.sax.saxutils import escape

from pelican import signals

from cchc.core.dates import build_now, is_unknown
from cchc.core.settings import merged_settings

log = logging.getLogger(__name__)

DEFAULTS = {
    "SITEMAP": True,
    "ROBOTS": True,
    "DISALLOW": [],
    "EXCLUDE": [r"^404\.html$", r"(^|/)trang/\d+/index\.html$"],
}
SITEMAP, ROBOTS = "sitemap.xml", "robots.txt"  # at the root of the site
# Key of the build's record in its shared context (every writer's context is a copy of it).
WRITTEN = "cchc_seo_written"


def settings_for(settings):
    """CCHC_SEO merged over DEFAULTS (a local copy)."""
    return merged_settings(settings, "CCHC_SEO", DEFAULTS, "cchc_seo")


def site_paths(_settings):
    """Where this plugin writes (cchc.core.sitepaths: an old path may not take these over)."""
    return [SITEMAP, ROBOTS]


def remember(path, context=None):
    """Note every HTML file the writer produces, with the post it shows (if any)."""
    written = (context or {}).get(WRITTEN)
    if written is None or not path.endswith(".html"):
        return  # a build without cchc_seo's generator, or not a page
    written[path] = context.get("article") or context.get("page")


def _lastmod(obj, now):
    """``modified``, else the date; never one after *now* (the build's moment): a typo such as
    9999 is no date at all, as in the feeds."""
    if obj is None or is_unknown(getattr(obj, "date", None)):
        return None
    for value in (getattr(obj, "modified", None), getattr(obj, "date", None)):
        if value and value <= now:
            return value.isoformat(timespec="seconds")
    return None


def sitemap_xml(siteurl, entries):
    """entries: sorted (url path, lastmod or None)."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path, lastmod in entries:
        lines.append(f"<url><loc>{escape(siteurl + '/' + path)}</loc>"
                     + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(written, settings, output_path, conf):
    """sitemap.xml from *written* (output path → the post shown, or None)."""
    output = os.path.abspath(output_path)
    excludes = [re.compile(p) for p in conf["EXCLUDE"]]
    now = build_now(settings)
    entries = {}
    for path, obj in written.items():
        rel = os.path.relpath(os.path.abspath(path), output).replace(os.sep, "/")
        if rel.startswith("..") or any(p.search(rel) for p in excludes):
            continue
        if obj is not None and getattr(obj, "status", "published") != "published":
            continue
        url = rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel
        entries[url] = _lastmod(obj, now)
    with open(os.path.join(output, SITEMAP), "w", encoding="utf-8") as fh:
        fh.write(sitemap_xml(settings.get("SITEURL", ""), sorted(entries.items())))
    log.info("cchc_seo: sitemap.xml lists %d pages", len(entries))


def write_robots(settings, output_path, conf):
    siteurl = settings.get("SITEURL", "")
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in conf["DISALLOW"]] or ["Disallow:"]
    if siteurl and conf["SITEMAP"]:
        lines += [f"Sitemap: {siteurl}/{SITEMAP}"]
    with open(os.path.join(output_path, ROBOTS), "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


class SeoGenerator:
    """Keeps the pages this build writes; writes sitemap.xml and robots.txt after them.

    Not a pelican Generator: it reads no templates, so it needs no Jinja environment."""

    def __init__(self, context, settings, output_path, **_pelican_args):
        self.settings, self.output_path = settings, output_path
        self.written = context[WRITTEN] = {}  # output path → article/page or None (listings)

    def generate_output(self, writer):
        conf = settings_for(self.settings)
        if conf["SITEMAP"]:
            write_sitemap(self.written, self.settings, self.output_path, conf)
        if conf["ROBOTS"]:
            write_robots(self.settings, self.output_path, conf)


def get_generators(_pelican):
    return SeoGenerator


def run_last(generators):
    """Pelican writes with each generator in turn, in this list (the one it passes here): the
    sitemap's turn comes after every other's, StaticGenerator's included, so whatever order
    PLUGINS lists the plugins in, every page is written before it is listed."""
    for gen in [g for g in generators if isinstance(g, SeoGenerator)]:
        generators.remove(gen)
        generators.append(gen)


def register():
    """Collect this build's written pages; write sitemap.xml and robots.txt after them."""
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(run_last)
    signals.content_written.connect(remember)
