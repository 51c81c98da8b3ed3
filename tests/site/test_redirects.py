"""cchc_redirects: old portal URLs keep working (real Pelican builds)."""

import logging
import re

import pytest
from bs4 import BeautifulSoup

from cchc_redirects.cchc_redirects import DEFAULTS, Redirect, settings_for
from conftest import ROOT, build, make_project, run_cchc

FIXTURES = ROOT / "tests" / "fixtures" / "import"

POST = """---
type: tin-tuc
title: "{title}"
date: 01/02/2023
locality: "Huyện Lộc Bình"
summary: "Tóm tắt."
areas: [the-che]
{extra}old_paths: {paths}
---

Nội dung.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("redirects"))
    news = proj / "content" / "tin-tuc"
    news.mkdir(parents=True)
    (news / "a.md").write_text(POST.format(
        title="Bài A", extra="", paths='["/bar/an-old-item", "/Lists/TinTuc/View_Detail.aspx?ItemID=70", '
                                       '"/tin/123.aspx", "/cu/bai.html"]'), encoding="utf-8")
    (news / "b.md").write_text(POST.format(title="Bài B", extra="", paths='["/bar/an-old-item", "/b-cu"]'),
                               encoding="utf-8")
    (news / "c.md").write_text(POST.format(title="Bài nháp", extra="status: draft\n", paths='["/nhap/cu"]'),
                               encoding="utf-8")
    imp = run_cchc("import", FIXTURES / "plone_batch.json", FIXTURES / "sharepoint_view_detail.html",
                   "--into", "content", cwd=proj)
    assert imp.returncode == 0, imp.stdout + imp.stderr
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj / "output", proc.stdout + proc.stderr


def test_static_redirect_page_is_accessible_and_inert(built):
    out, _log = built
    page = out / "bar" / "an-old-item" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh["content"] == "0; url=/tin-tuc/bai-a/"
    assert soup.find("link", rel="canonical")["href"] == "/tin-tuc/bai-a/"
    link = soup.find("main").find("a", href="/tin-tuc/bai-a/")
    assert link.get_text() == "Bài A"  # a visible link for when refresh is off
    assert soup.find("h1").get_text() == "Trang đã chuyển sang địa chỉ mới"
    assert soup.html["lang"] == "vi" and not soup.find("script")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_pages_only_where_a_path_can_hold_one(built):
    out, _log = built
    assert (out / "cu" / "bai.html").is_file()
    assert (out / "b-cu" / "index.html").is_file()
    assert not list(out.rglob("View_Detail*")) and not (out / "tin" / "123.aspx").exists()
    assert not (out / "nhap").exists()  # drafts do not take over old URLs


def test_imported_plone_item_keeps_its_old_url(built):
    out, _log = built
    page = out / "tin-tuc" / "ke-hoach-cchc-2023" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    target = "/tin-tuc/ke-hoach-cai-cach-hanh-chinh-nam-2023-cua-huyen-tam-duong/"
    assert soup.find("link", rel="canonical")["href"] == target
    assert (out / target.strip("/") / "index.html").is_file()


def _nginx_rules(text):
    rules = []
    for key, value in re.findall(r'^\s+"((?:[^"\\]|\\.)*)" "([^"]*)";$', text, re.M):
        key = re.sub(r"\\(.)", r"\1", key)
        rules.append((key, value))
    return rules


def _nginx_lookup(rules, uri):
    for key, value in rules:  # nginx: exact strings first, then regexes in order
        if not key.startswith("~") and key == uri:
            return value
    for key, value in rules:
        if key.startswith("~") and re.search(key[1:], uri):
            return value
    return None


@pytest.mark.parametrize("uri, target", [
    ("/bar/an-old-item", "/tin-tuc/bai-a/"),
    ("/bar/an-old-item/", "/tin-tuc/bai-a/"),
    ("/bar/an-old-item?utm_source=x", "/tin-tuc/bai-a/"),
    ("/bar/an-old-item/view", "/tin-tuc/bai-a/"),
    ("/bar/an-old-item/newsitem_view", "/tin-tuc/bai-a/"),
    ("/bar/an-old-item/@@images/image/thumb", "/tin-tuc/bai-a/"),
    ("/bar/an-old-item/@@download/file/ke-hoach.pdf", "/tin-tuc/bai-a/"),
    ("/Lists/TinTuc/View_Detail.aspx?ItemID=70", "/tin-tuc/bai-a/"),
    ("/Lists/TinTuc/View_Detail.aspx?ItemID=7", None),
    ("/tin/123.aspx", "/tin-tuc/bai-a/"),
    ("/b-cu", "/tin-tuc/bai-b/"),
    ("/bar/an-old-item-2", None),
    ("/nhap/cu", None),
])
def test_nginx_map(built, uri, target):
    out, _log = built
    text = (out / "redirects" / "nginx.conf").read_text(encoding="utf-8")
    assert text.count("map $request_uri $cchc_redirect {") == 1
    assert _nginx_lookup(_nginx_rules(text), uri) == target


def test_htaccess(built):
    out, _log = built
    text = (out / "redirects" / ".htaccess").read_text(encoding="utf-8")
    assert "RewriteEngine On" in text
    # Every argument double-quoted (Apache's own quoting): nothing in a path can end one.
    assert 'RewriteCond %{QUERY_STRING} "^ItemID=70$"\nRewriteRule "^/?Lists/TinTuc/View_Detail\\.aspx$" ' \
           '"/tin-tuc/bai-a/" [R=301,L,QSD]' in text
    assert 'RewriteRule "^/?bar/an-old-item/?$" "/tin-tuc/bai-a/" [R=301,L]' in text
    assert 'RewriteRule "^/?bar/an-old-item/@@images/" "/tin-tuc/bai-a/" [R=301,L]' in text


def test_conflicts_are_reported(built):
    out, log = built
    assert "cchc_redirects: đường dẫn cũ /bar/an-old-item trỏ tới hai trang khác nhau" in log
    for name in ("nginx.conf", ".htaccess"):
        text = (out / "redirects" / name).read_text(encoding="utf-8")
        assert "# XUNG ĐỘT: /bar/an-old-item đã trỏ tới /tin-tuc/bai-a/; bỏ qua /tin-tuc/bai-b/" in text


def test_settings_are_merged_into_a_local_copy(caplog):
    with caplog.at_level(logging.WARNING):
        conf = settings_for({"CCHC_REDIRECTS": {"NGINX": "", "BOGUS": 1}})
    assert conf["NGINX"] == "" and "BOGUS" not in conf
    assert "cchc_redirects: unknown setting CCHC_REDIRECTS['BOGUS'] ignored" in caplog.text
    conf["EXACT_SUFFIXES"].append("x")
    assert "x" not in DEFAULTS["EXACT_SUFFIXES"] and DEFAULTS["NGINX"] == "redirects/nginx.conf"


@pytest.mark.parametrize("old, static", [
    ("/bar/an-old-item", "bar/an-old-item/index.html"),
    ("/bar/an-old-item/", "bar/an-old-item/index.html"),
    ("/cu/bai.htm", "cu/bai.htm"),
    ("/tin/c%E1%BA%A3i-c%C3%A1ch", "tin/cải-cách/index.html"),
    ("/Lists/TinTuc/View_Detail.aspx?ItemID=70", None),
    ("/tin/123.aspx", None),
    ("/bar/x/@@images/image", None),
    ("/", None),
    ("/a/../b", None),
])
def test_static_file_for_old_path(old, static):
    assert Redirect(old, "/tin-tuc/x/", "X", "a.md").static_file() == static


def test_hostile_page_renders_inert(tmp_path):
    proj = make_project(tmp_path)
    imp = run_cchc("import", FIXTURES / "sharepoint_view_detail.html", "--into", "content", cwd=proj)
    assert imp.returncode == 0, imp.stdout + imp.stderr
    [post] = (proj / "content" / "tin-tuc").glob("huyen-tam-duong-*.md")
    text = post.read_text(encoding="utf-8")
    assert "status: draft" in text  # needs review → draft; drafts are never written, so publish it here
    # what the editor does before publishing it: copy the images the report names (make check
    # refuses links to files that are not there)
    post.write_text(text.replace("status: draft\n", "").replace("](x.png)", "](/images/x.png)"), encoding="utf-8")
    (proj / "content" / "images").mkdir()
    for name in ("x.png", "mot-cua.jpg"):
        (proj / "content" / "images" / name).write_bytes(b"x")
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [page] = (proj / "output" / "tin-tuc").glob("huyen-tam-duong-*/index.html")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    body = soup.find("main")
    assert not body.find(["script", "iframe", "object", "embed", "form"])
    for tag in body.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        for attr in ("href", "src"):
            assert not str(tag.get(attr, "")).strip().lower().startswith(("javascript:", "data:")), tag
    assert "<script>alert" in body.get_text()  # shown as text, not run
    assert body.find("table") and body.find("a", href="https://example.org/bao-cao")


# --- issue 33: an old path never takes over an address of the site ---------------------------

OTHER_POSTS = [("tin-tuc/bai-khac/", "content/tin-tuc/bai-khac.md"), ("gioi-thieu/", "content/pages/gioi-thieu.md"),
               ("en/about/", "content/pages/about.md")]


@pytest.fixture(scope="module")
def site():
    from cchc.core.sitepaths import project_settings, site_paths

    return site_paths(project_settings(str(ROOT / "pelicanconf.py")), OTHER_POSTS)


@pytest.mark.parametrize("old, said", [
    ("/", "/ (trang chủ)"),
    ("/index.html", "/ (trang chủ)"),
    ("/en/", "/en/ (trang gốc của ngôn ngữ “en”)"),
    ("/EN", "/en/ (trang gốc của ngôn ngữ “en”)"),
    ("/feeds/tat-ca.atom.xml", "/feeds/… (do plugin cchc_feeds tạo ra)"),
    ("/%66eeds/tat-ca.rss.xml", "/feeds/… (do plugin cchc_feeds tạo ra)"),  # Apache decodes before matching
    ("//feeds//loai/tin-tuc.rss.xml", "/feeds/… (do plugin cchc_feeds tạo ra)"),
    ("/theo-doi/", "/theo-doi/… (do plugin cchc_feeds tạo ra)"),
    ("/sitemap.xml", "/sitemap.xml (do plugin cchc_seo tạo ra)"),
    ("/robots.txt", "/robots.txt (do plugin cchc_seo tạo ra)"),
    ("/tim-kiem/du-lieu/manifest.json", "/tim-kiem/… (do plugin cchc_search tạo ra)"),
    ("/tim-kiem/?q=mot-cua", "/tim-kiem/… (do plugin cchc_search tạo ra)"),
    ("/du-lieu-mo/index.json", "/du-lieu-mo/… (do plugin cchc_opendata tạo ra)"),
    ("/admin/", "/admin/… (do plugin cchc_studio tạo ra)"),
    ("/redirects/nginx.conf", "/redirects/… (do plugin cchc_redirects tạo ra)"),
    ("/theme/css/main.css", "/theme/… (tệp của giao diện)"),
    ("/files/ke-hoach.pdf", "/files/… (tệp đăng từ content/files/)"),
    ("/linh-vuc/the-che/", "/linh-vuc/… (do plugin cchc_listings tạo ra)"),
    ("/dia-phuong/huyen-mau-son", "/dia-phuong/… (do plugin cchc_listings tạo ra)"),
    ("/nam/2024/", "/nam/… (do plugin cchc_listings tạo ra)"),
    ("/van-ban/179-kh-ubnd/", "/van-ban/… (do plugin cchc_documents tạo ra)"),
    ("/chi-tieu/", "/chi-tieu/… (do plugin cchc_documents tạo ra)"),
    ("/tu-khoa/mot-cua/", "/tu-khoa/… (trang từ khóa)"),
    ("/trang/2/", "/trang/… (các trang tiếp theo của danh sách)"),
    ("/tin-tuc/", "/tin-tuc/ (trang danh sách bài)"),
    ("/Tin-Tuc/index.html", "/tin-tuc/ (trang danh sách bài)"),  # one file on a case-insensitive disk
    ("/tin-tuc/trang/3/", "/tin-tuc/trang/… (các trang tiếp theo của danh sách)"),
    ("/tin-tuc/bai-khac", "/tin-tuc/bai-khac/ (địa chỉ của bài content/tin-tuc/bai-khac.md)"),
    ("/gioi-thieu/", "/gioi-thieu/ (địa chỉ của bài content/pages/gioi-thieu.md)"),
    ("/en/about", "/en/about/ (địa chỉ của bài content/pages/about.md)"),
])
def test_old_path_that_is_an_address_of_the_site_is_refused(site, old, said):
    from cchc.core.sitepaths import taken_by_message

    assert taken_by_message(site, old, "content/tin-tuc/a.md") == (
        f"đường dẫn cũ “{old}” là đường dẫn của chính cổng: {said}; chuyển hướng nó sẽ chiếm chỗ đó của "
        "cổng mới, hãy xóa đường dẫn này khỏi old_paths")


@pytest.mark.parametrize("old", [
    "/tin-cu/bai", "/tin-tuc/bai-cu-khong-con-nua", "/bai-khac", "/feedsx/a", "/en-us",
    "/?p=123", "/index.php?option=com_content&id=5",  # only that exact address (WordPress, Joomla)
    "/Lists/TinTuc/View_Detail.aspx?ItemID=70",
])
def test_old_paths_of_the_old_portal_are_kept(site, old):
    from cchc.core.sitepaths import taken_by_message

    assert taken_by_message(site, old, "content/tin-tuc/a.md") is None


def test_a_post_may_keep_its_own_address_as_old_path(site):
    assert site.taken_by("/tin-tuc/bai-khac", "content/tin-tuc/bai-khac.md") is None


def test_reserved_addresses_follow_the_settings():
    """Derived from the URL settings and the plugins' own settings, not from a list."""
    from cchc.core.sitepaths import project_settings, site_paths

    settings = project_settings(str(ROOT / "pelicanconf.py"))
    moved = dict(settings, TAG_URL="the/{slug}/", TAGS_SAVE_AS="the/index.html", CCHC_FEEDS={"ALL_URL": "nguon-tin/tat-ca.{ext}.xml"},
                 CCHC_SEARCH={"PAGE_URL": "tra-cuu/", "OUTPUT_DIR": "tra-cuu/du-lieu"})
    site = site_paths(moved)
    for old in ("/the/mot-cua/", "/nguon-tin/tat-ca.rss.xml", "/tra-cuu/du-lieu/manifest.json"):
        assert site.taken_by(old), old
    assert site.taken_by("/tu-khoa/mot-cua/") is None and site.taken_by("/tim-kiem/") is None


def test_page_slugs_the_schema_reserves_cover_every_address_the_settings_give(site):
    from cchc.core.schema import RESERVED_SLUGS

    assert site.slugs() <= RESERVED_SLUGS, site.slugs() - RESERVED_SLUGS


TAKEOVER = ["/", "/en/", "/feeds/tat-ca.rss.xml", "/sitemap.xml", "/robots.txt", "/tim-kiem/du-lieu/manifest.json",
            "/du-lieu-mo/index.json", "/admin/", "/theme/css/main.css", "/tin-tuc/bai-b/"]


def test_check_and_build_refuse_old_paths_that_take_over_the_site(tmp_path):
    import json
    import os
    import subprocess
    import sys

    proj = make_project(tmp_path)
    news = proj / "content" / "tin-tuc"
    news.mkdir(parents=True)
    block = "".join(f"\n  - {json.dumps(p)}" for p in TAKEOVER)
    (news / "a.md").write_text(POST.format(title="Bài A", extra="", paths=block), encoding="utf-8")
    (news / "b.md").write_text(POST.format(title="Bài B", extra="", paths='["/tin-cu/b"]'), encoding="utf-8")
    expected = [f"LỖI content/tin-tuc/a.md:{9 + i}: trường “old_paths[{i}]” (Đường dẫn cũ): đường dẫn cũ “{p}” "
                "là đường dẫn của chính cổng: " for i, p in enumerate(TAKEOVER)]
    for args in (("check", "content"), ("build", "--content", "content", "--output", "output")):
        proc = run_cchc(*args, cwd=proj)
        assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
        lines = [line for line in proc.stderr.splitlines() if line.startswith("LỖI ")]
        assert len(lines) == len(TAKEOVER), proc.stderr
        for line, start in zip(lines, expected):
            assert line.startswith(start), (line, start)
        assert not (proj / "output").exists()
    # Pelican run by hand (no `cchc check`): the build's own check stops it with the same message.
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"), COLUMNS="1000")
    proc = subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "out",
                           "--fatal", "errors", "--ignore-cache"], cwd=proj, env=env, capture_output=True,
                          text=True, check=False)
    assert proc.returncode != 0
    flat = proc.stdout + proc.stderr
    assert "cchc_content: content/tin-tuc/a.md:9: trường “old_paths[0]” (Đường dẫn cũ): đường dẫn cũ “/” là đường dẫn" in flat
    assert not (proj / "out" / "redirects").exists()


def test_maps_hold_one_rule_per_line_for_every_old_path_the_check_accepts():
    """Every character (as written and percent-encoded, in the path and in the query) that an old
    path may hold once `make check` accepts it gives lines of the servers' grammar: nothing in it
    ends a quoted argument or a line (CR/LF, quotes, spaces), and the writers never raise."""
    from urllib.parse import quote

    from cchc.core.schema import old_path_error
    from cchc_redirects.cchc_redirects import htaccess, nginx_map

    grammar = {
        nginx_map: re.compile(r'(#.*|map \$request_uri \$cchc_redirect \{|    default "";|'
                              r'    "(?:[^"\\\n\r]|\\.)*" "(?:[^"\\\n\r]|\\.)*";|\})'),
        htaccess: re.compile(r'(#.*|RewriteEngine On|RewriteCond %\{QUERY_STRING\} "[^"\s]*"|'
                             r'RewriteRule "[^"\s]*" "[^"\s]*" \[R=301,L(,QSD)?\])'),
    }
    chars = [chr(c) for c in [*range(0x250), 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x3000, 0xfeff]]
    accepted = 0
    for char in chars:
        for form in (char, quote(char, safe="")):
            for old in (f"/a{form}b", f"/a/{form}", f"/a?x={form}"):
                if old_path_error(old):
                    continue
                accepted += 1
                red = Redirect(old, "/tin-tuc/bai-a/", "A", "a.md")
                for writer, rule in grammar.items():
                    text = writer([red], [], DEFAULTS)
                    for line in text.split("\n")[:-1]:
                        assert rule.fullmatch(line), (writer.__name__, old, line)
    assert accepted > 500  # the table did run over what the check lets through
