"""One item on its way from an old portal to a Markdown post, and the helpers every step shares."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from cchc.core import VN_TZ

TYPE_DIRS = {"tin-tuc": "tin-tuc", "trang": "pages", "bao-cao": "bao-cao"}


@dataclass
class Record:
    """One item on its way from an old portal to a Markdown post."""

    source: str
    kind: str = "tin-tuc"
    title: str | None = None
    date: dt.datetime | None = None
    date_status: str = "chac-chan"
    date_note: str | None = None
    modified: dt.datetime | None = None
    author: str | None = None
    source_unit: str | None = None
    source_ref: str | None = None
    source_section: str | None = None
    summary: str | None = None
    body: str = ""
    tags: list = field(default_factory=list)
    status: str = "published"
    old_paths: list = field(default_factory=list)
    source_url: str | None = None
    plone_uid: str | None = None
    plone_path: str | None = None
    lead_image: str | None = None
    locality: str | None = None
    locality_written: str | None = None  # the name given or read in the page, before any placeholder
    locality_unit: object = None  # cchc.core.units.Unit the locality names as of the date, if one
    locality_problem: str | None = None  # why it names none (the check's words), for the report
    areas: list = field(default_factory=list)
    doc_numbers: list = field(default_factory=list)
    # a report page (kind "bao-cao", importer.reports): what was read from it
    report_period: str | None = None
    doc_number: str | None = None
    doc_number_note: str | None = None
    issue_date: dt.datetime | None = None
    reporting_unit: str | None = None
    plans: list = field(default_factory=list)
    plan_numbers: list = field(default_factory=list)  # plan numbers the page cites
    slug: str | None = None
    id: str | None = None
    warnings: list = field(default_factory=list)
    review: bool = False
    skip: str | None = None  # why this item is not a post (Plone folder, collection…)
    failed: str | None = None
    redirect: tuple | None = None  # (old, new) for a redirects.json entry
    target: "Record | None" = field(default=None, repr=False, compare=False)  # the post a redirect joins
    scraped: bool = False  # a saved page (text may be cut off), not a CMS export
    output: str | None = None
    outcome: str | None = None

    def warn(self, message, review=False):
        """Add a Vietnamese warning; *review* marks the item for a human look."""
        if message not in self.warnings:
            self.warnings.append(message)
        self.review = self.review or review


def old_path(url):
    """Path and query of an old URL, percent-encoded as a server sees it in the request line."""
    parts = urlsplit(url)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return path + (f"?{query}" if query else "")


def plone_date(value):
    """A Plone ISO date ("2024-02-13T18:14:27", "1995-07-31T13:45:00+00:00") → aware datetime."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.year < 1900:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VN_TZ)
