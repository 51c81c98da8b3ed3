"""Production overrides: `make publish` (absolute SITEURL, feeds on, drafts off)."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

# Absolute URL of the published site, without trailing slash. May include a subpath:
# SITEURL=https://example.gov.vn/cchc make publish
SITEURL = os.environ.get("SITEURL", "https://cchc.example.gov.vn").rstrip("/")
RELATIVE_URLS = False
PUBLISH = True

# Production extras, last so they see every file the other plugins wrote: reproducible
# sitemap.xml and robots.txt, cache-busting asset names, .br/.gz twins (keep cchc_precompress last).
PLUGINS = PLUGINS + ["cchc_seo", "cchc_studio", "cchc_assets", "cchc_precompress"]
# Twins of bytes an earlier publish compressed are taken from .cache/precompress/ (by digest)
# instead of compressed again; ignored by git. "" for none.
CCHC_PRECOMPRESS = {"CACHE": os.path.join(os.path.dirname(CACHE_PATH), "precompress")}

# The web editor (/admin/) on the production site: shipped only when BACKEND is set. README,
# "Viết bài trên trình duyệt", says what the agency's IT sets up. With EDITORIAL_WORKFLOW each
# post is a branch and a merge request (Nháp → Chờ duyệt → Sẵn sàng); merging publishes it
# through the host's CI (deploy/gitlab-ci.yml). Example for a self-hosted GitLab:
#   CCHC_STUDIO = {"BACKEND": {"name": "gitlab", "repo": "so-noi-vu/cong-cchc", "branch": "main",
#                              "base_url": "https://git.example.gov.vn",
#                              "api_root": "https://git.example.gov.vn/api/v4",
#                              "auth_type": "pkce", "app_id": "<Application ID của ứng dụng OAuth>"},
#                  "EDITORIAL_WORKFLOW": True}
# Forgejo (and Gitea servers it can talk to): {"name": "forgejo", "repo": "…", "base_url": "https://…",
# "api_root": "https://…/api/v1", "app_id": "…"}. Decap's "gitea" backend has no editorial workflow.
CCHC_STUDIO = {"BACKEND": None, "EDITORIAL_WORKFLOW": True}
