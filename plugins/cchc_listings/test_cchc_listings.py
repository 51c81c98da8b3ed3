"""cchc_listings: listings by area, locality and year, with index pages (a tiny site, in process)."""

from bs4 import BeautifulSoup


def _links(site, path):
    soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
    return {a["href"] for a in soup.select("main a[href]")}


def test_area_listing_holds_the_plans_of_that_area(dev_site):
    links = _links(dev_site, "linh-vuc/chinh-phu-so/index.html")
    assert "/ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/" in links, links


def test_year_and_locality_indexes_exist(dev_site):
    assert (dev_site / "nam" / "index.html").is_file()
    assert "/dia-phuong/quan-tay-ho/" in _links(dev_site, "dia-phuong/index.html")
