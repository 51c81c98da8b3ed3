"""cchc_assets: theme files get names from their content and every reference uses them."""

import hashlib
import re

from bs4 import BeautifulSoup


def test_pages_reference_only_content_named_assets(publish_site, siteurl):
    soup = BeautifulSoup((publish_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    refs = [t.get("href") or t.get("src") for t in soup.select("link[rel=stylesheet], script[src]")]
    assert refs
    for ref in refs:
        rel = ref.removeprefix(siteurl + "/")
        match = re.fullmatch(r"(theme/.+)\.([0-9a-f]{10})\.(css|js)", rel)
        assert match, f"{ref} is not a hashed name"
        hashed = publish_site / rel
        plain = publish_site / f"{match[1]}.{match[3]}"
        assert hashed.read_bytes() == plain.read_bytes()
        assert hashlib.sha256(hashed.read_bytes()).hexdigest().startswith(match[2]), ref  # changes with the bytes


def test_development_builds_keep_plain_names(dev_site):
    html = (dev_site / "index.html").read_text(encoding="utf-8")
    assert "/theme/css/main.css" in html
    assert not re.search(r"main\.[0-9a-f]{10}\.css", html)


def test_references_rewritten_exactly_where_a_name_stands_alone():
    """The rewrite with the shared folder as a literal (cchc_assets._references) replaces exactly
    what one lookbehind before each whole name did: after / " ' ( and before " ' ) ? # space , or
    the end; a longer name wins; a name inside another word is left alone."""
    from cchc_assets.cchc_assets import _references

    mapping = {"theme/css/main.css": "theme/css/main.0123456789.css",
               "theme/css/main.css2.css": "theme/css/main.css2.abcdefabcd.css",
               "theme/favicon.svg": "theme/favicon.fedcba9876.svg"}
    text = ('<link href="/theme/css/main.css"><link href=\'theme/css/main.css2.css\'>'
            'url(theme/favicon.svg) /cchc/theme/css/main.css?v=1 xtheme/css/main.css" '
            '/theme/css/main.css.map /theme/favicon.svg#a "theme/favicon.svg,'
            '/theme/theme/favicon.svg" /theme/css/main.css')
    expected = ('<link href="/theme/css/main.0123456789.css"><link href=\'theme/css/main.css2.abcdefabcd.css\'>'
                'url(theme/favicon.fedcba9876.svg) /cchc/theme/css/main.0123456789.css?v=1 xtheme/css/main.css" '
                '/theme/css/main.css.map /theme/favicon.fedcba9876.svg#a "theme/favicon.fedcba9876.svg,'
                '/theme/theme/favicon.fedcba9876.svg" /theme/css/main.0123456789.css')
    assert _references(mapping)(text) == expected
    # Names in no shared folder: the lookbehind alone opens the pattern.
    assert _references({"a.css": "a.1.css", "b/c.js": "b/c.2.js"})('"a.css" (b/c.js) xa.css"') == \
        '"a.1.css" (b/c.2.js) xa.css"'
