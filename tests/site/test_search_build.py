"""The search build on sites a new agency really starts with."""

import re

from bs4 import BeautifulSoup

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


def test_the_search_page_offers_the_localities_of_dia_phuong_in_vietnamese_order(site):
    """The "Địa phương" filter offers what /dia-phuong/ lists: today's provinces, each followed by
    its communes, that hold a post's area (a 2021 post of Huyện Tam Dương is under Tỉnh Phú Thọ),
    then the old units the posts name, marked as such; each unit's page slug is the value the index
    filters on. Provinces sort by the folded name: "Đà Nẵng" before "Hà Nội" (by code point Đ
    comes after every plain letter)."""
    index = BeautifulSoup((site / "dia-phuong" / "index.html").read_text(encoding="utf-8"), "html.parser")
    listed = [(a["href"].split("/dia-phuong/", 1)[1].rstrip("/"), a.get_text(strip=True))
              for a in index.select("main .c-index a")]
    options = _locality_options(site)
    assert [value for value, _ in options] == [slug for slug, _ in listed]
    assert options[0] == ("da-nang", "Thành phố Đà Nẵng") and ("ha-noi", "Thành phố Hà Nội") in options
    assert ("phu-tho/tam-duong", "Xã Tam Dương, Tỉnh Phú Thọ") in options
    assert ("huyen-tam-duong", "Huyện Tam Dương, Tỉnh Vĩnh Phúc (trước 01/07/2025)") in options
    written = set()
    for post in (ROOT / "content").rglob("*.md"):
        m = re.search(r"^locality:\s*(.+)$", post.read_text(encoding="utf-8"), re.MULTILINE)
        if m:
            written.add(m.group(1).strip().strip("\"'"))
    assert len(written) >= 3 and all(any(label.startswith(name) for _, label in options) for name in written)


def _locality_options(output):
    page = BeautifulSoup((output / "tim-kiem" / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [(o["value"], o.get_text(strip=True)) for o in page.select("select[name=locality] option")
            if o["value"]]


def test_localities_starting_with_a_marked_letter_sort_where_readers_look_for_them(tmp_path):
    """Today's provinces and communes and the old units sort by the folded name: "Đà Nẵng" before
    "Hưng Yên", "Xã Ân Thi" before "Xã Hồng Quang" (by code point, Đ and Â come after every plain
    letter). Real units (the check resolves each locality), no province."""
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
    # Today: Tỉnh Bắc Giang went to Bắc Ninh, Huyện Ân Thi to communes of Hưng Yên; the undated
    # "Yên Bái" post is read as today's Phường Yên Bái (Lào Cai).
    assert shown.index("Tỉnh Bắc Ninh") < shown.index("Thành phố Đà Nẵng") < shown.index("Tỉnh Hưng Yên") \
        < shown.index("Xã Ân Thi, Tỉnh Hưng Yên") < shown.index("Xã Hồng Quang, Tỉnh Hưng Yên") \
        < shown.index("Tỉnh Lào Cai") < shown.index("Phường Yên Bái, Tỉnh Lào Cai")
    before = [name.removesuffix(" (trước 01/07/2025)") for name in shown if name.endswith("(trước 01/07/2025)")]
    assert before[:4] == ["Tỉnh Bắc Giang", "Thành phố Đà Nẵng", "Huyện Ân Thi, Tỉnh Hưng Yên",
                          "Huyện Bình Lục, Tỉnh Hà Nam"]
