"""Production overrides: `make publish` (absolute SITEURL, feeds on, drafts off)."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# Absolute URL of the published site, without trailing slash. May include a subpath:
# SITEURL=https://example.gov.vn/cchc make publish
SITEURL = os.environ.get("SITEURL", "https://cchc.example.gov.vn").rstrip("/")
RELATIVE_URLS = False
PUBLISH = True

# Production extras, last so they see every file the other plugins wrote: reproducible
# sitemap.xml and robots.txt, cache-busting asset names, .br/.gz twins (keep cchc_precompress last).
PLUGINS = PLUGINS + ["cchc_seo", "cchc_assets", "cchc_precompress"]  # noqa: F405
