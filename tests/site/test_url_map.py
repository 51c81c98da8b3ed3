"""One URL map (cchc.core.sitepaths, issue 32): a section moved in a project's settings moves
everywhere the site names it: the header's search form and menu, the footer, the page it is
written to, the slugs a page may not take and the links `make check` accepts."""

from bs4 import BeautifulSoup

from conftest import build, make_project, run_cchc

NEWS = """---
type: tin-tuc
title: "Tin thử"
slug: tin-thu
date: 01/02/2023
locality: "Huyện Lộc Bình"
summary: "Tóm tắt."
areas: [the-che]
---

Xem [trang tìm kiếm]({link}).
"""
PAGE = """---
type: trang
title: "Trang thử"
slug: {slug}
summary: "Tóm tắt."
---

Nội dung.
"""
MOVED = """
CCHC_SEARCH = {"PAGE_URL": "search/", "OUTPUT_DIR": "search/data"}
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
CATEGORY_URL = "muc/{slug}/"
CATEGORY_SAVE_AS = "muc/{slug}/index.html"
"""


def _project(tmp_path, link="/search/", page_slug="trang-thu"):
    proj = make_project(tmp_path)
    (proj / "content" / "tin-tuc").mkdir()
    (proj / "content" / "pages").mkdir()
    (proj / "content" / "tin-tuc" / "tin-thu.md").write_text(NEWS.format(link=link), encoding="utf-8")
    (proj / "content" / "pages" / "trang.md").write_text(PAGE.format(slug=page_slug), encoding="utf-8")
    with open(proj / "pelicanconf.py", "a", encoding="utf-8") as fh:
        fh.write(MOVED)
    return proj


def test_a_moved_section_moves_in_the_pages_the_build_writes(tmp_path):
    proj = _project(tmp_path)
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proj / "output"
    assert (out / "search" / "index.html").is_file() and not (out / "tim-kiem").exists()
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("header form[role=search]")["action"] == "/search/"
    menu = [a["href"] for a in soup.select("header nav a")]
    assert "/muc/tin-tuc/" in menu and "/muc/ke-hoach/" in menu, menu
    assert "/tin-tuc/" not in menu
    assert "/tags/" in [a["href"] for a in soup.select("footer a")]
    # The search page knows itself: no second search box in its header.
    search = BeautifulSoup((out / "search" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert search.select_one("header form[role=search]") is None
    # The pages those links name are where the build wrote them.
    for href in ("/search/", "/muc/tin-tuc/", "/tags/"):
        assert (out / href.strip("/") / "index.html").is_file(), href


def test_a_moved_section_is_a_reserved_slug_and_a_known_link(tmp_path):
    proj = _project(tmp_path, page_slug="search")
    proc = run_cchc("check", "content", cwd=proj)
    assert proc.returncode == 1
    assert "LỖI content/pages/trang.md:4: trường “slug”" in proc.stderr and "“search” là đường dẫn của chính cổng" \
        in proc.stderr, proc.stderr
    assert "liên kết" not in proc.stderr  # /search/ is the search page's address here
    # The build's own check says the same.
    proc = build(proj)
    assert proc.returncode != 0 and "“search” là đường dẫn của chính cổng" in proc.stdout + proc.stderr


def test_the_old_address_of_a_moved_section_is_a_broken_link(tmp_path):
    proj = _project(tmp_path, link="/tim-kiem/")
    proc = run_cchc("check", "content", cwd=proj)
    assert proc.returncode == 1 and "liên kết “/tim-kiem/” không tới trang hay tệp nào của cổng" in proc.stderr, \
        proc.stderr
