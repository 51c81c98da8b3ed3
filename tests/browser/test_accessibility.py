"""axe-core (WCAG 2.1 A/AA) in headless Chromium on every page type: 0 violations;
the skip link works from the keyboard; pages make no request outside the site."""

import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

PAGE_TYPES = {
    "home": "",
    "news": "tin-tuc/quan-tay-ho-thuc-hien-cai-cach-hanh-chinh-nha-nuoc-giai-doan-2021-2025/",
    "news-doubtful-date": "tin-tuc/cai-cach-hanh-chinh-tiep-tuc-huong-toi-nguoi-dan-va-doanh-nghiep/",
    "news-unknown-date": "tin-tuc/binh-luc-tiep-tuc-thuc-hien-cai-cach-hanh-chinh-nam-2024/",
    "plan": "ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/",
    "plan-no-number": "ke-hoach/binh-luc-ke-hoach-cai-cach-hanh-chinh-2024/",
    "type-listing": "tin-tuc/",
    "area-listing": "linh-vuc/thu-tuc-hanh-chinh/",
    "area-index": "linh-vuc/",
    "locality-listing": "dia-phuong/quan-tay-ho/",
    "locality-index": "dia-phuong/",
    "locality-province": "dia-phuong/phu-tho/",
    "locality-commune": "dia-phuong/phu-tho/tam-duong/",
    "year-listing": "nam/2021/",
    "year-index": "nam/",
    "tag-listing": "tu-khoa/dao-duc-cong-vu/",
    "tag-index": "tu-khoa/",
    "archives": "luu-tru/",
    "page": "gioi-thieu/",
    "contact": "lien-he/",
    "accessibility-statement": "tuyen-bo-tro-nang/",
    "english-about": "en/about/",
    "english-contact": "en/contact/",
    "404": "khong-co-trang-nay/",
    "search": "tim-kiem/?q=cai+cach",
    "search-no-results": "tim-kiem/?q=zzzkhongco",
    "feeds-page": "theo-doi/",
    "document-index": "van-ban/",
    "document-with-record": "van-ban/179-kh-ubnd/",
    "document-citations-only": "van-ban/76-nq-cp/",
    "targets": "chi-tieu/",
    "open-data": "du-lieu-mo/",
}

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def axe_source(node_modules):
    return (node_modules / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def run_axe(browser, axe_source):
    browser.execute_script(axe_source)
    browser.set_script_timeout(60)
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(JSON.stringify({violations: r.violations, passes: r.passes.length})))"
        ".catch(e => done(JSON.stringify({error: String(e)})));",
        WCAG,
    )


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_axe_has_no_violations(browser, server, axe_source, name, width):
    browser.set_window_size(width, 900)
    browser.get(f"{server}/{PAGE_TYPES[name]}")
    if name.startswith("search"):
        # wait until the script has rendered the results (or the "không tìm thấy" message)
        WebDriverWait(browser, 15).until(lambda d: d.execute_script(
            "var s = document.getElementById('search-status').textContent;"
            "return s !== '' && s !== document.getElementById('search-app').dataset.loading;"))
    result = json.loads(run_axe(browser, axe_source))
    assert "error" not in result, result
    assert result["passes"] > 10  # axe really ran its rules
    summary = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    assert summary == [], f"{name}: {summary}"


@pytest.mark.browser
def test_skip_link_is_first_and_moves_focus_to_main(browser, server):
    browser.set_window_size(390, 900)
    browser.get(f"{server}/tin-tuc/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.get_attribute("class") == "c-skip-link"
    assert active.is_displayed()  # visible when focused
    active.send_keys(Keys.ENTER)
    assert browser.execute_script("return document.activeElement.id") == "main-content"


@pytest.mark.browser
def test_pages_request_nothing_outside_the_site(browser, server):
    for path in ("", PAGE_TYPES["plan"], PAGE_TYPES["english-about"]):
        browser.get(f"{server}/{path}")
        urls = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        assert urls, "the stylesheet should have been fetched"
        assert all(u.startswith(server) for u in urls), urls


@pytest.mark.browser
def test_404_page_is_served_for_unknown_paths(browser, server):
    browser.get(f"{server}/khong-co-trang-nay/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Không tìm thấy trang"
