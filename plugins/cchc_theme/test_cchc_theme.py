"""cchc_theme: interface text from one catalogue, Vietnamese and English pages (a tiny site, in process)."""

import re

import yaml
from bs4 import BeautifulSoup

from cchc.testing import ROOT


def _soup(site, path):
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_interface_text_comes_from_the_catalogue_in_the_page_language(dev_site):
    ui = yaml.safe_load((ROOT / "theme" / "ui.yaml").read_text(encoding="utf-8"))
    vi = _soup(dev_site, "index.html")
    assert vi.html["lang"] == "vi"
    assert vi.select_one("a[href='#main-content']").get_text(strip=True) == ui["skip_link"]["vi"]
    english = [p for p in dev_site.joinpath("en").rglob("index.html")]
    assert english, "no English page"
    en = _soup(dev_site, english[0].relative_to(dev_site))
    assert en.html["lang"] == "en"
    assert en.select_one("a[href='#main-content']").get_text(strip=True) == ui["skip_link"]["en"]


def test_dates_are_written_in_the_official_style(dev_site):
    """Nghị định 30/2020/NĐ-CP: "ngày 02 tháng 7 năm 2021" (day first; a leading zero for days
    below 10 and for the months 1 and 2 only), the machine form in datetime."""
    page = _soup(dev_site, "ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/index.html")
    shown = {t["datetime"][:10]: t.get_text(strip=True) for t in page.select("time[datetime]")}
    assert shown.get("2021-07-02") == "ngày 02 tháng 7 năm 2021", shown
    assert all(re.fullmatch(r"ngày \d\d tháng (0[12]|[3-9]|1[0-2]) năm \d{4}|\d\d/\d\d/\d{4}", text)
               for text in shown.values()), shown  # long, or the short form dd/mm/yyyy
