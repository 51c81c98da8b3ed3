"""Document records (content/van-ban/), validity as dated relations, and the check's
suggestion for a post citing a document after its end (issue 29, items 1-2)."""

import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build, make_project

FIXTURES = ROOT / "tests" / "fixtures" / "validity"
STATUS_TEXTS = ("Còn hiệu lực", "Hết hiệu lực từ", "Bị thay thế bởi", "Chưa rõ hiệu lực")


def page(root, url):
    return BeautifulSoup((root / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def fact(soup, label):
    """The text of the facts-box entry *label* ("Hiệu lực")."""
    for dt_ in soup.select("main .c-facts dt"):
        if dt_.get_text(strip=True) == label:
            return dt_.find_next_sibling("dd")
    raise AssertionError(f"no “{label}” in the facts box")


@pytest.fixture(scope="module")
def validity_site(tmp_path_factory):
    """Seed content plus a 2026 news item and plan citing the repealed Nghị định 42/2022/NĐ-CP."""
    proj = make_project(tmp_path_factory.mktemp("validity"), ROOT / "content")
    shutil.copytree(FIXTURES, proj / "content", dirs_exist_ok=True)
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj


def test_every_document_page_says_validity_source_and_when_checked(site):
    pages = sorted(p.parent.name for p in (site / "van-ban").glob("*/index.html") if p.parent.name != "theo-ngay")
    assert len(pages) >= 10
    for slug in pages:
        soup = page(site, f"van-ban/{slug}")
        status = fact(soup, "Hiệu lực").get_text(" ", strip=True)
        assert status.startswith(STATUS_TEXTS), (slug, status)
        assert fact(soup, "Văn bản gốc").get_text(strip=True), slug
        assert fact(soup, "Thông tin được kiểm tra lần cuối").get_text(strip=True), slug


def test_record_in_content_van_ban_describes_a_decree(site):
    soup = page(site, "van-ban/224-2026-nd-cp")
    assert soup.h1.get_text(" ", strip=True) == "Nghị định số 224/2026/NĐ-CP"
    assert fact(soup, "Cơ quan ban hành").get_text(strip=True) == "Chính phủ"
    assert fact(soup, "Ngày ban hành").get_text(strip=True) == "ngày 24 tháng 6 năm 2026"
    assert fact(soup, "Trích yếu").get_text(strip=True) == "Chưa rõ"  # not known: never guessed
    assert fact(soup, "Thông tin được kiểm tra lần cuối").time["datetime"] == "2026-12-07"
    assert not soup.select_one("#citations-only")  # a record, not "known from citations"


def test_repeal_is_shown_both_ways(site):
    old = page(site, "van-ban/42-2022-nd-cp")
    status = fact(old, "Hiệu lực")
    assert status.get_text(" ", strip=True).startswith("Hết hiệu lực từ 01/07/2026")
    assert status.a["href"] == "/van-ban/224-2026-nd-cp/"
    assert old.select_one("#document-status")  # the banner at the top says so too
    relations = old.select_one("section[aria-labelledby=doc-relations]").get_text(" ", strip=True)
    assert "Bị bãi bỏ bởi Nghị định số 224/2026/NĐ-CP từ ngày 01/07/2026" in relations
    new = page(site, "van-ban/224-2026-nd-cp")
    relations = new.select_one("section[aria-labelledby=doc-relations]")
    assert "Bãi bỏ Nghị định số 42/2022/NĐ-CP từ ngày 01/07/2026" in relations.get_text(" ", strip=True)
    assert relations.a["href"] == "/van-ban/42-2022-nd-cp/"
    assert not new.select_one("#document-status")


def test_legal_basis_chain_marks_a_link_no_longer_in_force(validity_site):
    out = validity_site / "output"
    plan = page(out, "ke-hoach/phu-tho-ke-hoach-thu-2026")
    basis = next(li for li in plan.select(".c-facts-box .c-bases li") if "42/2022/NĐ-CP" in li.get_text())
    assert "hết hiệu lực" in basis.select_one(".c-status").get_text()
    doc = page(out, "van-ban/999-kh-ubnd")
    basis = doc.select_one("#doc-bases + ul li")
    assert "hết hiệu lực" in basis.select_one(".c-status").get_text()


def test_check_suggests_the_replacement_for_a_citation_after_the_end(validity_site):
    from cchc.cli.notices import content_notices
    from cchc.core.schema import check_tree

    docs, problems = check_tree(validity_site / "content")
    assert not problems
    notices = [n for n in content_notices(docs) if n.topic == "văn bản được dẫn đã hết hiệu lực"]
    by_file = {n.path.rsplit("/", 1)[-1]: n for n in notices}
    assert set(by_file) == {"tin-van-dan-nghi-dinh-42.md", "phu-tho-ke-hoach-thu-2026.md"}, notices
    news = by_file["tin-van-dan-nghi-dinh-42.md"]
    assert news.line == 7  # the summary: its first mention
    assert "42/2022/NĐ-CP" in news.message and "bị bãi bỏ từ 01/07/2026 bởi 224/2026/NĐ-CP" in news.message
    assert "hãy dẫn 224/2026/NĐ-CP" in news.message


def test_a_record_for_a_plans_own_number_is_refused(tmp_path):
    from cchc.core.schema import check_tree

    proj = make_project(tmp_path, ROOT / "content")
    (proj / "content" / "van-ban" / "179-kh-ubnd.md").write_text(
        "---\ntype: van-ban\ndoc_number: 179/KH-UBND\ndoc_type: Kế hoạch\nchecked: 01/12/2026\n---\n",
        encoding="utf-8")
    _docs, problems = check_tree(proj / "content")
    assert [(p.field, p.line) for p in problems] == [("doc_number", 3)]
    assert "tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025.md" in problems[0].message


def test_document_list_says_each_documents_validity(site):
    rows = {tr.th.get_text(strip=True): tr for tr in page(site, "van-ban").select("main tbody tr")}
    assert rows["42/2022/NĐ-CP"].select_one("td[data-label='Hiệu lực']").get_text(strip=True) == "Hết hiệu lực"
    assert rows["224/2026/NĐ-CP"].select_one("td[data-label='Hiệu lực']").get_text(strip=True) == "Chưa rõ hiệu lực"
