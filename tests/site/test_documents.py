"""Legal documents as linked data: /van-ban/ pages, chains of legal bases, body links,
the /chi-tieu/ targets dashboard, /du-lieu-mo/ JSON and JSON-LD, on real Pelican builds."""

import json
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build, files_of, make_project, run_cchc

FIXTURES = ROOT / "tests" / "fixtures" / "documents"
SUBPATH = "https://example.org/cchc"
TAM_DUONG = "ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025/"
TAM_DUONG_NEWS = "tin-tuc/cai-cach-hanh-chinh-phai-xuat-phat-tu-loi-ich-cua-nguoi-dan-doanh-nghiep/"
TAY_HO = "ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/"
TAY_HO_NEWS = "tin-tuc/quan-tay-ho-thuc-hien-cai-cach-hanh-chinh-nha-nuoc-giai-doan-2021-2025/"
VINH_PHUC = "ke-hoach/vinh-phuc-ke-hoach-cai-cach-hanh-chinh-2021-2025/"
FIXTURE_NEWS = "tin-tuc/tin-thu-lien-ket-so-ky-hieu/"


def page(root, url):
    return BeautifulSoup((root / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def hrefs(soup, selector, prefix=""):
    """Site paths ("van-ban/76-nq-cp/") of the links under *selector*."""
    out = []
    for a in soup.select(f"{selector} a[href]"):
        href = a["href"]
        assert href.startswith(prefix + "/"), href
        out.append(href[len(prefix) + 1:])
    return out


@pytest.fixture(scope="module")
def chain_site(tmp_path_factory):
    """Seed content plus a record for 2866/QĐ-UBND and a news item with tricky mentions,
    built with an absolute SITEURL that has a subpath."""
    proj = make_project(tmp_path_factory.mktemp("chain"), ROOT / "content")
    shutil.copytree(FIXTURES, proj / "content", dirs_exist_ok=True)
    (proj / "subpath.py").write_text(
        "import os, sys\nsys.path.append(os.curdir)\nfrom pelicanconf import *  # noqa\n"
        f"SITEURL = {SUBPATH!r}\n", encoding="utf-8")
    proc = build(proj, "--settings", "subpath.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj / "output"


# Seed content ------------------------------------------------------------------------------

def test_plan_page_links_its_bases_and_they_link_back(site):
    doc = page(site, "van-ban/179-kh-ubnd")
    assert doc.h1.get_text(" ", strip=True) == "Kế hoạch số 179/KH-UBND"
    assert set(hrefs(doc, "#doc-bases + ul")) == {"van-ban/76-nq-cp/", "van-ban/2866-qd-ubnd/"}
    assert TAM_DUONG in hrefs(doc, "main .c-facts")  # the plan record fills the page in
    assert doc.select_one("main .c-facts").get_text(" ", strip=True).count("UBND huyện Tam Dương") == 1
    for base in ("76-nq-cp", "2866-qd-ubnd"):
        basis = page(site, f"van-ban/{base}")
        implemented = hrefs(basis, "section[aria-labelledby=doc-implemented-by]")
        assert "van-ban/179-kh-ubnd/" in implemented and TAM_DUONG in implemented
        assert TAM_DUONG_NEWS in hrefs(basis, "section[aria-labelledby=doc-mentioned-in]")


def test_document_known_from_citations_marks_the_rest_unknown(site):
    doc = page(site, "van-ban/2866-qd-ubnd")  # 76/NQ-CP has a record in content/van-ban/ since issue 29
    facts = doc.select_one("main .c-facts").get_text(" ", strip=True)
    assert "UBND tỉnh Vĩnh Phúc (theo trích dẫn)" in facts
    assert "ngày 14 tháng 10 năm 2021" in facts
    assert doc.select_one("#citations-only")  # says the portal has no summary of it
    assert "Chưa rõ" in doc.select_one("section[aria-labelledby=doc-bases]").get_text()
    only_mentioned = page(site, "van-ban/16-nq-tu")
    facts = only_mentioned.select_one("main .c-facts").get_text(" ", strip=True)
    assert "Nghị quyết (suy ra từ ký hiệu)" in facts
    assert facts.count("Chưa rõ") == 6  # issuer, issue date, title, effective date, validity, source
    quote = only_mentioned.select_one("section[aria-labelledby=doc-mentioned-in] blockquote").get_text()
    assert "Nghị quyết số 16-NQ/TU của Tỉnh ủy" in quote


def test_party_form_numbers_get_pages(site):
    for slug, number, doc_type in (("16-nq-tu", "16-NQ/TU", "Nghị quyết"),
                                   ("07-ctr-qu", "07-Ctr/QU", "Chương trình")):
        doc = page(site, f"van-ban/{slug}")
        assert doc.h1.get_text(" ", strip=True) == f"{doc_type} số {number}"
    ctr = page(site, "van-ban/07-ctr-qu")
    assert "Quận ủy Tây Hồ" in ctr.select_one("main .c-facts").get_text()
    assert TAY_HO in hrefs(ctr, "section[aria-labelledby=doc-implemented-by]")


def test_index_lists_every_document_grouped_and_by_date(site):
    pages = sorted(p.parent.name for p in (site / "van-ban").glob("*/index.html")
                   if p.parent.name != "theo-ngay")
    assert {"179-kh-ubnd", "2866-qd-ubnd", "76-nq-cp", "136-kh-ubnd", "224-kh-ubnd", "16-nq-tu",
            "07-ctr-qu", "14460-qd-ubnd", "23-ct-ttg", "04-nq-cp"} <= set(pages)
    index = page(site, "van-ban")
    linked = sorted(h.split("/")[1] for h in hrefs(index, "main table"))
    assert linked == pages
    groups = [h.contents[0].strip() for h in index.select("main section > h2")]
    assert groups[:3] == ["Kế hoạch", "Quyết định", "Nghị quyết"]
    by_date = page(site, "van-ban/theo-ngay")
    dates = [t["datetime"] for t in by_date.select("main table time")]
    assert len(dates) >= 6 and dates == sorted(dates, reverse=True)


def test_plan_page_shows_linked_bases(site):
    plan = page(site, TAY_HO)
    bases = hrefs(plan, ".c-facts-box .c-bases")
    assert bases == ["van-ban/136-kh-ubnd/", "van-ban/07-ctr-qu/"]
    assert "van-ban/224-kh-ubnd/" in hrefs(plan, "main .c-facts")


def test_body_numbers_link_once_to_their_pages(site):
    news = page(site, TAY_HO_NEWS)
    links = [(a.get_text(), a["href"]) for a in news.select(".c-prose a.c-doclink")]
    assert links == [("136/KH-UBND", "/van-ban/136-kh-ubnd/"), ("07-Ctr/QU", "/van-ban/07-ctr-qu/"),
                     ("224/KH-UBND", "/van-ban/224-kh-ubnd/")]
    for html in site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        assert not soup.select("a a"), html
        assert not soup.select(":is(h1, h2, h3, h4, h5, h6) a.c-doclink"), html


def test_bare_references_are_not_linked_but_suggested_by_check(site):
    news = page(site, "tin-tuc/binh-luc-tiep-tuc-thuc-hien-cai-cach-hanh-chinh-nam-2024")
    assert "Quyết định số 1578" in news.select_one(".c-prose").get_text()
    assert not news.select(".c-prose a")
    proc = run_cchc("check", "content", "--verbose")  # make check VERBOSE=1: each suggestion
    assert proc.returncode == 0, proc.stderr
    lines = [l for l in proc.stdout.splitlines() if l.startswith("GỢI Ý")]
    assert any("binh-luc-tiep-tuc-thuc-hien-cai-cach-hanh-chinh-nam-2024.md:16:" in l
               and "“Quyết định số 1578”" in l for l in lines), proc.stdout
    assert any("binh-luc-ke-hoach-cai-cach-hanh-chinh-2024.md:" in l and "trường number" in l
               for l in lines), proc.stdout
    assert not any("136" in l for l in lines)  # full numbers are not bare references


def test_check_still_fails_on_errors_with_notices(tmp_path):
    proj = make_project(tmp_path, FIXTURES)
    bad = proj / "content" / "ke-hoach" / "vinh-phuc-ke-hoach-2866.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("date: 20/10/2021", "date: 10/20/2021"),
                   encoding="utf-8")
    proc = run_cchc("check", "content", "--verbose", cwd=proj)
    assert proc.returncode == 1
    assert "gợi ý (không phải lỗi)" in proc.stdout and "LỖI" in proc.stderr


def test_targets_dashboard_lists_tay_ho_satisfaction_targets(site):
    """The two plans word satisfaction differently: both land in the catalogue's one indicator."""
    dash = page(site, "chi-tieu")
    section = dash.select_one("section[aria-labelledby=chi-tieu-hai-long]")
    assert section.h2.get_text(strip=True).startswith("Mức độ hài lòng của người dân, tổ chức")
    rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
            for tr in section.select("tbody tr")]
    tay_ho = [(r[0], r[2], r[3]) for r in rows if r[0] == "Quận Tây Hồ"]
    assert tay_ho == [("Quận Tây Hồ", "> 85%", "2023"), ("Quận Tây Hồ", "≥ 95%", "2025")]
    assert [(r[0], r[2], r[3]) for r in rows if r[0] == "Huyện Bình Lục"] == [("Huyện Bình Lục", "> 90%", "2024")]
    others = [s.h2.get_text(strip=True) for s in dash.select("section.c-chart") if s is not section]
    assert not [h for h in others if "hài lòng" in h.lower()], others  # no second satisfaction group
    assert all(TAY_HO in hrefs(tr, "td") for tr in section.select("tbody tr") if "Tây Hồ" in tr.th.get_text())
    svg = section.select_one("figure svg")
    assert svg["role"] == "img" and svg["aria-label"]
    assert len(svg.find_all("rect")) == len(rows)
    widths = [float(r["width"]) for r in svg.find_all("rect")]
    tay_ho_widths = [w for w, r in zip(widths, rows) if r[0] == "Quận Tây Hồ"]
    assert tay_ho_widths[0] < tay_ho_widths[1]  # 85 % draws shorter than 95 %
    assert not dash.select("[style]")
    assert [s.get("type") for s in dash.find_all("script")] == []


def test_history_note_is_a_banner_and_chain_grows_upward(chain_site):
    prefix = SUBPATH
    record = page(chain_site, "van-ban/2866-qd-ubnd")
    assert not record.select_one("#citations-only")  # the record fills it in now
    assert VINH_PHUC in hrefs(record, "main .c-facts", prefix)
    banner = record.select_one("aside.c-history")
    assert banner and "đã hết thời hạn" in banner.get_text() and banner.h2
    # Three levels: 179/KH-UBND → 2866/QĐ-UBND → 76/NQ-CP, walked both ways.
    top = page(chain_site, "van-ban/179-kh-ubnd")
    assert "van-ban/2866-qd-ubnd/" in hrefs(top, "section[aria-labelledby=doc-bases]", prefix)
    assert hrefs(record, "section[aria-labelledby=doc-bases]", prefix) == ["van-ban/76-nq-cp/"]
    assert "van-ban/179-kh-ubnd/" in hrefs(record, "section[aria-labelledby=doc-implemented-by]", prefix)
    root = page(chain_site, "van-ban/76-nq-cp")
    up = hrefs(root, "section[aria-labelledby=doc-implemented-by]", prefix)
    assert {"van-ban/179-kh-ubnd/", "van-ban/2866-qd-ubnd/", VINH_PHUC, TAM_DUONG} <= set(up)
    plan = page(chain_site, VINH_PHUC)
    assert plan.select_one("aside.c-history h2")
    assert "van-ban/179-kh-ubnd/" in hrefs(plan, "#implemented-by-title + ul", prefix)
    assert hrefs(plan, ".c-facts-box .c-bases", prefix)[0] == "van-ban/76-nq-cp/"


def test_body_links_skip_headings_links_and_code_and_respect_siteurl(chain_site):
    news = page(chain_site, FIXTURE_NEWS)
    prose = news.select_one(".c-prose")
    assert not prose.h2.find("a")
    links = [(a.get_text(), a["href"]) for a in prose.select("a.c-doclink")]
    assert links == [("179/KH-UBND", f"{SUBPATH}/van-ban/179-kh-ubnd/"),
                     ("16-NQ/TU", f"{SUBPATH}/van-ban/16-nq-tu/"),
                     ("2866/QĐ-UBND", f"{SUBPATH}/van-ban/2866-qd-ubnd/")]
    existing = prose.select_one('a[href="https://example.org/"]')
    assert existing.get_text() == "liên kết sẵn có về 2866/QĐ-UBND" and not existing.find("a")
    assert prose.code.get_text() == "76/NQ-CP" and not prose.code.find("a")
    assert "Quyết định số 1578" in prose.get_text() and "1578" not in str(prose.select("a"))


# Open data and JSON-LD -----------------------------------------------------------------------

def _json(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _local(site, url):
    return site / url.lstrip("/")


def test_open_data_catalogue_covers_everything_and_validates(site):
    jsonschema = pytest.importorskip("jsonschema")
    schema = _json(site / "du-lieu-mo" / "schema.json")
    validator = jsonschema.Draft202012Validator(schema)
    catalogue = _json(site / "du-lieu-mo" / "index.json")
    validator.validate(catalogue)
    kinds = [r["type"] for r in catalogue["records"]]
    documents = [p for p in (site / "van-ban").glob("*/index.html") if p.parent.name != "theo-ngay"]
    assert (kinds.count("tin-tuc"), kinds.count("ke-hoach"), kinds.count("van-ban")) == (5, 4, len(documents))
    for entry in catalogue["records"]:
        record = _json(_local(site, entry["json_url"]))
        errors = sorted(validator.iter_errors(record), key=str)
        assert not errors, (entry["json_url"], errors[0].message if errors else "")
        assert record["url"] == entry["url"] and (_local(site, entry["url"]) / "index.html").exists()
    tay_ho = _json(site / "du-lieu-mo" / "ke-hoach" / "tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025.json")
    assert tay_ho["doc_number"] == "224/KH-UBND" and tay_ho["issue_date"] == "2021-06-25"
    assert {(t["value"], t["year"]) for t in tay_ho["targets"]} >= {(85.0, 2023), (95.0, 2025)}
    assert tay_ho["legal_bases"][0]["number"] == "136/KH-UBND"
    assert "phương châm 5 dễ" in tay_ho["body_text"]
    doc = _json(site / "du-lieu-mo" / "van-ban" / "76-nq-cp.json")
    assert doc["known_from"] == "document-record" and doc["implemented_by"] == ["/" + TAM_DUONG]
    assert _json(site / "du-lieu-mo" / "van-ban" / "2866-qd-ubnd.json")["known_from"] == "citations"
    repealed = _json(site / "du-lieu-mo" / "van-ban" / "42-2022-nd-cp.json")
    assert repealed["validity"] == {"status": "het-hieu-luc", "since": "2026-07-01", "by": "224/2026/NĐ-CP"}
    assert repealed["relations"][0]["relation"] == "repealed_by"


def test_schema_rejects_a_broken_record(site):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(_json(site / "du-lieu-mo" / "schema.json"))
    record = _json(site / "du-lieu-mo" / "van-ban" / "179-kh-ubnd.json")
    assert validator.is_valid(record)
    assert not validator.is_valid(dict(record, known_from="maybe"))
    assert not validator.is_valid({k: v for k, v in record.items() if k != "number"})


def test_open_data_is_reproducible(site, tmp_path):
    proj = make_project(tmp_path, ROOT / "content")
    assert build(proj).returncode == 0
    first, again = files_of(site / "du-lieu-mo"), files_of(proj / "output" / "du-lieu-mo")
    assert first == again
    assert len(first) > 20


def test_open_data_page_and_urls_follow_siteurl(chain_site):
    catalogue = _json(chain_site / "du-lieu-mo" / "index.json")
    assert all(r["json_url"].startswith(SUBPATH + "/du-lieu-mo/") for r in catalogue["records"])
    info = page(chain_site, "du-lieu-mo")
    assert info.h1.get_text() == "Dữ liệu mở"
    assert f"{SUBPATH}/du-lieu-mo/index.json" in [a["href"] for a in info.select("main a")]
    assert "giấy phép" in info.select_one("main").get_text().lower()


def _json_ld(soup):
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def test_json_ld_on_articles_and_documents(site):
    news = _json_ld(page(site, TAM_DUONG_NEWS))
    assert news[0]["@type"] == "NewsArticle"
    assert news[0]["datePublished"].startswith("2021-11-25")
    assert "179/KH-UBND" in [m["legislationIdentifier"] for m in news[0]["mentions"]]
    doc = _json_ld(page(site, "van-ban/179-kh-ubnd"))
    assert doc[0]["@type"] == "Legislation" and doc[0]["legislationIdentifier"] == "179/KH-UBND"
    assert doc[0]["legislationDate"] == "2021-11-03"
    undated = _json_ld(page(site, "tin-tuc/binh-luc-tiep-tuc-thuc-hien-cai-cach-hanh-chinh-nam-2024"))
    assert "datePublished" not in undated[0]  # the 1970 sentinel never leaks


@pytest.mark.parametrize("path", ["van-ban", "van-ban/theo-ngay", "van-ban/179-kh-ubnd", "van-ban/16-nq-tu",
                                  "chi-tieu", "du-lieu-mo", TAY_HO])
def test_new_pages_have_no_inline_script_or_style(site, path):
    soup = page(site, path)
    assert not soup.select("[style]") and not soup.find("style")
    assert all(s.get("type") == "application/ld+json" for s in soup.find_all("script"))
    assert not soup.select("[src^=http], link[href^=http]")  # no external requests
