"""cchc_theme: the interface text catalogue and Vietnamese filters for the theme's templates."""

import functools
import json
import logging
import os

import yaml
from markupsafe import Markup
from pelican import signals

from cchc.core import AREAS, dates, format_vi_date, indexresults, indicators, slugify
from cchc.core.changes import last_modified
from cchc.core.numbers import quantity, target_text, vi_number
from cchc.core.sitepaths import ASSET_NAMES, section_urls, standing_page_urls
from cchc.core.siteurl import absolute_url

from .counterparts import counterpart_index, counterpart_of
from .related import RelatedIndex, news_about, related_posts

log = logging.getLogger(__name__)


def load_catalogue(theme_dir):
    """Read ``theme/ui.yaml``: one entry per interface string, {vi: …, en: …}.

    Every generator asks for it; the file is parsed once per version (path, mtime, size),
    so the dev server still picks up an edited catalogue."""
    path = os.path.join(theme_dir, "ui.yaml")
    stat = os.stat(path)
    return _parse_catalogue(os.path.abspath(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _parse_catalogue(path, _mtime_ns, _size):
    with open(path, encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    catalogue = {"vi": {}, "en": {}}
    for key, texts in raw.items():
        catalogue["vi"][key] = texts["vi"]
        catalogue["en"][key] = texts.get("en", texts["vi"])
    return catalogue


def _vi_date(value, style="long"):
    return format_vi_date(value, style) if value else ""


def _en_date(value):
    return value.strftime("%-d %B %Y") if value else ""


def _iso(value):
    return value.isoformat() if value else ""


def _json_ld(data):
    # Escape "<" so a title containing "</script>" cannot end the JSON-LD block.
    return Markup(json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c"))


def image_size(path):
    """(width, height) of a PNG or JPEG file, read from its header; None for anything else."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(26)
            if head[:8] == b"\x89PNG\r\n\x1a\n":
                return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
            if head[:2] != b"\xff\xd8":
                return None
            fh.seek(2)
            while True:
                marker = fh.read(4)
                if len(marker) < 4 or marker[0] != 0xFF:
                    return None
                length = int.from_bytes(marker[2:4], "big")
                if marker[1] in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                    data = fh.read(5)
                    return int.from_bytes(data[3:5], "big"), int.from_bytes(data[1:3], "big")
                fh.seek(length - 2, 1)
    except OSError:
        return None


def share_image(settings, article=None):
    """The og:image of a page: the post's own ``image:`` (a file under content/), else the
    default of ``ORGANISATION["share_image"]`` (a file under content/), else the theme's placeholder.
    → {"path", "alt", "width", "height"} with *path* relative to the site root."""
    org = settings.get("ORGANISATION") or {}
    own = getattr(article, "image", None) if article is not None else None
    for image in (own, org.get("share_image")):
        if image and image.get("path"):
            size = image_size(os.path.join(settings["PATH"], image["path"])) or (None, None)
            return {"path": image["path"], "alt": image.get("alt", ""), "width": size[0], "height": size[1]}
    path = os.path.join(settings["THEME"], "static", "images", "share.png")
    width, height = image_size(path) or (None, None)
    return {"path": f"{settings.get('THEME_STATIC_DIR', 'theme')}/images/share.png",
            "alt": org.get("name", ""), "width": width, "height": height}


class _Latest:
    """``make(obj, *rest)`` kept for the last *obj* asked about (by identity): the list of a
    build's articles or pages, which every page of the build passes. One per generator, so
    nothing outlives the build and nothing needs a reset."""

    def __init__(self, make):
        self.make, self.held = make, None

    def __call__(self, obj, *rest):
        if self.held is None or self.held[0] is not obj:
            self.held = (obj, self.make(obj, *rest))
        return self.held[1]


def feedback_href(settings, page_path, title):
    """The "Báo lỗi hoặc góp ý về trang này" link of a page: ``ORGANISATION["feedback"]`` with the
    page's address and *title* added (subject and body of a mailto:, else ?url=…&title=…); "" when
    no target is set. *page_path*: the page's site path ("tin-tuc/x/")."""
    from urllib.parse import quote, urlencode

    target = ((settings.get("ORGANISATION") or {}).get("feedback") or "").strip()
    if not target:
        return ""
    siteurl = settings.get("SITEURL", "") or ""
    url = absolute_url(siteurl, page_path)
    sep = "&" if "?" in target else "?"
    if target.startswith("mailto:"):
        return f"{target}{sep}subject={quote(title)}&body={quote(url)}"
    return f"{target}{sep}{urlencode({'url': url, 'title': title})}"


def add_globals(generator):
    """Expose the catalogue, area labels and filters to every template."""
    env = generator.env
    catalogue = load_catalogue(generator.settings["THEME"])
    settings = generator.settings
    related_index = _Latest(RelatedIndex)
    counterparts = _Latest(lambda pages: counterpart_index(pages, settings["DEFAULT_LANG"]))
    standing = _Latest(lambda pages: standing_page_urls(pages, settings))
    context = generator.context  # one dict for all of a build's generators

    def asset(path):
        """*path* (under the site root) as the site publishes it: a theme file under the name
        after its content that cchc_assets gives it, when it runs (``ASSET_NAMES`` in the
        build's context, set before any page is written), else *path* itself."""
        return (context.get(ASSET_NAMES) or {}).get(path, path)

    def page_image(article=None):
        image = share_image(settings, article)
        return {**image, "path": asset(image["path"])}

    env.globals.update(
        UI=catalogue, SITE_URLS=section_urls(settings), AREAS=AREAS, INDICATORS=indicators.BY_CODE,
        INDEX_NAMES=indexresults.INDEXES,
        news_about=news_about, last_modified=last_modified,
        related_to=lambda article, articles, registry=None, limit=5:
            related_posts(article, related_index(articles, registry), limit),
        share_image=page_image, asset=asset,
        feedback_href=lambda page_path, title: feedback_href(settings, page_path, title),
        counterpart_of=lambda page, pages: counterpart_of(page, counterparts(pages)) if pages else None,
        standing_pages=standing,
    )
    env.filters.update(
        vi_date=_vi_date, en_date=_en_date, iso=_iso, vi_number=vi_number, target_text=target_text, quantity=quantity,
        slugify_vi=slugify, json_ld=_json_ld, known_date=dates.known,
    )
    env.tests["unknown_date"] = dates.is_unknown  # {% if post.date is unknown_date %}


def use_template_cache(pelican):
    """Keep the compiled templates in ``CCHC_TEMPLATE_CACHE`` (a folder) between builds.

    Compiling the theme's templates is most of a small site's build and of each live-preview
    rebuild (every build is a fresh process). Jinja's own bytecode cache keys each template by
    its name and checks its source, so an edited template is compiled again; Jinja writes each
    file atomically, so builds running at once share the folder. A bytecode_cache already in
    JINJA_ENVIRONMENT is kept; no folder set: no cache."""
    settings = pelican.settings
    folder = settings.get("CCHC_TEMPLATE_CACHE")
    env = settings.get("JINJA_ENVIRONMENT") or {}
    if not folder or "bytecode_cache" in env:
        return
    from jinja2 import FileSystemBytecodeCache

    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:  # a read-only checkout still builds, compiling as before
        log.warning("cchc_theme: no template cache in %s (%s)", folder, exc)
        return
    settings["JINJA_ENVIRONMENT"] = {**env, "bytecode_cache": FileSystemBytecodeCache(folder)}


def register():
    """Add the catalogue and filters when each generator creates its Jinja environment; keep
    compiled templates between builds."""
    signals.initialized.connect(use_template_cache)
    signals.generator_init.connect(add_globals)
