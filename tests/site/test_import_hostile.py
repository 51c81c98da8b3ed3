"""`cchc import` on broken and hostile input: one bad item never stops the batch, nothing runs,
nothing existing is overwritten, and every message is Vietnamese."""

import json
import os
import stat

import pytest

from conftest import SEEDS, run_cchc
from test_import import by_source, do_import, front_matter

GOOD = {"@type": "News Item", "UID": "a" * 32, "@id": "/tin/tot", "title": "Tin tốt về cải cách hành chính",
        "effective": "2024-02-13T18:14:27", "review_state": "published",
        "text": {"data": "<p>UBND huyện Tam Dương tuyên truyền cải cách hành chính.</p>"}}


@pytest.mark.parametrize("field, value, said", [
    ("title", 2024, "số"),
    ("title", ["Tin", "hai"], "danh sách"),
    ("@type", ["News Item"], "danh sách"),
    ("UID", {"value": "x"}, "đối tượng"),
    ("blocks", [{"@type": "text"}], "danh sách"),
    ("@id", 17, "số"),
])
def test_plone_items_with_wrong_types_fail_alone(tmp_path, field, value, said):
    bad = dict(GOOD, UID="b" * 32, **{"@id": "/tin/xau"})
    bad[field] = value
    src = tmp_path / "ban-xuat.json"
    src.write_text(json.dumps([bad, GOOD], ensure_ascii=False), encoding="utf-8")
    proc, entries, into = do_import(tmp_path, src)
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    broken, good = by_source(entries, "#0"), by_source(entries, "#1")
    assert broken["status"] == "failed" and broken["output"] is None
    assert f"“{field}”" in broken["warnings"][0] and said in broken["warnings"][0]
    assert good["status"] == "imported" and os.path.isfile(good["output"])


def test_subjects_as_a_string_is_one_tag(tmp_path):
    src = tmp_path / "mot.json"
    src.write_text(json.dumps(dict(GOOD, subjects="cải cách hành chính"), ensure_ascii=False), encoding="utf-8")
    _proc, entries, _ = do_import(tmp_path, src)
    meta, _ = front_matter(entries[0]["output"])
    assert meta["tags"] == ["cải cách hành chính"]


def test_imported_files_have_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        _proc, entries, _ = do_import(tmp_path, SEEDS / "004_e968048da3d86a3b.txt")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(entries[0]["output"]).st_mode) == 0o644
    assert stat.S_IMODE(os.stat(tmp_path / "r.json").st_mode) == 0o644


def test_title_and_author_stay_plain_text(tmp_path):
    page = tmp_path / "doc-hai.html"
    page.write_text("<html><body><h1>&lt;script&gt;alert(1)&lt;/script&gt;Tin về một cửa</h1><p>25/11/2021</p>"
                    "<p>UBND huyện Tam Dương tuyên truyền cải cách hành chính.</p>"
                    "<p>Tin: &lt;img src=x onerror=alert(2)&gt;Lê Văn A</p></body></html>", encoding="utf-8")
    _proc, entries, _ = do_import(tmp_path, page)
    e = entries[0]
    assert e["title"] == "alert(1) Tin về một cửa" and e["author"] == "Lê Văn A"
    meta, _ = front_matter(e["output"])
    assert "<" not in meta["title"] + meta["author"]
    assert any("thẻ HTML" in w for w in e["warnings"])


def test_deep_and_unclosed_nesting_is_converted_without_limits(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    n = 100_000
    (src / "sau.html").write_text("<html><body><h1>Trang lồng sâu</h1><p>25/11/2021</p>" + "<div>" * n
                                  + "Nội dung ở tầng sâu nhất." + "</div>" * n + "</body></html>", encoding="utf-8")
    (src / "khong-dong.html").write_text(
        "<html><body><h1>Trang không đóng thẻ</h1><p>25/11/2021"
        + "".join(f"<p><font color=red>Đoạn {i} về cải cách hành chính." for i in range(400))
        + "</body></html>", encoding="utf-8")
    proc, entries, _ = do_import(tmp_path, src)
    assert proc.returncode == 0, proc.stderr
    _meta, deep = front_matter(by_source(entries, "sau.html")["output"])
    assert deep.strip() == "Nội dung ở tầng sâu nhất."
    _meta, flat = front_matter(by_source(entries, "khong-dong.html")["output"])
    paragraphs = [p for p in flat.split("\n\n") if p.strip()]
    assert len(paragraphs) == 400 and paragraphs[0] == "Đoạn 0 về cải cách hành chính."  # one per <p>


def test_very_large_page_is_read_as_text(tmp_path, monkeypatch):
    import sys

    from cchc.importer import run

    monkeypatch.setattr(sys.modules["cchc.importer.html_page"], "LARGE_PAGE", 200_000)  # 3 million in use
    page = tmp_path / "lon.html"
    page.write_text("<html><body><h1>Trang rất lớn</h1><p>25/11/2021" + "".join(
        f"<p><font>Đoạn {i} về cải cách hành chính nhà nước, tiếp tục triển khai nhiệm vụ." for i in range(3000))
        + "<script>alert(1)</script></body></html>", encoding="utf-8")
    [rec] = run([page], into=tmp_path / "content")
    assert rec.outcome == "needs_review" and rec.title == "Trang rất lớn"
    assert rec.date.isoformat() == "2021-11-25T00:00:00+07:00"
    assert any("rất lớn" in w for w in rec.warnings)
    text = open(rec.output, encoding="utf-8").read()
    assert "Đoạn 2999 về" in text and "alert" not in text


def test_unexpected_error_in_one_item_is_reported_and_the_rest_imports(tmp_path, monkeypatch):
    import sys

    from cchc.importer import run

    clean_mod = sys.modules["cchc.importer.clean"]  # the package exports the function of the same name

    real = clean_mod.infer_locality

    def boom(title, text):
        if "Vũng Tàu" in (title or ""):
            raise ZeroDivisionError("thử")
        return real(title, text)

    monkeypatch.setattr(clean_mod, "infer_locality", boom)
    records = run([SEEDS], into=tmp_path / "content")
    failed = [r for r in records if r.outcome == "failed"]
    assert len(failed) == 1 and "004_" in failed[0].source
    assert "lỗi không lường trước" in failed[0].failed and "ZeroDivisionError" in failed[0].failed
    assert sum(1 for r in records if r.output) == 4


def test_report_is_written_on_ctrl_c(tmp_path, monkeypatch):
    import argparse
    import sys

    command = sys.modules["cchc.importer.command"]

    real = command.write
    calls = []

    def write_then_stop(rec, *args, **kwargs):
        if calls:
            raise KeyboardInterrupt
        calls.append(rec)
        return real(rec, *args, **kwargs)

    monkeypatch.setattr(command, "write", write_then_stop)
    report = tmp_path / "bao-cao.json"
    args = argparse.Namespace(sources=[str(SEEDS)], into=str(tmp_path / "content"), report=str(report),
                              dry_run=False, locality=None, debug=False)
    assert command.main(args) == 130
    entries = json.loads(report.read_text(encoding="utf-8"))
    assert len(entries) == 5
    assert entries[0]["status"] == "imported" and os.path.isfile(entries[0]["output"])
    assert all(e["status"] == "failed" and "Ctrl-C" in e["warnings"][0] for e in entries[1:])


def test_long_first_paragraph_is_not_a_title_and_names_stay_short(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    sentence = "Ủy ban nhân dân huyện Tam Dương tổ chức hội nghị triển khai công tác cải cách hành chính " * 5
    (src / "khong-tieu-de.txt").write_text(sentence.strip() + ".\n\n25/11/2021\n", encoding="utf-8")
    long_title = "Huyện Tam Dương đẩy mạnh cải cách hành chính gắn với chuyển đổi số " * 3
    for n in (1, 2):
        (src / f"dai-{n}.txt").write_text(f"{long_title.strip()}\n25/11/2021\n\nNội dung bài số {n}.\n",
                                          encoding="utf-8")
    proc, entries, into = do_import(tmp_path, src)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    e = by_source(entries, "khong-tieu-de")
    assert e["title"] is None and e["output"] is None and e["status"] == "needs_review"
    assert any("không phải tiêu đề" in w for w in e["warnings"])
    names = sorted(p.stem for p in (into / "tin-tuc").glob("*.md"))
    assert len(names) == 2 and all(len(n) <= 80 for n in names) and names[1] == names[0] + "-2"
    assert run_cchc("check", into).returncode == 0
    _proc, again, _ = do_import(tmp_path, src, name="r2.json")  # same batch again: same names, all kept
    assert {e["status"] for e in again if e["title"]} == {"skipped"}
    assert sorted(p.stem for p in (into / "tin-tuc").glob("*.md")) == names


# --- issue 33: a redirects.json entry is imported, or reported, on its own ---------------------

@pytest.mark.parametrize("old, new, said", [
    ("/cu/a\r\nSet-Cookie: x=1", "/tin/tot", "“/cu/a\\x0d\\x0aSet-Cookie: x=1” có ký tự điều khiển"),
    ("/cu/a\tb", "/tin/tot", "có ký tự điều khiển"),
    ("khong-gach", "/tin/tot", "khóa “khong-gach” của redirects.json không phải đường dẫn"),
    ("", "/tin/tot", "khóa “” của redirects.json không phải đường dẫn"),
    ("/cu/a b", "/tin/tot", "đường dẫn cũ không dùng được: “/cu/a b” phải là đường dẫn"),
    ('/cu/a"b', "/tin/tot", "có ký tự không được dùng trong đường dẫn cũ (U+0022"),
    ("/cu/a%0Ab", "/tin/tot", "(U+000A, kể cả viết dạng %xx"),
    ("/cu/a", "javascript:alert(1)", "đích chuyển hướng “javascript:alert(1)” của “/cu/a” không phải một đường dẫn"),
    ("/cu/a", "//evil.example/x", "đích chuyển hướng “//evil.example/x”"),
    ("/cu/a", "https://evil.example/", "đích chuyển hướng “https://evil.example/”"),
    ("/cu/a", "/tin/tot\r\nX: y", "đích chuyển hướng “/tin/tot\\x0d\\x0aX: y”"),
    ("/cu/a", 17, "phải là một đường dẫn (chuỗi chữ), nhưng bản xuất ghi số"),
    ("/cu/a", ["/tin/tot"], "nhưng bản xuất ghi danh sách"),
])
def test_bad_redirect_entry_is_refused_with_its_reason(old, new, said):
    from cchc.importer.plone import parse_json

    [bad, good] = parse_json({old: new, "/cu/tot": "/tin/tot"}, "redirects.json")
    assert bad.failed and said in bad.failed, bad.failed
    assert "\n" not in bad.source and "\r" not in bad.source and "\n" not in bad.failed
    assert good.redirect == ("/cu/tot", "/tin/tot") and not good.failed


def test_redirect_map_imports_the_good_entries_and_the_report_matches_the_posts(tmp_path):
    src = tmp_path / "ban-xuat"
    src.mkdir()
    (src / "items.json").write_text(json.dumps([GOOD], ensure_ascii=False), encoding="utf-8")
    redirects = {"/cu/tot": "/tin/tot", "/cu/x\r\nSet-Cookie: a=1": "/tin/tot", "khong-gach": "/tin/tot",
                 "/cu/y": "javascript:alert(1)", "/": "/tin/tot", "/feeds/tat-ca.rss.xml": "/tin/tot",
                 "/cu/z": "/tin/tot"}
    (src / "redirects.json").write_text(json.dumps(redirects), encoding="utf-8")
    proc, entries, into = do_import(tmp_path, src, extra=["--locality", "Quận Tây Hồ"])
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert "\r" not in proc.stdout and "Set-Cookie: a=1\n" not in proc.stdout
    post = by_source(entries, "items.json#0")
    assert post["status"] == "imported"
    meta, _ = front_matter(post["output"])
    assert meta["old_paths"] == ["/tin/tot", "/cu/tot", "/cu/z"]
    status = {e["source"].split("#", 1)[1]: e["status"] for e in entries if "redirects.json#" in e["source"]}
    assert status == {"/cu/tot": "imported", "/cu/x\\x0d\\x0aSet-Cookie: a=1": "failed", "khong-gach": "failed",
                      "/cu/y": "failed", "/": "skipped", "/feeds/tat-ca.rss.xml": "skipped", "/cu/z": "imported"}
    [home] = [e for e in entries if e["source"].endswith("redirects.json#/")]
    assert home["warnings"] == ["Không giữ chuyển hướng này: “/” là đường dẫn của chính cổng mới: / (trang chủ)"]
    assert "/redirects.json#khong-gach: khóa “khong-gach” của redirects.json không phải đường dẫn" in proc.stdout
    # What the report calls imported is what `make check` accepts.
    check = run_cchc("check", str(into))
    assert check.returncode == 0, check.stderr


def test_redirect_to_a_post_that_is_not_written_is_not_reported_imported(tmp_path, monkeypatch):
    import errno
    import sys

    from cchc.importer import run

    write_mod = sys.modules["cchc.importer.write"]

    def full(path, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(write_mod, "_write_new", full)
    src = tmp_path / "ban-xuat"
    src.mkdir()
    (src / "a-redirects.json").write_text(json.dumps({"/cu/tot": "/tin/tot"}), encoding="utf-8")
    (src / "b-items.json").write_text(json.dumps([GOOD], ensure_ascii=False), encoding="utf-8")
    records = run([src], into=tmp_path / "content")
    post = next(r for r in records if "b-items.json#0" in r.source)
    redirect = next(r for r in records if r.redirect)
    assert post.outcome == "failed" and post.output is None
    assert redirect.outcome == "needs_review"
    assert "chưa được giữ" in redirect.warnings[-1] and "b-items.json#0" in redirect.warnings[-1]


# --- issue 33, part 5: the importer never follows a link, nor reads a special file -------------

PAGE = ("<html><body><h1>Huyện Mẫu Sơn tuyên truyền cải cách hành chính</h1><p>25/11/2021</p>"
        "<p>UBND huyện Mẫu Sơn tuyên truyền cải cách hành chính.</p></body></html>")


@pytest.fixture
def linked_source(tmp_path):
    secret = tmp_path / "ngoai" / "bi-mat.txt"
    secret.parent.mkdir()
    secret.write_text("Khóa bí mật\n\nMẬT KHẨU: hunter2 của máy chủ\n", encoding="utf-8")
    src = tmp_path / "nguon"
    (src / "tin").mkdir(parents=True)
    (src / "tin" / "that.html").write_text(PAGE, encoding="utf-8")
    (src / "passwd.txt").symlink_to("/etc/passwd")
    (src / "bi-mat.txt").symlink_to(secret)
    (src / "ngoai").symlink_to(secret.parent, target_is_directory=True)
    (src / "ban-sao.html").symlink_to(src / "tin" / "that.html")
    (src / "hong.txt").symlink_to(tmp_path / "khong-co")
    os.mkfifo(src / "ong.txt")
    return src


def test_links_and_special_files_in_a_source_folder_are_skipped_and_reported(tmp_path, linked_source):
    proc, entries, into = do_import(tmp_path, linked_source, extra=["--locality", "Quận Tây Hồ"])
    assert proc.returncode == 0 and "Traceback" not in proc.stdout + proc.stderr
    written = [e["output"] for e in entries if e["output"]]
    assert written == [str(into / "tin-tuc" / "huyen-mau-son-tuyen-truyen-cai-cach-hanh-chinh.md")]
    text = "".join(p.read_text(encoding="utf-8") for p in into.rglob("*.md"))
    assert "root:" not in text and "hunter2" not in text
    reasons = {os.path.basename(e["source"]): (e["status"], e["warnings"][0]) for e in entries if not e["output"]}
    outside = "Liên kết tượng trưng (symlink) trỏ ra ngoài thư mục nguồn (tới "
    assert reasons["passwd.txt"] == ("skipped", outside + "/etc/passwd): không đọc, để không đưa tệp của máy "
                                     "(mật khẩu, khóa…) vào bài; nếu đúng là cần chuyển tệp đó, hãy chép nó "
                                     "vào thư mục nguồn")
    assert reasons["bi-mat.txt"][1].startswith(outside) and reasons["ngoai"][1].startswith(outside)
    assert reasons["ban-sao.html"] == ("skipped", "Liên kết tượng trưng (symlink) tới tin/that.html trong chính "
                                       "thư mục nguồn: không đọc qua liên kết (tệp đó được chuyển theo đường dẫn "
                                       "thật của nó, không thành hai bài)")
    assert reasons["hong.txt"] == ("skipped", "Liên kết tượng trưng (symlink) bị hỏng hoặc trỏ vòng: bỏ qua")
    assert reasons["ong.txt"][0] == "skipped" and "ống dẫn (FIFO)" in reasons["ong.txt"][1]


def test_sources_list_links_and_special_files_without_reading_them(linked_source):
    from cchc.importer.record import Record
    from cchc.importer.sources import iter_sources

    found = list(iter_sources([linked_source]))
    read = [p.relative_to(linked_source).as_posix() for p in found if not isinstance(p, Record)]
    assert read == ["tin/that.html"]
    assert sorted(os.path.basename(r.source) for r in found if isinstance(r, Record)) == [
        "ban-sao.html", "bi-mat.txt", "hong.txt", "ngoai", "ong.txt", "passwd.txt"]


def test_a_file_that_became_a_link_after_the_listing_is_not_followed(tmp_path):
    from cchc.importer.sources import parse_file

    (tmp_path / "tin.txt").symlink_to("/etc/passwd")
    [rec] = parse_file(tmp_path / "tin.txt", follow_links=False)
    assert rec.skip and "symlink" in rec.skip and rec.title is None and not rec.body
    # A file named on the command line is taken as named.
    assert parse_file(tmp_path / "tin.txt", follow_links=True)[0].skip is None


# --- issue 33, part 6: disk full, locked folders and Ctrl-C during an import -------------------

def _import_args(tmp_path, report, sources=(SEEDS,)):
    import argparse

    return argparse.Namespace(sources=[str(s) for s in sources], into=str(tmp_path / "content"),
                              report=str(report), dry_run=False, locality=None, debug=False)


def _failing_writes(monkeypatch, under, code):
    """Every file written under *under* fails with *code* (as a full or locked disk would)."""
    import errno
    import sys

    files = sys.modules["cchc.core.files"]
    real = files._write_whole

    def write(path, *args):
        if str(path).startswith(str(under)):
            raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)), str(path))
        return real(path, *args)

    monkeypatch.setattr(files, "_write_whole", write)


@pytest.mark.parametrize("code, said", [
    ("ENOSPC", "ổ đĩa đã đầy: giải phóng chỗ trống rồi chạy lại"),
    ("EPERM", "hệ thống không cho phép (tệp hay thư mục bị khóa, ví dụ bằng chattr +i): mở khóa rồi chạy lại"),
    ("EACCES", "không có quyền (quyền của tệp hay thư mục không cho phép)"),
    ("EROFS", "ổ đĩa chỉ cho đọc, không ghi được"),
])
def test_full_or_locked_disk_fails_each_post_in_vietnamese_and_keeps_the_report(tmp_path, monkeypatch, capsys,
                                                                                 code, said):
    import tempfile

    from cchc.importer.command import main

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tam"))
    (tmp_path / "tam").mkdir()
    disk = tmp_path / "o-day"
    _failing_writes(monkeypatch, disk, code)
    args = _import_args(disk, disk / "bao-cao.json")
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert f"LỖI không ghi được báo cáo vào {disk / 'bao-cao.json'}: {said}" in err
    [kept] = (tmp_path / "tam").glob("cchc-import-report-*.json")
    assert f"Báo cáo được ghi vào chỗ khác: {kept}" in err and f"Báo cáo chi tiết: {kept}" in out
    entries = json.loads(kept.read_text(encoding="utf-8"))
    assert len(entries) == 5 and all(e["status"] == "failed" and e["output"] is None for e in entries)
    assert all(said in e["warnings"][0] for e in entries)
    assert os.strerror(28) not in out + err and "Error" not in out + err
    assert not [p for p in disk.rglob("*") if p.is_file()]


def test_report_written_nowhere_is_printed(tmp_path, monkeypatch, capsys):
    from cchc.importer.command import main

    _failing_writes(monkeypatch, "/", "ENOSPC")
    assert main(_import_args(tmp_path, tmp_path / "bao-cao.json")) == 1
    out, err = capsys.readouterr()
    assert "Không ghi được báo cáo vào đâu cả; nội dung báo cáo (JSON) in ngay dưới đây:" in err
    report = json.loads(out[out.index("[\n"):out.index("\n]\n") + 3])
    assert len(report) == 5 and report[0]["status"] == "failed"


def test_unwritable_places_are_said_in_vietnamese_end_to_end(tmp_path):
    """A real run (no simulation): the report's and the posts' folders are under a regular file."""
    (tmp_path / "tep").write_text("x", encoding="utf-8")
    proc = run_cchc("import", SEEDS / "004_e968048da3d86a3b.txt", "--into", tmp_path / "tep" / "content",
                    "--report", tmp_path / "tep" / "r.json", env={"TMPDIR": str(tmp_path)})
    assert proc.returncode == 1 and "Traceback" not in proc.stdout + proc.stderr
    assert "không mong đợi" not in proc.stderr and "Error" not in proc.stdout + proc.stderr
    assert (f"LỖI không ghi được báo cáo vào {tmp_path / 'tep' / 'r.json'}: đã có một tệp trùng tên ở chỗ cần "
            "tạo thư mục.") in proc.stderr
    [kept] = tmp_path.glob("cchc-import-report-*.json")
    assert f"Báo cáo được ghi vào chỗ khác: {kept}" in proc.stderr
    assert ": một phần của đường dẫn không phải thư mục" in proc.stdout
    assert json.loads(kept.read_text(encoding="utf-8"))[0]["status"] == "failed"


def test_locked_post_is_said_in_vietnamese(tmp_path, monkeypatch, capsys):
    from cchc.cli.cli import main

    post = tmp_path / "content" / "tin-tuc" / "tin.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\ntype: tin-tuc\nid: 3f1c2b1e-0000-4000-8000-0000000000aa\ntitle: Tin\n---\n", encoding="utf-8")
    _failing_writes(monkeypatch, tmp_path, "EPERM")
    monkeypatch.chdir(tmp_path)
    assert main(["new-id", "content/tin-tuc/tin.md"]) == 1
    err = capsys.readouterr().err
    assert err == ("LỖI khi chạy “cchc new-id”: không ghi hay đọc được content/tin-tuc/tin.md: hệ thống không cho "
                   "phép (tệp hay thư mục bị khóa, ví dụ bằng chattr +i): mở khóa rồi chạy lại.\n")


CTRL_C_IN_MKSTEMP = """
import os, signal, sys, tempfile
signal.signal(signal.SIGINT, signal.default_int_handler)
real, calls = tempfile.mkstemp, []
def mkstemp(*args, **kwargs):
    made = real(*args, **kwargs)
    calls.append(made)
    if len(calls) == 2:  # the second post: Ctrl-C just after its temporary file is made
        os.kill(os.getpid(), signal.SIGINT)
    return made
tempfile.mkstemp = mkstemp
from cchc.cli.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_leaves_no_temporary_file_and_says_what_was_imported(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT / "plugins")]))
    into, report = tmp_path / "content", tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-c", CTRL_C_IN_MKSTEMP, "import", str(SEEDS), "--into", str(into),
                           "--report", str(report)], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 130, proc.stderr
    assert "Traceback" not in proc.stderr
    assert not [p.name for p in into.rglob("*") if p.name.endswith(".tmp") or p.stat().st_size == 0]
    posts = sorted(into.rglob("*.md"))
    assert len(posts) == 2  # the post being written when Ctrl-C came is whole
    assert (f"DỪNG theo yêu cầu (Ctrl-C): đã ghi 2 bài trước khi dừng (giữ nguyên, không có tệp dở dang), "
            f"3 mục chưa xử lý; báo cáo ở {report}. Chạy lại lệnh để chuyển tiếp") in proc.stderr
    entries = json.loads(report.read_text(encoding="utf-8"))
    assert [e["status"] for e in entries].count("failed") == 3
    assert sorted(e["output"] for e in entries if e["output"]) == [str(p) for p in posts]
