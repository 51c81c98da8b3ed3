"""cchc_documents: a page per document number, with the citations both ways (a tiny site, in process)."""

from bs4 import BeautifulSoup


def _page(site, path):
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_a_cited_document_lists_the_plan_that_rests_on_it(dev_site):
    page = _page(dev_site, "van-ban/136-kh-ubnd/index.html")
    assert "136/KH-UBND" in page.h1.get_text()
    hrefs = {a["href"] for a in page.select("a[href]")}
    assert "/ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/" in hrefs, hrefs


def test_a_plan_record_fills_its_own_document_page(dev_site):
    """224/KH-UBND is the Tây Hồ plan itself: its page links the plan summary."""
    page = _page(dev_site, "van-ban/224-kh-ubnd/index.html")
    assert "224/KH-UBND" in page.h1.get_text()
    assert page.select_one("a[href='/ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/']") is not None


def test_a_repealed_decree_says_so(dev_site):
    """NĐ 42/2022 on state portals is out of force since 01/07/2026 (content/van-ban/42-2022-nd-cp.md)."""
    text = _page(dev_site, "van-ban/42-2022-nd-cp/index.html").get_text(" ", strip=True)
    assert "hết hiệu lực" in text.lower(), text[:500]
