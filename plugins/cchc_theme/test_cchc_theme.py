"""cchc_theme: interface text from one catalogue, Vietnamese and English pages (a tiny site, in process)."""

import re
import shutil

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


def _footer_links(soup):
    return {a.get_text(strip=True): a["href"] for a in soup.select("footer a")}


def test_standing_links_follow_their_pages(dev_site, tmp_path, build_site):
    """The header's "Giới thiệu" and the footer's "Liên hệ" / "Tuyên bố trợ năng" / "English" link
    to the pages themselves (cchc.core.sitepaths.STANDING_PAGES names their slugs once): a page
    given another slug is linked at its new address, a page that is gone is not linked at all."""
    home = _soup(dev_site, "index.html")
    assert _footer_links(home)["Liên hệ"] == "/lien-he/"
    assert _footer_links(home)["Tuyên bố trợ năng"] == "/tuyen-bo-tro-nang/"
    assert home.select_one("nav a[href='/gioi-thieu/']").get_text(strip=True) == "Giới thiệu"
    en = _soup(dev_site, "en/about/index.html")
    assert en.select_one("nav a[href='/en/about/']") is not None
    assert _footer_links(en)["Contact"] == "/en/contact/"

    proj = tmp_path / "proj"
    shutil.copytree(dev_site.parent, proj, symlinks=True,
                    ignore=shutil.ignore_patterns("output*", ".cache"))
    pages = proj / "content" / "pages"
    contact = pages / "lien-he.md"
    contact.write_text(contact.read_text(encoding="utf-8").replace("slug: lien-he", "slug: lien-he-gop-y"),
                       encoding="utf-8")
    (pages / "tuyen-bo-tro-nang.md").unlink()
    (pages / "contact.md").write_text((pages / "contact.md").read_text(encoding="utf-8")
                                      .replace("counterpart: lien-he\n", ""), encoding="utf-8")
    settings = proj / "pelicanconf.py"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nCCHC_STANDING_PAGES = {"
                        "'about': {'vi': 'gioi-thieu', 'en': 'about'}, 'contact': {'vi': 'lien-he-gop-y', 'en': 'contact'},"
                        " 'accessibility': {'vi': 'tuyen-bo-tro-nang'}}\n", encoding="utf-8")
    out = build_site(proj, "pelicanconf.py", proj / "output")
    links = _footer_links(_soup(out, "index.html"))
    assert links["Liên hệ"] == "/lien-he-gop-y/"
    assert "Tuyên bố trợ năng" not in links
    assert not any(a["href"] == "/tuyen-bo-tro-nang/" for a in _soup(out, "index.html").select("a[href]"))
