"""`cchc linkcheck output/`: every internal link, image, feed, shard and redirect target exists.

Reads every file a browser, feed reader or script would follow links from:

- HTML: ``href``, ``src``, ``srcset``, form ``action``, ``<meta http-equiv="refresh">``
  redirects, Open Graph ``og:url``/``og:image``; ids for ``#fragment`` targets;
- CSS: ``url(…)`` and ``@import``;
- XML (feeds, sitemap): ``href`` attributes, ``<link>``/``<loc>`` text, and the links
  inside HTML carried by ``<content>``, ``<summary>`` and ``<description>``;
- JSON (search shards, exports): strings under keys such as ``url``/``href``, and any
  string that is an absolute URL of this site.

A URL is internal when it is relative, root-relative, or absolute on the site's host.
With a subpath (SITEURL ``https://example.gov.vn/cchc``) an internal URL must also stay
under ``/cchc/``: a root-relative ``/tin-tuc/`` is reported, because on that host it
points outside the portal. The 404 page is served at any depth, so relative links in it
are reported too. External links are not fetched.
"""

import json
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from lxml import etree

SKIP_SCHEMES = {"mailto", "tel", "javascript", "data", "sms", "geo", "urn", "tag"}
URL_KEYS = {"url", "href", "link", "src", "u", "feed", "image"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)
NOT_FOUND_PAGES = {"404.html"}


@dataclass(frozen=True)
class Broken:
    """One link that does not resolve to a file of the built site."""

    source: str
    url: str
    reason: str

    def __str__(self):
        return f"{self.source}: {self.url} ({self.reason})"


@dataclass(frozen=True)
class Site:
    """Where the tree will be served: host and subpath from SITEURL ("" = root of any host)."""

    netloc: str
    base: str  # "" or "/cchc"

    @classmethod
    def from_siteurl(cls, siteurl):
        parts = urlsplit((siteurl or "").rstrip("/"))
        return cls(parts.netloc.lower(), parts.path.rstrip("/"))


def _srcset(value):
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


# What a page links to and the ids it has, each found by one XPath evaluated in C (plain
# strings): walking every element in Python and reading its attributes took twice as long.
_X_LINKS = etree.XPath("//@href|//@src|//@poster|//form/@action", smart_strings=False)
_X_SRCSETS = etree.XPath("//@srcset|//@imagesrcset", smart_strings=False)
_X_METAS = etree.XPath("//meta[@http-equiv or @property='og:url' or @property='og:image']")
_X_STYLES = etree.XPath("//style/text()", smart_strings=False)
_X_IDS = etree.XPath("//@id|//a/@name", smart_strings=False)
_HTML_PARSER = etree.HTMLParser(encoding="utf-8")


def _utf8(data):
    """*data* (str or bytes) as valid UTF-8 bytes (invalid sequences replaced, as a text read
    with errors="replace" gives them)."""
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace").encode("utf-8")
    return data


def html_links(data):
    """(urls, ids) of one HTML document (str or bytes).

    Parsed by lxml from UTF-8 bytes (from a str it took 40 % longer): lxml, the parser
    BeautifulSoup itself uses here; going through BeautifulSoup's tree builder made the check
    ~6× slower (89 s for a 10,000-post site)."""
    try:
        doc = etree.fromstring(_utf8(data), _HTML_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return [], set()
    if doc is None:  # nothing to parse
        return [], set()
    links = _X_LINKS(doc)
    for value in _X_SRCSETS(doc):
        if value:
            links += _srcset(value)
    for el in _X_METAS(doc):
        attrs = el.attrib
        if (attrs.get("http-equiv") or "").lower() == "refresh":
            m = _REFRESH.search(attrs.get("content") or "")
            if m:
                links.append(m.group(1))
        elif attrs.get("property") in ("og:url", "og:image") and attrs.get("content"):
            links.append(attrs["content"])
    for text in _X_STYLES(doc):
        links += css_links(text)
    return links, set(_X_IDS(doc))


def css_links(text):
    return [m.group(2) or m.group(4) for m in _CSS_URL.finditer(text)]


def xml_links(data):
    links = []
    try:
        root = etree.fromstring(_utf8(data))
    except etree.XMLSyntaxError:
        return links
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name = etree.QName(el).localname
        if el.get("href"):
            links.append(el.get("href"))
        if name in ("link", "loc") and el.text and el.text.strip():
            links.append(el.text.strip())
        if name in ("content", "summary", "description") and el.text and "<" in el.text:
            links += html_links(el.text)[0]
    return links


def json_links(text, site):
    links = []

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, str(k).lower())
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str):
            if key in URL_KEYS:
                links.append(value)
            elif site.netloc and "//" in value:  # without "//" a URL has no host (most strings: text)
                parts = urlsplit(value)
                if parts.scheme in ("http", "https") and parts.netloc.lower() == site.netloc:
                    links.append(value)

    try:
        walk(json.loads(text))
    except ValueError:
        pass
    return links


def _url_path_of(rel):
    """The URL path (under the site root) a file is served at: a/index.html → /a/."""
    url = "/" + rel
    return url[: -len("index.html")] if url.endswith("/index.html") or url == "/index.html" else url


def resolve(url, source_rel, site, relative_base=None):
    """Return (path under the output root, fragment) or (None, reason), or None to skip."""
    url = url.strip()
    if not url:
        return None, "liên kết rỗng"
    parts = urlsplit(url)
    if parts.scheme and parts.scheme.lower() in SKIP_SCHEMES:
        return None
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return None
    if parts.netloc:
        if not site.netloc or parts.netloc.lower() != site.netloc:
            return None  # another site: not checked
        path = parts.path or "/"
    elif parts.path.startswith("/"):
        path = parts.path
    elif not parts.path:
        return (source_rel, parts.fragment) if parts.fragment else None
    else:
        if source_rel in NOT_FOUND_PAGES:
            return None, "trang 404 được phục vụ ở mọi độ sâu: dùng liên kết tuyệt đối"
        base = relative_base if relative_base is not None else posixpath.dirname(site.base + _url_path_of(source_rel))
        path = posixpath.normpath(posixpath.join(base or "/", parts.path))
        if parts.path.endswith("/") and not path.endswith("/"):
            path += "/"
    if site.base:
        if path != site.base and not path.startswith(site.base + "/"):
            return None, f"nằm ngoài đường dẫn con {site.base}/ của trang"
        path = path[len(site.base):] or "/"
    path = unquote(path)
    rel = posixpath.normpath(path.lstrip("/")) if path.strip("/") else ""
    if rel.startswith(".."):
        return None, "ra ngoài thư mục gốc của trang"
    if path.endswith("/") or not rel:
        rel = posixpath.join(rel, "index.html") if rel else "index.html"
    return rel, parts.fragment


_EXTRACTORS = {".html": "html", ".htm": "html", ".css": "css", ".xml": "xml", ".json": "json"}


def _extract(kind, data, site):
    """(links, ids or None) of one file of *kind* (its bytes)."""
    if kind == "html":
        links, ids = html_links(data)
        return links, ids
    if kind == "xml":
        return xml_links(data), None
    text = data.decode("utf-8", "replace")
    if kind == "css":
        return css_links(text), None
    return json_links(text, site), None


class LinkCache:
    """What each file links to (and its ids), by the digest of its bytes, kept between builds
    in *folder* (``.cache/links/`` of the project): a page whose bytes did not change since the
    last check is not parsed again. Only what a file *holds* is kept, never a verdict: every
    link is resolved against the new tree each time, so a link whose target is gone is still
    reported. The file's name carries a digest of this module and lxml's version (a change to
    either starts afresh); a check keeps only the entries it used, so the file stays the size
    of one site."""

    def __init__(self, folder, site):
        import hashlib
        import pickle

        from lxml import __version__ as lxml_version

        self._pickle = pickle
        self._hashlib = hashlib
        key = hashlib.blake2b(Path(__file__).read_bytes() + lxml_version.encode() + site.netloc.encode(),
                              digest_size=8).hexdigest()
        self.folder = Path(folder)
        self.path = self.folder / f"links-{key}.pickle"
        try:
            with open(self.path, "rb") as fh:
                self.old = pickle.load(fh)
        except Exception:  # missing, cut short or from another Python: parse everything
            self.old = {}
        self.new = {}

    def key(self, kind, data):
        return kind, self._hashlib.blake2b(data, digest_size=16).digest()

    def known(self, key):
        """What the file of *key* holds, if a check parsed those bytes before (else None)."""
        found = self.new.get(key) or self.old.get(key)
        if found is not None:
            self.new[key] = found
        return found

    def put(self, key, found):
        self.new[key] = found

    def save(self):
        """Write what this check used, whole or not at all; older cache files go."""
        import os
        import tempfile

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".links-")
            with os.fdopen(fd, "wb") as fh:
                self._pickle.dump(self.new, fh, protocol=self._pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
            for other in self.folder.glob("links-*.pickle"):
                if other != self.path:
                    other.unlink(missing_ok=True)
        except OSError:
            pass  # the cache only spares the next check some parsing


def _parse(job):
    """(links, ids or None) of the file *job* = (path, kind, site)."""
    path, kind, site = job
    with open(path, "rb") as fh:
        return _extract(kind, fh.read(), site)


def _parse_all(todo, site):
    """What each file of *todo* [(path, kind)] holds, in order. Parsing is most of a check (lxml,
    every file of a cold publish: 7 s of CPU at 2,000 posts, 10 s before the XPath
    extraction) and each file alone: once Pelican has
    finished, the build's cores are free, so the files are parsed by a pool of forked processes
    (cchc.core.parallel decides whether a second core is there); a few files, inline."""
    from cchc.core import parallel

    jobs = [(path, kind, site) for path, kind in todo]
    pool = parallel.process_pool(len(jobs), 200, most=4)
    if pool is None:
        return [_parse(job) for job in jobs]
    with pool:
        return list(pool.map(_parse, jobs, chunksize=64))


def check_tree(root, siteurl="", ignore=(), cache=None, known_digest=None):
    """Every broken internal link in the built tree *root*, sorted. *cache*: a folder where
    what each file links to is kept by the digest of its bytes (LinkCache), or None.
    *known_digest*: path → the hex digest of its bytes (cchc.core.outputtree.digest) when known
    without reading it, else None."""
    root = Path(root)
    site = Site.from_siteurl(siteurl)
    ignore_res = [re.compile(p) for p in ignore]
    store = LinkCache(cache, site) if cache else None
    ids = {}
    found = {}  # source rel → urls
    kinds = {}
    top = os.path.join(os.fspath(root), "")  # plain strings: Path objects were a tenth of a check
    cut = len(top)
    rels = sorted(os.path.join(dirpath, name)[cut:].replace(os.sep, "/")
                  for dirpath, _dirs, names in os.walk(root) for name in names)
    held, todo = {}, []  # rel → (links, ids); (rel, kind, cache key) of the files to parse
    for rel in rels:
        suffix = posixpath.splitext(rel)[1].lower()
        kind = _EXTRACTORS.get(suffix)
        path = top + rel
        if kind is None or not os.path.isfile(path):
            continue
        kinds[rel] = suffix
        if store is not None:
            known = known_digest(path) if known_digest is not None else None
            if known is not None:
                key = kind, bytes.fromhex(known)
            else:
                with open(path, "rb") as fh:
                    key = store.key(kind, fh.read())
        else:
            key = None
        hit = store.known(key) if store is not None else None
        if hit is not None:
            held[rel] = hit
        else:
            todo.append((rel, kind, key))
    parsed = _parse_all([(top + rel, kind) for rel, kind, _key in todo], site)
    for (rel, _kind, key), found_in_file in zip(todo, parsed):
        held[rel] = found_in_file
        if store is not None:
            store.put(key, found_in_file)
    for rel in kinds:
        links, page_ids = held[rel]
        if page_ids is not None:
            ids[rel] = page_ids
        found[rel] = links
    if store is not None:
        store.save()
    broken = set()
    # The same link on thousands of pages (the menu, the footer) is resolved once per place it is
    # relative to, and each target is looked up once. An absolute or root-relative URL (every
    # link of a publish build) resolves the same from any page: one entry for all of them (each
    # post has a folder of its own, so keyed by place they were resolved again on every page:
    # 214,000 times for the 17,600 files of a 2,000-post publish, 2.7 s of its check).
    resolved, exists = {}, {}

    def is_file(target):
        hit = exists.get(target)
        if hit is None:
            hit = exists[target] = os.path.isfile(top + target)
        return hit

    for source, links in found.items():
        # Links in JSON and XML are relative to the site root (scripts and readers add SITEURL).
        base = site.base + "/" if kinds[source] in (".json", ".xml") else None
        place = (base if base is not None else posixpath.dirname(site.base + _url_path_of(source)),
                 source in NOT_FOUND_PAGES)
        for url in links:
            if any(r.search(url) for r in ignore_res):
                continue
            bare = url.lstrip()
            key = url if bare.startswith(("/", "http://", "https://")) else (url, place)
            result = resolved.get(key, False)
            if result is False:
                result = resolve(url, source, site, base)
                # A link to a fragment of the page itself resolves to its source: not shared.
                if not (result and result[0] == source):
                    resolved[key] = result
            if result is None:
                continue
            target, extra = result
            if target is None:
                broken.add(Broken(source, url, extra))
                continue
            if not is_file(target):
                if os.path.isdir(top + target) and is_file(posixpath.join(target, "index.html")):
                    target = posixpath.join(target, "index.html")
                else:
                    broken.add(Broken(source, url, f"không có tệp {target}"))
                    continue
            if extra and target in ids and extra not in ids[target] and unquote(extra) not in ids[target]:
                broken.add(Broken(source, url, f"không có phần tử id=“{extra}” trong {target}"))
    return sorted(broken, key=lambda b: (b.source, b.url))


def siteurl_from_settings(settings_path):
    """SITEURL of a Pelican settings file (publishconf.py reads it from the environment)."""
    from pelican.settings import read_settings

    return read_settings(str(settings_path)).get("SITEURL", "")


def siteurl_from_output(root):
    """SITEURL a built tree was made for: its home page's canonical link ("" for a dev build)."""
    index = Path(root) / "index.html"
    if not index.is_file():
        return ""
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "lxml")
    link = soup.find("link", rel="canonical")
    return link["href"].rstrip("/") if link and link.get("href") else ""
