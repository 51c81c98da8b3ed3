"""Issue 13: `make check` catches what `make publish` would, on the right line, in plain Vietnamese, once.

Rule tables: each case is a content fixture with the exact message, line and exit code staff see.
"""

import subprocess

import pytest

from cchc.core import indicators
from conftest import ROOT, build, ctrl_c_as_in_a_terminal, files_of, make_project, publish_build, run_cchc
from test_content_errors import GOOD_NEWS, GOOD_PLAN, NEWS_PATH, PLAN_PATH, mutated, write_tree

REAL_SITEURL = "https://cchc.tayho.gov.vn"
REAL_ORGANISATION = '''
ORGANISATION = {
    "is_example": False,
    "name": "Ủy ban nhân dân quận Tây Hồ",
    "managing_unit": "Phòng Nội vụ quận Tây Hồ",
    "address": "657 Lạc Long Quân, phường Phú Thượng",
    "phone": "",
    "email": "noivu@tayho.gov.vn",
}
'''
ONE_POST = """---
type: tin-tuc
id: 3f1c2b1e-0000-4000-8000-0000000000aa
title: "Một tin"
date: 25/11/2021 08:30
locality: Quận Tây Hồ
summary: "Tóm tắt."
areas: [the-che]
---

Nội dung.
"""


def errors(proc):
    return [l for l in proc.stderr.splitlines() if l.startswith("LỖI ")]


# --- 9. publishing placeholders --------------------------------------------------------------

@pytest.fixture(scope="module")
def small_project(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("placeholders"), makefile=True)
    (proj / "content" / "tin-tuc").mkdir(parents=True)
    (proj / "content" / "tin-tuc" / "mot-tin.md").write_text(ONE_POST, encoding="utf-8")
    assert build(proj).returncode == 0
    return proj


SAMPLE_URL = ("LỖI publishconf.py: SITEURL đang là địa chỉ mẫu “https://cchc.example.gov.vn” (chưa đặt địa "
              "chỉ thật); chạy lại với địa chỉ thật của cổng: make publish SITEURL=https://địa-chỉ-của-cổng.gov.vn")
# The sample ORGANISATION's fields (pelicanconf.py may gain more) are listed between "ở: " and ")".
SAMPLE_ORG = ("LỖI publishconf.py: ORGANISATION trong pelicanconf.py vẫn là thông tin mẫu (còn giá trị mẫu ở: "
              "FIELDS); điền tên cơ quan, địa chỉ, thư điện tử… thật rồi đặt \"is_example\": False, nếu không "
              "mọi trang sẽ hiện dòng “Thông tin mẫu”")


def _sample_fields(lines):
    """Replace the field list of the ORGANISATION message by FIELDS (checking the main ones are named)."""
    import re

    out = []
    for line in lines:
        m = re.search(r"còn giá trị mẫu ở: ([^)]*)\)", line)
        if m:
            assert {"name", "address", "email"} <= set(m.group(1).split(", ")), line
            line = line.replace(m.group(1), "FIELDS")
        out.append(line)
    return out


@pytest.mark.parametrize("siteurl, expected", [
    (None, [SAMPLE_URL, SAMPLE_ORG]),                      # publishconf.py's own sample address
    ("", [SAMPLE_URL.replace("SITEURL đang là địa chỉ mẫu “https://cchc.example.gov.vn” (chưa đặt địa chỉ thật)",
                             "chưa đặt SITEURL (địa chỉ công khai của cổng)"), SAMPLE_ORG]),
    ("cchc.tayho.gov.vn", [SAMPLE_URL.replace("đang là địa chỉ mẫu “https://cchc.example.gov.vn” (chưa đặt địa chỉ thật)",
                                              "“cchc.tayho.gov.vn” phải là địa chỉ đầy đủ bắt đầu bằng https://"),
                           SAMPLE_ORG]),
    (REAL_SITEURL, [SAMPLE_ORG]),
], ids=["no-siteurl", "empty-siteurl", "no-scheme", "sample-organisation"])
def test_publish_stops_on_placeholders_and_keeps_output(small_project, monkeypatch, siteurl, expected):
    proj = small_project
    before = files_of(proj / "output")
    if siteurl is None:
        monkeypatch.delenv("SITEURL", raising=False)
        proc = build(proj, "--settings", "publishconf.py", allow_example=False)
    else:
        proc = publish_build(proj, siteurl, allow_example=False)
    assert proc.returncode == 1
    assert _sample_fields(errors(proc)) == expected, proc.stderr
    assert "make publish ALLOW_EXAMPLE=1 SITEURL=https://…" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert files_of(proj / "output") == before


def test_make_publish_passes_allow_example_only_when_asked(small_project):
    def dry(*args):
        return subprocess.run(["make", "-n", *NO_INSTALL, "publish", *args], cwd=small_project,
                              capture_output=True, text=True, check=True).stdout
    assert "--allow-example" not in dry()
    assert "--allow-example" not in dry("ALLOW_EXAMPLE=0")
    assert "--allow-example" in dry("ALLOW_EXAMPLE=1")


def test_real_values_publish_without_the_flag(tmp_path):
    proj = make_project(tmp_path)
    (proj / "content" / "tin-tuc").mkdir(parents=True)
    (proj / "content" / "tin-tuc" / "mot-tin.md").write_text(ONE_POST, encoding="utf-8")
    with open(proj / "pelicanconf.py", "a", encoding="utf-8") as fh:
        fh.write(REAL_ORGANISATION)
    proc = publish_build(proj, REAL_SITEURL, allow_example=False)
    assert proc.returncode == 0, proc.stderr
    page = (proj / "output" / "index.html").read_text(encoding="utf-8")
    assert "Thông tin mẫu" not in page and f'href="{REAL_SITEURL}/"' in page


# --- 10. busy port; `make regenerate` rebuilds without a server, beside `make serve` ----------

def _listening_socket():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s, s.getsockname()[1]


@pytest.mark.parametrize("target", ["serve", "devserver"])
def test_busy_port_is_one_line_with_the_port_to_use(small_project, target):
    sock, port = _listening_socket()
    try:
        proc = make(small_project, target, f"PORT={port}")
    finally:
        sock.close()
    assert proc.returncode != 0
    ours = [l for l in proc.stderr.splitlines() if not l.startswith("make")]
    assert len(ours) == 1, proc.stderr
    assert ours[0].startswith(f"LỖI cổng {port} đang được một chương trình khác dùng"), proc.stderr
    import re

    suggested = int(re.fullmatch(rf".*: make {target} PORT=(\d+)", ours[0]).group(1))
    assert suggested != port
    assert "Traceback" not in proc.stderr and "Errno" not in proc.stderr


def test_regenerate_rebuilds_without_a_server_beside_serve(tmp_path):
    import os
    import signal
    import sys
    import time
    import urllib.request

    proj = make_project(tmp_path)
    post = proj / "content" / "tin-tuc" / "mot-tin.md"
    post.parent.mkdir(parents=True)
    post.write_text(ONE_POST, encoding="utf-8")
    sock, port = _listening_socket()
    sock.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"))
    procs = [subprocess.Popen([sys.executable, "-m", "cchc.cli.cli", *args], cwd=proj, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
             for args in (["regenerate"], ["serve", "--port", str(port)])]

    def page(seconds=60):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/tin-tuc/mot-tin/", timeout=2) as r:
                    yield r.read().decode("utf-8")
            except OSError:
                pass
            time.sleep(0.3)

    try:
        assert any("Nội dung." in text for text in page()), "regenerate's first build not served"
        post.write_text(ONE_POST.replace("Nội dung.", "Nội dung đã sửa."), encoding="utf-8")
        assert any("Nội dung đã sửa." in text for text in page()), "regenerate did not rebuild"
        assert procs[0].poll() is None and procs[1].poll() is None, "both must keep running side by side"
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        outs = [p.communicate(timeout=20)[0] for p in procs]
    assert "Đang theo dõi thay đổi" in outs[0] and "Xem trước tại" not in outs[0], outs[0]


# --- rule table: one content mistake → exactly these LỖI lines (sorted by file and line), exit 1 -------


N, P = NEWS_PATH, PLAN_PATH
# (name, which file, old text, new text, exact LỖI lines)
CHECK_CASES = [
    # 1. the date hint comes from the input
    ("date-feb-31", "news", "date: 25/11/2021 08:30", "date: 31/02/2024",
     [f"LỖI {N}:5: trường “date” (Ngày đăng): “31/02/2024” không phải ngày có thật: tháng 2 năm 2024 chỉ có 29 ngày"]),
    ("date-month-first", "news", "date: 25/11/2021 08:30", "date: 12/13/2025 08:30",
     [f"LỖI {N}:5: trường “date” (Ngày đăng): “12/13/2025 08:30” không phải ngày có thật: không có tháng 13 "
      "(tháng từ 1 đến 12); ngày viết trước tháng, có phải là 13/12/2025 08:30?"]),
    ("date-no-swap", "plan", "issue_date: 03/11/2021", "issue_date: 15/13/2021",
     [f"LỖI {P}:10: trường “issue_date” (Ngày ban hành): “15/13/2021” không phải ngày có thật: không có "
      "tháng 13 (tháng từ 1 đến 12)"]),
    ("date-basis-iso-impossible", "plan", "    date: 15/7/2021", "    date: 2021-02-29",
     [f"LỖI {P}:18: trường “legal_bases[0].date” (Căn cứ pháp lý): “2021-02-29” không phải ngày có thật: "
      "tháng 2 năm 2021 chỉ có 28 ngày"]),
    ("date-bad-time", "news", "date: 25/11/2021 08:30", "date: 25/11/2021 24:10",
     [f"LỖI {N}:5: trường “date” (Ngày đăng): “25/11/2021 24:10”: giờ 24:10 không có thật (giờ từ 0 đến 23, "
      "phút từ 0 đến 59)"]),
    # 2. YAML syntax: the line where the broken value starts, in Vietnamese, with the line shown
    ("yaml-unclosed-quote", "news", 'title: "Đẩy mạnh cải cách thủ tục hành chính"', 'title: "Đẩy mạnh cải cách',
     [f"LỖI {N}:4: dấu ngoặc kép \" mở ở đầu giá trị của “title” nhưng không được đóng; thêm \" ở cuối giá trị, "
      'ví dụ title: "…". Dòng 4 đang là: title: "Đẩy mạnh cải cách']),
    ("yaml-tab", "news", "author: Nguyễn Văn A", "\tauthor: Nguyễn Văn A",
     [f"LỖI {N}:6: dòng này có ký tự Tab (phím Tab); trong phần khai báo chỉ dùng dấu cách để thụt lề: xóa Tab, "
      "gõ dấu cách. Dòng 6 đang là: author: Nguyễn Văn A"]),
    ("yaml-colon-in-title", "news", 'title: "Đẩy mạnh cải cách thủ tục hành chính"',
     "title: Đẩy mạnh cải cách: thủ tục hành chính",
     [f"LỖI {N}:4: dấu hai chấm “: ” nằm trong tiêu đề của “title” mà không có ngoặc kép; đặt tiêu đề trong "
      'ngoặc kép, ví dụ title: "Đẩy mạnh cải cách: thủ tục hành chính". Dòng 4 đang là: title: Đẩy mạnh cải '
      "cách: thủ tục hành chính"]),
    ("yaml-quote-inside", "news", 'title: "Đẩy mạnh cải cách thủ tục hành chính"',
     'title: "Triển khai "Một cửa" tại xã"',
     [f"LỖI {N}:4: giá trị của “title” có dấu \" ở giữa, nên giá trị bị đóng sớm; bao cả giá trị bằng dấu ' "
      "thay vì \", ví dụ title: 'Triển khai \"Một cửa\" tại xã', hoặc dùng ngoặc kép cong “ ” bên trong. "
      'Dòng 4 đang là: title: "Triển khai "Một cửa" tại xã"']),
    ("yaml-unclosed-list", "plan", "areas: [thu-tuc-hanh-chinh]", "areas: [thu-tuc-hanh-chinh",
     [f"LỖI {P}:14: dấu [ mở danh sách của “areas” nhưng không có dấu ] đóng; thêm ] ở cuối, ví dụ areas: "
      "[muc-mot, muc-hai]. Dòng 14 đang là: areas: [thu-tuc-hanh-chinh"]),
    ("yaml-no-colon", "news", "author: Nguyễn Văn A", "author Nguyễn Văn A",
     [f"LỖI {N}:6: dòng này không có dạng “tên trường: giá trị” (thiếu dấu hai chấm sau tên trường, hoặc dòng "
      "viết tiếp thì phải thụt lề bằng dấu cách). Dòng 6 đang là: author Nguyễn Văn A"]),
    # 6. images pasted into the body
    ("data-image", "news", "Nội dung bài viết.", "Nội dung.\n\n![Ảnh hội nghị](data:image/png;base64,iVBORw0KGgo=)",
     [f"LỖI {N}:16: ảnh (hoặc tệp) được dán thẳng vào bài dưới dạng “data:…”, làm trang rất nặng: lưu ảnh "
      "thành tệp trong content/images/ rồi chèn ![mô tả ảnh](/images/ten-anh.jpg)"]),
    ("data-image-html", "news", "Nội dung bài viết.", '<img alt="Ảnh" src="data:image/jpeg;base64,/9j/4AAQ">',
     [f"LỖI {N}:14: ảnh (hoặc tệp) được dán thẳng vào bài dưới dạng “data:…”, làm trang rất nặng: lưu ảnh "
      "thành tệp trong content/images/ rồi chèn ![mô tả ảnh](/images/ten-anh.jpg)"]),
    # 3. one message per problem; a missing field is placed at the closing --- line
    ("empty-required-once", "news", 'summary: "Tóm tắt bài."', 'summary: ""',
     [f"LỖI {N}:9: trường “summary” (Tóm tắt): bắt buộc phải có, đang để trống"]),
    ("missing-required-at-fence", "news", "locality: Huyện Tam Dương\n", "",
     [f"LỖI {N}:11: trường “locality” (Địa phương): bắt buộc phải có nhưng chưa khai báo; "
      f"thêm dòng “locality: …” trước dòng --- (dòng 11)"]),
    ("missing-type-at-fence", "news", "type: tin-tuc\n", "",
     [f"LỖI {N}:11: trường “type” (Loại bài): bắt buộc phải có nhưng chưa khai báo; thêm dòng “type: …” "
      f"trước dòng --- (dòng 11); chọn một trong: tin-tuc, ke-hoach, bao-cao, van-ban, trang"]),
    ("sorted-by-line", "news", 'summary: "Tóm tắt bài."\nareas: [thu-tuc-hanh-chinh]',
     'summary: ""\nareas: [thu-tuc]',
     [f"LỖI {N}:9: trường “summary” (Tóm tắt): bắt buộc phải có, đang để trống",
      f"LỖI {N}:10: trường “areas” (Lĩnh vực CCHC): mã lĩnh vực không có: thu-tuc; các mã hợp lệ: the-che, "
      "thu-tuc-hanh-chinh, to-chuc-bo-may, che-do-cong-vu, tai-chinh-cong, chinh-phu-so, chi-dao-dieu-hanh, "
      "tuyen-truyen"]),
    # 5. the template left unfilled
    ("placeholder-body", "news", "Nội dung bài viết.", "Viết nội dung tin ở đây. Mỗi đoạn cách nhau một dòng trống.",
     [f"LỖI {N}:14: nội dung vẫn là câu mẫu “Viết nội dung tin ở đây.”: thay bằng nội dung của bài"]),
    ("placeholder-plan-body", "plan", "\nTóm tắt.\n", "\nTóm tắt nội dung chính của kế hoạch ở đây.\n",
     [f"LỖI {P}:27: nội dung vẫn là câu mẫu “Tóm tắt nội dung chính của kế hoạch ở đây.”: thay bằng nội "
      "dung của bài"]),
    ("empty-legal-basis", "plan", "  - number: 76/NQ-CP\n    doc_type: Nghị quyết\n    date: 15/7/2021\n",
     '  - number: 76/NQ-CP\n    doc_type: Nghị quyết\n    date: 15/7/2021\n  - number: ""\n    doc_type: ""\n'
     '    issuer: ""\n    date: ""\n    title: ""\n',
     [f"LỖI {P}:19: trường “legal_bases[1]” (Căn cứ pháp lý): mục này còn để trống (dòng mẫu chưa điền): "
      "điền các trường (number, doc_type, issuer, date, title) hoặc xóa cả mục"]),
    ("empty-target", "plan", '  - measure: Mức độ hài lòng\n    value: "95"\n    unit: "%"\n    year: "2025"\n',
     '  - measure: ""\n    comparator: ">="\n    value: ""\n    unit: "%"\n    year: ""\n',
     [f"LỖI {P}:20: trường “targets[0]” (Chỉ tiêu): chỉ tiêu này còn để trống (dòng mẫu chưa điền): điền "
      "measure, value, year hoặc xóa cả mục"]),
    # issue 27: a target's indicator code is one of the catalogue's; a percentage lies within 0..100
    ("target-unknown-indicator", "plan", "  - measure: Mức độ hài lòng\n",
     "  - indicator: hai-lon\n    measure: Mức độ hài lòng\n",
     [f"LỖI {P}:20: trường “targets[0].indicator” (Chỉ tiêu): “hai-lon” không có trong danh mục chỉ tiêu; có "
      "phải: hai-long? (các mã hợp lệ: " + ", ".join(indicators.CODES) + "; danh mục ở docs/staff-guide.md, mục "
      "Báo cáo kết quả)"]),
    ("target-percent-over-100", "plan", "  - measure: Mức độ hài lòng\n    value: \"95\"\n",
     "  - indicator: hai-long\n    measure: Mức độ hài lòng\n    value: \"950\"\n",
     [f"LỖI {P}:22: trường “targets[0].value” (Chỉ tiêu): 950% không phải một tỷ lệ phần trăm (phải từ 0 đến 100)"]),
]


def _summary_line(expected):
    files = len({l.split(":", 1)[0] for l in expected})
    return f"Có {len(expected)} lỗi trong {files} tệp. Sửa các lỗi trên rồi chạy lại `make check`."


@pytest.mark.parametrize("case", CHECK_CASES, ids=[c[0] for c in CHECK_CASES])
def test_check_rule_table(tmp_path, case):
    news, plan = mutated(case)
    write_tree(tmp_path, news, plan)
    proc = run_cchc("check", "content", cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert errors(proc) == case[4], proc.stderr
    assert proc.stderr.splitlines()[-1] == _summary_line(case[4])
    assert "Traceback" not in proc.stderr


def test_fresh_templates_one_message_per_problem_in_line_order(tmp_path):
    run_cchc("new", "tin", "Tin mới", "--content", "content", cwd=tmp_path, check=True)
    run_cchc("new", "ke-hoach", "Kế hoạch mới", "--content", "content", cwd=tmp_path, check=True)
    proc = run_cchc("check", "content", cwd=tmp_path)
    assert proc.returncode == 1
    plan, news = "content/ke-hoach/ke-hoach-moi.md", "content/tin-tuc/tin-moi.md"
    expected = [
        f"LỖI {plan}:10: trường “doc_number” (Số ký hiệu): chưa có số ký hiệu: điền số ký hiệu, hoặc nếu nguồn "
        "không nêu thì ghi lý do ở trường doc_number_note (không tự đặt số)",
        f"LỖI {plan}:12: trường “issuer” (Cơ quan ban hành): bắt buộc phải có, đang để trống",
        f"LỖI {plan}:16: trường “period” (Giai đoạn): bắt buộc phải có, đang để trống",
        f"LỖI {plan}:17: trường “locality” (Địa phương): bắt buộc phải có, đang để trống",
        f"LỖI {plan}:20: trường “summary” (Tóm tắt): bắt buộc phải có, đang để trống",
        f"LỖI {plan}:22: trường “areas” (Lĩnh vực CCHC): cần ít nhất một lĩnh vực",
        f"LỖI {plan}:24: trường “legal_bases[0]” (Căn cứ pháp lý): mục này còn để trống (dòng mẫu chưa điền): "
        "điền các trường (number, doc_type, issuer, date, title) hoặc xóa cả mục",
        f"LỖI {plan}:30: trường “targets[0]” (Chỉ tiêu): chỉ tiêu này còn để trống (dòng mẫu chưa điền): điền "
        "measure, value, year hoặc xóa cả mục",
        f"LỖI {plan}:39: nội dung vẫn là câu mẫu “Tóm tắt nội dung chính của kế hoạch ở đây.”: thay bằng nội "
        "dung của bài",
        f"LỖI {news}:13: trường “locality” (Địa phương): bắt buộc phải có, đang để trống",
        f"LỖI {news}:15: trường “summary” (Tóm tắt): bắt buộc phải có, đang để trống",
        f"LỖI {news}:17: trường “areas” (Lĩnh vực CCHC): cần ít nhất một lĩnh vực",
        f"LỖI {news}:23: nội dung vẫn là câu mẫu “Viết nội dung tin ở đây.”: thay bằng nội dung của bài",
    ]
    assert errors(proc) == expected, proc.stderr
    assert proc.stderr.splitlines()[-1] == "Có 13 lỗi trong 2 tệp. Sửa các lỗi trên rồi chạy lại `make check`."


BARE = "Thực hiện Quyết định số 1578 của UBND tỉnh và Nghị quyết số 17 của HĐND."


def test_suggestions_are_one_line_after_the_errors_unless_verbose(tmp_path):
    proj = make_project(tmp_path, makefile=True)
    news = GOOD_NEWS.replace("Nội dung bài viết.", BARE)
    write_tree(proj, news, GOOD_PLAN.replace('summary: "Tóm tắt kế hoạch."', 'summary: ""'))
    summary = ("Có 2 gợi ý (không phải lỗi) trong 1 tệp: văn bản được dẫn không kèm ký hiệu (2)")
    proc = make(proj, "check")
    assert proc.returncode != 0
    assert proc.stdout.splitlines() == [summary + "; xem từng gợi ý: make check VERBOSE=1."], proc.stdout
    assert errors(proc) == [f"LỖI {PLAN_PATH}:13: trường “summary” (Tóm tắt): bắt buộc phải có, đang để trống"]
    write_tree(proj, news)
    proc = make(proj, "check", "VERBOSE=1")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    # issue 27: a free-text target the indicator catalogue knows gets its code suggested
    assert out[0] == (f"GỢI Ý {PLAN_PATH}:20: chỉ tiêu “Mức độ hài lòng” khớp với chỉ tiêu “Mức độ hài lòng của "
                      "người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước” trong danh mục: thêm "
                      "dòng “indicator: hai-long” vào mục này để trang Chỉ tiêu so sánh nó với các kế hoạch khác và "
                      "với kết quả báo cáo")
    out = out[1:]
    assert [l.split(": ", 1)[0] for l in out[:2]] == [f"GỢI Ý {NEWS_PATH}:14"] * 2
    assert "“Quyết định số 1578” chưa có ký hiệu" in out[0] and "“Nghị quyết số 17”" in out[1]
    assert out[2:] == [("Có 3 gợi ý (không phải lỗi) trong 2 tệp: chỉ tiêu chưa ghi mã trong danh mục (1); văn bản "
                        "được dẫn không kèm ký hiệu (2)."), "Đã kiểm tra 2 tệp trong content/: không có lỗi."]


@pytest.mark.parametrize("text, expected", [
    ("31/02/2024", "“31/02/2024” không phải ngày có thật: tháng 2 năm 2024 chỉ có 29 ngày"),
    ("29/02/2023", "“29/02/2023” không phải ngày có thật: tháng 2 năm 2023 chỉ có 28 ngày"),
    ("31/04/2024", "“31/04/2024” không phải ngày có thật: tháng 4 năm 2024 chỉ có 30 ngày"),
    ("12/13/2025", "“12/13/2025” không phải ngày có thật: không có tháng 13 (tháng từ 1 đến 12); ngày viết "
                   "trước tháng, có phải là 13/12/2025?"),
    ("11-25-2021", "“11-25-2021” không phải ngày có thật: không có tháng 25 (tháng từ 1 đến 12); ngày viết "
                   "trước tháng, có phải là 25-11-2021?"),
    ("15/13/2024", "“15/13/2024” không phải ngày có thật: không có tháng 13 (tháng từ 1 đến 12)"),
    ("0/5/2024", "“0/5/2024” không phải ngày có thật: không có ngày 0"),
    ("2025-13-01", "“2025-13-01” không phải ngày có thật: không có tháng 13 (tháng từ 1 đến 12)"),
])
def test_date_hint_comes_from_the_input(text, expected):
    from cchc.core.dates import DateError, parse_vi_date

    with pytest.raises(DateError) as exc:
        parse_vi_date(text)
    assert str(exc.value) == expected


@pytest.mark.parametrize("text", ["2025-11-28", "28/11/2025", "28-11-2025", "28.11.2025"])
def test_iso_and_day_first_are_the_same_day_silently(tmp_path, text):
    from cchc.core.dates import parse_vi_date

    assert parse_vi_date(text).date().isoformat() == "2025-11-28"
    write_tree(tmp_path, GOOD_NEWS.replace("date: 25/11/2021 08:30", f"date: {text}"))
    proc = run_cchc("check", "content", cwd=tmp_path)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr


# --- 8. commands staff are told to run work as printed ----------------------------------------

HOSTILE_TITLES = [
    'Triển khai "Một cửa" tại xã',
    "Bài của ông 'Ba' và bà O'Neil",
    "Giá $100, $(shell echo x), ${HOME} và $$",
    "Lệnh `ls` và $(whoami) không được chạy",
    "Dấu chấm phẩy; && || > < | * ? ~ # !",
    "Xã Đăk R'Lấp: \"một cửa\" – 100%",
]


# The throwaway project borrows this checkout's .venv/ and node_modules/: make must never
# reinstall them from there (npm ci would empty the shared node_modules/).
NO_INSTALL = ["-o", ".venv/bin/.installed", "-o", "node_modules/.installed"]


def make(proj, *args):
    return subprocess.run(["make", "-s", *NO_INSTALL, *args], cwd=proj, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def make_proj(tmp_path):
    return make_project(tmp_path, makefile=True)


def test_make_new_keeps_hostile_titles_exactly(make_proj):
    from cchc.core.frontmatter import load, split

    made = []
    for n, title in enumerate(HOSTILE_TITLES):
        kind = ("tin", "tin-tuc", "ke-hoach")[n % 3]
        proc = make(make_proj, "new", f"TYPE={kind}", f"TITLE={title}")
        assert proc.returncode == 0, (title, proc.stdout, proc.stderr)
        path = make_proj / proc.stdout.split("Đã tạo ", 1)[1].split(". Mở tệp", 1)[0]
        assert path.parent.name == ("ke-hoach" if kind == "ke-hoach" else "tin-tuc")
        data, _lines = load(split(path.read_text(encoding="utf-8"))[0])
        assert data["title"] == title
        made.append(path)
    assert len(set(made)) == len(HOSTILE_TITLES)
    assert not list(make_proj.glob("x")) and not (make_proj / "whoami").exists()
    # the templates are unfilled, but not broken: no syntax error anywhere
    proc = make(make_proj, "check")
    assert proc.returncode != 0
    assert not [l for l in errors(proc) if "Dòng" in l and "đang là" in l], proc.stderr


def test_make_new_explains_a_wrong_type_or_missing_title(make_proj):
    proc = make(make_proj, "new", "TYPE=tin-tucc", "TITLE=Một tin")
    assert proc.returncode != 0
    assert errors(proc) == ["LỖI loại bài “tin-tucc” không có: dùng TYPE=tin (hoặc tin-tuc) cho tin tức, "
                            "TYPE=ke-hoach cho tóm tắt kế hoạch, TYPE=bao-cao cho báo cáo kết quả, TYPE=van-ban cho văn bản "
                            "(make new TYPE=van-ban TITLE=\"224/2026/NĐ-CP\"), ví dụ: make new TYPE=tin TITLE=\"Tiêu đề bài\""]
    proc = make(make_proj, "new", "TYPE=tin")
    assert proc.returncode != 0
    assert errors(proc) == ['LỖI cần TITLE, ví dụ: make new TYPE=tin TITLE="Tiêu đề bài"']
    assert not (make_proj / "content" / "tin-tuc").exists()


def test_make_fix_nfc_is_the_command_check_prints(make_proj):
    import unicodedata

    write_tree(make_proj, GOOD_NEWS.replace("Nội dung bài viết.", unicodedata.normalize("NFD", "Nội dung bài viết.")))
    proc = make(make_proj, "check")
    assert errors(proc) == [f"LỖI {NEWS_PATH}:14: nội dung có chữ chưa ở dạng Unicode dựng sẵn (NFC); chạy "
                            "`make fix-nfc` để sửa"]
    proc = make(make_proj, "fix-nfc")
    assert proc.returncode == 0 and f"Đã chuyển {NEWS_PATH} sang Unicode dựng sẵn (NFC)." in proc.stdout
    assert make(make_proj, "check").returncode == 0


def _commands():
    import argparse

    from cchc.cli.cli import parser

    return [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)][0].choices


COMMANDS = list(_commands())
ENGLISH = ("usage:", "show this help", "positional arguments", "options:", "error:", "invalid choice",
           "required:", "unrecognized")


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_vietnamese(command):
    proc = run_cchc(*([command] if command else []), "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("cách dùng: cchc"), proc.stdout
    assert "in hướng dẫn này rồi thoát" in proc.stdout
    assert not [w for w in ENGLISH if w in proc.stdout], proc.stdout
    # every option says what it is for
    import re

    lines = proc.stdout.splitlines() + [""]
    for line, after in zip(lines, lines[1:]):
        if re.match(r"\s+--?\w[\w-]*( [A-ZĐÀ-Ỹ_]+)?$", line) and not after.startswith(" " * 8):
            raise AssertionError(f"option without help: {line!r}")


@pytest.mark.parametrize("args, expected", [
    (["check", "--bogus"], "LỖI cchc check: không hiểu: --bogus. Xem hướng dẫn: cchc check --help"),
    (["serve", "--port", "tám"], "LỖI cchc serve: tham số --port: 'tám' không phải số nguyên. Xem hướng dẫn: "
                                 "cchc serve --help"),
    (["new", "tin"], "LỖI cchc new: còn thiếu: TIÊU_ĐỀ. Xem hướng dẫn: cchc new --help"),
    (["xuat-ban"], "LỖI cchc: tham số LỆNH: giá trị 'xuat-ban' không hợp lệ; chọn một trong: "
                   + ", ".join(f"'{c}'" for c in COMMANDS) + ". Xem hướng dẫn: cchc --help"),
])
def test_argument_errors_are_one_vietnamese_line(args, expected):
    proc = run_cchc(*args)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [expected]


# --- 6. size: warn above what a phone reads comfortably, refuse above the hard limit ------------

def _long_body(size):
    para = "Ủy ban nhân dân huyện triển khai cơ chế một cửa liên thông tại bộ phận tiếp nhận. "
    return "\n\n".join([para * 10] * (size // (len((para * 10).encode()) + 2) + 1))


def test_long_post_is_a_suggestion_and_a_huge_one_stops_check_and_build(small_project):
    from cchc.core.schema import SIZE_LIMIT, SIZE_WARN

    proj = small_project
    post = proj / "content" / "tin-tuc" / "bai-dai.md"
    head = ONE_POST.replace("3f1c2b1e-0000-4000-8000-0000000000aa", "3f1c2b1e-0000-4000-8000-0000000000ab") \
                   .replace('"Một tin"', '"Bài dài"').replace("Nội dung.\n", "")
    before = files_of(proj / "output")
    try:
        from cchc.core.schema import human_size

        body = _long_body(SIZE_WARN + 50_000)
        post.write_text(head + body, encoding="utf-8")
        proc = make(proj, "check", "VERBOSE=1")
        assert proc.returncode == 0, proc.stderr
        assert [l for l in proc.stdout.splitlines() if "bài dài" in l][0] == (
            f"GỢI Ý content/tin-tuc/bai-dai.md: bài dài {human_size(len(body.encode()))}, khó đọc trên điện "
            "thoại: nên chia thành nhiều bài, hoặc đưa phần dài (bảng, phụ lục) vào tệp đính kèm")
        assert "Có 1 gợi ý (không phải lỗi) trong 1 tệp: bài dài (1)." in proc.stdout

        post.write_text(head + _long_body(5 * 1024 * 1024), encoding="utf-8")
        expected = ["LỖI content/tin-tuc/bai-dai.md: tệp dài {size}, quá giới hạn 1,0 MB của một bài: chia "
                    "thành nhiều bài, hoặc đưa phần dài (bảng, phụ lục, văn bản gốc) vào tệp đính kèm (attachment)"]
        expected = [expected[0].format(size=human_size(post.stat().st_size))]
        assert human_size(SIZE_LIMIT) == "1,0 MB" and expected[0].count("5,0 MB") == 1
        proc = make(proj, "check")
        assert proc.returncode != 0 and errors(proc) == expected, proc.stderr
        proc = build(proj)
        assert proc.returncode == 1 and errors(proc) == expected, proc.stderr
        assert files_of(proj / "output") == before
    finally:
        post.unlink()


# --- 7. duplicate id after copying a file ---------------------------------------------------------

def test_duplicate_id_names_both_files_and_the_one_to_renew(make_proj):
    proj = make_proj
    write_tree(proj)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    for cmd in (["init", "-q"], ["add", "content"], ["commit", "-qm", "bài đã đăng"]):
        subprocess.run([*git, *cmd], cwd=proj, check=True)
    copy = proj / "content" / "tin-tuc" / "ban-sao.md"
    copy.write_text(GOOD_NEWS.replace('"Đẩy mạnh cải cách thủ tục hành chính"', '"Bản sao"'), encoding="utf-8")
    # the copy is older on disk than the original: git, not the clock, says which one is published
    import os

    os.utime(copy, (1_000_000_000, 1_000_000_000))
    proc = make(proj, "check")
    assert proc.returncode != 0
    fix = "make new-id FILE=content/tin-tuc/ban-sao.md"
    assert errors(proc) == [
        f"LỖI content/tin-tuc/ban-sao.md:3: trường “id” (Mã định danh cố định): mã định danh trùng với {NEWS_PATH}:3 "
        f"(tệp đó đã có trong git); tệp này chưa có trong git, là bản sao: đổi mã của tệp này bằng lệnh {fix}",
        f"LỖI {NEWS_PATH}:3: trường “id” (Mã định danh cố định): mã định danh trùng với content/tin-tuc/ban-sao.md:3; "
        f"giữ nguyên mã của tệp này (đã có trong git), đổi mã của tệp kia bằng lệnh {fix}",
    ], proc.stderr
    original = (proj / NEWS_PATH).read_text(encoding="utf-8")
    proc = make(proj, "new-id", "FILE=content/tin-tuc/ban-sao.md")
    assert proc.returncode == 0 and proc.stdout.startswith("Đã đặt mã định danh mới cho content/tin-tuc/ban-sao.md: ")
    assert (proj / NEWS_PATH).read_text(encoding="utf-8") == original
    text = copy.read_text(encoding="utf-8")
    assert text.replace(text.splitlines()[2], "id: 3f1c2b1e-0000-4000-8000-000000000001") == \
        GOOD_NEWS.replace('"Đẩy mạnh cải cách thủ tục hành chính"', '"Bản sao"')
    assert make(proj, "check").returncode == 0


def test_duplicate_id_without_git_keeps_the_older_file(tmp_path):
    import os

    write_tree(tmp_path)
    copy = tmp_path / "content" / "tin-tuc" / "a-ban-sao.md"
    copy.write_text(GOOD_NEWS.replace('"Đẩy mạnh cải cách thủ tục hành chính"', '"Bản sao"'), encoding="utf-8")
    os.utime(tmp_path / NEWS_PATH, (1_000_000_000, 1_000_000_000))
    proc = run_cchc("check", "content", cwd=tmp_path)
    lines = errors(proc)
    assert len(lines) == 2 and lines[0].startswith("LỖI content/tin-tuc/a-ban-sao.md:3: trường “id”")
    # no git: the file modified first keeps the id, and the message says how that was decided
    assert "(tệp đó sửa lần cuối 09/09/2001 " in lines[0] and "không dùng được git nên so theo thời điểm sửa tệp)" \
           in lines[0], lines[0]
    assert ", sau tệp đó, là bản sao: đổi mã của tệp này bằng lệnh make new-id FILE=content/tin-tuc/a-ban-sao.md" \
           in lines[0]


# --- 4. links, images and files checked at `make check`, against the site's URL scheme -----------

BODY = "Nội dung bài viết."
LINK_CASES = [
    # (name, body line replacing BODY, exact message after "LỖI <news>:14: " or None when fine)
    ("post-root", "Xem [kế hoạch](/ke-hoach/ke-hoach-mau/).", None),
    ("post-filename", "Xem [kế hoạch]({filename}/ke-hoach/ke-hoach-mau.md).", None),
    ("post-filename-relative", "Xem [kế hoạch]({filename}../ke-hoach/ke-hoach-mau.md).", None),
    ("document-page", "Theo [Kế hoạch 179](/van-ban/179-kh-ubnd/).", None),
    ("area-page", "Các tin [thể chế](/linh-vuc/the-che/).", None),
    ("file", "Tải [kế hoạch]({static}/files/ke-hoach.pdf) hoặc [bản này](/files/ke-hoach.pdf).", None),
    ("image", "![Hội nghị](/images/hoi-nghi.jpg)", None),
    ("external", "Xem [Cổng dịch vụ công](https://dichvucong.gov.vn/p/home/dvc-trang-chu.html).", None),
    ("fragment", "Xem [phần 2](#phan-2).", None),
    ("listings", "Xem [mọi tin](/tin-tuc/), [tin về Huyện Mẫu](/dia-phuong/huyen-mau/) và [RSS](/feeds/tat-ca.rss.xml).",
     None),
    ("post-missing", "Xem [kế hoạch](/ke-hoach/ke-hoach-mau-2/).",
     "liên kết “/ke-hoach/ke-hoach-mau-2/” không tới trang hay tệp nào của cổng; có phải /ke-hoach/ke-hoach-mau/?"),
    ("post-no-slash", "Xem [kế hoạch](/ke-hoach/ke-hoach-mau).",
     "liên kết “/ke-hoach/ke-hoach-mau” thiếu dấu / ở cuối: viết /ke-hoach/ke-hoach-mau/"),
    ("filename-missing", "Xem [kế hoạch]({filename}/ke-hoach/ke-hoach-mauu.md).",
     "liên kết “{filename}/ke-hoach/ke-hoach-mauu.md” trỏ tới bài không có trong content/ (không có tệp "
     "content/ke-hoach/ke-hoach-mauu.md); có phải {filename}/ke-hoach/ke-hoach-mau.md?"),
    # issue 31: a missing picture is an image (ảnh), not a link; pictures live in content/images/,
    # and the nearest file there is offered, written as the post wrote the link
    ("image-misspelled", "![Hội nghị]({static}/images/hoi-ngi.jpg)",
     "ảnh “{static}/images/hoi-ngi.jpg” không có: không có tệp content/images/hoi-ngi.jpg; ảnh của cổng để trong "
     "content/images/, có phải {static}/images/hoi-nghi.jpg?"),
    ("image-root-misspelled", '<img src="/images/hoi-ngi.jpg" alt="Hội nghị">',
     "ảnh “/images/hoi-ngi.jpg” không có: không có tệp content/images/hoi-ngi.jpg; ảnh của cổng để trong "
     "content/images/, có phải /images/hoi-nghi.jpg?"),
    ("image-other-folder", "![Hội nghị](/anh/hoi-nghi.jpg)",
     "ảnh “/anh/hoi-nghi.jpg” không có: không có tệp content/anh/hoi-nghi.jpg; ảnh của cổng để trong "
     "content/images/, có phải /images/hoi-nghi.jpg?"),
    ("image-nothing-near", "![Sơ đồ](/images/so-do-bo-may.png)",
     "ảnh “/images/so-do-bo-may.png” không có: không có tệp content/images/so-do-bo-may.png; ảnh của cổng để "
     "trong content/images/: chép ảnh vào đó rồi ghi ![mô tả ảnh](/images/ten-anh.jpg)"),
    ("image-in-a-link", "[![Hội nghị](/images/hoi-nghi-2.jpg)](/tin-tuc/)",
     "ảnh “/images/hoi-nghi-2.jpg” không có: không có tệp content/images/hoi-nghi-2.jpg; ảnh của cổng để trong "
     "content/images/, có phải /images/hoi-nghi.jpg?"),
    ("relative-image", "![Hội nghị](images/hoi-nghi.jpg)",
     "đường dẫn tương đối của ảnh “images/hoi-nghi.jpg” trỏ tới /tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh/"
     "images/hoi-nghi.jpg (tính từ địa chỉ của bài này), không có trang hay tệp nào ở đó; viết "
     "{static}/images/hoi-nghi.jpg"),
    ("relative-image-misspelled", "![Hội nghị](images/hoi-ngi.jpg)",
     "đường dẫn tương đối của ảnh “images/hoi-ngi.jpg” trỏ tới /tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh/"
     "images/hoi-ngi.jpg (tính từ địa chỉ của bài này), không có trang hay tệp nào ở đó; ảnh của cổng để trong "
     "content/images/, có phải {static}/images/hoi-nghi.jpg?"),
    # issue 31: the post itself is never offered (its own name is the nearest here)
    ("self-filename", "Xem [bài trước]({filename}/tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh-2.md).",
     "liên kết “{filename}/tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh-2.md” trỏ tới bài không có trong content/ "
     "(không có tệp content/tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh-2.md); viết {filename}/tin-tuc/ten-tep.md "
     "cho một bài, /van-ban/… cho trang văn bản, {static}/files/ten-tep.pdf cho tệp đính kèm"),
    ("self-address", "Xem [bài trước](/tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh-2/).",
     "liên kết “/tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh-2/” không tới trang hay tệp nào của cổng; viết "
     "{filename}/tin-tuc/ten-tep.md cho một bài, /van-ban/… cho trang văn bản, {static}/files/ten-tep.pdf cho tệp "
     "đính kèm"),
    ("relative-post", "Xem [kế hoạch](../../ke-hoach/ke-hoach-mau/).", None),  # as a browser reads it
    ("document-missing", "Theo [Kế hoạch 180](/van-ban/180-kh-ubnd/).",
     "liên kết “/van-ban/180-kh-ubnd/”: không có trang văn bản này (chỉ có trang cho số ký hiệu được nêu trong "
     "các bài); có phải /van-ban/179-kh-ubnd/?"),
    ("area-missing", "Các tin [thể chế](/linh-vuc/thể-chế/).",
     "liên kết “/linh-vuc/thể-chế/”: không có lĩnh vực “thể-chế”; các mã hợp lệ: the-che, thu-tuc-hanh-chinh, "
     "to-chuc-bo-may, che-do-cong-vu, tai-chinh-cong, chinh-phu-so, chi-dao-dieu-hanh, tuyen-truyen"),
    ("reference-link", "Xem [kế hoạch][kh].\n\n[kh]: /ke-hoach/khong-co/",
     None),  # reported on its own line: see test below
]


def _link_tree(root, body_line):
    write_tree(root, GOOD_NEWS.replace(BODY, body_line))
    for rel in ("files/ke-hoach.pdf", "images/hoi-nghi.jpg"):
        (root / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / rel).write_bytes(b"x")


@pytest.mark.parametrize("case", LINK_CASES, ids=[c[0] for c in LINK_CASES])
def test_links_are_checked_at_check(tmp_path, case):
    name, body_line, message = case
    _link_tree(tmp_path, body_line)
    proc = run_cchc("check", "content", cwd=tmp_path)
    if name == "reference-link":
        assert errors(proc) == [f"LỖI {NEWS_PATH}:16: liên kết “/ke-hoach/khong-co/” không tới trang hay tệp nào "
                                "của cổng; có phải /ke-hoach/ke-hoach-mau/?"], proc.stderr
        return
    if message is None:
        assert proc.returncode == 0, proc.stderr
        assert not errors(proc)
    else:
        assert proc.returncode == 1
        assert errors(proc) == [f"LỖI {NEWS_PATH}:14: {message}"], proc.stderr


def test_a_missing_share_image_offers_the_nearest_file_of_content_images(tmp_path):
    _link_tree(tmp_path, BODY)
    write_tree(tmp_path, GOOD_NEWS.replace("plans: [ke-hoach-mau]", "plans: [ke-hoach-mau]\n"
                                           "image: {path: images/hoi-ngi.jpg, alt: Hội nghị}"))
    proc = run_cchc("check", "content", cwd=tmp_path)
    assert errors(proc) == [f"LỖI {NEWS_PATH}:12: trường “image.path” (Ảnh chia sẻ): không có ảnh “images/hoi-ngi.jpg” "
                            "trong content/images/ (đặt ảnh PNG hoặc JPEG vào content/images/ và ghi path: "
                            "images/ten-anh.png); có phải path: images/hoi-nghi.jpg?"], proc.stderr


def test_a_sibling_post_is_offered_never_the_post_itself(tmp_path):
    """With a second news item, the nearest other post is offered for the missing one (issue 31)."""
    write_tree(tmp_path, GOOD_NEWS.replace(BODY, "Xem [bài trước](/tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh-2/)."))
    other = tmp_path / "content" / "tin-tuc" / "day-manh-cai-cach-thu-tuc-hanh-chinh-nam-2022.md"
    other.write_text(GOOD_NEWS.replace("000000000001", "000000000009").replace(
        '"Đẩy mạnh cải cách thủ tục hành chính"', '"Đẩy mạnh cải cách thủ tục hành chính năm 2022"'), encoding="utf-8")
    proc = run_cchc("check", "content", cwd=tmp_path)
    assert errors(proc) == [f"LỖI {NEWS_PATH}:14: liên kết “/tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh-2/” không "
                            "tới trang hay tệp nào của cổng; có phải "
                            "/tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh-nam-2022/?"], proc.stderr


def test_link_to_a_draft_is_an_error(tmp_path):
    write_tree(tmp_path, plan=GOOD_PLAN.replace("date: 25/11/2021\n", "date: 25/11/2021\nstatus: draft\n"),
               news=GOOD_NEWS.replace(BODY, "Xem [kế hoạch](/ke-hoach/ke-hoach-mau/)."))
    proc = run_cchc("check", "content", cwd=tmp_path)
    assert errors(proc) == [f"LỖI {NEWS_PATH}:14: liên kết “/ke-hoach/ke-hoach-mau/” tới bài {PLAN_PATH} đang là "
                            "bản nháp (status: draft), bài đó chưa được đăng"], proc.stderr


SUB = "https://example.gov.vn/cchc"


def test_absolute_links_on_the_site_host_are_checked_under_the_subpath(tmp_path):
    _link_tree(tmp_path, f"Xem [kế hoạch]({SUB}/ke-hoach/ke-hoach-mau/) và [bài cũ]({SUB}/tin-tuc/khong-co/).")
    proc = run_cchc("check", "content", cwd=tmp_path, env={"SITEURL": SUB})
    assert errors(proc) == [f"LỖI {NEWS_PATH}:14: liên kết “{SUB}/tin-tuc/khong-co/” không tới trang hay tệp nào "
                            "của cổng; viết {filename}/tin-tuc/ten-tep.md cho một bài, /van-ban/… cho trang văn "
                            "bản, {static}/files/ten-tep.pdf cho tệp đính kèm"], proc.stderr


@pytest.fixture(scope="module")
def subpath_project(tmp_path_factory):
    proj = make_project(tmp_path_factory.mktemp("links"))
    import shutil

    shutil.copytree(ROOT / "content" / "pages", proj / "content" / "pages")  # the footer links to them
    shutil.copytree(ROOT / "content" / "van-ban", proj / "content" / "van-ban")  # and the pages to these
    _link_tree(proj, "Xem [kế hoạch](/ke-hoach/ke-hoach-mau/), [bản kia]({filename}/ke-hoach/ke-hoach-mau.md), "
                     "[tệp](/files/ke-hoach.pdf), [văn bản](/van-ban/179-kh-ubnd/).\n\n"
                     "![Hội nghị](/images/hoi-nghi.jpg)")
    proc = publish_build(proj, SUB, "--linkcheck")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj


def test_root_links_work_under_a_subpath_siteurl(subpath_project):
    from bs4 import BeautifulSoup

    page = subpath_project / "output" / "tin-tuc" / "day-manh-cai-cach-thu-tuc-hanh-chinh" / "index.html"
    body = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").find("main")
    hrefs = {a.get_text(): a["href"] for a in body.find_all("a") if a.get_text() in ("kế hoạch", "bản kia", "tệp",
                                                                                       "văn bản")}
    assert hrefs == {"kế hoạch": f"{SUB}/ke-hoach/ke-hoach-mau/", "bản kia": f"{SUB}/ke-hoach/ke-hoach-mau/",
                     "tệp": f"{SUB}/files/ke-hoach.pdf", "văn bản": f"{SUB}/van-ban/179-kh-ubnd/"}
    assert body.find("img", alt="Hội nghị")["src"] == f"{SUB}/images/hoi-nghi.jpg"


def test_publish_link_errors_name_the_post_and_line(subpath_project):
    proj = subpath_project
    before = files_of(proj / "output")
    write_tree(proj, GOOD_NEWS.replace(BODY, "Xem [mục tiêu](/ke-hoach/ke-hoach-mau/#khong-co-muc-nay)."))
    try:
        proc = publish_build(proj, SUB, "--linkcheck")
    finally:
        _link_tree(proj, "x")
    assert proc.returncode == 1
    mine = [l for l in errors(proc) if l.startswith("LỖI content/")]
    assert mine == [f"LỖI {NEWS_PATH}:14: liên kết “/ke-hoach/ke-hoach-mau/#khong-co-muc-nay” hỏng (không có phần "
                    "tử id=“khong-co-muc-nay” trong ke-hoach/ke-hoach-mau/index.html; thấy trong "
                    f"{mine[0].split('thấy trong ', 1)[1].split(')', 1)[0]}); sửa liên kết trong bài rồi chạy `make check`"]
    assert "tin-tuc/day-manh-cai-cach-thu-tuc-hanh-chinh/index.html" in mine[0]
    assert files_of(proj / "output") == before


def test_links_shown_as_code_are_not_checked(tmp_path):
    _link_tree(tmp_path, "Viết `[tên](/khong-co/)` để tạo liên kết.\n\n```\n[ví dụ](/cung-khong-co/)\n```")
    proc = run_cchc("check", "content", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_link_problems_in_a_draft_are_suggestions(tmp_path):
    write_tree(tmp_path, GOOD_NEWS.replace(BODY, "![Ảnh](/images/chua-chep.jpg)").replace(
        "date: 25/11/2021 08:30\n", "date: 25/11/2021 08:30\nstatus: draft\n"))
    proc = run_cchc("check", "content", "--verbose", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"GỢI Ý {NEWS_PATH}:15: ảnh “/images/chua-chep.jpg” không có: không có tệp content/images/chua-chep.jpg; " \
           "ảnh của cổng để trong content/images/" in proc.stdout
    assert "(sửa trước khi bỏ status: draft)" in proc.stdout and "ảnh chưa có trong bản nháp (1)" in proc.stdout


# --- issue 31: a failing staff target ends on our Vietnamese lines, not make's English one -------

def make_as_staff(proj, *args, **kw):
    """`make …` as staff type it (no -s): what they read is stdout and stderr as they come."""
    return subprocess.run(["make", *NO_INSTALL, *args], cwd=proj, capture_output=True, text=True,
                          timeout=kw.pop("timeout", 300), **kw)


def _ends_on_our_lines(proc):
    assert proc.returncode != 0, proc.stdout + proc.stderr
    said = (proc.stdout + proc.stderr).splitlines()
    assert not [l for l in said if l.startswith("make") or "***" in l], proc.stdout + proc.stderr
    assert said and said[-1] and proc.stderr.splitlines()[0].startswith("LỖI "), proc.stderr


@pytest.mark.parametrize("args", [
    ["check"], ["check", "VERBOSE=1"], ["html"], ["new", "TYPE=tin-tucc", "TITLE=Một tin"], ["new", "TYPE=tin"],
    ["new-id", "FILE=content/khong-co.md"], ["import"], ["import", "SRC=khong-co/"], ["check", "html"],
], ids=lambda a: " ".join(a))
def test_failing_staff_targets_end_without_makes_english_line(make_proj, args):
    write_tree(make_proj, GOOD_NEWS.replace("date: 25/11/2021 08:30", "date: 11/25/2021"))
    _ends_on_our_lines(make_as_staff(make_proj, *args))


def test_busy_port_through_make_ends_on_our_line(make_proj):
    sock, port = _listening_socket()
    try:
        proc = make_as_staff(make_proj, "serve", f"PORT={port}")
    finally:
        sock.close()
    _ends_on_our_lines(proc)


def test_ctrl_c_on_make_serve_prints_no_make_line(make_proj):
    import os
    import signal
    import time
    import urllib.request

    (make_proj / "output").mkdir()
    (make_proj / "output" / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    sock, port = _listening_socket()
    sock.close()
    proc = subprocess.Popen(["make", *NO_INSTALL, "serve", f"PORT={port}"], cwd=make_proj, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=ctrl_c_as_in_a_terminal)
    try:
        # The server must be up first: a Ctrl-C that lands while make's shell is still starting the
        # server is taken by the recipe's `trap : INT`, and the server then starts and runs on.
        deadline, up = time.monotonic() + 120, False
        while not up and time.monotonic() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                up = True
            except OSError:
                time.sleep(0.1)
        assert up, "make serve never answered"
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode != 0
    assert not [l for l in (out + err).splitlines() if l.startswith("make") or "***" in l], out + err


def test_a_passing_check_through_make_is_zero_and_quiet(make_proj):
    write_tree(make_proj)
    proc = make_as_staff(make_proj, "check")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "Đã kiểm tra 2 tệp trong content/: không có lỗi.", proc.stdout
    assert not [l for l in proc.stdout.splitlines() if "cchc" in l or l.startswith("make")], proc.stdout
    assert not proc.stderr


# --- issue 31: a clash is reported on the newer file (git's first commit), naming the published one

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]


def _commit(proj, message, when):
    """Commit everything under content/ at *when* (ISO date): the first commit of the files it adds."""
    import os

    env = dict(os.environ, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    if not (proj / ".git").exists():
        subprocess.run([*GIT, "init", "-q"], cwd=proj, check=True)
    subprocess.run([*GIT, "add", "content"], cwd=proj, check=True)
    subprocess.run([*GIT, "commit", "-qm", message], cwd=proj, check=True, env=env)


def _old_mtime(path):
    import os

    os.utime(path, (1_000_000_000, 1_000_000_000))  # older on disk: git, not the clock, must decide


NEW_NEWS = "content/tin-tuc/a-tin-moi.md"  # sorts before NEWS_PATH: the old check blamed NEWS_PATH


def _same_title_news(proj):
    path = proj / NEW_NEWS
    path.write_text(GOOD_NEWS.replace("000000000001", "000000000011"), encoding="utf-8")
    return path


def test_duplicate_slug_is_reported_on_the_uncommitted_file_naming_the_published_one(make_proj):
    proj = make_proj
    write_tree(proj)
    _commit(proj, "bài đã đăng", "2025-03-01T09:00:00")
    _old_mtime(_same_title_news(proj))
    proc = make(proj, "check")
    assert proc.returncode != 0
    assert errors(proc) == [
        f"LỖI {NEW_NEWS}:4: trường “slug” (Đường dẫn (slug)): đường dẫn “day-manh-cai-cach-thu-tuc-hanh-chinh” trùng "
        f"với {NEWS_PATH}:4 (tệp đó đã có trong git, địa chỉ này đã được đăng; tệp này chưa có trong git): giữ nguyên "
        "đường dẫn của tệp đó, đặt đường dẫn khác cho tệp này, ví dụ thêm dòng “slug: "
        "day-manh-cai-cach-thu-tuc-hanh-chinh-2” (đường dẫn đang lấy từ tiêu đề)"], proc.stderr


def test_duplicate_slug_between_committed_files_goes_to_the_later_commit(make_proj):
    proj = make_proj
    write_tree(proj)
    _commit(proj, "bài đầu", "2025-03-01T09:00:00")
    path = _same_title_news(proj)
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "slug: day-manh-cai-cach-thu-tuc-hanh-chinh\n"
                                                              "title:"), encoding="utf-8")
    _commit(proj, "bài sau", "2026-11-20T09:00:00")
    _old_mtime(path)
    lines = errors(make(proj, "check"))
    assert len(lines) == 1 and lines[0].startswith(f"LỖI {NEW_NEWS}:4: trường “slug”"), lines
    assert "(tệp đó vào git ngày 01/03/2025" in lines[0] and "tệp này vào git sau, ngày 20/11/2026" in lines[0]
    assert "địa chỉ này đã được đăng" in lines[0] and "ví dụ đổi dòng slug thành “slug: " in lines[0]


def test_duplicate_slug_without_git_says_the_modification_time_decided(tmp_path):
    write_tree(tmp_path)
    _old_mtime(tmp_path / NEWS_PATH)
    _same_title_news(tmp_path)
    lines = errors(run_cchc("check", "content", cwd=tmp_path))
    assert len(lines) == 1 and lines[0].startswith(f"LỖI {NEW_NEWS}:4: trường “slug”"), lines
    assert "không dùng được git nên so theo thời điểm sửa tệp" in lines[0], lines


SECOND_PLAN = "content/ke-hoach/a-ke-hoach-ban-moi.md"  # sorts first, as the new copy often does


def _second_plan(proj, number="179/KH-UBND"):
    path = proj / SECOND_PLAN
    path.write_text(GOOD_PLAN.replace("000000000002", "000000000012").replace("slug: ke-hoach-mau", "slug: ke-hoach-moi")
                    .replace("doc_number: 179/KH-UBND", f"doc_number: {number}").replace(
                        "news: [day-manh-cai-cach-thu-tuc-hanh-chinh]", "news: []"), encoding="utf-8")
    return path


TWO_PLANS = (f"LỖI {SECOND_PLAN}:8: trường “doc_number” (Số ký hiệu): văn bản 179/KH-UBND đã có bản tóm tắt kế hoạch "
             f"{PLAN_PATH}:8 (tệp đó đã có trong git; tệp này chưa có trong git): mỗi số ký hiệu chỉ có một bản ghi và "
             f"một trang /van-ban/179-kh-ubnd/; nếu hai tệp nói về cùng một văn bản, chuyển phần còn thiếu vào "
             f"{PLAN_PATH} rồi xóa tệp này; nếu là văn bản khác, sửa số ký hiệu cho đúng văn bản gốc")


@pytest.mark.parametrize("written", ["179/KH-UBND", "179 / KH - UBND"])
def test_two_plans_of_one_number_stop_check_and_html_naming_both(make_proj, written):
    proj = make_proj
    write_tree(proj)
    _commit(proj, "kế hoạch đã đăng", "2025-03-01T09:00:00")
    _old_mtime(_second_plan(proj, written))
    proc = make(proj, "check")
    assert proc.returncode != 0 and errors(proc) == [TWO_PLANS], proc.stderr
    proc = make_as_staff(proj, "html")
    assert proc.returncode != 0 and errors(proc) == [TWO_PLANS], proc.stderr
    assert "describe" not in proc.stdout + proc.stderr and "WARNING" not in proc.stdout + proc.stderr
    assert not (proj / "output").exists()


def test_two_document_records_and_a_record_beside_a_plan(tmp_path):
    write_tree(tmp_path)
    record = "---\ntype: van-ban\ndoc_number: {n}\ndoc_type: Nghị quyết\nchecked: 01/12/2026\n---\n"
    folder = tmp_path / "content" / "van-ban"
    folder.mkdir()
    (folder / "76-nq-cp.md").write_text(record.format(n="76/NQ-CP"), encoding="utf-8")
    _old_mtime(folder / "76-nq-cp.md")
    (folder / "76-nq-cp-ban-2.md").write_text(record.format(n="76/NQ-CP"), encoding="utf-8")
    (folder / "179-kh-ubnd.md").write_text(record.format(n="179/KH-UBND"), encoding="utf-8")
    lines = errors(run_cchc("check", "content", cwd=tmp_path))
    assert lines == [
        "LỖI content/van-ban/179-kh-ubnd.md:3: trường “doc_number” (Số ký hiệu): văn bản 179/KH-UBND đã có bản tóm tắt "
        f"kế hoạch {PLAN_PATH}:8, là bản ghi của chính văn bản đó: ghi hiệu lực, nguồn chính thức vào tệp kế hoạch và "
        "xóa tệp này",
        lines[1]], lines
    assert lines[1].startswith("LỖI content/van-ban/76-nq-cp-ban-2.md:3: trường “doc_number” (Số ký hiệu): văn bản "
                               "76/NQ-CP đã có bản ghi văn bản content/van-ban/76-nq-cp.md:3 (tệp đó sửa lần cuối "), lines
    assert "không dùng được git" in lines[1] and "sửa số ký hiệu cho đúng văn bản gốc" in lines[1]


def test_the_build_itself_refuses_two_records_in_vietnamese(tmp_path):
    """Pelican alone (no `cchc check` beside it, as a plugin's own check): the same message."""
    import os
    import sys

    proj = make_project(tmp_path)
    write_tree(proj)
    _second_plan(proj)
    env = dict(os.environ, PYTHONPATH=f"{ROOT / 'src'}:{ROOT / 'plugins'}")
    proc = subprocess.run([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "out",
                           "--fatal", "errors"], cwd=proj, capture_output=True, text=True, env=env, timeout=300)
    said = proc.stdout + proc.stderr
    assert proc.returncode != 0
    expected = (f"{SECOND_PLAN}:8: trường “doc_number” (Số ký hiệu): văn bản 179/KH-UBND đã có bản tóm tắt kế hoạch "
                f"{PLAN_PATH}:8 (tệp đó sửa lần cuối ")
    assert "".join(expected.split()) in "".join(said.split()), said  # Pelican's log wraps lines
    assert "both describe" not in said


# --- issue 31: a normalised document number is said, with the form that will be published -----

NORMALISED = (f"CẢNH BÁO {PLAN_PATH}:8: trường “doc_number” (Số ký hiệu): “179/KH - UBND” sẽ được đăng là "
              "“179/KH-UBND” (số ký hiệu viết liền, không có khoảng trắng): sửa trong tệp thành 179/KH-UBND để tệp "
              "ghi đúng như trang, tìm kiếm và trang văn bản sẽ hiện")


def test_a_normalised_number_is_a_warning_in_check_and_html(make_proj):
    write_tree(make_proj, plan=GOOD_PLAN.replace("doc_number: 179/KH-UBND", "doc_number: 179/KH - UBND"))
    for target in ("check", "html"):
        proc = make_as_staff(make_proj, target)
        assert proc.returncode == 0, proc.stderr
        assert [l for l in proc.stdout.splitlines() if l.startswith("CẢNH BÁO")] == [NORMALISED], proc.stdout
    from bs4 import BeautifulSoup

    page = BeautifulSoup((make_proj / "output" / "ke-hoach" / "ke-hoach-mau" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert "179/KH-UBND" in page.main.get_text() and "179/KH - UBND" not in page.main.get_text()


def test_the_preview_panel_shows_the_same_record_clash(tmp_path, monkeypatch):
    """`make devserver` / `make studio` show the check's LỖI lines in the page's error panel."""
    from cchc.cli.preview import check_lines

    write_tree(tmp_path)
    _old_mtime(tmp_path / PLAN_PATH)
    _second_plan(tmp_path)
    expected = errors(run_cchc("check", "content", cwd=tmp_path))
    assert len(expected) == 1 and expected[0].startswith(f"LỖI {SECOND_PLAN}:8: trường “doc_number”"), expected
    monkeypatch.chdir(tmp_path)
    assert check_lines("content") == expected
