"""Theme properties on every built page: language, skip link, landmarks, no inline code,
no external requests, small home page, pagination, interface text only from the catalogue."""

import re

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build, html_files, make_project

VIETNAMESE_LETTER = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_page_has_language_skip_link_and_main(site):
    pages = html_files(site)
    assert len(pages) > 30
    for path in pages:
        doc = soup(path)
        assert doc.html.get("lang") in ("vi", "en"), path
        first = doc.body.find(True)
        assert first.name == "a" and first["href"] == "#main-content", path
        assert doc.find("main", id="main-content"), path
        assert len(doc.find_all("h1")) == 1, path
        assert doc.find("form", attrs={"role": "search"}).find("label"), path


def page_code_problems(doc):
    """What a page must not have: inline scripts, <style>, style= or on…= attributes, and
    stylesheets, scripts, images or frames from another host."""
    problems = []
    for script in doc.find_all("script"):
        if not (script.get("src") or script.get("type") == "application/ld+json"):
            problems.append("inline script")
    problems += ["<style> element"] * len(doc.find_all("style"))
    for tag in doc.find_all(True):
        # Each attribute by name: a callable attrs= filter is called with one attribute's value, not
        # the dict, so it never saw onclick (tests/site/test_theme.py used to rely on one).
        problems += [f"{name}= on <{tag.name}>" for name in tag.attrs
                     if name.lower().startswith("on") or name.lower() == "style"]
    for tag, attr in (("link", "href"), ("script", "src"), ("img", "src"), ("iframe", "src")):
        for el in doc.find_all(tag):
            url = el.get(attr, "")
            if tag == "link" and "stylesheet" not in el.get("rel", []) and "icon" not in el.get("rel", []):
                continue
            if re.match(r"^(https?:)?//", url):
                problems.append(f"external {tag} {url}")
    return problems


@pytest.mark.parametrize("bad, found", [
    ('<button onclick="go()">Tìm</button>', "onclick= on <button>"),
    ('<img src="/a.png" alt="" ONERROR="x()">', "onerror= on <img>"),
    ('<p style="color:red">Đỏ</p>', "style= on <p>"),
    ("<script>alert(1)</script>", "inline script"),
    ("<style>p{}</style>", "<style> element"),
    ('<script src="https://cdn.example.com/x.js"></script>', "external script https://cdn.example.com/x.js"),
    ('<link rel="stylesheet" href="//fonts.example.com/f.css">', "external link //fonts.example.com/f.css"),
])
def test_page_code_guard_catches_a_bad_page(bad, found):
    """The guard below, run on a page with one bad thing: it must say so."""
    doc = BeautifulSoup(f"<!doctype html><html><head></head><body>{bad}</body></html>", "html.parser")
    assert page_code_problems(doc) == [found]


def test_no_inline_script_style_or_external_requests(site):
    for path in html_files(site):
        assert page_code_problems(soup(path)) == [], path
    css = (site / "theme" / "css" / "main.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(http" not in css


def test_home_page_is_small(site):
    html = (site / "index.html").stat().st_size
    css = sum(p.stat().st_size for p in (site / "theme" / "css").glob("*.css"))
    # uncompressed, so well under the 40 KB transfer budget once gzip/brotli apply
    assert html + css <= 40 * 1024, (html, css)


def test_vietnamese_dates_and_time_elements(site):
    doc = soup(site / "index.html")
    times = doc.find_all("time")
    assert times
    for t in times:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", t["datetime"])
        assert re.fullmatch(r"ngày \d\d tháng \d{1,2} năm \d{4}", t.get_text())


def test_breadcrumbs_and_aria_current(site):
    doc = soup(site / "ke-hoach" / "tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025" / "index.html")
    crumbs = doc.select(".c-breadcrumbs li")
    assert [c.get_text(strip=True) for c in crumbs][:2] == ["Trang chủ", "Kế hoạch"]
    assert crumbs[-1].find(attrs={"aria-current": "page"})
    nav = soup(site / "tin-tuc" / "index.html").select_one(".c-nav")
    assert nav.find("a", attrs={"aria-current": "page"}).get_text() == "Tin tức"


@pytest.mark.parametrize("url, count", [
    ("tin-tuc/", 5), ("ke-hoach/", 4), ("linh-vuc/thu-tuc-hanh-chinh/", 7), ("dia-phuong/quan-tay-ho/", 2),
    ("nam/2021/", 4), ("tu-khoa/dao-duc-cong-vu/", 1),
])
def test_listings(site, url, count):
    doc = soup(site / url / "index.html")
    assert len(doc.select(".c-list .c-card")) == count


def test_print_stylesheet(site):
    doc = soup(site / "index.html")
    assert doc.find("link", attrs={"media": "print", "rel": "stylesheet"})
    css = (site / "theme" / "css" / "print.css").read_text(encoding="utf-8")
    assert ".l-header" in css and "display: none" in css


def test_pagination(tmp_path):
    proj = make_project(tmp_path)
    folder = proj / "content" / "tin-tuc"
    folder.mkdir(parents=True)
    for i in range(1, 13):
        (folder / f"tin-{i}.md").write_text(
            f'---\ntype: tin-tuc\ntitle: "Tin số {i}"\nslug: tin-{i}\ndate: {i:02d}/01/2024\n'
            f'locality: Huyện Tam Dương\nsummary: "Tóm tắt {i}."\nareas: [the-che]\n---\n\nNội dung {i}.\n',
            encoding="utf-8")
    proc = build(proj)
    assert proc.returncode == 0, proc.stderr
    first = soup(proj / "output" / "tin-tuc" / "index.html")
    second = soup(proj / "output" / "tin-tuc" / "trang" / "2" / "index.html")
    assert len(first.select(".c-card")) == 10 and len(second.select(".c-card")) == 2
    assert first.select_one(".c-card a").get_text() == "Tin số 12"  # newest first
    assert first.select_one('a[rel="next"]')["href"] == "/tin-tuc/trang/2/"
    assert second.select_one('a[rel="prev"]')["href"] == "/tin-tuc/"
    assert (proj / "output" / "linh-vuc" / "the-che" / "trang" / "2" / "index.html").exists()


def test_interface_text_lives_in_the_catalogue():
    """Templates hold no Vietnamese words of their own: all UI text is in theme/ui.yaml."""
    for path in (ROOT / "theme" / "templates").rglob("*.html"):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not VIETNAMESE_LETTER.search(text), f"{path.relative_to(ROOT)} has UI text outside ui.yaml"


def test_compiled_templates_are_kept_and_an_edited_one_is_compiled_again(tmp_path):
    """A checkout keeps compiled templates in .cache/templates/ (CCHC_TEMPLATE_CACHE); a build
    from them is the same site, and a template edited since is compiled again."""
    import shutil

    from conftest import files_of

    proj = make_project(tmp_path, ROOT / "content")
    shutil.copy(ROOT / "pelicanconf.py", proj / "pelicanconf.py")  # the checkout's own setting, not the tests'
    (proj / "theme").unlink()
    shutil.copytree(ROOT / "theme", proj / "theme")
    trees = []
    for _ in range(2):
        proc = build(proj)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        trees.append(files_of(proj / "output"))
    cached = sorted((proj / ".cache" / "templates").iterdir())
    assert len(cached) > 10
    assert trees[0] == trees[1]
    footer = proj / "theme" / "templates" / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace("<footer", "<!-- sửa đổi 2026 --><footer", 1),
                      encoding="utf-8")
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "<!-- sửa đổi 2026 -->" in (proj / "output" / "index.html").read_text(encoding="utf-8")
