"""`make devserver` seen from an open tab (headless Chromium): what staff see after a save.

Each test starts `cchc devserver` in a throwaway project on a free port and stops it at the end
(the process is the test's own); the tab is never reloaded or moved by the test itself: what it
shows after a save is what the preview's reload script did (issue 31).
"""

import time
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from conftest import make_project
from test_devserver import NEWS, start_devserver, wait_for

pytestmark = pytest.mark.browser

LONG = NEWS.replace("Nội dung.\n", "".join(f"Đoạn {i}: nội dung dài để trang phải cuộn.\n\n" for i in range(120)))


def project(tmp_path, text):
    proj = make_project(tmp_path)
    post = proj / "content" / "tin-tuc" / "tin-xem-truoc.md"
    post.parent.mkdir(parents=True)
    post.write_text(text, encoding="utf-8")
    return proj, post


def stop(proc):
    """SIGTERM, as `kill` does; a rebuild under way is stopped first (slow on a loaded machine)."""
    proc.terminate()
    out, _ = proc.communicate(timeout=60)
    return out


def test_after_a_bad_save_the_panel_is_at_the_top_and_focused_then_gone_once_fixed(browser, tmp_path):
    """Issue 31: the tab reloaded with the panel but kept its scroll position, so a reader far down
    the page saw it unchanged. The panel must be in the viewport and focused (screen readers
    announce it), and the fixed save must bring the page back without it."""
    proj, post = project(tmp_path, LONG.format(title="Bản đầu"))
    proc, port = start_devserver(proj)
    url = f"http://127.0.0.1:{port}/tin-tuc/tin-xem-truoc/"
    try:
        assert wait_for(url, "Bản đầu"), "first build not served"
        browser.get(url)
        browser.execute_script("window.scrollTo(0, document.documentElement.scrollHeight)")
        assert browser.execute_script("return scrollY") > 2000, "the page is not long enough to test scrolling"
        browser.execute_script("window.__notReloaded = true")
        post.write_text(LONG.format(title="Bản đầu").replace("01/02/2024", "31/02/2024"), encoding="utf-8")
        WebDriverWait(browser, 60).until(lambda d: d.execute_script(
            "return !window.__notReloaded && document.readyState === 'complete'"
            " && !!document.querySelector('.cchc-preview-errors')"))
        time.sleep(0.5)  # a scroll restored after the load event would show up now
        seen = browser.execute_script(
            "var p = document.querySelector('.cchc-preview-errors'), r = p.getBoundingClientRect();"
            "return {top: r.top, bottom: r.bottom, height: innerHeight, active: document.activeElement === p,"
            " role: p.getAttribute('role'), first: document.body.firstElementChild === p, text: p.textContent}")
        assert 0 <= seen["top"] < seen["height"] and seen["bottom"] > 0, seen
        assert seen["active"] and seen["role"] == "alert" and seen["first"], seen
        assert "content/tin-tuc/tin-xem-truoc.md:5" in seen["text"], seen
        browser.execute_script("window.__notReloaded = true")
        post.write_text(LONG.format(title="Bản sửa"), encoding="utf-8")
        WebDriverWait(browser, 60).until(lambda d: d.execute_script(
            "return !window.__notReloaded && document.readyState === 'complete'"
            " && document.body.textContent.indexOf('Bản sửa') >= 0"))
        assert not browser.find_elements("css selector", ".cchc-preview-errors")
    finally:
        stop(proc)


def test_a_title_edit_that_moves_the_post_takes_the_open_tab_along(browser, tmp_path):
    """Issue 31: a new title gives the post a new address (its slug comes from the title); the
    open tab stayed on the old address (old text for 15 s and more), which then said only
    "Không tìm thấy trang". Now the quick path writes the page at its new address, the reload
    event carries old → new and the tab follows; the old address, in the preview only, says
    where the post went."""
    proj, post = project(tmp_path, NEWS.replace("slug: tin-xem-truoc\n", "").format(title="Bản đầu"))
    proc, port = start_devserver(proj)
    base = f"http://127.0.0.1:{port}"
    old, new = f"{base}/tin-tuc/ban-dau/", f"{base}/tin-tuc/ban-moi-hon/"
    try:
        assert wait_for(old, "Bản đầu"), "first build not served"
        assert wait_for(f"{base}/__cchc/state.json", '"warm": true', 120), "the quick path never became ready"
        browser.get(old)
        post.write_text(NEWS.replace("slug: tin-xem-truoc\n", "").format(title="Bản mới hơn"), encoding="utf-8")
        t0 = time.monotonic()
        WebDriverWait(browser, 30, 0.05).until(lambda d: d.current_url == new)
        followed = time.monotonic() - t0
        WebDriverWait(browser, 30).until(lambda d: "Bản mới hơn" in d.find_element("css selector", "h1").text)
        assert wait_for(f"{base}/__cchc/state.json", '"building": false', 120)
        with pytest.raises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(old, timeout=10)
        assert gone.value.code == 404
        page = gone.value.read().decode("utf-8")
        assert "Bài này đã chuyển tới" in page and 'href="/tin-tuc/ban-moi-hon/"' in page, page
        assert "old_paths: [/tin-tuc/ban-dau/]" in page, page
        browser.get(old)
        browser.find_element("link text", "/tin-tuc/ban-moi-hon/").click()
        WebDriverWait(browser, 30).until(lambda d: d.current_url == new)
    finally:
        out = stop(proc)
    # the quick path took it (not the full build seconds later), and said so
    assert "Bài đã chuyển từ /tin-tuc/ban-dau/ tới /tin-tuc/ban-moi-hon/" in out, out
    assert followed < 10, f"the tab followed after {followed:.1f} s"
    written = [p for p in (proj / "output").rglob("*.html") if "Bài này đã chuyển" in p.read_text(encoding="utf-8")]
    assert not written and not (proj / "output" / "tin-tuc" / "ban-dau").exists(), written
