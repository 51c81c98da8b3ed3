"""The search build on sites a new agency really starts with."""

import re

from bs4 import BeautifulSoup

from cchc.core import fold, slugify
from conftest import ROOT, build, make_project


def test_a_site_with_pages_and_no_posts_builds_with_its_search_page(tmp_path):
    """A fresh portal may have its pages (Giới thiệu, Liên hệ…) before its first news item;
    the search index of no posts used to stop the build (lunr.py divided by zero)."""
    proj = make_project(tmp_path)
    (proj / "content" / "pages").mkdir()
    for page in (ROOT / "content" / "pages").glob("*.md"):
        (proj / "content" / "pages" / page.name).write_bytes(page.read_bytes())
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (proj / "output" / "tim-kiem" / "index.html").is_file()
    assert (proj / "output" / "gioi-thieu" / "index.html").is_file()


def test_the_search_page_offers_each_locality_of_the_posts_once_in_vietnamese_order(site):
    """The "Địa phương" filter lists every locality a post names, once, sorted as Vietnamese
    readers expect (by the folded name), each with its slug as the value the index filters on."""
    localities = set()
    for post in (ROOT / "content").rglob("*.md"):
        m = re.search(r"^locality:\s*(.+)$", post.read_text(encoding="utf-8"), re.MULTILINE)
        if m:
            localities.add(m.group(1).strip().strip("\"'"))
    assert len(localities) >= 3  # the seeds name several: a list, not one value, is compared
    assert _locality_options(site) == [(slugify(name), name) for name in sorted(localities, key=fold)]


def _locality_options(output):
    page = BeautifulSoup((output / "tim-kiem" / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [(o["value"], o.get_text(strip=True)) for o in page.select("select[name=locality] option")
            if o["value"]]


def test_localities_starting_with_a_marked_letter_sort_where_readers_look_for_them(tmp_path):
    """"Đà Nẵng" comes before "Yên Bái" and "Ân Thi" before "Bắc Giang" (by code point, Đ and
    Â come after every plain letter). Real units (the check resolves each locality), no province."""
    proj = make_project(tmp_path, ROOT / "content")
    posts = sorted((proj / "content" / "tin-tuc").glob("*.md"))[:4]
    names = ["Yên Bái", "Đà Nẵng", "Bắc Giang", "Ân Thi"]
    for post, name in zip(posts, names):
        text = post.read_text(encoding="utf-8")
        text = re.sub(r"^locality:.*$", f"locality: {name}", text, count=1, flags=re.MULTILINE)
        post.write_text(re.sub(r"^province:.*\n", "", text, flags=re.MULTILINE), encoding="utf-8")
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shown = [name for _slug, name in _locality_options(proj / "output")]
    assert shown.index("Ân Thi") < shown.index("Bắc Giang") < shown.index("Đà Nẵng") < shown.index("Yên Bái")
