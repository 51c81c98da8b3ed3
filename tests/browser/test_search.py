"""Search at /tim-kiem/ on the built seed site, in headless Chromium: what a citizen notices."""

import json
import re
import subprocess
import time
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from cchc.core import fold, parse_doc_number
from cchc_search import normalise_term, number_tokens

pytestmark = pytest.mark.browser

TAM_DUONG_PLAN = "ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025/"
VUNG_TAU_PLAN = "ke-hoach/vung-tau-ke-hoach-cai-cach-hanh-chinh-2023/"
TAY_HO_PLAN = "ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/"


def wait_results(browser, timeout=15):
    """Wait until the status line shows a final message; return (status, [result hrefs])."""
    end = time.time() + timeout
    while time.time() < end:
        state = browser.execute_script(
            "var app = document.getElementById('search-app'); return app && app.dataset.state;")
        if state == "done":
            links = browser.find_elements(By.CSS_SELECTOR, "#search-results > li h2 a")
            return browser.find_element(By.ID, "search-status").text, [
                a.get_attribute("href") for a in links]
        time.sleep(0.05)
    raise AssertionError("search did not finish: " + browser.find_element(By.ID, "search-status").text)


def search(browser, server, query, **filters):
    params = "&".join(f"{k}={quote(v)}" for k, v in {"q": query, **filters}.items() if v)
    browser.get(f"{server}/tim-kiem/?{params}")
    return wait_results(browser)


def paths(server, hrefs):
    return [h[len(server) + 1:] for h in hrefs]


def found_paths(browser, server, query, **filters):
    """The site paths ("van-ban/179-kh-ubnd/") of the results of *query*, in order."""
    return paths(server, search(browser, server, query, **filters)[1])


# --- Fold: Python and the browser agree --------------------------------------------------------

from test_search_grammar import FOLD_TABLE  # noqa: E402  (one table for Node and Chromium)

DOCNUM_TABLE = ["179/KH-UBND", "179 / KH - UBND", "14460/QĐ-UBND", "93/2007/QĐ-TTg", "16-NQ/TU",
                "07-Ctr/QU", "30c/NQ-CP", "4912/UBND-NC"]


def test_browser_fold_mirrors_python(browser, server):
    browser.get(f"{server}/tim-kiem/")
    got = browser.execute_script(
        "var F = window.CCHCFold; return [arguments[0].map(F.fold), arguments[0].map(F.normaliseTerm),"
        " arguments[1].map(F.docnumToken), arguments[1].map(function (s) {"
        " return F.queryTerms(s.toLowerCase()); })];", FOLD_TABLE, DOCNUM_TABLE)
    assert got[0] == [fold(s) for s in FOLD_TABLE]
    assert got[1] == [normalise_term(s) for s in FOLD_TABLE]
    tokens = [number_tokens(parse_doc_number(s))[0] for s in DOCNUM_TABLE]
    assert got[2] == tokens
    # Unaccented, lower-case numbers as people type them become the same single token.
    assert got[3] == [[t] for t in tokens]


# --- Queries a citizen types ---------------------------------------------------------------------

@pytest.mark.parametrize("query, page, plan", [
    ("179/KH-UBND", "van-ban/179-kh-ubnd/", TAM_DUONG_PLAN),
    ("179 / kh - ubnd", "van-ban/179-kh-ubnd/", TAM_DUONG_PLAN),
    ("14460/QD-UBND", "van-ban/14460-qd-ubnd/", VUNG_TAU_PLAN),
    ("14460/QĐ-UBND", "van-ban/14460-qd-ubnd/", VUNG_TAU_PLAN),
    ("224/KH-UBND", "van-ban/224-kh-ubnd/", TAY_HO_PLAN),
    # Containing a number: the number decides, whatever the other words.
    ("kế hoạch Tây Hồ 179/KH-UBND", "van-ban/179-kh-ubnd/", TAM_DUONG_PLAN),
])
def test_document_number_query_puts_document_page_first_then_its_plan(browser, server, query, page, plan):
    assert found_paths(browser, server, query)[:2] == [page, plan]


@pytest.mark.parametrize("query, page", [
    ("14460", "van-ban/14460-qd-ubnd/"),
    ("179/KH", "van-ban/179-kh-ubnd/"),
    ("179 KH", "van-ban/179-kh-ubnd/"),
    ("KH-UBND 179", "van-ban/179-kh-ubnd/"),
    ("kh so 179", "van-ban/179-kh-ubnd/"),
    ("16-NQ", "van-ban/16-nq-tu/"),
])
def test_partial_number_finds_the_document(browser, server, query, page):
    found = found_paths(browser, server, query)
    assert found and found[0] == page
    # The document page is labelled as one, with its number marked.
    first = browser.find_element(By.CSS_SELECTOR, "#search-results > li")
    assert "Văn bản" in first.find_element(By.CSS_SELECTOR, ".c-badge").text
    assert first.find_elements(By.CSS_SELECTOR, ".c-docnum mark")


def test_document_filter_keeps_document_pages(browser, server):
    _s, hrefs = search(browser, server, "UBND", type="van-ban")
    assert hrefs and all("/van-ban/" in h for h in hrefs)


def test_unaccented_query_finds_accented_posts(browser, server, site):
    found = found_paths(browser, server, "tay ho")
    assert found and all("tay-ho" in p for p in found[:2])
    accented = found_paths(browser, server, "Tây Hồ")
    assert accented == found


def test_dao_duc_finds_every_post_with_dao_duc(browser, server, site):
    def own_text(page):  # the post itself, not the related posts listed around it
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        return " ".join(el.get_text(" ") for el in soup.select("h1, .c-lead, .c-summary, .c-prose"))

    expected = {str(page.parent.relative_to(site)) + "/"
                for kind in ("tin-tuc", "ke-hoach") for page in (site / kind).glob("*/index.html")
                if "đạo đức" in own_text(page).lower()}
    assert expected
    status, hrefs = search(browser, server, "dao duc")
    assert set(paths(server, hrefs)) >= expected
    assert str(len(hrefs)) in status
    # The matched words are highlighted, folded matches too.
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "#search-results mark")]
    assert {"dao", "duc"} <= {fold(m) for m in marks}
    assert any(m.lower() in ("đạo", "đức") for m in marks)


def test_result_shows_link_type_date_locality_and_snippet(browser, server):
    search(browser, server, "179/KH-UBND")
    plan = browser.find_elements(By.CSS_SELECTOR, "#search-results > li")[1]
    assert plan.find_element(By.CSS_SELECTOR, "h2 a").get_attribute("href").endswith(TAM_DUONG_PLAN)
    meta = plan.find_element(By.CSS_SELECTOR, ".c-meta").text
    # Dates in the site's Vietnamese form, as on every other page.
    assert "Kế hoạch" in meta and "ngày 25 tháng 11 năm 2021" in meta and "Huyện Tam Dương" in meta
    assert "25/11/2021" not in meta
    assert "179/KH-UBND" in [m.text for m in plan.find_elements(By.TAG_NAME, "mark")]


def test_deep_body_phrase_shows_in_the_excerpt(browser, server):
    """The excerpt is the passage around the match, even at the end of a long post."""
    _s, hrefs = search(browser, server, "hành lang pháp lý")
    url = "tin-tuc/cai-cach-hanh-chinh-tiep-tuc-huong-toi-nguoi-dan-va-doanh-nghiep/"
    assert url in paths(server, hrefs)
    item = browser.find_elements(By.CSS_SELECTOR, "#search-results > li")[paths(server, hrefs).index(url)]
    excerpt = item.find_element(By.CSS_SELECTOR, ".c-result__excerpt")
    assert "hành lang pháp lý" in excerpt.text
    assert {"lang", "pháp", "lý"} <= {m.text.lower() for m in excerpt.find_elements(By.TAG_NAME, "mark")}
    # Only that passage was fetched, not the post's body.
    sizes = browser.execute_script(
        "return performance.getEntriesByType('resource').filter(function (e) {"
        " return e.name.indexOf('/passages/') >= 0; }).map(function (e) { return e.decodedBodySize; });")
    assert sizes and max(sizes) < 4000


def test_off_topic_query_shows_no_full_match(browser, server):
    status, hrefs = search(browser, server, "bóng đá")
    assert "Không có bài nào chứa đủ tất cả các từ" in status
    assert browser.find_element(By.ID, "search-help").is_displayed()
    assert not browser.find_element(By.ID, "search-partial-heading").is_displayed()


def test_full_matches_first_then_partial_under_a_heading(browser, server):
    status, hrefs = search(browser, server, "SIPAS Tam Dương")
    full = browser.find_elements(By.CSS_SELECTOR, "#search-results > li")
    partial = browser.find_elements(By.CSS_SELECTOR, "#search-partial > li")
    assert full and partial
    assert browser.find_element(By.ID, "search-partial-heading").is_displayed()
    more = int(re.search(r"Thêm (\d+) kết quả", status).group(1))  # on this page and the next ones
    assert f"Tìm thấy {len(full)} kết quả" in status and len(partial) == min(more, 10 - len(full))


def test_count_and_first_result_on_the_first_phone_screen(browser, server):
    """At 390×844 nothing needs scrolling to see the count and the first result; the filters
    are in a closed box that names the active ones. (Headless Chromium's window cannot be
    narrower than 500 px, so the phone's viewport is emulated.)"""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        search(browser, server, "cai cach hanh chinh", type="tin-tuc")
        size = browser.execute_script("return [window.innerWidth, window.innerHeight];")
        box = browser.execute_script(
            "function b(el) { var r = el.getBoundingClientRect(); return [r.top, r.bottom]; }"
            "return {status: b(document.getElementById('search-status')),"
            " first: b(document.querySelector('#search-results > li h2 a')),"
            " open: document.getElementById('search-filters').open, scroll: window.scrollY};")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert size == [390, 844]
    assert box["scroll"] == 0 and box["open"] is False
    assert 0 < box["status"][1] <= 844 and box["first"][1] <= 844, box
    assert "Tin tức" in browser.find_element(By.ID, "search-filters-active").text


def test_results_are_numbered_pages_in_the_url(browser, server):
    status, first = search(browser, server, "cai cach")
    pager = browser.find_element(By.ID, "search-pages")
    assert pager.is_displayed() and "Trang 1/" in status
    pager.find_element(By.CSS_SELECTOR, "a[data-page='2']").click()
    _s, second = wait_results(browser)
    assert "trang=2" in browser.current_url and second and not set(second) & set(first)
    browser.refresh()
    _s, again = wait_results(browser)
    assert again == second


def test_undated_post_shows_no_1970(browser, server):
    _status, _hrefs = search(browser, server, "Bình Lục")
    text = browser.find_element(By.ID, "search-results").text
    assert "Không rõ ngày đăng" in text and "1970" not in text
    years = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#search-year option")]
    assert "1970" not in years and "2021" in years


def test_no_results_says_so_with_suggestions(browser, server):
    status, hrefs = search(browser, server, "xyzzy qwerty")
    assert hrefs == [] and "Không tìm thấy" in status
    assert browser.find_element(By.ID, "search-help").is_displayed()


def test_filters_narrow_results(browser, server):
    _s, everything = search(browser, server, "cai cach hanh chinh")
    _s, plans = search(browser, server, "cai cach hanh chinh", type="ke-hoach")
    assert 0 < len(plans) < len(everything)
    assert all("/ke-hoach/" in h for h in plans)
    _s, tay_ho = search(browser, server, "cai cach hanh chinh", locality="quan-tay-ho")
    assert tay_ho and len(tay_ho) < len(everything) and all("tay-ho" in h for h in tay_ho)
    _s, y2022 = search(browser, server, "cai cach hanh chinh", year="2022")
    assert y2022 and len(y2022) < len(everything)
    # The form shows the filter that is in the URL.
    assert Select(browser.find_element(By.ID, "search-year")).first_selected_option.get_attribute("value") == "2022"


TAM_DUONG_NEWS = "tin-tuc/cai-cach-hanh-chinh-phai-xuat-phat-tu-loi-ich-cua-nguoi-dan-doanh-nghiep/"


@pytest.mark.parametrize("query, expected", [
    ("phu tho", {TAM_DUONG_PLAN, TAM_DUONG_NEWS}),  # Vĩnh Phúc (Huyện Tam Dương) is in Phú Thọ now
    ("Tỉnh Phú Thọ", {TAM_DUONG_PLAN, TAM_DUONG_NEWS}),
    ("Hội Thịnh", {TAM_DUONG_PLAN, TAM_DUONG_NEWS}),  # one of the communes that took its area
    ("ninh binh", {"ke-hoach/binh-luc-ke-hoach-cai-cach-hanh-chinh-2024/",  # Hà Nam merged into it
                   "tin-tuc/binh-luc-tiep-tuc-thuc-hien-cai-cach-hanh-chinh-nam-2024/"}),
    ("rach dua", {VUNG_TAU_PLAN, "tin-tuc/ubnd-thanh-pho-vung-tau-ban-hanh-ke-hoach-cai-cach-hanh-chinh-nam-2023/"}),
    ("Xuân Đỉnh", {TAY_HO_PLAN, "tin-tuc/quan-tay-ho-thuc-hien-cai-cach-hanh-chinh-nha-nuoc-giai-doan-2021-2025/"}),
])
def test_todays_unit_names_find_the_posts_of_the_old_units(browser, server, query, expected):
    """A citizen types the name of the province or commune they live in today: the posts written
    under the old unit come up as full matches (the seed writes only the old names)."""
    assert set(found_paths(browser, server, query)) == expected


def test_locality_filter_is_todays_unit_with_its_predecessors(browser, server):
    _s, everything = search(browser, server, "cai cach hanh chinh")
    _s, phu_tho = search(browser, server, "cai cach hanh chinh", locality="phu-tho")
    assert set(paths(server, phu_tho)) == {TAM_DUONG_PLAN, TAM_DUONG_NEWS} and len(everything) > 2
    # The form names the unit chosen, today's name.
    locality = Select(browser.find_element(By.ID, "search-locality")).first_selected_option
    assert (locality.get_attribute("value"), locality.get_attribute("textContent")) == ("phu-tho", "Tỉnh Phú Thọ")
    assert "Tỉnh Phú Thọ" in browser.find_element(By.ID, "search-filters-active").get_attribute("textContent")
    # A commune of today: the posts of the old district whose area it took in, part or all.
    _s, commune = search(browser, server, "", locality="phu-tho/tam-duong")
    assert set(paths(server, commune)) == {TAM_DUONG_PLAN, TAM_DUONG_NEWS}
    # A link made before the 2025 arrangement (the old unit's slug) still filters.
    _s, old = search(browser, server, "", locality="huyen-tam-duong")
    assert set(paths(server, old)) == {TAM_DUONG_PLAN, TAM_DUONG_NEWS}


def test_form_puts_query_in_url_and_back_button_restores(browser, server):
    browser.get(f"{server}/tim-kiem/")
    wait_results(browser)
    box = browser.find_element(By.ID, "search-page-q")
    box.send_keys("tay ho")
    box.submit()
    _s, first = wait_results(browser)
    assert "q=tay+ho" in browser.current_url and first
    # The filter box is closed on phones and open from 48em (the window may be either here).
    summary = browser.find_element(By.CSS_SELECTOR, "#search-filters > summary")
    if not browser.find_element(By.ID, "search-filters").get_attribute("open"):
        summary.click()
    # A choice applies at once, to the query in the box.
    Select(browser.find_element(By.ID, "search-type")).select_by_value("tin-tuc")
    _s, filtered = wait_results(browser)
    assert "type=tin-tuc" in browser.current_url and "q=tay+ho" in browser.current_url
    box = browser.find_element(By.ID, "search-page-q")
    box.clear()
    box.send_keys("14460/QD-UBND")
    box.submit()
    _s, second = wait_results(browser)
    assert "type=tin-tuc" in browser.current_url and second != first
    browser.back()
    time.sleep(0.2)
    assert wait_results(browser)[1] == filtered
    browser.back()
    time.sleep(0.2)
    _s, again = wait_results(browser)
    assert again == first
    assert browser.find_element(By.ID, "search-page-q").get_attribute("value") == "tay ho"


def test_header_form_leads_to_search_page(browser, server):
    browser.get(f"{server}/")
    box = browser.find_element(By.ID, "search-q")
    box.send_keys("dao duc")
    box.submit()
    _s, hrefs = wait_results(browser)
    assert "/tim-kiem/?q=dao+duc" in browser.current_url and hrefs


def test_query_is_never_html(browser, server):
    payload = "<img src=x onerror=alert(1)>"
    status, hrefs = search(browser, server, payload)
    assert payload in status
    assert browser.find_elements(By.CSS_SELECTOR, "#search-app img") == []
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - reading it raises when no alert is open


def test_page_without_javascript_is_useful(site):
    page = BeautifulSoup((site / "tim-kiem" / "index.html").read_text(encoding="utf-8"), "html.parser")
    form = page.find("form", id="search-form")
    assert form["role"] == "search" and form["action"].endswith("/tim-kiem/")
    assert page.find("label", attrs={"for": "search-page-q"})
    notice = page.find("noscript")
    assert "JavaScript" in notice.get_text()
    # Without JavaScript the notice and the listings come first, right under the heading.
    app = page.find(id="search-app")
    first = [el for el in app.children if getattr(el, "name", None)][:3]
    assert [el.name for el in first] == ["h1", "noscript", "form"]
    assert {"/tin-tuc/", "/ke-hoach/", "/van-ban/"} <= {a["href"] for a in notice.find_all("a")}
    # The four filters are one macro's output: same markup, each with its label.
    selects = form.select("details#search-filters select")
    assert [s["name"] for s in selects] == ["type", "area", "year", "locality", "sap-xep"]
    assert all(form.find("label", attrs={"for": s["id"]}) for s in selects)
    assert [o["value"] for o in selects[0].find_all("option")] == ["", "tin-tuc", "ke-hoach", "van-ban", "trang"]
    # External scripts only, deferred; no inline script, no style attributes.
    scripts = page.find_all("script")
    assert scripts and all(s.get("src") and s.has_attr("defer") and not s.string for s in scripts)
    # The engine is one generated file (number grammar, fold.js, search-engine.js).
    assert [s["src"].rsplit("/", 1)[-1] for s in scripts] == ["search-runtime.js", "search.js"]
    assert not page.select("[style]")
    assert (site / "theme" / "js" / "search-runtime.js").is_file()


def test_axe_reports_no_violations_with_results(browser, server, node_modules):
    search(browser, server, "cai cach hanh chinh")
    browser.execute_script((node_modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "var done = arguments[0]; axe.run(document, {resultTypes: ['violations']})"
        ".then(function (r) { done(r.violations.map(function (v) {"
        " return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(', '); })); });")
    assert result == []


def test_search_page_is_valid_html(site, node_modules):
    jar = node_modules / "vnu-jar" / "build" / "dist" / "vnu.jar"
    proc = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json",
                           str(site / "tim-kiem" / "index.html")], capture_output=True, text=True)
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    assert [m for m in messages if m.get("type") == "error"] == []


# --- Issue 30: what a citizen reads -------------------------------------------------------------

def result_items(browser):
    return browser.find_elements(By.CSS_SELECTOR, "#search-results > li")


def test_mot_cua_lists_the_one_stop_shop_first(browser, server, site):
    """"mot cua": the records saying "một cửa" are the full matches, before any that only hold
    "một" and "của" (the word "of") apart."""
    def says_mot_cua(path):
        page = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
        text = " ".join(el.get_text(" ") for el in page.select("h1, .c-lead, .c-summary, .c-prose"))
        return "mot cua" in " ".join(fold(text).split())

    status, hrefs = search(browser, server, "mot cua")
    found = paths(server, hrefs)
    assert found and all(says_mot_cua(p) for p in found)
    assert f"Tìm thấy {len(found)} kết quả" in status
    partial = paths(server, [a.get_attribute("href") for a in
                             browser.find_elements(By.CSS_SELECTOR, "#search-partial > li h2 a")])
    assert partial and not any(says_mot_cua(p) for p in partial)


@pytest.mark.parametrize("query, page", [
    ("so dien thoai lien he", "lien-he/"),
    ("gioi thieu", "gioi-thieu/"),
    ("tuyen bo tro nang", "tuyen-bo-tro-nang/"),
    ("muc do hai long", "chi-tieu/"),
])
def test_pages_are_results(browser, server, query, page):
    found = found_paths(browser, server, query)
    assert page in found[:3]
    item = result_items(browser)[found.index(page)]
    assert item.find_element(By.CSS_SELECTOR, ".c-badge").text == "Trang"


def test_english_query_finds_the_english_page_marked_english(browser, server):
    assert found_paths(browser, server, "administrative reform")[:1] == ["en/about/"]
    link = result_items(browser)[0].find_element(By.CSS_SELECTOR, "h2 a")
    assert link.get_attribute("lang") == "en" and link.get_attribute("hreflang") == "en"
    assert link.text == "About this portal"


def test_document_result_is_titled_by_type_and_number(browser, server):
    """The document: "Kế hoạch số 179/KH-UBND", then issuer and date, then its trích yếu; the
    plan with that number is its own row with its own title."""
    search(browser, server, "179/KH-UBND")
    document, plan = result_items(browser)[:2]
    title = document.find_element(By.CSS_SELECTOR, "h2 a").text
    assert title == "Kế hoạch số 179/KH-UBND"
    meta = document.find_element(By.CSS_SELECTOR, ".c-meta").text
    assert meta == "Văn bản UBND huyện Tam Dương · ngày 03 tháng 11 năm 2021"
    lead = document.find_element(By.CSS_SELECTOR, ".c-result__lead").text
    assert lead.startswith("Kế hoạch cải cách hành chính nhà nước huyện Tam Dương")
    plan_title = plan.find_element(By.CSS_SELECTOR, "h2 a").text
    assert plan_title != title and plan_title.startswith("Kế hoạch cải cách hành chính")


def test_no_empty_separators(browser, server):
    """Undated documents known only from citations: the parts that exist, never "· ·"."""
    _status, hrefs = search(browser, server, "nghi quyet")
    metas = [li.find_element(By.CSS_SELECTOR, ".c-meta").text for li in
             browser.find_elements(By.CSS_SELECTOR, "#search-app li.c-result")]
    assert "Nghị quyết số 04/NQ-CP" in browser.find_element(By.ID, "search-app").text
    assert metas and not [m for m in metas if "· ·" in m or m.strip().endswith("·") or "  " in m]


def test_misspelt_query_searches_the_nearest_words_and_links_to_the_typed_ones(browser, server):
    """"cai cahc hanh chin" (a swap, a missing letter): the results of "cai cach hanh chinh",
    said so, with a link to search the words as typed."""
    status, hrefs = search(browser, server, "cai cahc hanh chin")
    assert status.startswith("Kết quả cho “cai cach hanh chinh”.") and hrefs
    assert hrefs == search(browser, server, "cai cach hanh chinh")[1]
    search(browser, server, "cai cahc hanh chin")
    link = browser.find_element(By.ID, "search-as-typed")
    assert link.is_displayed() and link.text == "Tìm đúng như đã gõ: “cai cahc hanh chin”"
    link.click()
    status, _hrefs = wait_results(browser)
    assert "chinh-xac=1" in browser.current_url and "Kết quả cho" not in status
    assert "cai cahc hanh chin" in status
    assert not browser.find_element(By.ID, "search-corrected").is_displayed()


# --- Issue 30: a steady page -------------------------------------------------------------------

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
DESKTOP = {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False}


class viewport:
    """Emulate a screen (headless Chromium's window cannot be narrower than 500 px)."""

    def __init__(self, browser, metrics, cpu=1):
        self.browser, self.metrics, self.cpu = browser, metrics, cpu

    def __enter__(self):
        self.browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", self.metrics)
        self.browser.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": self.cpu})
        return self.browser

    def __exit__(self, *exc):
        self.browser.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": 1})
        self.browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


CLS = """var done = arguments[0], total = 0, shifts = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) {
    if (e.hadRecentInput) return;
    total += e.value;
    shifts.push([e.value, e.sources.map(function (s) {
      return s.node ? (s.node.id || s.node.className || s.node.nodeName) : "?"; })]);
  });
}).observe({type: "layout-shift", buffered: true});
setTimeout(function () { done([total, shifts]); }, 300);"""


@pytest.mark.parametrize("metrics", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_results_arriving_do_not_move_the_page(browser, server, metrics):
    """Cumulative layout shift below 0.05 with a slowed CPU (4×), measured by the page's own
    PerformanceObserver: the results' place is kept, the footer does not move."""
    with viewport(browser, metrics, cpu=4):
        browser.get(f"{server}/tim-kiem/?q={quote('cai cach hanh chinh')}")
        status, hrefs = wait_results(browser, timeout=30)
        total, shifts = browser.execute_async_script(CLS)
    assert hrefs
    assert total < 0.05, shifts


def test_title_and_focus_announce_the_results(browser, server):
    status, _hrefs = search(browser, server, "mot cua")
    assert browser.title == "“mot cua” – Tìm kiếm | Cổng thông tin cải cách hành chính"
    assert browser.switch_to.active_element.get_attribute("id") == "search-status"
    assert status.startswith("Tìm thấy")


def test_one_search_box_on_the_search_page(browser, server):
    browser.get(f"{server}/tim-kiem/")
    wait_results(browser)
    assert len(browser.find_elements(By.CSS_SELECTOR, "input[type=search]")) == 1
    browser.get(f"{server}/")
    assert len(browser.find_elements(By.CSS_SELECTOR, "input[type=search]")) == 1


def test_header_placeholder_fits_at_320_px(browser, server):
    with viewport(browser, {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": True}):
        browser.get(f"{server}/")
        room, text = browser.execute_script(
            "var el = document.getElementById('search-q'), cs = getComputedStyle(el);"
            "var ctx = document.createElement('canvas').getContext('2d'); ctx.font = cs.font;"
            "return [el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),"
            " ctx.measureText(el.placeholder).width];")
    assert text <= room, (text, room)


def test_pagination_is_the_sites_with_targets_of_24_px(browser, server):
    search(browser, server, "cai cach")
    links = browser.find_elements(By.CSS_SELECTOR, "#search-pages .c-pagination__link")
    assert len(links) >= 2
    boxes = [link.rect for link in links]
    assert all(b["width"] >= 24 and b["height"] >= 24 for b in boxes), boxes
    assert len({round(b["y"]) for b in boxes}) == 1  # one row, as on the listings


def test_sort_by_newest(browser, server):
    _s, ranked = search(browser, server, "cai cach hanh chinh")
    _s, newest = search(browser, server, "cai cach hanh chinh", **{"sap-xep": "moi-nhat"})
    dates = [t.get_attribute("datetime") for t in
             browser.find_elements(By.CSS_SELECTOR, "#search-results > li .c-meta time")]
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)
    assert newest != ranked
    assert browser.find_element(By.ID, "search-sort").get_attribute("value") == "moi-nhat"


def test_filter_choices_show_counts_and_apply_at_once(browser, server):
    with viewport(browser, DESKTOP):
        status, _hrefs = search(browser, server, "cai cach hanh chinh")
        option = browser.find_element(By.CSS_SELECTOR, "#search-type option[value='ke-hoach']")
        end = time.time() + 5
        while "(" not in option.text and time.time() < end:
            time.sleep(0.05)
        count = int(option.text.split("(")[1].rstrip(")"))
        assert option.text == f"Kế hoạch ({count})" and count > 0
        Select(browser.find_element(By.ID, "search-type")).select_by_value("ke-hoach")
        status, hrefs = wait_results(browser)
    assert "type=ke-hoach" in browser.current_url
    shown = len(browser.find_elements(By.CSS_SELECTOR, "#search-app li.c-result"))
    assert shown == count and all("/ke-hoach/" in h for h in hrefs)


@pytest.mark.parametrize("metrics", [PHONE, DESKTOP], ids=["390", "1366"])
def test_axe_on_the_results_page(browser, server, node_modules, metrics):
    with viewport(browser, metrics):
        search(browser, server, "cai cahc hanh chin")  # corrected, with the link to the typed words
        browser.execute_script((node_modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))
        result = browser.execute_async_script(
            "var done = arguments[0]; axe.run(document, {resultTypes: ['violations']})"
            ".then(function (r) { done(r.violations.map(function (v) {"
            " return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(', '); })); });")
    assert result == []
