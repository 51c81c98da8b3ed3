"""Every address the site itself publishes or reserves, and the one rule built on it: an old
path (``old_paths:``, a ``redirects.json`` entry) never takes one of them over.

The addresses come from the settings the build uses, never from a list kept by hand:

* Pelican's own URL settings: the home page (``INDEX_SAVE_AS``), the direct templates (tags,
  archives, 404), the listing of each post type (``CATEGORY_URL``), tag pages (``TAG_URL``),
  pagination (``PAGINATION_PATTERNS``), the language roots (``PAGE_LANG_URL`` for every language
  but the default), ``STATIC_PATHS`` and the theme's folder (``THEME_STATIC_DIR``);
* every plugin that writes pages or files says where, from its own settings merged over its
  defaults, in a ``site_paths(settings)`` function (feeds and /theo-doi/, the search page and
  its data, open data, the document pages, /admin/, sitemap.xml, robots.txt, the redirect maps…);
* every post's own address (``post_url``, the pattern the build uses).

A plugin path such as ``feeds/tat-ca.{ext}.xml`` or ``tim-kiem/`` gives its whole first folder to
the plugin (``/feeds/…``, ``/tim-kiem/…``); one without a folder (``sitemap.xml``) is one file.

Why the rule matters: an old path is written into the nginx and Apache redirect maps (which
answer before any file is served) and as a redirect page in output/; ``old_paths: [/]`` would send
the home page to one post, ``/feeds/…`` would move the feeds, ``/Tin-Tuc/`` would overwrite the
listing on a case-insensitive disk. Used by ``cchc check``, by the build's own check
(cchc_content) and by ``cchc import`` (which drops such a path with a warning).
"""

import importlib
import os
import posixpath
import re
import sys
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from .text import slugify

# The site's URL space, declared once: each section's name → (the settings dict that moves it,
# its key there, the default address). Pelican's own settings have no dict (None). pelicanconf.py
# and each plugin's DEFAULTS take their defaults from here (``DEFAULT_URLS``); ``section_urls``
# gives the addresses a build with given settings uses, read by the templates (the Jinja global
# ``SITE_URLS``), the reserved slugs, `make check`'s link check and the feeds. The listings of
# the post types (/tin-tuc/, /ke-hoach/, /bao-cao/) are ``CATEGORY_URL`` with the type's name.
SECTIONS = {
    "tag": (None, "TAG_URL", "tu-khoa/{slug}/"),
    "tags": (None, "TAGS_URL", "tu-khoa/"),
    "archives": (None, "ARCHIVES_URL", "luu-tru/"),
    "search": ("CCHC_SEARCH", "PAGE_URL", "tim-kiem/"),
    "search_data": ("CCHC_SEARCH", "OUTPUT_DIR", "tim-kiem/du-lieu"),
    "follow": ("CCHC_FEEDS", "PAGE_URL", "theo-doi/"),
    "feed_all": ("CCHC_FEEDS", "ALL_URL", "feeds/tat-ca.{ext}.xml"),
    "feed_type": ("CCHC_FEEDS", "TYPE_URL", "feeds/loai/{slug}.{ext}.xml"),
    "feed_area": ("CCHC_FEEDS", "AREA_URL", "feeds/linh-vuc/{slug}.{ext}.xml"),
    "feed_locality": ("CCHC_FEEDS", "LOCALITY_URL", "feeds/dia-phuong/{slug}.{ext}.xml"),
    "document": ("CCHC_DOCUMENTS", "DOCUMENT_URL", "van-ban/{slug}/"),
    "documents": ("CCHC_DOCUMENTS", "DOCUMENTS_URL", "van-ban/"),
    "documents_by_date": ("CCHC_DOCUMENTS", "DOCUMENTS_BY_DATE_URL", "van-ban/theo-ngay/"),
    "targets": ("CCHC_DOCUMENTS", "TARGETS_URL", "chi-tieu/"),
    "area": ("CCHC_LISTINGS", "AREA_URL", "linh-vuc/{slug}/"),
    "areas": ("CCHC_LISTINGS", "AREAS_URL", "linh-vuc/"),
    "locality": ("CCHC_LISTINGS", "LOCALITY_URL", "dia-phuong/{slug}/"),
    "localities": ("CCHC_LISTINGS", "LOCALITIES_URL", "dia-phuong/"),
    "year": ("CCHC_LISTINGS", "YEAR_URL", "nam/{slug}/"),
    "years": ("CCHC_LISTINGS", "YEARS_URL", "nam/"),
    "opendata": ("CCHC_OPENDATA", "URL", "du-lieu-mo/"),
    "redirects_nginx": ("CCHC_REDIRECTS", "NGINX", "redirects/nginx.conf"),
    "redirects_htaccess": ("CCHC_REDIRECTS", "HTACCESS", "redirects/.htaccess"),
}
DEFAULT_URLS = {name: default for name, (_group, _key, default) in SECTIONS.items()}
# The content folders published as they are (pelicanconf.py's STATIC_PATHS; `cchc check`, which
# reads no settings for this, and cchc.core.files take them from here).
STATIC_DIRS = ("files", "images")
# The folder under content/ of the document records (``CCHC_DOCUMENTS["RECORDS_PATH"]``): read by
# cchc_documents on every build, not by Pelican's reader (so not held by its content cache).
RECORDS_DIR = "van-ban"
# The build's context key of the theme files' published names ({"theme/css/main.css":
# "theme/css/main.3f2a9c1b7d.css"}): set by cchc_assets before any page is written, read by the
# templates through cchc_theme's ``asset()``. Absent (development builds): the plain names.
ASSET_NAMES = "CCHC_ASSET_NAMES"
# The listing of each post type, by its `type:` value (CATEGORY_URL with the type's name made a slug).
POST_SECTIONS = {"news": "tin-tuc", "plans": "ke-hoach", "reports": "bao-cao"}
# First path segments the site writes besides the sections above: the post types' listings and
# folders, static files, the theme, the English root, the editor, Pelican's own pages.
_OTHER_SEGMENTS = ("tin-tuc", "ke-hoach", "bao-cao", *STATIC_DIRS, "theme", "en", "admin", "trang", "index",
                   "404", "robots", "sitemap")
# First path segments a page (type: trang) may not take as its slug: it would be written over
# that part of the site (tests/browser/test_security.py compares with a real build).
RESERVED_SLUGS = frozenset(url.split("/", 1)[0].split(".", 1)[0] for url in DEFAULT_URLS.values()) | frozenset(
    _OTHER_SEGMENTS)


# The standing pages the header and footer link to on every page: role → {language: the slug of
# its page in content/pages/}. The page gives the address (its slug and PAGE_URL /
# PAGE_LANG_URL), so a renamed slug is changed here once; a role whose page is missing (or in
# draft) is not linked. ``CCHC_STANDING_PAGES`` in the settings replaces this table.
STANDING_PAGES = {
    "about": {"vi": "gioi-thieu", "en": "about"},
    "contact": {"vi": "lien-he", "en": "contact"},
    "accessibility": {"vi": "tuyen-bo-tro-nang"},
}


def standing_page_urls(pages, settings=None):
    """{role: {language: URL}} of ``STANDING_PAGES`` (or ``CCHC_STANDING_PAGES``) found among
    *pages* (Pelican's published pages: ``slug``, ``lang``, ``url``); a page not found is left out."""
    settings = settings or {}
    table = settings.get("CCHC_STANDING_PAGES", STANDING_PAGES)
    default_lang = settings.get("DEFAULT_LANG", "vi")
    by_key = {(page.lang or default_lang, page.slug): page.url for page in pages}
    return {role: {lang: by_key[lang, slug] for lang, slug in slugs.items() if (lang, slug) in by_key}
            for role, slugs in table.items()}


def section_urls(settings=None):
    """The address (no leading /) of each section a build with *settings* writes: ``SECTIONS``'
    names, each from its plugin's settings when set there, else its default; and ``news``,
    ``plans``, ``reports``: the post types' listings (``CATEGORY_URL``). What the templates read
    as ``SITE_URLS`` (``SITE_URLS.search`` → "tim-kiem/")."""
    from .schema import TYPES

    settings = settings or {}
    urls = {}
    for name, (group, key, default) in SECTIONS.items():
        values = (settings.get(group) or {}) if group else settings
        urls[name] = values[key] if key in values else default
    category = settings.get("CATEGORY_URL", "{slug}/")
    for name, kind in POST_SECTIONS.items():
        urls[name] = fill_pattern(category, slug=slugify(TYPES[kind]))
    return urls


def reserved_slug_message(slug):
    """Why a page may not take *slug* (Vietnamese, with the fix)."""
    return f"“{slug}” là đường dẫn của chính cổng (/{slug}/); trang này sẽ ghi đè nó, hãy đặt slug khác"


def page_slug_problems(pages, settings):
    """Pages (type: trang) whose slug is the first folder of a section the URL map puts somewhere
    else than its default (``CCHC_SEARCH = {"PAGE_URL": "search/"}`` reserves "search"): the schema
    refuses the default ones (``RESERVED_SLUGS``) without settings. *pages*: (path, slug, line)."""
    from .schema import Problem

    moved = section_slugs(settings) - RESERVED_SLUGS
    return [Problem(path, line, "slug", reserved_slug_message(slug)) for path, slug, line in pages if slug in moved]


def section_slugs(settings=None):
    """First path segments of the sections a build with *settings* writes ("tim-kiem", "van-ban"…)."""
    return frozenset(url.split("/", 1)[0].split(".", 1)[0] for url in section_urls(settings).values()
                     if url.split("/", 1)[0])


# What an old path is compared by: decoded (Apache decodes before matching), slashes squeezed,
# "." segments and a final index.html dropped, case-folded (a redirect page written at
# Tin-Tuc/index.html replaces tin-tuc/index.html on a case-insensitive disk), no end slashes
# (the nginx map matches with and without the final /).
_INDEX = re.compile(r"(^|/)index\.html?$", re.IGNORECASE)


# What Pelican's direct templates are, for messages.
_TEMPLATE_NAMES = {"index": "trang chủ", "tags": "trang từ khóa", "archives": "trang lưu trữ",
                   "404": "trang “không tìm thấy”", "categories": "trang chuyên mục", "authors": "trang tác giả"}


def path_key(path):
    """The comparison form of an address path: "/Tin-Tuc//index.html" → "tin-tuc"."""
    path = unquote(path.split("?", 1)[0].split("#", 1)[0])
    path = posixpath.normpath("/" + re.sub(r"/+", "/", path))
    return _INDEX.sub("", path.strip("/")).strip("/").casefold()


def static_part(pattern):
    """The part of a URL pattern before its first placeholder: "linh-vuc/{slug}/" → "linh-vuc/"."""
    return pattern.split("{", 1)[0]


def fill_pattern(pattern, **values):
    try:
        return pattern.format(**values)
    except (KeyError, IndexError, ValueError):
        return static_part(pattern)


def _languages(settings):
    from .schema import CHOICES

    default = settings.get("DEFAULT_LANG", "vi")
    return [lang for lang in CHOICES["lang"] if lang != default]


def _category_slugs():
    from .schema import TYPES

    return [slugify(name) for kind, name in TYPES.items() if kind != "trang"]


def post_url(meta, settings):
    """The URL (no leading /) a checked post is published at, from the build's URL settings:
    ``ARTICLE_URL`` / ``PAGE_URL`` (or their ``_LANG_`` forms for a post in another language)."""
    from .schema import TYPES, post_slug

    kind, default = meta["type"], settings.get("DEFAULT_LANG", "vi")
    lang = meta.get("lang", default)
    name = "PAGE" if kind == "trang" else "ARTICLE"
    name += "_URL" if lang == default else "_LANG_URL"
    return fill_pattern(_setting(settings, name), slug=post_slug(meta), lang=lang, category=slugify(TYPES[kind]))


def _setting(settings, name):
    if name in settings:
        return settings[name]
    from pelican.settings import DEFAULT_CONFIG

    return DEFAULT_CONFIG.get(name)


def _plugin_hooks(settings):
    """(name, site_paths function) of the plugins that may write pages: those named in PLUGINS and every package in
    PLUGIN_PATHS (production adds plugins to PLUGINS that development builds leave out, and
    an old path must not take a production address either)."""
    names = [getattr(plugin, "__name__", str(plugin)) for plugin in settings.get("PLUGINS") or []]
    # No settings file: the project's plugins/ folder, as pelicanconf.py names it.
    paths = [str(p) for p in settings.get("PLUGIN_PATHS") or (["plugins"] if not names else [])]
    for folder in paths:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        names += [e.name for e in entries if e.is_dir() and os.path.isfile(os.path.join(e.path, "__init__.py"))]
    added = [p for p in paths if p not in sys.path]
    sys.path.extend(added)
    try:
        for name in dict.fromkeys(names):
            try:
                module = importlib.import_module(name)
                hook = getattr(module, "site_paths", None)
                if hook is None and hasattr(module, "__path__"):  # the package's module of the same name
                    hook = getattr(importlib.import_module(f"{name}.{name}"), "site_paths", None)
            except Exception:
                continue
            if callable(hook):
                yield name, hook
    finally:
        for p in added:
            sys.path.remove(p)


def _shown(key):
    """A comparison key as an address: "" → "/", "tin-tuc" → "/tin-tuc/", "sitemap.xml" as is."""
    if not key:
        return "/"
    return f"/{key}" if "." in key.rsplit("/", 1)[-1] else f"/{key}/"


@dataclass
class SitePaths:
    """The addresses the site uses, as comparison keys (``path_key``) → what is there."""

    exact: dict = field(default_factory=dict)  # one address: "" (home), "tin-tuc", "sitemap.xml"
    folders: dict = field(default_factory=dict)  # everything below: "feeds", "theme"
    posts: dict = field(default_factory=dict)  # a post's address → its source file

    def add_post(self, url, source):
        self.posts.setdefault(path_key(url), source)

    def taken_by(self, old, source=None):
        """What of the site the old path *old* would take over (Vietnamese), or None.

        With a query string (``/?p=12``, ``/Lists/TinTuc/View_Detail.aspx?ItemID=70``) a redirect
        answers only that exact address, so only the plugins' folders refuse it. *source*: the
        post that claims *old*; its own address is no takeover (the page is already there)."""
        key = path_key(old)
        has_query = "?" in old
        for folder, what in self.folders.items():
            if key == folder or key.startswith(folder + "/"):
                return f"/{folder}/… ({what})"
        if has_query:
            return None
        owner = self.posts.get(key)
        if owner is not None:
            return None if owner == source else f"{_shown(key)} (địa chỉ của bài {owner})"
        if key in self.exact:
            return f"{_shown(key)} ({self.exact[key]})"
        return None

    def slugs(self):
        """First path segments the site writes itself (a page with one as its slug would be
        written over that part of the site)."""
        keys = list(self.exact) + list(self.folders)
        return frozenset(k.split("/", 1)[0].split(".", 1)[0] for k in keys if k)


def site_paths(settings, posts=()):
    """SitePaths of a build with *settings* (Pelican's merged with ours) and *posts*, an
    iterable of (URL, source file)."""
    settings = settings or {}
    base = urlsplit(settings.get("SITEURL") or "").path.strip("/")
    site = SitePaths()

    def exact(url, what):
        site.exact.setdefault(path_key(url), what)
        if base:
            site.exact.setdefault(path_key(f"{base}/{url}"), what)

    def folder(url, what):
        key = path_key(url)
        if key:
            site.folders.setdefault(key, what)
            if base:
                site.folders.setdefault(path_key(f"{base}/{key}"), what)

    exact("/", "trang chủ")
    exact(_setting(settings, "INDEX_SAVE_AS") or "index.html", "trang chủ")
    listings = [""]
    for lang in _languages(settings):
        root = static_part((_setting(settings, "PAGE_LANG_URL") or "").replace("{lang}", lang))
        if root.strip("/"):
            exact(root, f"trang gốc của ngôn ngữ “{lang}”")
    for slug in _category_slugs():
        url = fill_pattern(_setting(settings, "CATEGORY_URL") or "", slug=slug)
        exact(url, "trang danh sách bài")
        listings.append(url.rsplit("index.html", 1)[0])
    tag_url = _setting(settings, "TAG_URL") or ""
    if "/" in static_part(tag_url):
        folder(static_part(tag_url).split("/", 1)[0], "trang từ khóa")
    for name in _setting(settings, "DIRECT_TEMPLATES") or []:
        save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
        what = _TEMPLATE_NAMES.get(name, f"trang {name}")
        if not save_as:
            continue
        if "/" in save_as.strip("/"):
            folder(save_as.strip("/").split("/", 1)[0], what)
        else:
            exact(save_as, what)
    for _n, url, _save_as in _setting(settings, "PAGINATION_PATTERNS") or []:
        if "{base_name}" in url and "{number}" in url:
            middle = url.split("{base_name}", 1)[1].split("{number}", 1)[0]
            for listing in listings:
                folder(f"{listing.strip('/')}/{middle.strip('/')}", "các trang tiếp theo của danh sách")
    for path in _setting(settings, "STATIC_PATHS") or []:
        folder(path, f"tệp đăng từ content/{path.strip('/')}/")
    folder(_setting(settings, "THEME_STATIC_DIR") or "theme", "tệp của giao diện")
    for name, hook in _plugin_hooks(settings):
        for url in hook(settings):
            static = static_part(url).lstrip("/")
            what = f"do plugin {name} tạo ra"
            if "/" in static:
                folder(static.split("/", 1)[0], what)
            elif static == url.lstrip("/"):
                exact(static, what)
    for url, source in posts:
        site.add_post(url, source)
    return site


def project_settings(path="pelicanconf.py"):
    """The settings of *path* when it exists (SITEURL from the environment wins, as in
    publishconf.py), else only SITEURL: what ``cchc check`` and ``cchc import`` judge
    addresses by."""
    if not path or not os.path.isfile(path):
        return {"SITEURL": os.environ.get("SITEURL", "")}
    from pelican.settings import get_settings_from_file, read_settings

    try:
        settings = dict(read_settings(str(path)))
    except ValueError:  # no content or theme folder here yet (a first `cchc import`): the file as written
        settings = get_settings_from_file(str(path))
        here = os.path.dirname(os.path.abspath(path))
        settings["PLUGIN_PATHS"] = [os.path.join(here, p) for p in settings.get("PLUGIN_PATHS") or []]
    if os.environ.get("SITEURL"):
        settings["SITEURL"] = os.environ["SITEURL"]
    return settings


def old_path_problems(docs, settings):
    """Every ``old_paths`` entry of the checked posts *docs* that would take over an address of
    the site → [schema.Problem] (file, line and field of the entry, and what to do)."""
    from .schema import Problem

    if not any(d.meta.get("old_paths") for d in docs):
        return []  # nothing to judge: the plugins need not be asked where they write
    site = site_paths(settings, ((post_url(d.meta, settings), d.path) for d in docs))
    problems = []
    for doc in docs:
        for i, old in enumerate(doc.meta.get("old_paths") or []):
            taken = taken_by_message(site, old, doc.path)
            if taken:
                where = f"old_paths[{i}]"
                problems.append(Problem(doc.path, doc.lines.get(where, doc.lines.get("old_paths")), where, taken))
    return problems


def taken_by_message(site, old, source=None):
    """The Vietnamese reason an old path may not be kept, or None."""
    what = site.taken_by(old, source)
    if what is None:
        return None
    return (f"đường dẫn cũ “{old}” là đường dẫn của chính cổng: {what}; chuyển hướng nó sẽ chiếm chỗ "
            "đó của cổng mới, hãy xóa đường dẫn này khỏi old_paths")
