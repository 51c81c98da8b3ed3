"""What a citizen expects of a state portal (issue 29, item 4): last updated on news and document
pages, a feedback link carrying the page, the main menu, the official-identity line, services."""

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from conftest import ROOT

NEWS = "tin-tuc/cai-cach-hanh-chinh-phai-xuat-phat-tu-loi-ich-cua-nguoi-dan-doanh-nghiep"


def page(root, url):
    return BeautifulSoup((root / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_every_news_item_and_document_page_says_when_it_was_updated(site):
    urls = [p.parent.relative_to(site).as_posix() for p in (site / "tin-tuc").glob("*/index.html")]
    urls += [p.parent.relative_to(site).as_posix() for p in (site / "van-ban").glob("*/index.html")
             if p.parent.name != "theo-ngay"]
    assert len(urls) > 15
    for url in urls:
        line = page(site, url).select_one("main .c-updated")
        assert line is not None, url
        if "binh-luc-tiep-tuc" in url:  # the source gave no date: said so, never a made-up one
            assert line.get_text(strip=True).startswith("Cập nhật: chưa rõ ngày") and not line.time
            continue
        assert line.get_text(" ", strip=True).startswith("Cập nhật ngày"), url
        assert line.time["datetime"], url
    # a news item without changes: its publication date; a record: the day its facts were checked
    assert page(site, NEWS).select_one(".c-updated time")["datetime"].startswith("2021-11-25")
    assert page(site, "van-ban/224-2026-nd-cp").select_one(".c-updated time")["datetime"].startswith("2026-12-07")


def test_feedback_link_carries_the_page_address_and_title(site):
    for url, title in ((NEWS, "Cải cách hành chính phải xuất phát"), ("van-ban/42-2022-nd-cp", "42/2022/NĐ-CP")):
        link = page(site, url).select_one("main .c-feedback a")
        assert link.get_text() == "Báo lỗi hoặc góp ý về trang này"
        target = urlsplit(link["href"])
        assert target.scheme == "mailto" and target.path == "lienhe@example.org"
        query = parse_qs(target.query)
        assert query["body"] == [f"/{url}/"] and query["subject"][0].startswith(title)


def test_feedback_to_a_form_service_gets_url_and_title():
    import sys

    sys.path.insert(0, str(ROOT / "plugins"))
    from cchc_theme.cchc_theme import feedback_href

    settings = {"SITEURL": "https://cchc.example.gov.vn", "ORGANISATION": {"feedback": "https://gopy.example.org/form?id=7"}}
    href = feedback_href(settings, "van-ban/76-nq-cp/", "76/NQ-CP")
    query = parse_qs(urlsplit(href).query)
    assert query == {"id": ["7"], "url": ["https://cchc.example.gov.vn/van-ban/76-nq-cp/"], "title": ["76/NQ-CP"]}
    assert feedback_href({"ORGANISATION": {"feedback": ""}}, "x/", "x") == ""


def test_main_menu_has_documents_targets_and_follow(site):
    nav = page(site, NEWS).select(".c-nav a")
    labels = {a.get_text(): a["href"] for a in nav}
    assert labels["Văn bản"] == "/van-ban/" and labels["Chỉ tiêu"] == "/chi-tieu/"
    assert labels["Theo dõi"] == "/theo-doi/"


def test_footer_names_the_responsible_agency_and_the_licence(site):
    identity = page(site, NEWS).select_one("footer .l-footer__identity").get_text(" ", strip=True)
    assert identity.startswith("Cổng thông tin chính thức của Sở Nội vụ tỉnh Mẫu (ví dụ).")
    assert "Đơn vị chịu trách nhiệm nội dung: Phòng Cải cách hành chính (ví dụ)." in identity
    assert "chưa công bố giấy phép" in identity  # ORGANISATION["licence"] is empty


def test_home_has_task_entry_points_and_services_linking_out(site):
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.h1.get_text() and "u-visually-hidden" not in (home.h1.get("class") or [])
    tasks = {a.get_text(): a["href"] for a in home.select("#home-tasks ~ ul a")}
    assert tasks["Tra cứu văn bản"] == "/van-ban/" and tasks["So sánh chỉ tiêu"] == "/chi-tieu/"
    assert tasks["Dịch vụ công trực tuyến"].startswith("https://") and tasks["Phản ánh, kiến nghị"].startswith("https://")
