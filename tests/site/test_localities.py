"""Locality pages by administrative unit (cchc_listings.unit_listings): each seed post under today's
province and commune pages and under its old unit's page, which keeps its address and says where
the unit went; the plan history banner; and a new version of the units data changing the pages."""

import re

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build, make_project
from units_data import data_copy, rename_current

# seed post (tin-tuc/ke-hoach slug) → (old unit's page, today's province page, a commune holding its area)
SEEDS = {
    "cai-cach-hanh-chinh-phai-xuat-phat-tu-loi-ich-cua-nguoi-dan-doanh-nghiep":
        ("huyen-tam-duong", "phu-tho", "phu-tho/tam-duong", "Huyện Tam Dương, Tỉnh Vĩnh Phúc"),
    "tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025":
        ("huyen-tam-duong", "phu-tho", "phu-tho/tam-duong", "Huyện Tam Dương, Tỉnh Vĩnh Phúc"),
    "quan-tay-ho-thuc-hien-cai-cach-hanh-chinh-nha-nuoc-giai-doan-2021-2025":
        ("quan-tay-ho", "ha-noi", "ha-noi/tay-ho", "Quận Tây Hồ, Thành phố Hà Nội"),
    "tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025":
        ("quan-tay-ho", "ha-noi", "ha-noi/tay-ho", "Quận Tây Hồ, Thành phố Hà Nội"),
    "ubnd-thanh-pho-vung-tau-ban-hanh-ke-hoach-cai-cach-hanh-chinh-nam-2023":
        ("thanh-pho-vung-tau", "ho-chi-minh", "ho-chi-minh/vung-tau", "Thành phố Vũng Tàu, Tỉnh Bà Rịa - Vũng Tàu"),
    "vung-tau-ke-hoach-cai-cach-hanh-chinh-2023":
        ("thanh-pho-vung-tau", "ho-chi-minh", "ho-chi-minh/vung-tau", "Thành phố Vũng Tàu, Tỉnh Bà Rịa - Vũng Tàu"),
    "binh-luc-tiep-tuc-thuc-hien-cai-cach-hanh-chinh-nam-2024":
        ("huyen-binh-luc", "ninh-binh", "ninh-binh/binh-luc", "Huyện Bình Lục, Tỉnh Hà Nam"),
    "binh-luc-ke-hoach-cai-cach-hanh-chinh-2024":
        ("huyen-binh-luc", "ninh-binh", "ninh-binh/binh-luc", "Huyện Bình Lục, Tỉnh Hà Nam"),
    "cai-cach-hanh-chinh-tiep-tuc-huong-toi-nguoi-dan-va-doanh-nghiep":
        ("tinh-quang-nam", "da-nang", None, "Tỉnh Quảng Nam"),
}


def _page(output, path):
    return BeautifulSoup((output / path / "index.html").read_text(encoding="utf-8"), "lxml")


def _posts(soup):
    """{post slug: text of its meta line} of a listing page."""
    return {a["href"].rstrip("/").rsplit("/", 1)[-1]: a.find_parent("li").select_one(".c-meta").get_text(" ", strip=True)
            for a in soup.select(".c-list .c-card__title a")}


@pytest.mark.parametrize("slug", list(SEEDS))
def test_each_seed_post_is_under_its_old_unit_and_todays_units(site, slug):
    old, province, commune, then = SEEDS[slug]
    old_page = _page(site, f"dia-phuong/{old}")
    assert slug in _posts(old_page)
    banner = old_page.select_one(".c-history")
    assert "đến hết ngày 30/06/2025" in banner.get_text() and "01/07/2025" in banner.get_text()
    links = [a["href"] for a in banner.select("a")]
    assert f"/dia-phuong/{commune or province}/" in links
    for today in filter(None, (province, commune)):
        posts = _posts(_page(site, f"dia-phuong/{today}"))
        assert posts[slug].endswith(f"trước 01/07/2025: {then}") or f"trước 01/07/2025: {then} ·" in posts[slug]
        assert _page(site, f"dia-phuong/{today}").select_one(".c-history") is None  # today's units did not end


def test_the_index_lists_todays_provinces_with_their_communes_then_the_old_names(site):
    index = _page(site, "dia-phuong")
    sections = [h.get_text(strip=True) for h in index.select("main h2")]
    assert sections == ["Tỉnh, thành phố và xã, phường, đặc khu hiện nay", "Tên đơn vị hành chính trước 01/07/2025"]
    now, before = index.select("main ul.c-index")
    provinces = [li.a.get_text() for li in now.find_all("li", recursive=False)]
    assert provinces == ["Thành phố Đà Nẵng", "Thành phố Hà Nội", "Thành phố Hồ Chí Minh", "Tỉnh Ninh Bình",
                         "Tỉnh Phú Thọ"]
    phu_tho = now.find("a", string="Tỉnh Phú Thọ").find_parent("li")
    assert "Xã Tam Dương" in [a.get_text() for a in phu_tho.select("ul a")]
    assert {a["href"] for a in before.select("a")} == {f"/dia-phuong/{s[0]}/" for s in SEEDS.values()}


def test_an_old_units_page_keeps_its_address_and_its_posts_show_the_name_as_written(site):
    page = _page(site, "dia-phuong/quan-tay-ho")
    assert page.h1.get_text(strip=True) == "Địa phương: Quận Tây Hồ, Thành phố Hà Nội"
    meta = _posts(page)["tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025"]
    assert "· Quận Tây Hồ" in meta and "trước 01/07/2025" not in meta


def test_a_plan_whose_unit_ended_gets_the_history_banner_and_a_written_one_wins(site):
    plan = _page(site, "ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025")
    text = plan.select_one(".c-history").get_text(" ", strip=True)
    assert "Huyện Tam Dương, Tỉnh Vĩnh Phúc là đơn vị hành chính đến hết ngày 30/06/2025" in text
    assert "Xã Tam Dương, Tỉnh Phú Thọ (một phần)" in text


def test_a_staff_history_note_is_kept(tmp_path):
    proj = make_project(tmp_path, ROOT / "content")
    post = proj / "content" / "ke-hoach" / "tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("locality: ", 'history_note: "Ghi chú của biên tập viên."\nlocality: ', 1),
                    encoding="utf-8")
    proc = build(proj)
    assert proc.returncode == 0, proc.stderr
    plan = _page(proj / "output", "ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025")
    assert plan.select_one(".c-history p").get_text(strip=True) == "Ghi chú của biên tập viên."


def test_a_new_version_of_the_units_data_with_one_more_renamed_unit_changes_the_pages(tmp_path):
    """Xã Tam Dương (08869) renamed Phường Tam Dương in a copy of the package's data."""
    data = rename_current(data_copy(tmp_path), "08869", "Phường", "Tam Dương")
    proj = make_project(tmp_path, ROOT / "content")
    proc = build(proj, env={"CCHC_UNITS_DATA": str(data)})
    assert proc.returncode == 0, proc.stderr
    out = proj / "output"
    commune = _page(out, "dia-phuong/phu-tho/tam-duong")
    assert commune.h1.get_text(strip=True) == "Địa phương: Phường Tam Dương, Tỉnh Phú Thọ"
    banner = _page(out, "dia-phuong/huyen-tam-duong").select_one(".c-history")
    assert "Phường Tam Dương, Tỉnh Phú Thọ" in banner.get_text() and "Xã Tam Dương," not in banner.get_text()
    index = _page(out, "dia-phuong").get_text()
    assert "Phường Tam Dương" in index and not re.search(r"Xã Tam Dương(?! Bắc)", index)


def test_open_data_records_carry_the_codes_as_of_the_post_and_today(site):
    import json

    record = json.loads((site / "du-lieu-mo" / "tin-tuc" /
                         "cai-cach-hanh-chinh-phai-xuat-phat-tu-loi-ich-cua-nguoi-dan-doanh-nghiep.json").read_text())
    assert record["locality"] == "Huyện Tam Dương"
    assert record["locality_unit"] == {"code": "247", "name": "Huyện Tam Dương", "province_code": "26",
                                       "until": "2025-06-30"}
    now = {u["name"]: u for u in record["locality_units_now"]}
    assert now["Xã Tam Dương"] == {"code": "08869", "name": "Xã Tam Dương", "province_code": "25", "partial": True}
