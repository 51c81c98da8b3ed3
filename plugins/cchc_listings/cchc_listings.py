"""cchc_listings: paginated listings by CCHC area, locality and year, with index pages.

Pelican has categories (our content types), tags and date archives, but no custom
taxonomies; areas and localities are lists in our front matter, so their pages are
written here with Pelican's own paginating writer.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from pelican import signals
from pelican.generators import Generator

from cchc.core import AREAS, fold, slugify
from cchc.core.settings import merged_settings

log = logging.getLogger(__name__)

DEFAULTS = {
    "AREA_URL": "linh-vuc/{slug}/",
    "AREAS_URL": "linh-vuc/",
    "LOCALITY_URL": "dia-phuong/{slug}/",
    "LOCALITIES_URL": "dia-phuong/",
    "YEAR_URL": "nam/{slug}/",
    "YEARS_URL": "nam/",
}


HOME_LATEST = 6  # posts of each type on the home page


@dataclass
class Listing:
    """One area, locality or year with its posts, newest first."""

    kind: str  # "area" | "locality" | "year"
    slug: str
    name: str
    url: str
    articles: list = field(default_factory=list)

    @property
    def save_as(self):
        return self.url + "index.html"

    @property
    def page_name(self):
        return self.url.rstrip("/")


def settings_for(settings):
    """Our URL settings: CCHC_LISTINGS overrides merged over DEFAULTS (a local copy)."""
    return merged_settings(settings, "CCHC_LISTINGS", DEFAULTS, "cchc_listings")


def build_listings(articles, conf):
    """Group published articles into area, locality and year listings."""
    groups = {"area": {}, "locality": {}, "year": {}}

    def add(kind, slug, name, art):
        url_key = {"area": "AREA_URL", "locality": "LOCALITY_URL", "year": "YEAR_URL"}[kind]
        listing = groups[kind].setdefault(slug, Listing(kind, slug, name, conf[url_key].format(slug=slug)))
        listing.articles.append(art)

    for art in articles:
        for code in getattr(art, "areas", []):
            add("area", code, AREAS[code], art)
        locality = getattr(art, "locality", None)
        if locality:
            add("locality", slugify(locality), locality, art)
        if getattr(art, "date_status", "") != "khong-ro":
            add("year", str(art.date.year), str(art.date.year), art)
    areas = [groups["area"][c] for c in AREAS if c in groups["area"]]
    localities = sorted(groups["locality"].values(), key=lambda x: fold(x.name))
    years = sorted(groups["year"].values(), key=lambda x: x.slug, reverse=True)
    return areas, localities, years


class ListingsGenerator(Generator):
    """Writes /linh-vuc/, /dia-phuong/, /nam/ and a paginated page for each entry."""

    def generate_context(self):
        self.conf = settings_for(self.settings)
        articles = self.context.get("articles", [])
        self.areas, self.localities, self.years = build_listings(articles, self.conf)
        by_slug = {l.slug: l for l in self.localities}
        for art in articles:
            loc = getattr(art, "locality", None)
            art.locality_listing = by_slug.get(slugify(loc)) if loc else None
        # The home page shows the newest of each type; computed once here, not filtered
        # over every article on every page the index template renders.
        latest = {"tin-tuc": [], "ke-hoach": []}
        for art in articles:
            bucket = latest.get(getattr(art, "kind", None))
            if bucket is not None and len(bucket) < HOME_LATEST:
                bucket.append(art)
        self.context.update(
            cchc_latest=latest,
            cchc_areas=self.areas, cchc_localities=self.localities, cchc_years=self.years,
            CCHC_LISTING_URLS=self.conf,
        )

    def generate_output(self, writer):
        for kind, items, index_key in (
            ("area", self.areas, "AREAS_URL"),
            ("locality", self.localities, "LOCALITIES_URL"),
            ("year", self.years, "YEARS_URL"),
        ):
            url = self.conf[index_key]
            writer.write_file(url + "index.html", self.get_template(f"{kind}_index"), self.context,
                              url=url, listings=items, listing_kind=kind, page_name=url.rstrip("/"))
            template = self.get_template("listing")
            for listing in items:
                writer.write_file(
                    listing.save_as, template, self.context, url=listing.url,
                    articles=listing.articles, dates=listing.articles, listing=listing,
                    listing_kind=kind, template_name="listing", page_name=listing.page_name,
                )


def get_generators(_pelican):
    return ListingsGenerator


def register():
    """Add the listings generator."""
    signals.get_generators.connect(get_generators)
