"""The portal looks and works like a state agency's site (issue 18): who runs it, the phone
layout, numbered pages, documents on phones, last updated, related news, print, sharing and
the English counterparts. Built pages are parsed with BeautifulSoup; what a citizen sees is
measured in headless Chromium at 390×844 and 320 px."""

import json
import shutil
import subprocess
import threading

import pytest
from bs4 import BeautifulSoup
from selenium.webdriver.common.by import By

from conftest import ROOT, _need, make_project, nu_check, publish_build, start_chromium
from test_accessibility import PAGE_TYPES

PLAN = "ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/"
NEWS = "tin-tuc/quan-tay-ho-thuc-hien-cai-cach-hanh-chinh-nha-nuoc-giai-doan-2021-2025/"


@pytest.fixture(autouse=True)
def _phone_window_afterwards(request):
    """Browser tests here resize the shared window; later modules expect the default 390×844."""
    yield
    if request.node.get_closest_marker("browser") and "browser" in request.fixturenames:
        request.getfixturevalue("browser").set_window_size(390, 844)


def soup(site, url):
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def settings_value(name):
    """ORGANISATION and friends as pelicanconf.py has them."""
    import runpy

    return runpy.run_path(str(ROOT / "pelicanconf.py"))[name]


# --- built pages -----------------------------------------------------------------------------

def test_header_shows_logo_parent_agency_then_portal(site):
    org = settings_value("ORGANISATION")
    for url in ("", PLAN, "en/about/"):
        doc = soup(site, url)
        brand = doc.select_one("header .c-brand")
        logo = brand.find("img")
        assert logo["alt"] == "" and logo["width"] and logo["height"]  # the text beside it names the agency
        assert (site / logo["src"].lstrip("/")).is_file()
        lines = [s.get_text(strip=True) for s in brand.select(".c-brand__text > span")]
        parent, name = (org["parent_en"], org["name_en"]) if url.startswith("en/") else (org["parent"], org["name"])
        site_name = "Administrative Reform Information Portal" if url.startswith("en/") else "Cổng thông tin cải cách hành chính"
        assert lines == [parent, name, site_name], url


def test_numbered_pagination_titles_and_archives_by_year(paged):
    first, second, third = (soup(paged, f"tin-tuc/{p}") for p in ("", "trang/2/", "trang/3/"))
    assert first.title.get_text().startswith("Tin tức |")
    assert second.title.get_text().startswith("Tin tức – Trang 2 |")
    assert second.h1.get_text() == "Tin tức – Trang 2/3"
    links = second.select(".c-pagination a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Trang trước", "/tin-tuc/"), ("1", "/tin-tuc/"), ("2", "/tin-tuc/trang/2/"), ("3", "/tin-tuc/trang/3/"),
        ("Trang sau", "/tin-tuc/trang/3/")]
    current = second.select('.c-pagination [aria-current="page"]')
    assert [a.get_text() for a in current] == ["2"] and current[0]["aria-label"] == "Trang 2"
    assert [a.get_text() for a in third.select('.c-pagination [aria-current="page"]')] == ["3"]
    assert not third.select('.c-pagination a[rel="next"]') and not first.select('.c-pagination a[rel="prev"]')
    archives = soup(paged, "luu-tru/")
    assert [h.get_text(" ", strip=True) for h in archives.select("main h2")] == [
        "Năm 2024 (13 bài)", "Năm 2023 (11 bài)"]
    assert len(archives.select("main section")[0].select(".c-card")) == 13


def test_last_updated_history_json_ld_and_feed(paged):
    doc = soup(paged, "tin-tuc/tin-2024-3/")
    updated = doc.select_one(".c-updated time")
    assert updated["datetime"] == "2024-06-20T00:00:00+07:00"
    assert doc.select_one(".c-updated").get_text().startswith("Cập nhật ngày 20 tháng 6 năm 2024")
    history = doc.select_one("#page-history").find_parent("section")
    assert [dt.get_text() for dt in history.select("dt")] == ["20/06/2024", "10/04/2024"]
    assert history.select("dd")[0].get_text() == "Sửa số liệu ở đoạn hai."
    ld = json.loads(doc.find("script", type="application/ld+json").string)
    assert ld["dateModified"] == "2024-06-20T00:00:00+07:00"
    import feedparser

    feed = feedparser.parse((paged / "feeds" / "tat-ca.atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "Tin 2024 số 3")
    assert entry.updated.startswith("2024-06-20")
    # No changes: the line gives the publication date (issue 29).
    plain = soup(paged, "tin-tuc/tin-2024-4/").select_one(".c-updated")
    assert plain.get_text().startswith("Cập nhật ngày 04 tháng 3 năm 2024") and not plain.a


def test_plan_facts_file_official_text_validity_and_areas_once(site, paged):
    doc = soup(site, PLAN)
    facts = doc.select_one(".c-facts-box")
    labels = [dt.get_text() for dt in doc.select("dt")]
    assert labels.count("Lĩnh vực") == 1
    assert facts.select_one(".c-status").get_text() == "Chưa rõ hiệu lực"
    assert "Cập nhật ngày" in doc.select_one(".c-updated").get_text()
    plan = soup(paged, "ke-hoach/ke-hoach-mau/")
    for page in (plan, soup(paged, "van-ban/179-kh-ubnd/")):
        dl = page.select_one(".c-facts-box .c-facts")
        pairs = {dt.get_text(): dt.find_next_sibling("dd") for dt in dl.find_all("dt")}
        assert pairs["Văn bản gốc"].a["href"] == "https://vanban.example.gov.vn/179-kh-ubnd"
        assert pairs["Hiệu lực"].get_text(strip=True) == "Còn hiệu lực"


def test_related_posts_same_plan_first_and_plan_lists_its_news(site):
    doc = soup(site, NEWS)
    related = doc.select(".c-related .c-card__title a")
    assert 1 <= len(related) <= 5
    assert related[0]["href"] == f"/{PLAN}"  # its own plan first
    assert f"/{NEWS}" not in [a["href"] for a in related]
    plan = soup(site, PLAN)
    news = plan.select_one("#related-title")
    assert news.get_text() == "Tin bài về kế hoạch này"
    assert news.find_next("ul").select_one(".c-card__title a")["href"] == f"/{NEWS}"


def test_counterparts_and_hreflang(site):
    pairs = {"gioi-thieu/": "en/about/", "lien-he/": "en/contact/"}
    for vi, en in pairs.items():
        for own, other, lang in ((vi, en, "en"), (en, vi, "vi")):
            doc = soup(site, own)
            switch = doc.select_one(f".c-nav a[hreflang='{lang}'].c-nav__lang")
            assert switch["href"] == f"/{other}", own
            alternates = {l["hreflang"]: l["href"] for l in doc.head.find_all("link", rel="alternate", hreflang=True)}
            assert alternates == {lang: f"/{other}", ("vi" if lang == "en" else "en"): f"/{own}"}, own
    about = soup(site, "en/about/")
    assert about.select_one(".c-nav a[href='/en/about/']").get_text() == "About"
    assert not soup(site, NEWS).head.find("link", hreflang=True)  # no counterpart: no alternates


def test_og_image_with_size_and_alt(site, paged):
    for url in ("", NEWS, PLAN, "van-ban/"):
        head = soup(site, url).head
        meta = {m["property"]: m["content"] for m in head.find_all("meta", property=True)}
        assert meta["og:image"] == "/theme/images/share.png", url
        assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
        assert meta["og:image:alt"]
    own = {m["property"]: m["content"] for m in soup(paged, "tin-tuc/tin-2024-3/").head.find_all("meta", property=True)}
    assert own["og:image"] == "https://cchc.example.gov.vn/images/anh-tin.png"
    assert (own["og:image:width"], own["og:image:height"], own["og:image:alt"]) == ("800", "420", "Ảnh mẫu của tin")


# --- a small published site: 23 news items over two years, a plan with an official text ------

def _png(width, height):
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("paged"))
    news = proj / "content" / "tin-tuc"
    news.mkdir(parents=True)
    for year, count in ((2023, 11), (2024, 12)):
        for i in range(1, count + 1):
            extra = ""
            if (year, i) == (2024, 3):
                extra = ("changes:\n  - date: 20/06/2024\n    note: Sửa số liệu ở đoạn hai.\n"
                         "  - date: 10/04/2024\n    note: Thêm ảnh.\n"
                         "image: {path: images/anh-tin.png, alt: Ảnh mẫu của tin}\n")
            (news / f"tin-{year}-{i}.md").write_text(
                f'---\ntype: tin-tuc\ntitle: "Tin {year} số {i}"\nslug: tin-{year}-{i}\ndate: {i:02d}/03/{year}\n'
                f'locality: Huyện Tam Dương\nsummary: "Tóm tắt {i}."\nareas: [the-che]\n'
                f'{"plans: [ke-hoach-mau]" if i == 1 and year == 2024 else ""}\n{extra}---\n\nNội dung {i}.\n',
                encoding="utf-8")
    (proj / "content" / "images").mkdir()
    (proj / "content" / "images" / "anh-tin.png").write_bytes(_png(800, 420))
    plans = proj / "content" / "ke-hoach"
    plans.mkdir()
    (plans / "ke-hoach-mau.md").write_text(
        '---\ntype: ke-hoach\ntitle: "Kế hoạch mẫu"\nslug: ke-hoach-mau\ndate: 02/01/2024\ndoc_type: Kế hoạch\n'
        'doc_number: 179/KH-UBND\nissuer: UBND huyện Mẫu\nissue_date: 01/01/2024\nperiod: 2024\n'
        'locality: Huyện Tam Dương\nsummary: "Tóm tắt kế hoạch."\nareas: [the-che]\n'
        'source_url: https://vanban.example.gov.vn/179-kh-ubnd\nvalidity: con-hieu-luc\n'
        'news: [tin-2024-1]\n---\n\nTóm tắt.\n', encoding="utf-8")
    proc = publish_build(proj, "https://cchc.example.gov.vn")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proj / "output"
    # The published pages link to https://cchc.example.gov.vn/…: served here, they use paths.
    for path in out.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        text = text.replace('href="https://cchc.example.gov.vn/', 'href="/').replace('src="https://cchc.example.gov.vn/', 'src="/')
        path.write_text(text, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def paged_server(paged):
    from cchc.cli.serve import make_server

    httpd = make_server(paged, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


# --- in the browser --------------------------------------------------------------------------

def _box(browser, css):
    return browser.execute_script(
        "var e = document.querySelector(arguments[0]); if (!e) return null;"
        "var r = e.getBoundingClientRect(); return {top: r.top + scrollY, bottom: r.bottom + scrollY,"
        " height: r.height, width: r.width};", css)


@pytest.mark.browser
@pytest.mark.parametrize("name", ["home", "news", "plan", "document-with-record", "type-listing", "english-about"])
def test_phone_chrome_is_short_and_h1_near_the_top(browser, server, name):
    browser.set_window_size(390, 844)
    browser.get(f"{server}/{PAGE_TYPES[name]}")
    assert browser.execute_script("return innerWidth") == 390
    header = _box(browser, "header.l-header")
    assert header["bottom"] <= 160, header
    crumbs = _box(browser, ".c-breadcrumbs")
    if name == "home":  # the home page is the first crumb of every trail: it shows none
        assert crumbs is None, crumbs
    else:  # every other page shows its trail (a renamed class fails here, never skips)
        assert crumbs is not None, "no .c-breadcrumbs"
        assert crumbs["top"] <= 160, crumbs
        last = _box(browser, ".c-breadcrumbs__current span")
        assert last is not None, "no .c-breadcrumbs__current span"
        line = browser.execute_script(
            "return parseFloat(getComputedStyle(document.querySelector('.c-breadcrumbs__current span')).lineHeight)")
        assert last["height"] <= line + 10, (last, line)  # one line (plus its padding)
    h1 = _box(browser, "h1")
    if name != "home":  # the home page's <h1> is the visually hidden site name
        assert h1["top"] <= 250, h1
    # the navigation is behind the menu button
    assert not browser.find_element(By.CSS_SELECTOR, ".c-nav__list a").is_displayed()


@pytest.mark.browser
def test_plan_summary_and_text_come_before_the_facts_on_a_phone(browser, server):
    """Issue 29: at 390 px the plan's summary starts by about the first screen's end (after the
    history banner; it was 3.8 screens down, after the facts box and the targets), then the text."""
    browser.set_window_size(390, 844)
    browser.get(f"{server}/{PLAN}")
    summary, facts = _box(browser, ".c-plan-summary"), _box(browser, ".c-facts-box")
    assert summary is not None and facts is not None
    assert summary["top"] < 844 * 1.25, summary
    assert summary["bottom"] <= _box(browser, ".c-prose")["top"] <= facts["top"]


@pytest.mark.browser
def test_plan_targets_are_one_compact_row_each_on_a_phone(browser, server):
    """Issue 29: at 390 px a target's value and year share one line under its measure (its result
    and status follow, labelled)."""
    browser.set_window_size(390, 844)
    browser.get(f"{server}/{PLAN}")
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('.c-table--targets tbody tr')).map(tr =>"
        " Array.from(tr.querySelectorAll('td')).slice(0, 2).map(td => Math.round(td.getBoundingClientRect().top)))")
    assert rows and all(len(set(tops)) == 1 for tops in rows), rows


@pytest.mark.browser
def test_no_link_in_running_text_is_forced_inline_block(browser, server):
    """Issue 29: the link-spacing rule is for standalone links only (.c-standalone): a link in a
    paragraph with text keeps the text's line."""
    browser.set_window_size(390, 844)
    for url in ("en/about/", "tin-tuc/cai-cach-hanh-chinh-phai-xuat-phat-tu-loi-ich-cua-nguoi-dan-doanh-nghiep/",
                "gioi-thieu/", ""):
        browser.get(f"{server}/{url}")
        forced = browser.execute_script(
            "return Array.from(document.querySelectorAll('main p a')).filter(a =>"
            " a.parentElement.textContent.trim() !== a.textContent.trim()"
            " && getComputedStyle(a).display === 'inline-block').map(a => a.outerHTML)")
        assert forced == [], (url, forced)


@pytest.mark.browser
def test_no_page_scrolls_sideways_at_320_or_breaks_the_csp(browser, server):
    browser.set_window_size(320, 800)
    # DevTools' own script (not subject to the page's CSP) records every CSP violation.
    watch = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")})
    wide, blocked = {}, {}
    try:
        for name, url in PAGE_TYPES.items():
            browser.get(f"{server}/{url}")
            widths = browser.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if widths[0] > widths[1]:
                wide[name] = widths
            if browser.execute_script("return window.__csp"):
                blocked[name] = browser.execute_script("return window.__csp")
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": watch["identifier"]})
    assert browser.execute_script("return innerWidth") == 320
    assert wide == {}
    assert browser.find_element(By.CSS_SELECTOR, 'meta[http-equiv="Content-Security-Policy"]')
    assert blocked == {}
    # Tables are labelled cards (a plan's own targets are one compact row each since issue 29:
    # test_plan_targets_are_one_compact_row_each_on_a_phone).
    for url in ("van-ban/", "van-ban/theo-ngay/", "chi-tieu/"):
        browser.get(f"{server}/{url}")
        cells = browser.execute_script(
            "return Array.from(document.querySelectorAll('main td[data-label]')).map(td => [td.dataset.label,"
            " getComputedStyle(td, '::before').content, td.getBoundingClientRect().width,"
            " td.closest('table').getBoundingClientRect().width])")
        assert cells, url
        for label, before, width, table in cells:  # each cell says what it is and spans the card
            assert before == f'"{label}"' and width >= table * 0.95, (url, label, before, width, table)


@pytest.mark.browser
def test_standalone_links_and_chart_labels_are_big_enough(browser, server):
    browser.set_window_size(390, 844)
    for url in (PLAN, "", "linh-vuc/", "van-ban/"):
        browser.get(f"{server}/{url}")
        heights = browser.execute_script(
            "return Array.from(document.querySelectorAll('.c-breadcrumbs a, .l-footer__links a, .c-index a,"
            " .c-area-grid a, .c-plain-list a, .c-pagination a, .c-standalone'))"
            ".map(a => [a.textContent, a.getBoundingClientRect().height])")
        assert len(heights) > 5 and all(h >= 24 for _text, h in heights), (url, [t for t in heights if t[1] < 24])
    browser.get(f"{server}/chi-tieu/")
    sizes = browser.execute_script(
        "return Array.from(document.querySelectorAll('.c-chart__svg text')).map(t =>"
        " parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)")
    assert sizes and min(sizes) >= 12, sizes


@pytest.fixture(scope="module")
def browser_without_js():
    """A second headless Chromium with JavaScript switched off."""
    driver = start_chromium({"profile.managed_default_content_settings.javascript": 2})
    yield driver
    driver.quit()


@pytest.mark.browser
def test_menu_opens_without_javascript_and_is_a_bar_on_desktop(browser_without_js, server):
    driver = browser_without_js

    def visible(css):  # what the eye sees (Selenium's is_displayed rules out all <details> content)
        return driver.execute_script(
            "var e = document.querySelector(arguments[0]); var r = e.getBoundingClientRect();"
            "return e.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true})"
            " && r.width > 0 && r.height > 0;", css)
    link = ".c-nav__list a[href='/ke-hoach/']"
    driver.set_window_size(390, 844)
    driver.get(f"{server}/{NEWS}")
    assert not visible(link)
    driver.find_element(By.CSS_SELECTOR, ".c-menu__button").click()
    assert visible(link)
    driver.find_element(By.CSS_SELECTOR, link).click()
    assert driver.current_url.endswith("/ke-hoach/")
    driver.set_window_size(1366, 900)
    driver.get(f"{server}/{NEWS}")
    assert visible(link) and not visible(".c-menu__button")
    assert _box(driver, ".c-nav")["top"] < _box(driver, ".c-breadcrumbs")["top"]


@pytest.mark.browser
def test_feeds_page_is_grouped_and_short_on_a_phone(browser, paged_server):
    browser.set_window_size(390, 844)
    browser.get(f"{paged_server}/theo-doi/")
    groups = browser.find_elements(By.CSS_SELECTOR, "details.c-feeds__group")
    assert len(groups) >= 3
    assert groups[0].get_attribute("open") and not groups[1].get_attribute("open")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    assert height < 2600, height
    groups[1].find_element(By.TAG_NAME, "summary").click()
    url = groups[1].find_element(By.CSS_SELECTOR, ".c-feeds__url")
    assert url.is_displayed() and url.text.startswith("https://cchc.example.gov.vn/feeds/")


@pytest.mark.browser
def test_print_has_agency_on_page_one_and_no_footer(browser, server, tmp_path):
    """Chromium's own print-to-PDF (as a citizen's "Save as PDF"), read back with pdftotext."""
    pdftotext = shutil.which("pdftotext")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not pdftotext or not chromium:
        _need("pdftotext (poppler-utils) and chromium", "print test")
    org = settings_value("ORGANISATION")
    for url in (NEWS, PLAN):
        pdf = tmp_path / "page.pdf"
        subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", f"{server}/{url}"],
                       capture_output=True, check=True, timeout=60)

        def text(*pages, pdf=pdf):
            return subprocess.run([pdftotext, *pages, str(pdf), "-"], capture_output=True,
                                  check=True).stdout.decode("utf-8")
        first = " ".join(text("-f", "1", "-l", "1").split())
        assert org["name"].upper() in first.upper() and "Cổng thông tin cải cách hành chính" in first
        assert f"/{url}" in first  # the page's address
        pages = text().removesuffix("\f").split("\f")  # pdftotext ends each page with a form feed
        assert all(len(page.split()) >= 5 for page in pages), [len(page.split()) for page in pages]  # no blank page
        whole = " ".join(" ".join(pages).split())
        assert "Thông tin cơ quan" not in whole and "Bỏ qua, đến nội dung chính" not in whole  # no footer, no chrome
        if url == PLAN:  # links in the facts box are spelled out
            assert "224/KH-UBND (/van-ban/224-kh-ubnd/)" in whole
        browser.get(f"{server}/{url}")
        assert browser.find_element(By.TAG_NAME, "h1").text.split()[0] in first


def test_check_refuses_a_counterpart_that_does_not_exist(tmp_path):
    from conftest import run_cchc

    pages = tmp_path / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "gioi-thieu.md").write_text("---\ntype: trang\ntitle: Giới thiệu\nslug: gioi-thieu\n---\n\nNội dung.\n",
                                         encoding="utf-8")
    about = "---\ntype: trang\ntitle: About\nslug: about\nlang: en\ncounterpart: {}\n---\n\nText.\n"
    (pages / "about.md").write_text(about.format("gioi-thieu"), encoding="utf-8")
    assert run_cchc("check", "content", cwd=tmp_path).returncode == 0
    (pages / "about.md").write_text(about.format("gioi-thieu-cu"), encoding="utf-8")
    proc = run_cchc("check", "content", cwd=tmp_path)
    assert proc.returncode == 1
    assert "content/pages/about.md:6: trường “counterpart”" in proc.stderr and "“gioi-thieu-cu”" in proc.stderr


def test_paginated_and_history_pages_are_valid_html(paged, node_modules):
    """Pages the real content/ does not have (numbered pages, page history, own image): Nu 0 errors."""
    pages = [paged / p / "index.html" for p in (
        "tin-tuc", "tin-tuc/trang/2", "tin-tuc/trang/3", "luu-tru", "tin-tuc/tin-2024-3", "ke-hoach/ke-hoach-mau",
        "van-ban/179-kh-ubnd", "theo-doi")]
    messages, _code = nu_check(node_modules, pages)
    assert [(m.get("url", "")[-40:], m.get("message")) for m in messages] == []


@pytest.mark.browser
def test_paginated_and_history_pages_pass_axe(browser, paged_server, node_modules):
    from test_accessibility import run_axe

    axe = (node_modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    for width in (390, 1280):
        browser.set_window_size(width, 900)
        for url in ("tin-tuc/trang/2/", "luu-tru/", "tin-tuc/tin-2024-3/", "ke-hoach/ke-hoach-mau/", "theo-doi/"):
            browser.get(f"{paged_server}/{url}")
            result = json.loads(run_axe(browser, axe))
            assert result["passes"] > 10 and result["violations"] == [], (url, width, result["violations"][:2])
