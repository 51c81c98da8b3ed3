"""SITEURL, the site's public address: one reading of it for every plugin and command.

Development builds have ``SITEURL = ""`` (root-relative links, served by the preview); a
production build has an absolute http(s) address, possibly with a subpath
(``https://example.gov.vn/cchc``). Feeds, the CSP, canonical links and the publish check all
ask the same questions of it, answered here.
"""

from urllib.parse import urlsplit


def is_absolute(siteurl):
    """True for an http(s) address with a host: what feeds, sitemaps and JSON-LD need."""
    parts = urlsplit(siteurl or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def origin(siteurl):
    """``scheme://host[:port]`` of an absolute SITEURL ("" otherwise)."""
    if not is_absolute(siteurl):
        return ""
    parts = urlsplit(siteurl)
    return f"{parts.scheme}://{parts.netloc}"


def host(siteurl):
    """The host name of SITEURL, lower-case ("" when there is none)."""
    return urlsplit(siteurl or "").hostname or ""


def absolute_url(siteurl, url):
    """A site URL (``tin-tuc/x/``, as Pelican gives them) under *siteurl*."""
    return f"{siteurl}/{url}"
