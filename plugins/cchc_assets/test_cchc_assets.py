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
