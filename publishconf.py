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
