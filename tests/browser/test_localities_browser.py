"""/dia-phuong/ on a phone (390 px): today's provinces and communes, the old names, no sideways
scroll, axe-core clean; a citizen reaches their commune's page and sees the old unit's posts."""

import json

import pytest
from selenium.webdriver.common.by import By

from test_accessibility import WCAG, axe_source, run_axe  # noqa: F401 (axe_source is a fixture)


@pytest.mark.browser
def test_localities_index_on_a_phone(browser, server, axe_source):  # noqa: F811
    browser.set_window_size(390, 844)
    browser.get(f"{server}/dia-phuong/")
    assert browser.execute_script("return document.documentElement.scrollWidth <= innerWidth")
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "main h2")]
    assert headings == ["Tỉnh, thành phố và xã, phường, đặc khu hiện nay", "Tên đơn vị hành chính trước 01/07/2025"]
    result = json.loads(run_axe(browser, axe_source))
    assert "error" not in result and result["passes"] > 10
    assert [v["id"] for v in result["violations"]] == []
    browser.find_element(By.LINK_TEXT, "Xã Tam Dương").click()
    assert browser.current_url.endswith("/dia-phuong/phu-tho/tam-duong/")
    marks = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".c-then")]
    assert marks and all(m == "trước 01/07/2025: Huyện Tam Dương, Tỉnh Vĩnh Phúc" for m in marks)
    browser.get(f"{server}/dia-phuong/huyen-tam-duong/")
    banner = browser.find_element(By.CSS_SELECTOR, ".c-history")
    assert "30/06/2025" in banner.text
    assert browser.execute_script("return document.documentElement.scrollWidth <= innerWidth")
    assert [v["id"] for v in json.loads(run_axe(browser, axe_source))["violations"]] == []
