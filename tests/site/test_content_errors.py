"""A bad post stops `make check` and the build with a Vietnamese message naming file, line and field,
and the previous output/ stays as it was."""

import os
import subprocess
import sys
import unicodedata

import pytest

from conftest import ROOT, build, files_of, make_project, run_cchc

GOOD_NEWS = """---
type: tin-tuc
id: 3f1c2b1e-0000-4000-8000-000000000001
title: "Đẩy mạnh cải cách thủ tục hành chính"
date: 25/11/2021 08:30
author: Nguyễn Văn A
source_unit: Phòng Nội vụ
locality: Huyện Tam Dương
summary: "Tóm tắt bài."
areas: [thu-tuc-hanh-chinh]
plans: [ke-hoach-mau]
---

Nội dung bài viết.
"""

GOOD_PLAN = """---
type: ke-hoach
id: 3f1c2b1e-0000-4000-8000-000000000002
title: "Kế hoạch mẫu"
slug: ke-hoach-mau
date: 25/11/2021
doc_type: Kế hoạch
doc_number: 179/KH-UBND
issuer: UBND huyện Mẫu
issue_date: 03/11/2021
period: 2021-2025
locality: Huyện Tam Dương
summary: "Tóm tắt kế hoạch."
areas: [thu-tuc-hanh-chinh]
legal_bases:
  - number: 76/NQ-CP
    doc_type: Nghị quyết
    date: 15/7/2021
targets:
  - measure: Mức độ hài lòng
    value: "95"
    unit: "%"
    year: "2025"
news: [day-manh-cai-cach-thu-tuc-hanh-chinh]
---

Tóm tắt.
"""

NEWS_PATH = "content/tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh.md"
PLAN_PATH = "content/ke-hoach/ke-hoach-mau.md"


def write_tree(root, news=GOOD_NEWS, plan=GOOD_PLAN):
    for rel, text in ((NEWS_PATH, news), (PLAN_PATH, plan)):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# (name, which file, old text, new text, expected "file:line", field, words of the message)
CASES = [
    ("bad-date", "news", "date: 25/11/2021 08:30", "date: 11/25/2021", f"{NEWS_PATH}:5", "date", "ngày viết trước tháng"),
    ("no-title", "news", 'title: "Đẩy mạnh cải cách thủ tục hành chính"\n', "slug: day-manh-cai-cach-thu-tuc-hanh-chinh\n",
     NEWS_PATH, "title", "bắt buộc"),
    ("bad-area", "news", "areas: [thu-tuc-hanh-chinh]", "areas: [thu-tuc]", f"{NEWS_PATH}:10", "areas", "mã lĩnh vực không có: thu-tuc"),
    ("bad-number", "plan", "doc_number: 179/KH-UBND", "doc_number: KH-179", f"{PLAN_PATH}:8", "doc_number", "không đúng dạng số ký hiệu"),
    ("bad-basis-number", "plan", "  - number: 76/NQ-CP", "  - number: 76 NQ CP", f"{PLAN_PATH}:16", "legal_bases[0].number",
     "không đúng dạng số ký hiệu"),
    ("bad-target-value", "plan", 'value: "95"', 'value: "chín lăm"', f"{PLAN_PATH}:21", "targets[0].value", "phải là một số"),
    ("yaml-syntax", "news", "areas: [thu-tuc-hanh-chinh]", "areas: [thu-tuc-hanh-chinh", f"{NEWS_PATH}:10", None, "không có dấu ] đóng"),
    ("unknown-field", "news", "author: Nguyễn Văn A", "tac_gia: Nguyễn Văn A", f"{NEWS_PATH}:6", "tac_gia", "không có trong mẫu"),
    ("nfd-title", "news", "Đẩy mạnh cải cách", unicodedata.normalize("NFD", "Đẩy mạnh cải cách"), f"{NEWS_PATH}:4", "title", "NFC"),
    ("bad-slug", "plan", "slug: ke-hoach-mau", "slug: Kế-hoạch-mẫu", f"{PLAN_PATH}:5", "slug", "chữ thường không dấu"),
    ("missing-news", "plan", "news: [day-manh-cai-cach-thu-tuc-hanh-chinh]", "news: [khong-co-bai-nay]", PLAN_PATH, "news",
     "không tìm thấy bài “khong-co-bai-nay”"),
    ("no-front-matter", "news", "---\ntype: tin-tuc", "type: tin-tuc", f"{NEWS_PATH}:1", None, "thiếu phần khai báo"),
    ("unknown-date-with-date", "news", "date: 25/11/2021 08:30", "date: 25/11/2021 08:30\ndate_status: khong-ro\ndate_note: Không rõ.",
     f"{NEWS_PATH}:5", "date", "để trống trường date"),
    ("changes-order", "news", "plans: [ke-hoach-mau]", "plans: [ke-hoach-mau]\nchanges:\n  - date: 01/12/2021\n"
     "    note: Sửa số liệu.\n  - date: 05/12/2021\n    note: Bổ sung ảnh.", f"{NEWS_PATH}:15", "changes[1]", "mới nhất trước"),
    ("changes-no-note", "news", "plans: [ke-hoach-mau]", "plans: [ke-hoach-mau]\nchanges:\n  - date: 01/12/2021",
     f"{NEWS_PATH}:13", "changes[0].note", "bắt buộc"),
    ("missing-image", "news", "plans: [ke-hoach-mau]", "plans: [ke-hoach-mau]\nimage: {path: images/khong-co.png, alt: Ảnh}",
     f"{NEWS_PATH}:12", "image.path", "không có ảnh “images/khong-co.png”"),
    ("bad-validity", "plan", "period: 2021-2025", "period: 2021-2025\nvalidity: con-hieu-luc-mot-phan", f"{PLAN_PATH}:12",
     "validity", "con-hieu-luc, het-hieu-luc, chua-ro"),
]


def mutated(case):
    _name, which, old, new, *_ = case
    news, plan = GOOD_NEWS, GOOD_PLAN
    if which == "news":
        assert old in news
        news = news.replace(old, new, 1)
    else:
        assert old in plan
        plan = plan.replace(old, new, 1)
    return news, plan


def test_good_tree_passes(tmp_path):
    write_tree(tmp_path)
    proc = run_cchc("check", "content", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "không có lỗi" in proc.stdout


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_check_names_file_line_and_field(tmp_path, case):
    news, plan = mutated(case)
    write_tree(tmp_path, news, plan)
    proc = run_cchc("check", "content", cwd=tmp_path)
    assert proc.returncode == 1
    where, field, words = case[4], case[5], case[6]
    lines = [l for l in proc.stderr.splitlines() if l.startswith("LỖI ")]
    assert lines, proc.stderr
    hit = [l for l in lines if where in l and words in l and (field is None or f"“{field}”" in l)]
    assert hit, f"expected {where} / {field} / {words!r} in:\n{proc.stderr}"
    # one mistake, one message: no follow-on errors about the other (valid) file
    assert len(lines) == 1, proc.stderr


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("errors"))
    write_tree(proj)
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj


@pytest.mark.parametrize("case", [c for c in CASES if c[0] in ("bad-date", "missing-news", "yaml-syntax")],
                         ids=lambda c: c[0])
def test_bad_post_fails_build_and_keeps_previous_output(built_project, case):
    proj = built_project
    before = files_of(proj / "output")
    assert "tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh/index.html" in before
    news, plan = mutated(case)
    write_tree(proj, news, plan)
    try:
        proc = build(proj)
        assert proc.returncode != 0
        assert case[4] in proc.stderr and case[6] in proc.stderr
        assert "giữ nguyên" in proc.stderr
        assert files_of(proj / "output") == before
        assert not list(proj.glob(".output.*")), "temporary build folders left behind"
    finally:
        write_tree(proj)


@pytest.mark.parametrize("fatal", [True, False], ids=["fatal-errors", "no-fatal-flag"])
def test_pelican_itself_refuses_a_bad_post(tmp_path, fatal):
    """Without `cchc check` in front, Pelican would log and silently drop the post:
    cchc_content must make the build fail with the Vietnamese message."""
    proj = make_project(tmp_path)
    news, plan = mutated(CASES[0])
    write_tree(proj, news, plan)
    cmd = [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(tmp_path / "out")]
    if fatal:
        cmd += ["--fatal", "errors"]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"), COLUMNS="300")
    proc = subprocess.run(cmd, cwd=proj, env=env, capture_output=True, text=True)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "date" in out and "ngày viết trước tháng" in out
    assert not (tmp_path / "out" / "tin-tuc" / "day-manh-cai-cach-thu-tuc-hanh-chinh" / "index.html").exists()


def test_attachment_shows_type_and_size_and_missing_file_is_an_error(tmp_path):
    proj = make_project(tmp_path)
    plan = GOOD_PLAN.replace("news: [", "attachment:\n  path: files/179-kh-ubnd.pdf\n  title: Kế hoạch số 179/KH-UBND\nnews: [")
    write_tree(proj, plan=plan)
    proc = run_cchc("check", "content", cwd=proj)
    assert proc.returncode == 1
    assert f"{PLAN_PATH}:25: trường “attachment.path”" in proc.stderr and "không có tệp" in proc.stderr
    (proj / "content" / "files").mkdir()
    (proj / "content" / "files" / "179-kh-ubnd.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 250_000)
    proc = build(proj)
    assert proc.returncode == 0, proc.stderr
    html = (proj / "output" / "ke-hoach" / "ke-hoach-mau" / "index.html").read_text(encoding="utf-8")
    from bs4 import BeautifulSoup

    for page in ("ke-hoach/ke-hoach-mau", "van-ban/179-kh-ubnd"):  # the plan and its document page
        html = (proj / "output" / page / "index.html").read_text(encoding="utf-8")
        link = BeautifulSoup(html, "html.parser").find("a", href="/files/179-kh-ubnd.pdf")
        assert link.get_text() == "Kế hoạch số 179/KH-UBND", page
        assert link.parent.get_text(" ", strip=True).endswith("(PDF, 244 KB)"), page
    assert (proj / "output" / "files" / "179-kh-ubnd.pdf").stat().st_size == 250_009


def test_news_item_attachment_is_on_its_page(tmp_path):
    """A news item's attached file (the web editor offers the field on news too) is linked from
    the news page with its type and size, as on a plan: never checked, copied and then not shown."""
    proj = make_project(tmp_path)
    news = GOOD_NEWS.replace("plans: [", "attachment:\n  path: files/thong-bao.docx\n  title: Thông báo kết quả\nplans: [")
    write_tree(proj, news=news)
    (proj / "content" / "files").mkdir()
    (proj / "content" / "files" / "thong-bao.docx").write_bytes(b"PK" + b"0" * 30_000)
    proc = build(proj)
    assert proc.returncode == 0, proc.stderr
    from bs4 import BeautifulSoup

    html = (proj / "output" / "tin-tuc" / "day-manh-cai-cach-thu-tuc-hanh-chinh" / "index.html").read_text(encoding="utf-8")
    link = BeautifulSoup(html, "html.parser").find("a", href="/files/thong-bao.docx")
    assert link is not None and link.get_text() == "Thông báo kết quả"
    assert link.has_attr("download")
    assert link.parent.get_text(" ", strip=True).endswith("(Word, 29 KB)")
    assert link.find_parent("dd").find_previous_sibling("dt").get_text() == "Tệp đính kèm"
    assert (proj / "output" / "files" / "thong-bao.docx").stat().st_size == 30_002


@pytest.mark.parametrize("name", ["missing-news", "missing-attachment"])
def test_plain_pelican_build_gives_the_check_message(tmp_path, name):
    """The build's own check (cchc_content, for `pelican` run by hand) and `cchc check` share the
    rule and the message: same file, line, field and words."""
    proj = make_project(tmp_path)
    if name == "missing-news":
        news, plan = mutated(next(c for c in CASES if c[0] == name))
    else:
        news, plan = GOOD_NEWS, GOOD_PLAN.replace(
            "news: [", "attachment:\n  path: files/khong-co.pdf\n  title: Tệp\nnews: [")
    write_tree(proj, news, plan)
    check = run_cchc("check", "content", cwd=proj)
    (message,) = [l.removeprefix("LỖI ") for l in check.stderr.splitlines() if l.startswith("LỖI ")]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"), COLUMNS="400")
    proc = subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "out",
                           "--log-handler", "plain"],
                          cwd=proj, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode != 0
    assert f"cchc_content: {message}" in proc.stdout + proc.stderr, (message, proc.stdout + proc.stderr)
