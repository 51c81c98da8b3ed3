"""Links, images and files named in posts, checked at `make check` against the content tree.

What `cchc linkcheck` finds in the built site only at `make publish` (naming output files),
found here in the Markdown sources, naming the post's file and line, with the fix:

- ``{filename}…`` / ``{static}…`` / ``{attach}…`` (Pelican's own way to link a post or a file):
  the file must exist under content/;
- ``/tin-tuc/…``, ``/files/…`` and absolute links on the site's own host (``SITEURL``): the
  address must be one the site will have, from the same URL settings the build uses
  (``ARTICLE_URL``, ``PAGE_URL``, slugs from cchc.core, ``STATIC_PATHS``, the document pages);
  the build writes these with ``SITEURL`` in front, so they work under a subpath too;
- relative links (``anh.jpg``) would resolve against the post's own address: refused.
"""

import difflib
import html
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cchc.core import AREAS, find_doc_numbers, parse_doc_number
from cchc.core.schema import Problem, derived
from cchc.core.sitepaths import POST_SECTIONS, fill_pattern, post_url, project_settings, section_urls, static_part

_INLINE = re.compile(r"(!?)\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_HTML = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^[{|](filename|static|attach|index|tag|category|author)[}|](.*)$")
SKIP_SCHEMES = ("mailto", "tel", "sms", "javascript", "data", "geo", "urn")


def generated(site):
    """Sections whose pages the plugins write (checked by prefix only): the home page, the URL
    map's sections (cchc.core.sitepaths, each cut before its first placeholder), the theme's
    files, the English root."""
    prefixes = {"", f"{site.theme.strip('/')}/", "en/"}
    for name, url in site.urls.items():
        part = static_part(url)
        if part and name not in POST_SECTIONS:  # a post type's listing: Targets.sections; "": turned off
            prefixes.add(part if part.endswith("/") or "." in part.rsplit("/", 1)[-1] else part + "/")
    return frozenset(prefixes)

HOW_TO = ("viết {filename}/tin-tuc/ten-tep.md cho một bài, /van-ban/… cho trang văn bản, "
          "{static}/files/ten-tep.pdf cho tệp đính kèm")
IMAGE_FOLDER = "images"  # content/images/: where pictures live (the editor's media folder too)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg")
IMAGE_HOW_TO = "ảnh của cổng để trong content/images/"


def is_image(url, marked=False):
    """Whether a link shows or names a picture: Markdown's ``![…](…)`` (*marked*), an image file
    name, or a file of content/images/."""
    path = unquote(urlsplit(_PLACEHOLDER.sub(r"\2", url.strip())).path).lower()
    return marked or path.endswith(IMAGE_SUFFIXES) or f"/{IMAGE_FOLDER}/" in f"/{path.lstrip('./')}"


@dataclass
class Site:
    """The URL scheme a build will publish (from the Pelican settings)."""

    article_url: str = "{category}/{slug}/"
    article_lang_url: str = "{lang}/{category}/{slug}/"
    page_url: str = "{slug}/"
    page_lang_url: str = "{lang}/{slug}/"
    static_paths: tuple = ("files", "images")
    siteurl: str = ""
    default_lang: str = "vi"
    urls: dict = field(default_factory=section_urls)  # the URL map, cchc.core.sitepaths
    theme: str = "theme"

    @classmethod
    def from_settings(cls, settings):
        s = settings or {}
        return cls(s.get("ARTICLE_URL", cls.article_url), s.get("ARTICLE_LANG_URL", cls.article_lang_url),
                   s.get("PAGE_URL", cls.page_url), s.get("PAGE_LANG_URL", cls.page_lang_url),
                   tuple(s.get("STATIC_PATHS", cls.static_paths)), (s.get("SITEURL") or "").rstrip("/"),
                   s.get("DEFAULT_LANG", "vi"), section_urls(s), s.get("THEME_STATIC_DIR") or "theme")

    @property
    def host(self):
        return urlsplit(self.siteurl).netloc.lower()

    @property
    def base(self):
        return urlsplit(self.siteurl).path.rstrip("/")

    def post_url(self, meta):
        return post_url(meta, {"ARTICLE_URL": self.article_url, "ARTICLE_LANG_URL": self.article_lang_url,
                               "PAGE_URL": self.page_url, "PAGE_LANG_URL": self.page_lang_url,
                               "DEFAULT_LANG": self.default_lang})


_CODE_SPAN = re.compile(r"`+[^`]*`+")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def links_of(doc):
    """(line, url) of every link and image in a post's body (not in code: that is shown as text)."""
    return ((line, url) for line, url, _image in marked_links_of(doc))


def marked_links_of(doc):
    """(line, url, image) of every link and image in a post's body: *image* when it shows or
    names a picture (``is_image``)."""
    fenced = False
    for n, text in enumerate(doc.body.splitlines(), start=doc.body_line):
        if _FENCE.match(text):
            fenced = not fenced
            continue
        if fenced:
            continue
        # Each pattern needs its marker ("](", "=", "]:"): most lines are scanned by none.
        if "`" in text:
            text = _CODE_SPAN.sub("", text)
        if "](" in text:
            yield from ((n, m.group(2), is_image(m.group(2), bool(m.group(1)))) for m in _INLINE.finditer(text))
        if "=" in text:
            # An HTML attribute as the browser (and Pelican) reads it: a&amp;b.pdf is a&b.pdf.
            for m in _HTML.finditer(text):
                url = html.unescape(m.group(1))
                yield n, url, is_image(url)
        if "]:" in text:
            m = _REFERENCE.match(text)
            if m:
                yield n, m.group(1), is_image(m.group(1))


class Targets:
    """Every address and file a post may link to."""

    def __init__(self, docs, content_dir, site):
        self.content = Path(content_dir)
        self.site = site
        self.posts = {}  # URL path (no leading /) → Document
        self.sources = {}  # path under content/ → Document
        numbers = set()
        content = self.content.resolve()
        for doc in docs:
            self.posts[site.post_url(doc.meta)] = doc
            self.sources[Path(doc.path).resolve().relative_to(content).as_posix()] = doc
            for text in (doc.meta.get("doc_number"), *[b.get("number") for b in doc.meta.get("legal_bases", [])]):
                number = parse_doc_number(text or "")
                if number:
                    numbers.add(number.slug)
            numbers |= derived(doc, "body_number_slugs", lambda d: {n.slug for n in find_doc_numbers(d.body)})
        self.documents = {fill_pattern(site.urls["document"], slug=slug) for slug in numbers}
        # The listing of each type (CATEGORY_URL "{slug}/": /tin-tuc/, /ke-hoach/).
        self.sections = {site.urls[name] for name in POST_SECTIONS}
        self.generated = generated(site)
        self.files = set()
        for folder in site.static_paths:
            root = self.content / folder
            if root.is_dir():
                self.files |= {p.relative_to(self.content).as_posix() for p in root.rglob("*") if p.is_file()}

    def closest(self, wanted, choices, doc=None):
        """The nearest of *choices* to *wanted* (difflib), never *doc*'s own source or address:
        a post does not link to itself (issue 31: the linking post was offered)."""
        if doc is not None:
            own = {self._source_rel(doc), self.site.post_url(doc.meta)}
            choices = [c for c in choices if c not in own]
        match = difflib.get_close_matches(wanted, sorted(choices), n=1, cutoff=0.6)
        return match[0] if match else None

    def nearest_image(self, rel):
        """The file under content/images/ nearest to *rel* (by path, else by file name), or None."""
        images = sorted(f for f in self.files if f.startswith(f"{IMAGE_FOLDER}/"))
        near = self.closest(rel, images)
        if near:
            return near
        by_name = {}
        for f in images:
            by_name.setdefault(posixpath.basename(f), f)
        near = self.closest(posixpath.basename(rel), by_name)
        return by_name[near] if near else None

    def missing_image(self, url, rel, form):
        """A picture that is not there: said as a picture, with where pictures live and the
        nearest file of content/images/, written as the link was (*form*: "/" or "{static}/")."""
        near = self.nearest_image(rel)
        return f"ảnh “{url}” không có: không có tệp content/{rel}; {IMAGE_HOW_TO}" + (
            f", có phải {form}{near}?" if near else ": chép ảnh vào đó rồi ghi ![mô tả ảnh](/images/ten-anh.jpg)")

    def problem(self, doc, line, url, image=False):
        """The Vietnamese sentence for a link (an *image*: a picture) that will not work, or None."""
        url = url.strip()
        m = _PLACEHOLDER.match(url)
        if m:
            return self._placeholder(doc, m.group(1), m.group(2), url, image)
        parts = urlsplit(url)
        if parts.scheme.lower() in SKIP_SCHEMES:
            return None
        if parts.scheme or parts.netloc:
            if not self.site.host or parts.netloc.lower() != self.site.host:
                return None  # another site: not checked
            path = parts.path or "/"
            if self.site.base and (path + "/").startswith(self.site.base + "/"):
                path = path[len(self.site.base):] or "/"
            return self._address(path, url, doc, image)
        if not parts.path:
            return None  # "#phan-2": a place in the same page
        if not parts.path.startswith("/"):
            # As a browser reads it: from the post's own address (/tin-tuc/<slug>/).
            here = "/" + self.site.post_url(doc.meta)
            path = posixpath.normpath(posixpath.join(posixpath.dirname(here) if not here.endswith("/")
                                                     else here, parts.path))
            if parts.path.endswith("/") and not path.endswith("/"):
                path += "/"
            if self._address(path, url) is None:
                return None
            what = "đường dẫn tương đối của ảnh" if image else "liên kết tương đối"
            fix = self._relative_fix(doc, parts.path)
            if image and fix == HOW_TO:
                near = self.nearest_image(posixpath.normpath(parts.path))
                fix = IMAGE_HOW_TO + (f", có phải {{static}}/{near}?" if near else
                                      ": chép ảnh vào đó rồi viết {static}/images/ten-anh.jpg")
            return (f"{what} “{url}” trỏ tới {path} (tính từ địa chỉ của bài này), không có trang "
                    f"hay tệp nào ở đó; {fix}")
        if parts.path.startswith("//"):
            return None
        return self._address(parts.path, url, doc, image)

    def _relative_fix(self, doc, path):
        rel = posixpath.normpath(path)
        for candidate in (rel, posixpath.join(posixpath.dirname(self._source_rel(doc)), rel)):
            if candidate in self.files:
                return f"viết {{static}}/{candidate}"
            if candidate in self.sources:
                return f"viết {{filename}}/{candidate}"
        return HOW_TO

    def _source_rel(self, doc):
        return Path(doc.path).resolve().relative_to(self.content.resolve()).as_posix()

    def _placeholder(self, doc, what, target, url, image=False):
        if what not in ("filename", "static", "attach"):
            return None
        path = unquote(urlsplit(target).path)
        if path.startswith("/"):
            rel = posixpath.normpath(path.lstrip("/"))
        else:
            rel = posixpath.normpath(posixpath.join(posixpath.dirname(self._source_rel(doc)), path))
        if what == "filename":
            if rel in self.sources:
                return None
            if (self.content / rel).is_file() and rel in self.files:
                return f"“{url}” trỏ tới một tệp, không phải bài: viết {{static}}/{rel}"
            near = self.closest(rel, self.sources, doc)
            hint = f"; có phải {{filename}}/{near}?" if near else f"; {HOW_TO}"
            return f"liên kết “{url}” trỏ tới bài không có trong content/ (không có tệp content/{rel}){hint}"
        if rel in self.files or (self.content / rel).is_file():
            return None
        if image:
            return self.missing_image(url, rel, f"{{{what}}}/")
        near = self.closest(rel, self.files)
        hint = f"; có phải {{{what}}}/{near}?" if near else \
            "; đặt tệp vào content/files/ (ảnh vào content/images/) rồi ghi đúng tên tệp"
        return f"“{url}”: không có tệp content/{rel}{hint}"

    def _address(self, path, url, doc=None, image=False):
        rel = unquote(path).lstrip("/")
        if ".." in rel.split("/"):
            return f"liên kết “{url}” ra ngoài cổng; {HOW_TO}"
        page = rel
        if page.endswith("index.html"):
            page = page[: -len("index.html")]
        if page in self.posts:
            doc = self.posts[page]
            if doc.meta.get("status") == "draft":
                return f"liên kết “{url}” tới bài {doc.path} đang là bản nháp (status: draft), bài đó chưa được đăng"
            return None
        if rel in self.files or page.rstrip("/") in self.files:
            return None
        if not page.endswith("/") and f"{page}/" in self.posts:
            return f"liên kết “{url}” thiếu dấu / ở cuối: viết {url}/"
        document = static_part(self.site.urls["document"])
        if document and page.startswith(document) and page.count("/") == document.count("/") + 1:
            if page in self.documents:
                return None
            near = self.closest(page, self.documents)
            return (f"liên kết “{url}”: không có trang văn bản này (chỉ có trang cho số ký hiệu được nêu trong "
                    "các bài)" + (f"; có phải /{near}?" if near else ""))
        area = static_part(self.site.urls["area"])
        if area and page.startswith(area) and page.count("/") == area.count("/") + 1:
            code = page[len(area):].rstrip("/")
            if code in AREAS:
                return None
            return f"liên kết “{url}”: không có lĩnh vực “{code}”; các mã hợp lệ: {', '.join(AREAS)}"
        if page in self.generated or page in self.sections or any(
                page.startswith(g) for g in self.generated if g not in ("", "en/")):
            return None
        if image:
            return self.missing_image(url, rel, "/")
        near = self.closest(page, list(self.posts) + sorted(self.files), doc)
        where = f"; có phải /{near}?" if near else f"; {HOW_TO}"
        return f"liên kết “{url}” không tới trang hay tệp nào của cổng{where}"


def post_link_problems(docs, content_dir, settings=None):
    """Every link, image and attached file of *docs* that will not work once published →
    (problems, notices): in a draft (not published yet, e.g. an imported post whose images are
    still to be copied) they are suggestions, to fix before removing ``status: draft``."""
    from .notices import Notice

    site = Site.from_settings(settings)
    targets = Targets(docs, content_dir, site)
    problems, notices = [], []
    for doc in docs:
        for line, url, image in marked_links_of(doc):
            message = targets.problem(doc, line, url, image)
            if not message:
                continue
            if doc.meta.get("status") == "draft":
                notices.append(Notice(doc.path, line, message + " (sửa trước khi bỏ status: draft)",
                                      topic="ảnh chưa có trong bản nháp" if image else "liên kết hỏng trong bản nháp"))
            else:
                problems.append(Problem(doc.path, line, None, message))
    return problems, notices


def settings_for_check(path="pelicanconf.py"):
    """The URL settings of *path* when it exists (SITEURL from the environment wins, as in
    publishconf.py), else the defaults."""
    return project_settings(path)


def source_lines(broken, content_dir, siteurl):
    """Broken links of a built site that were written in a post → {Broken: (post, line, link as
    written, output files)}: the same link in a page, a feed and the search data is one message."""
    from cchc.core.schema import check_tree

    docs, _problems = check_tree(content_dir)
    base = urlsplit((siteurl or "").rstrip("/")).path.rstrip("/")
    written = {}  # site-relative path of a link → (post, line, link as written)
    for doc in docs:
        for line, url in links_of(doc):
            path = urlsplit(url).path
            if _PLACEHOLDER.match(url) or not path:
                continue
            key = path[len(base):] if base and path.startswith(base + "/") else path
            written.setdefault(key, (doc.path, line, url))
    found, outputs = {}, {}
    for b in broken:
        path = urlsplit(b.url).path
        key = path[len(base):] if base and path.startswith(base + "/") else path
        hit = written.get(key) or written.get(b.url)
        if hit:
            found[b] = hit
            outputs.setdefault(hit, []).append(b.source)
    return {b: (*hit, ", ".join(sorted(set(outputs[hit])))) for b, hit in found.items()}
