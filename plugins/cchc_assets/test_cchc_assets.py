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


def _site(root, files):
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


CONF = {"EXTENSIONS": ["css", "svg"], "HASH_LENGTH": 10, "KEEP_ORIGINALS": True, "REWRITE_IN": ["html", "css"]}
CSS = b"body{background:url(../images/nen.svg)}"
SVG = b"<svg xmlns='http://www.w3.org/2000/svg'/>"


def test_the_names_planned_from_the_theme_are_the_names_built(tmp_path):
    """plan_names names the theme's own files before any page is written, by the rule that names
    the built files (a stylesheet's name covers the names it points to)."""
    from cchc_assets.cchc_assets import fingerprint, name_assets, theme_assets

    _site(tmp_path / "theme" / "static", {"css/main.css": CSS, "images/nen.svg": SVG, ".#tam.css": b"x"})
    settings = {"THEME": str(tmp_path / "theme"), "THEME_STATIC_PATHS": ["static"], "THEME_STATIC_DIR": "theme",
                "IGNORE_FILES": [".#*"]}
    sources = theme_assets(settings, CONF)
    assert set(sources) == {"theme/css/main.css", "theme/images/nen.svg"}
    planned = name_assets(sources, 10)[0]
    out = tmp_path / "output"
    _site(out / "theme", {"css/main.css": CSS, "images/nen.svg": SVG})
    assert fingerprint(out, "theme", CONF) == planned
    assert "url(../images/" + planned["theme/images/nen.svg"].rpartition("/")[2] + ")" in \
        (out / planned["theme/css/main.css"]).read_text()


def test_a_page_rendered_with_a_planned_name_the_build_did_not_give_gets_the_built_one(tmp_path):
    from cchc_assets.cchc_assets import fingerprint

    out = tmp_path / "output"
    _site(out, {"theme/images/nen.svg": SVG, "index.html": b'<img src="/theme/images/nen.0123456789.svg">'})
    mapping = fingerprint(out, "theme", CONF, planned={"theme/images/nen.svg": "theme/images/nen.0123456789.svg"})
    built = mapping["theme/images/nen.svg"]
    assert built != "theme/images/nen.0123456789.svg"
    assert (out / "index.html").read_text() == f'<img src="/{built}">'


def test_a_file_linked_from_the_live_site_is_rewritten_only_if_the_live_site_had_other_names(tmp_path):
    """A file linked from the live output/ went through the rewrite of the build before; when
    the live tree holds every asset under the name this build gives it, that file is not read
    again (here a page left with a plain name shows it was not); when it does not (the build
    before was a development one, or an asset is new), it is rewritten as any other."""
    from cchc.cli import build as build_module
    from cchc.core import outputtree
    from cchc.core.files import write_whole
    from cchc_assets.cchc_assets import fingerprint

    page = b'<img src="/theme/images/nen.svg">'
    for live_names, rewritten in ((True, False), (False, True)):
        case = tmp_path / str(live_names)
        old, new = case / "output", case / ".output.new"
        hashed = f"theme/images/nen.{hashlib.sha256(SVG).hexdigest()[:10]}.svg"
        _site(old, {"index.html": page, "theme/images/nen.svg": SVG, **({hashed: SVG} if live_names else {})})
        new.mkdir()
        write_whole(outputtree.records_file(old), build_module.record_text(old, new))
        tree = outputtree.PreviousTree(old, new)
        tree.write(new / "index.html", page)  # linked from the live tree
        _site(new, {"theme/images/nen.svg": SVG})
        fingerprint(new, "theme", CONF, tree)
        assert ((new / "index.html").read_bytes() != page) is rewritten
        assert (old / "index.html").read_bytes() == page  # the live site's file is never written into
