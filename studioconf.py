"""Studio overrides: `make studio` (the web editor at /admin/ on the local decap-server).

Development settings plus the cchc_studio plugin with the local backend: `cchc studio` serves
/admin/ and the backend's API (/api/v1) on the editor's own origin, so the editor calls it by
path (CCHC_STUDIO_BACKEND_URL only overrides that).
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

PLUGINS = PLUGINS + ["cchc_studio"]
# `make studio REVIEW=1` (cchc studio --review) sets CCHC_STUDIO_REVIEW to the git branch that
# publishing merges into: decap-server in git mode, Decap's review workflow (Nháp → Chờ duyệt → Sẵn sàng).
REVIEW_BRANCH = os.environ.get("CCHC_STUDIO_REVIEW", "")
CCHC_STUDIO = {
    "BACKEND": {
        "name": "proxy",
        "proxy_url": os.environ.get("CCHC_STUDIO_BACKEND_URL", "/api/v1"),
        "branch": REVIEW_BRANCH or "main",
    },
    "EDITORIAL_WORKFLOW": bool(REVIEW_BRANCH),
}
