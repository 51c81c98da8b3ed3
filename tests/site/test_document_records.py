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


# `make new TYPE=van-ban`, a record with a file under content/files/, and amended_by (issue 29) --------

RECORDS = ROOT / "tests" / "fixtures" / "records"


@pytest.fixture(scope="module")
def records_site(tmp_path_factory):
    """The seed content, a record made by `make new TYPE=van-ban` and left as written, and the two
    records of tests/fixtures/records/ (888/QĐ-UBND with a PDF, amended by 901/QĐ-UBND)."""
    from test_staff_check import make

    proj = make_project(tmp_path_factory.mktemp("records"), ROOT / "content", makefile=True)
    shutil.copytree(RECORDS, proj / "content", dirs_exist_ok=True)
    made = make(proj, "new", "TYPE=van-ban", "TITLE=30/2020/NĐ-CP")
    checked = make(proj, "check")
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj, made, checked


def test_make_new_van_ban_writes_a_record_that_passes_the_check(records_site):
    proj, made, checked = records_site
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == ("Đã tạo content/van-ban/30-2020-nd-cp.md. Mở tệp, điền các trường rồi chạy "
                                   "`make check`.")
    from cchc.core.frontmatter import load, split

    data, _lines = load(split((proj / "content/van-ban/30-2020-nd-cp.md").read_text(encoding="utf-8"))[0])
    assert data["doc_number"] == "30/2020/NĐ-CP" and data["doc_type"] == "Nghị định"
    assert set(data) == {"type", "doc_number", "doc_type", "checked"}  # nothing else claimed
    assert checked.returncode == 0, checked.stdout + checked.stderr
    soup = page(proj / "output", "van-ban/30-2020-nd-cp")
    assert soup.h1.get_text(" ", strip=True) == "Nghị định số 30/2020/NĐ-CP"
    assert fact(soup, "Hiệu lực").get_text(" ", strip=True) == "Chưa rõ hiệu lực"
    assert fact(soup, "Trích yếu").get_text(strip=True) == "Chưa rõ"
    assert not soup.select_one("#citations-only")


def test_make_new_van_ban_needs_one_number_and_never_overwrites(records_site):
    from test_staff_check import errors, make

    proj, _made, _checked = records_site
    proc = make(proj, "new", "TYPE=van-ban", "TITLE=Nghị định về công tác văn thư")
    assert proc.returncode != 0
    assert errors(proc) == ["LỖI văn bản được đặt tên theo số ký hiệu, nhưng “Nghị định về công tác văn "
                                   "thư” không có số ký hiệu nào; ghi đúng một số ký hiệu, ví dụ: make new "
                                   "TYPE=van-ban TITLE=\"224/2026/NĐ-CP\""]
    proc = make(proj, "new", "TYPE=van-ban", "TITLE=Nghị định số 30/2020/NĐ-CP")
    assert proc.returncode != 0 and "đã có" in proc.stderr and "không ghi đè" in proc.stderr
    proc = make(proj, "new", "TYPE=van-ban", "TITLE=179/KH-UBND")  # a plan is its own document's record
    assert errors(proc) == ["LỖI 179/KH-UBND là số của kế hoạch content/ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-"
                            "chinh-2021-2025.md: kế hoạch là bản ghi của chính văn bản đó (thông tin, hiệu lực ghi "
                            "trong tệp kế hoạch); không tạo tệp văn bản."]
    assert not (proj / "content/van-ban/179-kh-ubnd.md").exists()


def test_record_with_a_file_and_an_amendment_end_to_end(records_site):
    proj, _made, _checked = records_site
    out = proj / "output"
    soup = page(out, "van-ban/888-qd-ubnd")
    link = fact(soup, "Văn bản gốc").a  # the attached file, with its type and size
    assert link["href"] == "/files/888-qd-ubnd.pdf" and link.has_attr("download")
    assert link.get_text(strip=True) == "Quyết định số 888/QĐ-UBND (PDF)"
    assert "PDF" in fact(soup, "Văn bản gốc").get_text(" ", strip=True)
    assert (out / "files" / "888-qd-ubnd.pdf").read_bytes() == (RECORDS / "files" / "888-qd-ubnd.pdf").read_bytes()
    # an amendment does not end validity
    assert fact(soup, "Hiệu lực").get_text(" ", strip=True) == "Còn hiệu lực"
    assert not soup.select_one("#document-status")
    relations = soup.select_one("section[aria-labelledby=doc-relations]")
    assert relations.get_text(" ", strip=True) == ("Thay thế, bãi bỏ, sửa đổi Được sửa đổi, bổ sung bởi Quyết định số "
                                                   "901/QĐ-UBND từ ngày 01/09/2026 : sửa đổi Điều 5 về thời hạn "
                                                   "trả kết quả")
    assert relations.a["href"] == "/van-ban/901-qd-ubnd/"
    other = page(out, "van-ban/901-qd-ubnd")
    relations = other.select_one("section[aria-labelledby=doc-relations]")
    assert "Sửa đổi, bổ sung Quyết định số 888/QĐ-UBND từ ngày 01/09/2026" in relations.get_text(" ", strip=True)
    assert relations.a["href"] == "/van-ban/888-qd-ubnd/"
    assert fact(other, "Văn bản gốc").a["href"] == "https://vanban.example.gov.vn/901-qd-ubnd"
    # the document list, and open data: the file, the relation both ways
    listing = BeautifulSoup((out / "van-ban" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert listing.find("a", href="/van-ban/888-qd-ubnd/")
    import json

    data = json.loads((out / "du-lieu-mo" / "van-ban" / "888-qd-ubnd.json").read_text(encoding="utf-8"))
    assert data["attachment"] == {"title": "Quyết định số 888/QĐ-UBND (PDF)", "url": "/files/888-qd-ubnd.pdf"}
    assert data["relations"] == [{"relation": "amended_by", "number": "901/QĐ-UBND", "url": "/van-ban/901-qd-ubnd/",
                                  "date": "2026-09-01"}]
    data = json.loads((out / "du-lieu-mo" / "van-ban" / "901-qd-ubnd.json").read_text(encoding="utf-8"))
    assert data["relations"] == [{"relation": "amends", "number": "888/QĐ-UBND", "url": "/van-ban/888-qd-ubnd/",
                                  "date": "2026-09-01"}]
    assert data["official_url"] == "https://vanban.example.gov.vn/901-qd-ubnd"
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads((out / "du-lieu-mo" / "schema.json").read_text("utf-8")))
    for slug in ("888-qd-ubnd", "901-qd-ubnd", "30-2020-nd-cp"):
        record = json.loads((out / "du-lieu-mo" / "van-ban" / f"{slug}.json").read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(record)), slug


# source_url vs official_url (issue 29): one meaning each, the old name still read on plans ---------

OLD_PORTAL = "https://cchc.tamduong.vinhphuc.gov.vn/Lists/TinTuc/View_Detail.aspx?ItemID=179"
OFFICIAL = "https://vanban.example.gov.vn/179-kh-ubnd"


@pytest.fixture(scope="module")
def alias_site(tmp_path_factory):
    """A plan whose official text is written under the deprecated name source_url, and a report
    imported from the old portal (source_url: its old address) with its official_url."""
    proj = make_project(tmp_path_factory.mktemp("alias"), ROOT / "content")
    plan = proj / "content/ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025.md"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("\nperiod:", f"\nsource_url: {OFFICIAL}\nperiod:", 1), encoding="utf-8")
    results = ROOT / "tests/fixtures/results"
    for folder in ("ke-hoach", "bao-cao"):
        (proj / "content" / folder).mkdir(exist_ok=True)
        for f in (results / folder).glob("*.md"):
            shutil.copy(f, proj / "content" / folder / f.name)
    report = proj / "content/bao-cao/bao-cao-kiem-thu-nam-2024.md"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("\nreporting_unit:", f"\nsource_url: {OLD_PORTAL}\nofficial_url: "
                                   "https://vanban.example.gov.vn/7-bc-ubnd\nreporting_unit:", 1), encoding="utf-8")
    from conftest import run_cchc

    checked = run_cchc("check", "content", "--verbose", cwd=proj)
    proc = build(proj, env={"CCHC_NOW": "2026-03-01T12:00:00+07:00"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj, checked


def test_official_url_is_the_official_text_and_source_url_on_a_plan_still_reads_as_it(alias_site):
    proj, _checked = alias_site
    out = proj / "output"
    plan = page(out, "ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025")
    assert fact(plan, "Văn bản gốc").a["href"] == OFFICIAL  # the page as before the rename
    doc = page(out, "van-ban/179-kh-ubnd")
    assert fact(doc, "Văn bản gốc").a["href"] == OFFICIAL
    import json

    data = json.loads((out / "du-lieu-mo/van-ban/179-kh-ubnd.json").read_text(encoding="utf-8"))
    assert data["official_url"] == OFFICIAL
    # a report: its official text is official_url; its old portal address is never shown as one
    report = page(out, "bao-cao/bao-cao-kiem-thu-nam-2024-du-lieu-kiem-thu")
    assert fact(report, "Văn bản gốc").a["href"] == "https://vanban.example.gov.vn/7-bc-ubnd"
    assert not report.find("a", href=OLD_PORTAL)


def test_check_names_the_deprecated_field_with_the_fix(alias_site):
    _proj, checked = alias_site
    assert checked.returncode == 0, checked.stderr  # a suggestion, never an error
    lines = [l for l in (checked.stdout + checked.stderr).splitlines() if "source_url" in l]
    plan = "content/ke-hoach/tam-duong-ke-hoach-cai-cach-hanh-chinh-2021-2025.md"
    line = next(n for n, l in enumerate((_proj / plan).read_text(encoding="utf-8").splitlines(), 1)
                if l.startswith("source_url:"))
    assert lines == [f"GỢI Ý {plan}:{line}: trường “source_url” ở đây là tên cũ của “official_url” (văn bản gốc "
                     "tại nguồn chính thức; source_url nay chỉ là địa chỉ bài trên cổng cũ, do lệnh chuyển bài ghi): "
                     "đổi “source_url:” thành “official_url:” (giá trị giữ nguyên; trang không đổi)"]


# The legal basis of open data is content staff edit (issue 29, item 3) --------------------------

def test_open_data_legal_basis_is_a_page_staff_edit(site, tmp_path):
    soup = page(site, "du-lieu-mo")
    basis = soup.select_one("section[aria-labelledby=opendata-basis]")
    assert basis.h2.get_text(strip=True) == "Căn cứ công khai thông tin và dữ liệu"
    links = {a["href"] for a in basis.select("a")}
    assert {"/van-ban/148-2025-qh15/", "/van-ban/224-2026-nd-cp/", "/van-ban/42-2022-nd-cp/"} <= links
    assert "đã bị bãi bỏ từ ngày 01/07/2026" in basis.get_text(" ", strip=True)
    assert not (site / "can-cu-du-lieu-mo").exists()  # shown there, not a page of its own
    # the text is the content file's: an edit shows on the next build
    proj = make_project(tmp_path, ROOT / "content")
    path = proj / "content/pages/can-cu-du-lieu-mo.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "chưa được cơ quan đối chiếu", "được cơ quan xác nhận ngày 05/12/2026"), encoding="utf-8")
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    edited = page(proj / "output", "du-lieu-mo").select_one("section[aria-labelledby=opendata-basis]")
    assert "được cơ quan xác nhận ngày 05/12/2026" in edited.get_text(" ", strip=True)
    # without the page, no law is cited from code: the section is simply not there
    path.unlink()
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not page(proj / "output", "du-lieu-mo").select_one("section[aria-labelledby=opendata-basis]")
