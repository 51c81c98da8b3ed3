"""Pelican settings for development (`make html`, `make devserver`).

Production overrides live in publishconf.py.
"""

import os

from cchc.core import sitepaths  # the site's URL map (lower case: not a setting)

SITENAME = "Cổng thông tin cải cách hành chính"
SITESUBTITLE = "Tin tức và kế hoạch cải cách hành chính nhà nước"
SITEURL = ""
RELATIVE_URLS = False

PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_DATE_FORMAT = "%d/%m/%Y"

PLUGIN_PATHS = ["plugins"]
# Order matters where a plugin reads what another built; each plugin checks its own place when
# the build starts (cchc.core.settings.require_order) and says what to fix.
PLUGINS = [
    "cchc_content", "cchc_schedule", "cchc_theme", "cchc_listings", "cchc_documents",
    "cchc_opendata", "cchc_search", "cchc_feeds", "cchc_redirects", "cchc_security", "cchc_pagecache",
]

# Organisation details, used by the header, footer and the contact pages.
# EXAMPLE VALUES: replace every one before going live; `is_example` makes the theme show
# a visible "ví dụ / example" marker so nobody mistakes them for real contact details.
ORGANISATION = {
    "is_example": True,
    "parent": "UBND tỉnh Mẫu (ví dụ)",
    "parent_en": "People's Committee of Example Province",
    "name": "Sở Nội vụ tỉnh Mẫu (ví dụ)",
    "name_en": "Department of Home Affairs (example)",
    "managing_unit": "Phòng Cải cách hành chính (ví dụ)",
    "managing_unit_en": "Administrative Reform Division (example)",
    "address": "Số 1 đường Mẫu, phường Mẫu (địa chỉ ví dụ)",
    "address_en": "1 Example Street, Example Ward (example address)",
    "phone": "",  # leave empty rather than invent a number
    "email": "lienhe@example.org",  # RFC 2606 reserved example domain
    "responsible_person": "",
    # The content licence, named in the footer's official-identity line (and the open data's,
    # unless CCHC_OPENDATA sets its own). Empty: the footer says no licence has been published.
    "licence": "",
    "licence_url": "",
    # Where "Báo lỗi hoặc góp ý về trang này" (on every page) leads: the province's feedback system
    # or a form service (the page's address and title are added as ?url=…&title=…), or a
    # "mailto:" address (they become the subject and body). Empty: no link.
    "feedback": "mailto:lienhe@example.org",
    # The province's shared systems the portal links out to (services block on the home page and
    # in the footer): [{"name": …, "url": …, "description": …}]. EXAMPLE addresses: set the real ones.
    "services": [
        {"name": "Dịch vụ công trực tuyến", "url": "https://dichvucong.example.org/",
         "description": "Nộp hồ sơ, thanh toán phí, lệ phí trực tuyến"},
        {"name": "Tra cứu hồ sơ", "url": "https://dichvucong.example.org/tra-cuu",
         "description": "Xem hồ sơ đã nộp đang được giải quyết đến đâu"},
        {"name": "Phản ánh, kiến nghị", "url": "https://phananh.example.org/",
         "description": "Phản ánh, kiến nghị về quy định và thủ tục hành chính"},
        {"name": "Hỏi đáp", "url": "https://hoidap.example.org/",
         "description": "Gửi câu hỏi, xem câu trả lời của cơ quan"},
        {"name": "Đánh giá mức độ hài lòng", "url": "https://danhgia.example.org/",
         "description": "Đánh giá việc giải quyết thủ tục hành chính"},
    ],
    # The header's logo: a file under content/ (e.g. "images/logo.png", square, at least 96 px).
    # Empty: the theme's neutral placeholder (never the national emblem: the agency supplies its own).
    "logo": "",
    # Default share image (og:image) for pages without their own `image:`: a PNG or JPEG under
    # content/, about 1200×630 px, e.g. {"path": "images/chia-se.png", "alt": "…"}. Empty: the theme's.
    "share_image": {},
}

# Content layout: news and plan summaries are articles, the type is the category.
ARTICLE_PATHS = ["tin-tuc", "ke-hoach", "bao-cao"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = list(sitepaths.STATIC_DIRS)
USE_FOLDER_AS_CATEGORY = False
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/{category}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{category}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = sitepaths.DEFAULT_URLS["tag"]
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_URL = sitepaths.DEFAULT_URLS["tags"]
TAGS_SAVE_AS = TAGS_URL + "index.html"
ARCHIVES_URL = sitepaths.DEFAULT_URLS["archives"]
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""  # cchc_listings writes /nam/<year>/ (it knows undated posts)
DIRECT_TEMPLATES = ["index", "tags", "archives", "404"]
SLUGIFY_SOURCE = "title"  # only a fallback: cchc_content sets slugs with cchc.core.slugify

DEFAULT_PAGINATION = 10
# The home page shows the newest posts of each type, not a paginated list: paginating it only
# wrote unlinked copies of it at /trang/2/, /trang/3/, … (one per 10 posts).
PAGINATED_TEMPLATES = {"tag": None, "category": None, "listing": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)

# Feeds are written by cchc_feeds with feedgen; Pelican's own stay off. cchc_feeds writes
# feeds only when SITEURL is absolute (publishconf.py); settings: CCHC_FEEDS = {"LIMIT": 50, …}.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# No "smarty": it rewrites "..." as "…" and "--" as "–", changing the text of the source.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
    },
    "output_format": "html5",
}

# Drafts (status: draft, and future-dated posts held back by cchc_schedule) are never written.
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""

# Reproducible output: no build timestamps, stable ordering.
OUTPUT_SOURCES = False
DELETE_OUTPUT_DIRECTORY = False
LOAD_CONTENT_CACHE = False
READERS = {"rst": None, "htm": None, "html": None}  # Markdown only (and no Docutils warning for "vi")

# Search (/tim-kiem/): cchc_search defaults, see plugins/cchc_search/cchc_search.py; what each
# record gives the index is kept between builds by the record's digest (RecordCache; "" for none).
CCHC_SEARCH = {"CACHE": os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache", "search-records")}

# Each build is a fresh process (make html, the dev server's rebuilds): templates cannot
# change while it runs, so Jinja need not stat every template file on every page it renders.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "auto_reload": False, "autoescape": True}
# Pelican's content cache: a post whose bytes did not change since the last build is not read
# again (its HTML and metadata come from .cache/content/). cchc_content keys the folder by the
# reader's code, the settings and the attachments, so any change there starts afresh. Ignored by git.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "md5"
# Uncompressed: Pelican writes the whole content cache again after every build, and gzip of it
# was 0.35 s of a rebuild at 2,000 posts (a 1.3 MB file becomes 6 MB).
GZIP_CACHE = False
CACHE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache", "content")
# Compiled templates, kept between builds (cchc_theme; Jinja recompiles a template whose source
# changed). Ignored by git. Set to "" for none.
CCHC_TEMPLATE_CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache", "templates")
# Pages an earlier build rendered, reused while nothing they show changed (cchc_pagecache: a
# rebuild after one edit renders that post's page, not all of them). Ignored by git. "" for none.
CCHC_PAGECACHE = {"PATH": os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache", "pages.sqlite")}
# What the document registry reads from each post's text (cchc_documents.TextCache: a rebuild
# after one edit reads that post's text only). Ignored by git. "" for none.
CCHC_DOCUMENTS = {"CACHE": os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache", "documents.sqlite")}
