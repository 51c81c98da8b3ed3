"""cchc_listings: paginated listings by CCHC area, locality and year, with index pages.

Pelican has categories (our content types), tags and date archives, but no custom
taxonomies; areas and localities are lists in our front matter, so their pages are
written here with Pelican's own paginating writer.

Localities are administrative units of cchc.core.units: a post is listed under the unit its
``locality`` resolved to as of its date, and, when that unit no longer exists, under the units
that hold its territory today and their province, marked with the name it had then. The old
unit's page stays at its address with a banner linking its successors.
"""

import logging
from dataclasses import dataclass, field

from pelican import signals
from pelican.generators import Generator

from cchc.core import AREAS, fold, units
from cchc.core.dates import is_unknown
from cchc.core.settings import merged_settings
from cchc.core.sitepaths import DEFAULT_URLS

log = logging.getLogger(__name__)

DEFAULTS = {
    "AREA_URL": DEFAULT_URLS["area"],
    "AREAS_URL": DEFAULT_URLS["areas"],
    "LOCALITY_URL": DEFAULT_URLS["locality"],
    "LOCALITIES_URL": DEFAULT_URLS["localities"],
    "YEAR_URL": DEFAULT_URLS["year"],
    "YEARS_URL": DEFAULT_URLS["years"],
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
    unit: object = None  # cchc.core.units.Unit of a locality listing
    then: dict = field(default_factory=dict)  # post URL → its unit's name then (older units' posts)
    successors: list = field(default_factory=list)  # (Listing, partial) of a unit that ended
    communes: list = field(default_factory=list)  # Listings of a current province's communes

    @property
    def save_as(self):
        return self.url + "index.html"

    @property
    def page_name(self):
        return self.url.rstrip("/")


def settings_for(settings):
    """Our URL settings: CCHC_LISTINGS overrides merged over DEFAULTS (a local copy)."""
    return merged_settings(settings, "CCHC_LISTINGS", DEFAULTS, "cchc_listings")


def site_paths(settings):
    """Where this plugin writes (cchc.core.sitepaths: an old path may not take these over)."""
    return list(settings_for(settings).values())


def build_listings(articles, conf, reg=None):
    """Group published articles into area, locality and year listings."""
    groups = {"area": {}, "year": {}}

    def add(kind, slug, name, art):
        url_key = {"area": "AREA_URL", "year": "YEAR_URL"}[kind]
        listing = groups[kind].setdefault(slug, Listing(kind, slug, name, conf[url_key].format(slug=slug)))
        listing.articles.append(art)

    for art in articles:
        for code in getattr(art, "areas", []):
            add("area", code, AREAS[code], art)
        if not is_unknown(art.date):
            add("year", str(art.date.year), str(art.date.year), art)
    areas = [groups["area"][c] for c in AREAS if c in groups["area"]]
    years = sorted(groups["year"].values(), key=lambda x: x.slug, reverse=True)
    return areas, unit_listings(articles, conf, reg), years


def unit_listings(articles, conf, reg=None):
    """One listing per administrative unit with posts: the unit a post names (its page as it was,
    kept at its address), and today's units holding its territory, with their province."""
    if not any(getattr(a, "locality_unit", None) for a in articles):
        return []
    reg = reg or units.registry()
    pages = {}

    def page(unit):
        if unit.uid not in pages:
            slug = units.unit_slug(unit, reg)
            pages[unit.uid] = Listing("locality", slug, reg.full_name(unit),
                                      conf["LOCALITY_URL"].format(slug=slug), unit=unit)
        return pages[unit.uid]

    order = {id(a): i for i, a in enumerate(articles)}
    for art in articles:
        uid = getattr(art, "locality_unit", None)
        if not uid:
            continue
        unit = reg[uid]
        page(unit).articles.append(art)
        if not unit.current:
            for new, partial in reg.now(unit):
                listing = page(new)
                page(unit).successors.append((listing, partial))
                for target in (listing, page(reg.province_of(new))) if new.level != units.PROVINCE else (listing,):
                    if art not in target.articles:
                        target.articles.append(art)
                        target.then[art.url] = units.then_name(unit, reg)
        elif unit.level != units.PROVINCE:
            province = page(reg[unit.province])
            if art not in province.articles:
                province.articles.append(art)
    for art in articles:  # an old district's or province's page also lists the posts of its communes
        unit = reg.get(getattr(art, "locality_unit", None) or "")
        if unit and not unit.current:
            for above in reg.ancestors(unit):
                if above.uid in pages and art not in pages[above.uid].articles:
                    pages[above.uid].articles.append(art)
    for listing in pages.values():
        listing.articles.sort(key=lambda a: order[id(a)])
        seen = {}
        for other, partial in listing.successors:
            seen[other.slug] = (other, seen.get(other.slug, (other, True))[1] and partial)
        listing.successors = sorted(seen.values(), key=lambda p: fold(p[0].unit.name))
    for listing in pages.values():
        if listing.unit.current and listing.unit.level == units.COMMUNE:
            pages[listing.unit.province].communes.append(listing)
    for listing in pages.values():
        listing.communes.sort(key=lambda x: fold(x.unit.name))
    return sorted(pages.values(), key=lambda x: (not x.unit.current, x.unit.level, fold(x.unit.short)))


class ListingsGenerator(Generator):
    """Writes /linh-vuc/, /dia-phuong/, /nam/ and a paginated page for each entry."""

    def generate_context(self):
        self.conf = settings_for(self.settings)
        articles = self.context.get("articles", [])
        self.areas, self.localities, self.years = build_listings(articles, self.conf)
        by_unit = {l.unit.uid: l for l in self.localities}
        for art in articles:
            art.locality_listing = by_unit.get(getattr(art, "locality_unit", None))
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
            REFORM_DATE=f"{units.REFORM_2025:%d/%m/%Y}",  # "trước 01/07/2025" on locality pages
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
