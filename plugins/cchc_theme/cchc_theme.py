"""cchc_theme: the interface text catalogue and Vietnamese filters for the theme's templates."""

import functools
import json
import logging
import os

import yaml
from markupsafe import Markup
from pelican import signals

from cchc_core import AREAS, format_vi_date, slugify

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


def _number(value):
    """95.0 → "95", 96.6 → "96,6" (Vietnamese decimal comma)."""
    text = f"{value:g}"
    return text.replace(".", ",")


def _json_ld(data):
    # Escape "<" so a title containing "</script>" cannot end the JSON-LD block.
    return Markup(json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c"))


def add_globals(generator):
    """Expose the catalogue, area labels and filters to every template."""
    env = generator.env
    catalogue = load_catalogue(generator.settings["THEME"])
    env.globals.update(UI=catalogue, AREAS=AREAS)
    env.filters.update(
        vi_date=_vi_date, en_date=_en_date, iso=_iso, vi_number=_number,
        slugify_vi=slugify, json_ld=_json_ld,
    )


def register():
    """Add the catalogue and filters when each generator creates its Jinja environment."""
    signals.generator_init.connect(add_globals)
