"""The five seed pages are on the built site, faithfully: text, metadata, plans and links."""

import re

import pytest
from bs4 import BeautifulSoup

from cchc.core.text import collapse_spaces
from conftest import SEEDS

BOILERPLATE = [
    "Skip Ribbon Commands", "Skip to main content", "Chi tiết tin", "[Trở về]", "View count",
    "Các tin mới", "Tin đọc nhiều", "Tổng số lượt truy cập", "Các tin đã đưa ngày", "Album Ảnh",
    "Các tin khác", "Phát triển bởi",
]

# seed file, URL, title, datetime attribute (None = unknown), byline, source unit, locality,
# first and last line of the article's own text in the seed, plan URL
NEWS = [
    ("000_c7c4887347843133.txt", "tin-tuc/cai-cach-hanh-chinh-phai-xuat-phat-tu-loi-ich-cua-nguoi-dan-doanh-nghiep/",
     "Cải cách hành chính phải xuất phát từ lợi ích của người dân, doanh nghiệp",
     "2021-11-25T00:00:00+07:00", "Nguyễn Văn Huấn", "Phòng Nội vụ huyện Tam Dương", "Huyện Tam Dương",
     "Ngày 03/11/2021, UBND huyện Tam Dương", "kịp thời phát hiện, chấn chỉnh",
     "ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025/"),
    ("001_9cfa365830132746.txt", "tin-tuc/cai-cach-hanh-chinh-tiep-tuc-huong-toi-nguoi-dan-va-doanh-nghiep/",
     "CẢI CÁCH HÀNH CHÍNH TIẾP TỤC HƯỚNG TỚI NGƯỜI DÂN VÀ DOANH NGHIỆP",
     "2015-05-14T10:06:10+07:00", "Trần Trung Kiên - Trưởng phòng Cải cách hành chính – Sở Nội vụ", "Sở Nội vụ",
     "Tỉnh Quảng Nam", "Sau gần 1 năm triển khai", "kỷ luật công vụ, kỷ cương hành chính.", None),
    ("002_419e5956044f9ab1.txt", "tin-tuc/binh-luc-tiep-tuc-thuc-hien-cai-cach-hanh-chinh-nam-2024/",
     "Bình Lục tiếp tục thực hiện cải cách hành chính năm 2024", None, None,
     "Trung tâm Văn hoá, Thông tin và Thể thao huyện Bình Lục", "Huyện Bình Lục",
     "Thực hiện Quyết định số 1578", "để áp dụng đảm bảo phù hợp với thực tiễn của địa phương.",
     "ke-hoach/binh-luc-ke-hoach-cai-cach-hanh-chinh-2024/"),
    ("003_7c626112fa564c51.txt", "tin-tuc/quan-tay-ho-thuc-hien-cai-cach-hanh-chinh-nha-nuoc-giai-doan-2021-2025/",
     "Quận Tây Hồ thực hiện Cải cách hành chính nhà nước giai đoạn 2021-2025", "2021-07-02T15:39:00+07:00",
     None, "Trung tâm VH-TT&TT Tây Hồ", "Quận Tây Hồ", "Thực hiện Kế hoạch số 136/KH-UBND",
     "góp phần phát triển Quận Tây Hồ bền vững.", "ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/"),
    ("004_e968048da3d86a3b.txt", "tin-tuc/ubnd-thanh-pho-vung-tau-ban-hanh-ke-hoach-cai-cach-hanh-chinh-nam-2023/",
     "UBND thành phố Vũng Tàu ban hành kế hoạch cải cách hành chính năm 2023", "2022-12-29T05:44:00+07:00",
     "Tuệ Lâm, BBT", None, "Thành phố Vũng Tàu", "UBND thành phố Vũng Tàu vừa ban hành",
     "UBND thành phố Vũng Tàu theo dõi, chỉ đạo.", "ke-hoach/vung-tau-ke-hoach-cai-cach-hanh-chinh-2023/"),
]


def page(site, url):
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def squash(text):
    return re.sub(r"\s+", " ", collapse_spaces(text)).strip()


def seed_body_lines(name, first, last):
    """The article's own lines in the seed, from *first* to *last*, padding collapsed."""
    lines = [squash(l) for l in (SEEDS / name).read_text(encoding="utf-8").splitlines()]
    start = next(i for i, l in enumerate(lines) if l.startswith(first))
    end = next(i for i, l in enumerate(lines) if last in l)
    assert start < end
    return [l for l in lines[start : end + 1] if l]


@pytest.mark.parametrize("seed", NEWS, ids=[n[0][:3] for n in NEWS])
def test_news_item_is_faithful(site, seed):
    name, url, title, when, byline, unit, locality, first, last, plan_url = seed
    doc = page(site, url)
    assert doc.find("h1").get_text(strip=True) == title
    prose = squash(doc.select_one(".c-prose").get_text(" "))
    for line in seed_body_lines(name, first, last):
        assert line in prose, f"missing from {url}: {line[:60]}…"
    # the headline is not repeated inside the body, and no CMS boilerplate survived
    assert title not in prose
    whole = doc.get_text(" ")
    for junk in BOILERPLATE:
        assert junk not in whole, junk
    assert "\u00a0" not in str(doc.select_one(".c-prose"))
    footer = squash(doc.select_one(".c-article__footer").get_text(" "))
    if byline:
        assert byline in footer
    if unit:
        assert unit in footer
    header = doc.select_one(".c-article__header")
    assert locality in header.get_text()
    if when:
        assert header.find("time")["datetime"] == when
    else:
        assert header.find("time") is None
        assert "Không rõ ngày đăng" in header.get_text()
    if plan_url:
        links = {a["href"] for a in doc.select(".c-article__footer a, .c-related a")}  # related posts
        assert f"/{plan_url}" in links
        plan = page(site, plan_url)
        assert f"/{url}" in {a["href"] for a in plan.select(".c-article__footer a, .c-related a")}


def test_doubtful_date_is_kept_and_explained(site):
    doc = page(site, NEWS[1][1])
    time = doc.select_one(".c-article__header time")
    assert time["datetime"].startswith("2015-05-14")
    assert time.get_text() == "ngày 14 tháng 5 năm 2015"
    note = doc.select_one(".c-notice").get_text(" ")
    assert "16-NQ/TU" in note and "04/NQ-CP" in note
    assert "ngày chưa chắc chắn" in doc.select_one(".c-article__header").get_text()


def facts(doc):
    box = doc.select_one(".c-facts-box .c-facts")
    return {dt.get_text(strip=True): squash(dd.get_text(" ")) for dt, dd in zip(box.find_all("dt"), box.find_all("dd"))}


PLANS = [
    ("ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025/", "Kế hoạch", "179/KH-UBND",
     "UBND huyện Tam Dương", "ngày 03 tháng 11 năm 2021", "2021-2025", ["76/NQ-CP", "2866/QĐ-UBND"]),
    ("ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/", "Kế hoạch", "224/KH-UBND",
     "UBND quận Tây Hồ", "ngày 25 tháng 6 năm 2021", "2021-2025", ["136/KH-UBND", "07-Ctr/QU"]),
    ("ke-hoach/vung-tau-ke-hoach-cai-cach-hanh-chinh-2023/", "Quyết định", "14460/QĐ-UBND",
     "UBND thành phố Vũng Tàu", "Tin bài không nêu ngày ký quyết định.", "2023", []),
    ("ke-hoach/binh-luc-ke-hoach-cai-cach-hanh-chinh-2024/", "Kế hoạch", None,
     "Ủy ban nhân dân huyện Bình Lục", "Chưa cập nhật", "2024", []),
]


@pytest.mark.parametrize("plan", PLANS, ids=[p[2] or "no-number" for p in PLANS])
def test_plan_facts(site, plan):
    url, doc_type, number, issuer, issued, period, bases = plan
    doc = page(site, url)
    f = facts(doc)
    assert f["Loại văn bản"] == doc_type
    assert f["Cơ quan ban hành"] == issuer
    assert f["Ngày ban hành"] == issued
    assert f["Giai đoạn"] == period
    if number:
        assert f["Số ký hiệu"] == number
    else:
        # seed 002 names no number: say so rather than invent one
        assert f["Số ký hiệu"].startswith("Nguồn không nêu số ký hiệu")
    cited = [s.get_text() for s in doc.select(".c-bases .c-docnum")]
    assert cited == bases


def test_tay_ho_targets_table(site):
    doc = page(site, PLANS[1][0])
    rows = [[squash(c.get_text(" ")) for c in tr.find_all(["th", "td"])] for tr in doc.select(".c-table tbody tr")]
    satisfaction = [r for r in rows if r[0].startswith("Mức độ hài lòng")]
    assert [(r[1], r[2]) for r in satisfaction] == [("> 85%", "2023"), ("≥ 95%", "2025")]


def test_binh_luc_bare_references_kept_without_numbers(site):
    doc = page(site, PLANS[3][0])
    bases = squash(doc.select_one(".c-bases").get_text(" "))
    assert "Quyết định số 1578 ngày 06 tháng 9 năm 2021" in bases
    assert "chưa có số ký hiệu" in bases
    rows = [squash(tr.get_text(" ")) for tr in doc.select(".c-table tbody tr")]
    assert any("> 90%" in r and "2024" in r for r in rows)


def test_unknown_date_never_becomes_1970(site):
    assert not (site / "nam" / "1970").exists()
    years = {p.name for p in (site / "nam").iterdir() if p.is_dir()}
    assert years == {"2015", "2021", "2022"}


@pytest.mark.parametrize("url, lang, words", [
    ("gioi-thieu/", "vi", "Nghị quyết số 76/NQ-CP"),
    ("lien-he/", "vi", "Thông tin mẫu"),
    ("tuyen-bo-tro-nang/", "vi", "WCAG 2.1"),
    ("en/about/", "en", "Master Programme"),
    ("en/contact/", "en", "Sample details"),
])
def test_pages(site, url, lang, words):
    doc = page(site, url)
    assert doc.html["lang"] == lang
    assert words in doc.get_text()


def test_contact_details_are_marked_as_examples(site):
    doc = page(site, "lien-he/")
    text = doc.get_text(" ")
    assert "ví dụ" in text
    assert "lienhe@example.org" in text  # RFC 2606 example domain, not a real mailbox
    # no invented phone number: the sample has none
    assert not re.search(r"\b0\d{2,3}[ .]?\d{3,4}[ .]?\d{3,4}\b", text)
