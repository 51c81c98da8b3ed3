"""cchc_feeds: RSS 2.0 and Atom feeds (feedgen) for the site, each type, area and locality.

Feeds are written only when SITEURL is absolute (``make publish``): a development build
(SITEURL = "") writes no feeds and no autodiscovery links, so a feed with broken
relative or localhost links can never be produced. /theo-doi/ is always written and
lists every feed (or, in a development build, says feeds appear on the published site).

Identity, order and dates (see docs/feeds.md):

* entry id / RSS guid (isPermaLink="false"): ``urn:uuid:<id>`` from the front-matter
  ``id``; an ``id`` that is not a UUID, or a post without ``id``, gets a name-based
  UUID (uuid5) of that id or of its source path under content/, so editing the title,
  slug or date never changes it;
* newest first by date; posts whose date is unknown (``khong-ro``) or lies after the
  build time (a wrong future date) carry no published date, come after every dated
  post and so never reach the top; the build time is cchc.core.dates.build_now, the same
  as cchc_schedule's (``CCHC_SCHEDULE["NOW"]``, ``CCHC_NOW``, ``SOURCE_DATE_EPOCH``, the clock);
* Atom needs an ``updated`` date on every entry: such posts use ``modified`` when it is
  known, otherwise the oldest real date on the site, so a reader sorting by date keeps
  them at the bottom and no 1970 sentinel ever appears; their text starts with a note;
* the feed's own ``updated`` / ``lastBuildDate`` is the newest entry's, so two builds of
  the same content give byte-identical files.
"""

import logging
import os
import uuid
from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from feedgen.feed import FeedGenerator
from markupsafe import escape
from pelican import signals
from pelican.generators import Generator

from cchc.core import AREAS, format_vi_date, nfc, outputtree, parse_vi_date
from cchc.core.changes import last_modified
from cchc.core.dates import build_now, is_unknown
from cchc.core.schema import TYPES
from cchc.core.settings import merged_settings, require_order
from cchc.core.sitepaths import DEFAULT_URLS
from cchc.core.siteurl import host, is_absolute

log = logging.getLogger(__name__)

DEFAULTS = {
    "ENABLED": None,  # None: on exactly when SITEURL is an absolute http(s) URL
    "LIMIT": 50,  # entries per feed, newest first
    "ALL_URL": DEFAULT_URLS["feed_all"],
    "TYPE_URL": DEFAULT_URLS["feed_type"],
    "AREA_URL": DEFAULT_URLS["feed_area"],
    "LOCALITY_URL": DEFAULT_URLS["feed_locality"],
    "PAGE_URL": DEFAULT_URLS["follow"],  # the page listing every feed
    # Atom "updated" of undated posts when the site has no dated post at all.
    "UNDATED_FALLBACK": "01/01/2000",
}
FORMATS = ("atom", "rss")
MIME = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
# Namespace of the name-based entry ids (uuid5) for posts without a UUID `id`.
# Never change it: every such entry would get a new id and reach subscribers twice.
ID_NAMESPACE = uuid.UUID("6f1c5d1e-2b0a-5c8e-9a57-cc4c0a11f33d")
_URL_ATTRS = {
    "a": ("href",), "area": ("href",), "img": ("src", "srcset", "longdesc"),
    "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "iframe": ("src",), "embed": ("src",), "object": ("data",),
    "link": ("href",), "form": ("action",), "blockquote": ("cite",), "q": ("cite",),
    "ins": ("cite",), "del": ("cite",),
}


def settings_for(settings):
    """CCHC_FEEDS merged over DEFAULTS into a local copy; unknown keys are logged."""
    merged = merged_settings(settings, "CCHC_FEEDS", DEFAULTS, "cchc_feeds")
    if not isinstance(merged["LIMIT"], int) or merged["LIMIT"] < 1:
        log.warning("cchc_feeds: CCHC_FEEDS['LIMIT'] must be a positive integer; using %s",
                    DEFAULTS["LIMIT"])
        merged["LIMIT"] = DEFAULTS["LIMIT"]
    return merged


def site_paths(settings):
    """Where this plugin writes (cchc.core.sitepaths: an old path may not take these over)."""
    conf = settings_for(settings)
    return [conf[k] for k in ("ALL_URL", "TYPE_URL", "AREA_URL", "LOCALITY_URL", "PAGE_URL")]


def feeds_enabled(conf, siteurl):
    """Feeds need absolute links: never write them without an http(s) SITEURL."""
    if conf["ENABLED"] is False:
        return False
    if not is_absolute(siteurl):
        if conf["ENABLED"]:
            log.warning("cchc_feeds: SITEURL %r is not absolute; no feeds written", siteurl)
        return False
    if host(siteurl) in ("localhost", "127.0.0.1", "::1"):
        log.warning("cchc_feeds: feeds link to %s; set SITEURL to the published address", host(siteurl))
    return True


def entry_id(article, content_path):
    """A permanent URI for *article*: never derived from title, slug or date."""
    pid = getattr(article, "permanent_id", None)
    if pid:
        try:
            return f"urn:uuid:{uuid.UUID(pid)}"
        except ValueError:
            return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'id:' + pid)}"
    rel = os.path.relpath(article.source_path, content_path).replace(os.sep, "/")
    log.warning("cchc_feeds: %s has no id: its feed id comes from the file path, so do not "
                "rename the file (add `id:` with a UUID; `cchc new` writes one)", rel)
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, 'path:' + rel)}"


def has_feed_date(article, now):
    """A date a subscriber may trust for ordering: known and not after the build time."""
    return not is_unknown(article.date) and article.date <= now


def absolutize(html, base):
    """Every relative URL in *html* (links, images, srcset…) made absolute against *base*."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(list(_URL_ATTRS)):
        for attr in _URL_ATTRS[tag.name]:
            value = tag.get(attr)
            if not value:
                continue
            if attr == "srcset":
                parts = []
                for candidate in value.split(","):
                    bits = candidate.strip().split(None, 1)
                    if bits:
                        bits[0] = urljoin(base, bits[0])
                        parts.append(" ".join(bits))
                tag[attr] = ", ".join(parts)
            else:
                tag[attr] = urljoin(base, value.strip())
    return str(soup)


@dataclass
class Feed:
    """One feed (in both formats): what it covers and where it is written."""

    key: str  # "all", "type:tin-tuc", "area:<code>", "locality:<slug>"
    group: str  # "all" | "type" | "area" | "locality"
    slug: str
    name: str
    title: str
    description: str
    page_url: str  # the HTML page the feed mirrors, relative to SITEURL
    paths: dict  # format → path relative to the output directory
    siteurl: str
    articles: list = field(default_factory=list)

    def url(self, fmt):
        return f"{self.siteurl}/{self.paths[fmt]}"

    @property
    def atom_url(self):
        return self.url("atom")

    @property
    def rss_url(self):
        return self.url("rss")

    @property
    def links(self):
        """(format, MIME type, absolute URL) for autodiscovery and /theo-doi/."""
        return [(fmt, MIME[fmt], self.url(fmt)) for fmt in FORMATS]


def plan_feeds(articles, areas, localities, conf, siteurl, ui, sitename):
    """The list of feeds: all, per type, per area, per locality (empty ones included for types)."""
    feeds = []

    def add(key, group, slug, name, title_key, desc_key, page_url, url_key, items):
        paths = {fmt: conf[url_key].format(slug=slug, ext=fmt) for fmt in FORMATS}
        feeds.append(Feed(
            key=key, group=group, slug=slug, name=name,
            title=nfc(ui[title_key].format(name=name, site=sitename)),
            description=nfc(ui[desc_key].format(name=name, site=sitename)),
            page_url=page_url, paths=paths, siteurl=siteurl, articles=list(items),
        ))

    add("all", "all", "tat-ca", ui["feed_name_all"], "feed_title_all", "feed_desc_all", "",
        "ALL_URL", articles)
    reports = any(getattr(a, "kind", None) == "bao-cao" for a in articles)
    for kind in ("tin-tuc", "ke-hoach") + (("bao-cao",) if reports else ()):  # reports: once there are some
        add(f"type:{kind}", "type", kind, TYPES[kind], "feed_title_type", "feed_desc_type",
            f"{kind}/", "TYPE_URL", [a for a in articles if getattr(a, "kind", None) == kind])
    for listing in areas:
        add(f"area:{listing.slug}", "area", listing.slug, listing.name, "feed_title_area",
            "feed_desc_area", listing.url, "AREA_URL", listing.articles)
    for listing in localities:
        add(f"locality:{listing.slug}", "locality", listing.slug, listing.name,
            "feed_title_locality", "feed_desc_locality", listing.url, "LOCALITY_URL",
            listing.articles)
    return feeds


class FeedWriter:
    """Turns a Feed into Atom and RSS bytes with feedgen; deterministic for the same input."""

    def __init__(self, settings, conf, ui, all_articles, now, area_scheme="linh-vuc/"):
        self.area_scheme = area_scheme  # the areas index page: the scheme of area categories
        self.siteurl = settings["SITEURL"]
        self.sitename = settings["SITENAME"]
        self.content_path = settings["PATH"]
        self.limit = conf["LIMIT"]
        self.ui = ui
        self.now = now
        dated = [a.date for a in all_articles if has_feed_date(a, now)]
        self.undated_updated = min(dated) if dated else parse_vi_date(conf["UNDATED_FALLBACK"])
        self._entries = {}
        self._ids = {}

    def order(self, articles):
        """Newest first by trusted date; undated and future-dated posts after them."""
        dated = [a for a in articles if has_feed_date(a, self.now)]
        rest = [a for a in articles if not has_feed_date(a, self.now)]
        # Sorted on the id alone (not the whole entry): only the posts a feed shows are converted
        # for it (absolutize), not every post of every feed (2,000 at 2,000 posts, for 50 shown).
        dated.sort(key=lambda a: (a.date, self.entry_id(a)), reverse=True)
        rest.sort(key=lambda a: (-self.entry(a)["updated"].timestamp(), self.entry_id(a)))
        return (dated + rest)[: self.limit]

    def entry_id(self, article):
        """entry_id() of *article*, once per article (it warns about a post without id)."""
        cached = self._ids.get(id(article))
        if cached is None:
            cached = self._ids[id(article)] = entry_id(article, self.content_path)
        return cached

    def entry(self, article):
        """Everything a feed entry needs, computed once per article."""
        cached = self._entries.get(id(article))
        if cached:
            return cached
        link = f"{self.siteurl}/{article.url}"
        trusted = has_feed_date(article, self.now)
        modified = last_modified(article)  # modified: or the newest changes: entry
        if modified and modified > self.now:
            modified = None
        if trusted:
            published = article.date
            updated = max(article.date, modified) if modified else article.date
        else:
            published = None
            updated = modified or self.undated_updated
        content = absolutize(self.date_notice(article, trusted) + article.content, link)
        # Atom author / dc:creator: the byline, then the source unit (RSS <author> needs an e-mail).
        authors = [getattr(article, "byline", None), getattr(article, "source_unit", None)]
        data = {
            "id": self.entry_id(article),
            "title": nfc(article.title),
            "link": link,
            "summary": nfc(getattr(article, "summary_text", "") or ""),
            "content": nfc(content),
            "authors": [nfc(a) for a in dict.fromkeys(authors) if a],
            "areas": [(code, AREAS[code]) for code in getattr(article, "areas", []) or []],
            "published": published,
            "updated": updated,
        }
        self._entries[id(article)] = data
        return data

    def date_notice(self, article, trusted):
        """A first paragraph telling the reader why a post has no (or a doubtful) date."""
        status = getattr(article, "date_status", "chac-chan")
        note = getattr(article, "date_note", "") or ""
        if is_unknown(article.date):
            label = self.ui["date_unknown"]
        elif not trusted:  # dated after the build: a wrong (or not yet reached) future date
            label = self.ui["date_doubtful_title"]
            future = self.ui["feed_future_note"].format(date=format_vi_date(article.date, "short"))
            note = f"{future} {note}".strip()
        elif status == "nghi-van":
            label = self.ui["date_doubtful_title"]
        else:
            return ""
        return f"<p><strong>{escape(label)}.</strong> {escape(note)}</p>\n"

    def render(self, feed):
        """{format: bytes} for *feed*."""
        entries = [self.entry(a) for a in self.order(feed.articles)]
        fg = FeedGenerator()
        fg.load_extension("dc", atom=False, rss=True)  # dc:creator: RSS only (Atom has <author>)
        fg.id(feed.atom_url)
        fg.title(feed.title)
        fg.subtitle(feed.description)  # also the RSS <description>
        fg.language("vi")
        fg.author({"name": self.sitename})
        updated = max((e["updated"] for e in entries), default=self.undated_updated)
        fg.updated(updated)  # also RSS lastBuildDate: the newest entry, never the clock
        for e in entries:
            fe = fg.add_entry(order="append")
            fe.id(e["id"])  # also RSS <guid isPermaLink="false">
            fe.title(e["title"])
            fe.link(href=e["link"], rel="alternate", type="text/html")
            if e["summary"]:
                # RSS <description> is HTML, Atom <summary> plain text: the summary is text.
                fe.description(str(escape(e["summary"])))
                fe.summary(e["summary"])
            fe.content(e["content"], type="html")
            for name in e["authors"]:
                fe.author({"name": name})
                fe.dc.dc_creator(name)
            for code, label in e["areas"]:
                fe.category(term=code, label=label,
                            scheme=f"{self.siteurl}/{self.area_scheme}")
            if e["published"]:
                fe.published(e["published"])
            fe.updated(e["updated"])
        out = {}
        page = f"{self.siteurl}/{feed.page_url}"
        for fmt in FORMATS:
            # Each format links to itself (rel=self); RSS takes the last link as <link>.
            fg.link([{"href": feed.url(fmt), "rel": "self", "type": MIME[fmt]},
                     {"href": page, "rel": "alternate", "type": "text/html"}], replace=True)
            out[fmt] = fg.atom_str(pretty=True) if fmt == "atom" else fg.rss_str(pretty=True)
        return out


class FeedsGenerator(Generator):
    """Plans the feeds (context for autodiscovery), writes them and /theo-doi/."""

    def generate_context(self):
        from cchc_theme import load_catalogue  # the one interface-text catalogue

        self.conf = settings_for(self.settings)
        siteurl = self.settings.get("SITEURL", "")
        self.enabled = feeds_enabled(self.conf, siteurl)
        self.ui = load_catalogue(self.settings["THEME"])["vi"]
        articles = self.context.get("articles", [])
        areas = self.context.get("cchc_areas")
        localities = self.context.get("cchc_localities")
        if areas is None or localities is None:
            log.warning("cchc_feeds: cchc_listings must come before cchc_feeds in PLUGINS; "
                        "no area or locality feeds")
            areas, localities = areas or [], localities or []
        self.feeds = plan_feeds(articles, areas, localities, self.conf, siteurl, self.ui,
                                self.settings["SITENAME"]) if self.enabled else []
        self.context.update(
            CCHC_FEEDS_ON=self.enabled,
            CCHC_FEEDS_PAGE_URL=self.conf["PAGE_URL"],
            CCHC_FEEDS_LIMIT=self.conf["LIMIT"],
            cchc_feed_index={f.key: f for f in self.feeds},
            # Listing pages find their own feed by page_name ("tin-tuc", "linh-vuc/the-che").
            cchc_feed_by_page={f.page_url.strip("/"): f for f in self.feeds if f.key != "all"},
            cchc_feed_groups=[(g, [f for f in self.feeds if f.group == g])
                              for g in ("all", "type", "area", "locality")],
        )

    def generate_output(self, writer):
        if self.enabled:
            areas_url = self.context.get("CCHC_LISTING_URLS", {}).get("AREAS_URL", DEFAULT_URLS["areas"])
            out_writer = FeedWriter(self.settings, self.conf, self.ui,
                                    self.context.get("articles", []), build_now(self.settings), areas_url)
            # A feed the live site holds byte for byte is linked from there (cchc.core.outputtree).
            tree = outputtree.PreviousTree.from_settings(self.settings, self.output_path)
            for feed in self.feeds:
                for fmt, data in out_writer.render(feed).items():
                    outputtree.put(os.path.join(self.output_path, feed.paths[fmt]), data, tree)
            log.info("cchc_feeds: wrote %d feeds in Atom and RSS", len(self.feeds))
        else:
            log.info("cchc_feeds: SITEURL is not absolute (development build): no feeds written")
        url = self.conf["PAGE_URL"]
        writer.write_file(url + "index.html", self.get_template("theo-doi"), self.context,
                          url=url, page_name=url.rstrip("/"))


def get_generators(_pelican):
    return FeedsGenerator


def check_order(pelican):
    """The feeds per area and locality read the listings' context: after cchc_listings."""
    require_order(pelican.settings, "cchc_feeds", after=("cchc_listings",))


def register():
    """Check the plugin order; add the feeds generator."""
    signals.initialized.connect(check_order)
    signals.get_generators.connect(get_generators)
