"""cchc_schedule: a post dated in the future is published by the first build on or after its date.

Until then it is treated as a draft, and drafts are never written (pelicanconf.py sets the
DRAFT_*SAVE_AS settings to ""). Pelican's own WITH_FUTURE_DATES=False does the same but
reads the wall clock only; here "now" can be fixed for tests and previews:

    CCHC_SCHEDULE = {"NOW": "2026-01-01T00:00+07:00"}   # or the environment: CCHC_NOW=…
    CCHC_SCHEDULE = {"ENABLED": False}                   # show future posts (preview)

A post whose date the editor marked doubtful (date_status: nghi-van) is not held: its date
is known to be unreliable, and cchc_feeds keeps it from the top of feeds instead.

A scheduled post appears only when a build runs on or after its date: run `make publish`
and upload from cron or CI (docs/deploy.md).
"""

import logging

from pelican import signals
from pelican.contents import Article

from cchc.core import VN_TZ
from cchc.core.dates import build_now
from cchc.core.settings import merged_settings

log = logging.getLogger(__name__)

DEFAULTS = {"ENABLED": True, "NOW": None}  # NOW is read by cchc.core.dates.build_now


def settings_for(settings):
    """CCHC_SCHEDULE merged over DEFAULTS (a local copy)."""
    return merged_settings(settings, "CCHC_SCHEDULE", DEFAULTS, "cchc_schedule")


def hold_future(instance):
    """Mark a published article dated after "now" as a draft (not written, not listed)."""
    if not isinstance(instance, Article) or getattr(instance, "status", None) != "published":
        return
    if getattr(instance, "date_status", "chac-chan") != "chac-chan":
        # A date the editor marked doubtful (nghi-van, e.g. a typo like 2099 from an old
        # portal) is no schedule: publish it; cchc_feeds keeps it off the top of feeds.
        return
    conf = settings_for(instance.settings)
    if not conf["ENABLED"]:
        return
    now = build_now(instance.settings)  # the same "now" as cchc_feeds
    date = getattr(instance, "date", None)
    if date is not None and date.tzinfo is None:
        date = date.replace(tzinfo=VN_TZ)
    if date is not None and date > now:
        log.info("cchc_schedule: %s is dated %s, held until a build on or after that date",
                 getattr(instance, "source_path_rel", instance.source_path), date.isoformat())
        instance.status = "draft"


def register():
    """Hold future-dated articles back as drafts."""
    signals.content_object_init.connect(hold_future)
